#pragma once
// Selecting and ordering catalog models (list filters).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::catalog {

enum class ModelSort { id, params, active, context };
std::optional<ModelSort> model_sort_from_string(std::string_view text);
std::string model_sort_names(); // "id, params, active, context"

struct ModelFilter {
  std::optional<Category> category;
  std::optional<std::string> license;
  std::optional<std::uint64_t> min_context_tokens;
  std::optional<std::uint64_t> max_active_params; // published counts
  std::optional<std::uint64_t> max_total_params;
  bool open_weights_only = false;
  ModelSort sort = ModelSort::id;
};

// Models that pass every filter, sorted (params, active and context: largest first; ties by id).
// A size filter excludes API-only models, whose sizes are unknown.
std::vector<const Model*> select_models(const Catalog& catalog, const ModelFilter& filter);

// Parses "dense", "moe", "small", "long-context", "api-only"; throws Error(usage) naming `what`.
Category parse_category_name(const std::string& text, const std::string& what);

} // namespace modelpick::catalog

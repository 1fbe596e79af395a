#include "modelpick/catalog/query.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "modelpick/error.hpp"
#include "modelpick/util/names.hpp"

namespace modelpick::catalog {

namespace {

constexpr std::pair<ModelSort, std::string_view> k_sort_names[] = {{ModelSort::id, "id"},
                                                                   {ModelSort::params, "params"},
                                                                   {ModelSort::active, "active"},
                                                                   {ModelSort::context, "context"}};

} // namespace

std::optional<ModelSort> model_sort_from_string(std::string_view text) {
  return util::value_of(k_sort_names, text);
}

std::string model_sort_names() {
  return util::names_of(k_sort_names);
}

Category parse_category_name(const std::string& text, const std::string& what) {
  if (const auto c = category_from_string(text)) {
    return *c;
  }
  throw Error(ErrorKind::usage,
              fmt::format("{} '{}' is not accepted: expected one of {}", what, text, category_names()));
}

std::vector<const Model*> select_models(const Catalog& catalog, const ModelFilter& f) {
  const bool size_filter = f.max_active_params || f.max_total_params;
  std::vector<const Model*> out;
  for (const Model& m : catalog.models()) {
    const bool keep = (!f.category || m.category == *f.category) && (!f.license || m.license == *f.license) &&
                      (!f.min_context_tokens || m.max_context_tokens >= *f.min_context_tokens) &&
                      (!f.open_weights_only || m.self_hostable()) && (!size_filter || m.self_hostable()) &&
                      (!f.max_active_params || m.published_params_active <= *f.max_active_params) &&
                      (!f.max_total_params || m.published_params_total <= *f.max_total_params);
    if (keep) {
      out.push_back(&m);
    }
  }
  const auto key = [&](const Model* m) -> std::uint64_t {
    switch (f.sort) {
    case ModelSort::params:
      return m->published_params_total;
    case ModelSort::active:
      return m->published_params_active;
    case ModelSort::context:
      return m->max_context_tokens;
    case ModelSort::id:
      return 0;
    }
    return 0;
  };
  std::stable_sort(out.begin(), out.end(), [&](const Model* a, const Model* b) {
    const std::uint64_t ka = key(a);
    const std::uint64_t kb = key(b);
    return ka != kb ? ka > kb : a->id < b->id;
  });
  return out;
}

} // namespace modelpick::catalog

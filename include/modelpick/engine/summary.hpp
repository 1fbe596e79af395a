#pragma once
// show: what the catalog knows about one model, with the numbers derived from it.
#include <cstdint>
#include <utility>
#include <vector>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::engine {

struct ModelSummary {
  const catalog::Model* model = nullptr;
  const catalog::License* license = nullptr;
  // Derived from the architecture (absent for API-only models).
  std::uint64_t params_total = 0;
  std::uint64_t params_active = 0;
  std::uint64_t kv_bytes_per_token = 0; // 16-bit
  std::uint64_t state_bytes_per_sequence = 0;
  std::vector<std::pair<const catalog::Precision*, std::uint64_t>> weights_bytes; // per catalog precision
};

ModelSummary summarize(const catalog::Catalog& catalog, const catalog::Model& model);

} // namespace modelpick::engine

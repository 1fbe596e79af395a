#include "modelpick/engine/summary.hpp"

#include "modelpick/engine/constants.hpp"
#include "modelpick/engine/kv_cache.hpp"
#include "modelpick/engine/memory.hpp"

namespace modelpick::engine {

ModelSummary summarize(const catalog::Catalog& catalog, const catalog::Model& model) {
  ModelSummary s;
  s.model = &model;
  s.license = catalog.find_license(model.license);
  if (!model.self_hostable()) {
    return s;
  }
  const catalog::Architecture& arch = *model.architecture;
  const ParamCounts params = count_params(arch);
  s.params_total = params.total;
  s.params_active = params.active;
  s.kv_bytes_per_token = kv_bytes_per_token(arch, k_bytes_16bit);
  s.state_bytes_per_sequence = state_bytes_per_sequence(arch);
  for (const catalog::Precision& p : catalog.precisions()) {
    s.weights_bytes.emplace_back(&p, place_weights(params, p).total);
  }
  return s;
}

} // namespace modelpick::engine

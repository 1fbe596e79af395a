#pragma once
// Shared by the fuzz targets: the embedded catalog (loaded once) and sizing a fuzzed model, so
// that whatever a parser accepts is pushed through the engine too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "modelpick/catalog/catalog.hpp"
#include "modelpick/catalog/embedded.hpp"
#include "modelpick/engine/plan.hpp"
#include "modelpick/engine/serving.hpp"
#include "modelpick/engine/throughput.hpp"
#include "modelpick/error.hpp"
#include "render/assumptions_render.hpp"
#include "render/explain_render.hpp"
#include "render/size_render.hpp"

namespace modelpick::fuzz {

inline const catalog::Catalog& embedded() {
  static const catalog::Catalog c = catalog::Catalog::load(catalog::embedded_documents());
  return c;
}

// Sizes (and, when it fits, estimates the throughput of) a model the fuzzer produced. Errors
// are expected answers; anything else (a crash, a sanitizer report, a hang) is a finding.
inline void exercise(const catalog::Model& model) {
  if (!model.self_hostable()) {
    return;
  }
  const catalog::Catalog& c = embedded();
  catalog::Precision stored;
  stored.id = "stored";
  const catalog::Precision& precision = model.stored ? stored : c.precision("bf16");
  engine::SizingRequest request;
  request.context_tokens = std::min<std::uint64_t>(4096, model.max_context_tokens);
  request.concurrency = 4;
  try {
    const engine::SizingReport r = engine::plan_size(model, precision, c.gpu("h100"), request);
    // properties of every sizing, whatever the model: the totals add up, and a layout fits
    // exactly when what it needs per GPU is within what is usable (both memory models)
    const engine::LayoutEvaluation& e = r.fits ? *r.fit : *r.closest;
    const engine::GpuShare& g = e.share;
    if (r.total_bytes != r.weights_bytes + r.kv_cache_bytes + r.reserve_bytes ||
        g.total_bytes != g.weights_bytes + g.kv_cache_bytes + g.reserve_bytes ||
        r.fits != (g.total_bytes <= g.usable_bytes) || (r.fits && g.max_concurrency < request.concurrency)) {
      std::abort();
    }
    if (r.fits) {
      engine::estimate_throughput(model, precision, c.gpu("h100"), r.fit->layout, {1024, 256, 2}, 1,
                                  r.fit->share.max_concurrency);
    }
    render::explain_size(r); // the formulas worded from every report
    render::sizing_assumptions(r);
    render::not_fit_reason(r);
  } catch (const Error&) {
  }
  // each serving engine at the model's own length (errors are answers here too)
  for (const engine::ServingEngine e :
       {engine::ServingEngine::vllm, engine::ServingEngine::sglang, engine::ServingEngine::llama_cpp}) {
    try {
      engine::ServingRequest serving;
      serving.engine = e;
      engine::predict_serving(model, precision, c.gpu("h100"), serving);
    } catch (const Error&) {
    }
  }
}

} // namespace modelpick::fuzz

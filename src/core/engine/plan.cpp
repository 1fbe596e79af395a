#include "modelpick/engine/plan.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

#include "modelpick/engine/constants.hpp"
#include "modelpick/engine/kv_cache.hpp"
#include "modelpick/engine/memory.hpp"
#include "modelpick/error.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::engine {

using util::checked_add;
using util::checked_mul;
using util::group_digits;

namespace {

std::uint64_t usable_bytes(const catalog::Gpu& gpu, double utilization) {
  return static_cast<std::uint64_t>(std::floor(static_cast<long double>(gpu.memory_bytes) * utilization));
}

// The bare model: weights + KV cache (+ fixed state) + a flat reserve per GPU, inside
// memory x utilization; the bottleneck pipeline stage decides.
LayoutEvaluation evaluate_bare(const catalog::Architecture& arch, const WeightPlacement& weights,
                               const catalog::Gpu& gpu, const SizingRequest& request, const Layout& layout) {
  const std::uint64_t tp = layout.tensor_parallel;
  const auto stages = pipeline_stages(arch.layers, layout.pipeline_parallel);
  const std::uint64_t usable = usable_bytes(gpu, request.gpu_memory_utilization);

  LayoutEvaluation best{layout, {}};
  bool first = true;
  for (std::size_t s = 0; s < stages.size(); ++s) {
    const std::uint64_t stage_weights = stage_weight_bytes(weights, stages, s);
    const std::uint64_t kv_per_sequence =
        sum_over_layers(arch, stages[s].first, stages[s].second, "KV cache bytes", [&](std::uint64_t i) {
          const std::uint64_t cache =
              checked_mul(layer_kv_bytes_per_token(arch, i, tp, request.kv_bytes),
                          layer_cached_tokens(arch, i, request.context_tokens), "KV cache bytes");
          // fixed per-sequence state (Mamba, linear attention) is split over TP ranks with the heads
          return checked_add(cache, util::ceil_div(layer_state_bytes(arch, i), tp), "KV cache bytes");
        });

    GpuShare share;
    share.weights_bytes = util::ceil_div(stage_weights, tp);
    share.kv_bytes_per_sequence = kv_per_sequence;
    share.kv_cache_bytes = checked_mul(kv_per_sequence, request.concurrency, "KV cache bytes");
    share.reserve_bytes = k_runtime_reserve_bytes_per_gpu;
    share.total_bytes =
        checked_add(checked_add(share.weights_bytes, share.kv_cache_bytes, "bytes"), share.reserve_bytes, "bytes");
    share.usable_bytes = usable;
    share.fits = share.total_bytes <= usable;
    const std::uint64_t fixed = share.weights_bytes + share.reserve_bytes;
    share.max_concurrency = fixed >= usable        ? 0
                            : kv_per_sequence == 0 ? std::numeric_limits<std::uint64_t>::max()
                                                   : (usable - fixed) / kv_per_sequence;
    // The bottleneck stage: the one that admits the fewest sequences (then the fullest).
    if (first || share.max_concurrency < best.share.max_concurrency ||
        (share.max_concurrency == best.share.max_concurrency && share.total_bytes > best.share.total_bytes)) {
      best.share = share;
      first = false;
    }
  }
  return best;
}

// The engine's request for one layout of a sizing, its defaults filled in.
ServingRequest engine_request(const catalog::Model& model, const catalog::Gpu& gpu, const SizingRequest& request,
                              const Layout& layout) {
  ServingRequest r = *request.engine;
  r.tensor_parallel = layout.tensor_parallel;
  r.pipeline_parallel = layout.pipeline_parallel;
  r.max_model_len = request.context_tokens;
  r.kv_bytes = request.kv_bytes;
  r.tp_nodes = request.tp_nodes;
  if (r.engine == ServingEngine::vllm) {
    r.memory_fraction = request.gpu_memory_utilization;
  }
  return with_engine_defaults(model, gpu, r);
}

// The engine's own start-up accounting on this layout (engine/serving): what it would allocate
// is what fits, so a plan and `--engine` agree to the token.
LayoutEvaluation evaluate_engine(const catalog::Model& model, const catalog::Precision& precision,
                                 const WeightPlacement& weights, const catalog::Gpu& gpu, const SizingRequest& request,
                                 const Layout& layout) {
  const ServingRequest r = engine_request(model, gpu, request, layout);
  const ServingPrediction p = predict_placed(model, precision, gpu, weights, r, Wording::numbers);
  const ServingRank& rank = p.rank;

  GpuShare share;
  share.weights_bytes = rank.weights_bytes;
  share.non_torch_bytes = rank.non_torch_bytes;
  share.activation_bytes = rank.activation_bytes + rank.graph_bytes;
  share.kv_cache_tokens = p.kv_cache_tokens;
  // SGLang counts its CUDA context outside the static budget; the budget holds weights + pool
  share.reserve_bytes = r.engine == ServingEngine::sglang ? 0 : share.non_torch_bytes + share.activation_bytes;
  share.usable_bytes = rank.budget_bytes;
  share.max_concurrency = p.starts && rank.request_blocks > 0 ? rank.blocks / rank.request_blocks : 0;
  // what one request of the context takes from the pool, in the engine's pages: the fit is
  // then exactly "the blocks hold --concurrency requests"
  const std::uint64_t per_sequence_blocks = rank.request_blocks;
  share.kv_bytes_per_sequence = checked_mul(per_sequence_blocks, rank.page_bytes, "KV cache bytes");
  share.kv_cache_bytes = checked_mul(share.kv_bytes_per_sequence, request.concurrency, "KV cache bytes");
  share.total_bytes =
      checked_add(checked_add(share.weights_bytes, share.kv_cache_bytes, "bytes"), share.reserve_bytes, "bytes");
  share.fits = p.starts && share.max_concurrency >= request.concurrency;
  return LayoutEvaluation{layout, share};
}

// Which accounting sizes `model` for this request: the engine's where it covers the model,
// else the bare model, with the reason.
std::optional<ServingEngine> accounting(const catalog::Model& model, const SizingRequest& request,
                                        std::string* fallback) {
  if (!request.engine || request.engine->engine == ServingEngine::llama_cpp) {
    return std::nullopt;
  }
  if (!engine_covers(model, request.engine->engine)) {
    if (fallback) {
      *fallback = fmt::format("{}'s accounting does not cover {}'s recurrent, linear-attention or cross-attention "
                              "layers: sized by the bare model (weights + cache + state + {} GiB per GPU)",
                              display_name(request.engine->engine), model.id, k_runtime_reserve_bytes_per_gpu >> 30);
    }
    return std::nullopt;
  }
  return request.engine->engine;
}

// One layout under the accounting `engine` (nullopt: the bare model), resolved once per sizing.
LayoutEvaluation evaluate(const catalog::Model& model, const catalog::Precision& precision,
                          const WeightPlacement& weights, const catalog::Gpu& gpu, const SizingRequest& request,
                          const Layout& layout, std::optional<ServingEngine> engine) {
  if (!engine) {
    return evaluate_bare(*model.architecture, weights, gpu, request, layout);
  }
  return evaluate_engine(model, precision, weights, gpu, request, layout);
}

std::string layout_list(const std::vector<Layout>& layouts) {
  std::vector<std::string> counts;
  for (const Layout& l : layouts) {
    const std::string c = std::to_string(l.gpus());
    if (std::find(counts.begin(), counts.end(), c) == counts.end() && counts.size() < 8) {
      counts.push_back(c);
    }
  }
  return fmt::format("{}", fmt::join(counts, ", "));
}

} // namespace

LayoutEvaluation evaluate_layout(const catalog::Model& model, const catalog::Precision& precision,
                                 const catalog::Gpu& gpu, const SizingRequest& request, const Layout& layout) {
  return evaluate_layout(model, place_weights(model, model_params(model), precision), precision, gpu, request, layout);
}

LayoutEvaluation evaluate_layout(const catalog::Model& model, const WeightPlacement& weights,
                                 const catalog::Precision& precision, const catalog::Gpu& gpu,
                                 const SizingRequest& request, const Layout& layout) {
  return evaluate(model, precision, weights, gpu, request, layout, accounting(model, request, nullptr));
}

void require_self_hostable(const catalog::Model& model) {
  if (!model.self_hostable()) {
    throw Error(ErrorKind::usage,
                fmt::format("'{}' is API-only ({}): its weights are not published, so it cannot be sized for "
                            "self-hosting; pick an open-weight model (`modelpick list`)",
                            model.id, model.provider));
  }
}

SizingReport plan_size(const catalog::Model& model, const catalog::Precision& precision, const catalog::Gpu& gpu,
                       const SizingRequest& request) {
  require_self_hostable(model);
  const ParamCounts params = model_params(model);
  return fit_size(model, params, place_weights(model, params, precision), precision, gpu, request);
}

std::vector<Layout> sizing_layouts(const catalog::Model& model, const catalog::Gpu& gpu, const SizingRequest& request) {
  return candidate_layouts(*model.architecture, gpu.tp_domain(), k_max_pipeline_stages, request.uneven_stages,
                           request.tp_nodes);
}

SizingReport fit_size(const catalog::Model& model, const ParamCounts& params, const WeightPlacement& weights,
                      const catalog::Precision& precision, const catalog::Gpu& gpu, const SizingRequest& request,
                      const std::vector<Layout>* searched) {
  require_self_hostable(model);
  if (request.context_tokens > model.longest_context()) {
    throw Error(ErrorKind::usage,
                fmt::format("--context {} exceeds {}'s maximum context of {} tokens",
                            group_digits(request.context_tokens), model.id, group_digits(model.longest_context())));
  }
  const catalog::Architecture& arch = *model.architecture;

  SizingReport r;
  r.model = &model;
  r.precision = &precision;
  r.gpu = &gpu;
  r.request = request;
  r.params_total = model.stored ? model.stored->params : params.total;
  // a weights file's count is of its tensors; its active share follows the bytes a token reads
  r.params_active = model.stored ? util::mul_div_ceil(model.stored->params, weights.active, weights.total, "parameters")
                                 : params.active;
  r.weights_bytes = weights.total;
  r.active_weights_bytes = weights.active;
  if (arch.mtp_layers > 0 && !model.stored) {
    r.mtp_weights_bytes =
        checked_add(checked_mul(layer_weight_bytes(params.mtp_block, precision), params.mtp_layers, "weight bytes"),
                    checked_mul(params.mtp_other, k_bytes_16bit, "weight bytes"), "weight bytes");
  }
  r.kv_bytes_per_token = kv_bytes_per_token(arch, request.kv_bytes);
  r.kv_cache_bytes = kv_cache_bytes(arch, request.kv_bytes, request.context_tokens, request.concurrency);
  r.state_bytes_per_sequence = state_bytes_per_sequence(arch);
  r.memory_model = accounting(model, request, &r.memory_model_fallback);
  if (!r.memory_model_fallback.empty()) {
    r.warnings.push_back(r.memory_model_fallback);
  }
  if (precision.needs_fp8_hardware && !gpu.fp8) {
    r.warnings.push_back(fmt::format("{} has no FP8 tensor cores: serving engines run {} weights through a "
                                     "weight-only kernel (W8A16) there; memory is as shown, compute stays 16-bit",
                                     gpu.name, precision.id));
  }

  std::vector<Layout> layouts;
  if (request.gpus) {
    layouts = layouts_for_count(arch, gpu.tp_domain(), *request.gpus, request.uneven_stages, request.tp_nodes);
    if (layouts.empty()) {
      throw Error(ErrorKind::usage,
                  fmt::format("--gpus {} is not a valid layout for {} on {}: accepted counts are {}, ...",
                              *request.gpus, model.id, gpu.id,
                              layout_list(candidate_layouts(arch, gpu.tp_domain(), 4, request.uneven_stages))));
    }
  } else if (searched == nullptr) {
    layouts = sizing_layouts(model, gpu, request);
  }
  const std::vector<Layout>& tried = request.gpus || searched == nullptr ? layouts : *searched;
  std::optional<Layout> refused; // the last layout tried, when the engine surely refuses it
  for (const Layout& layout : tried) {
    if (r.memory_model == ServingEngine::sglang && layout.pipeline_parallel > 1) {
      continue; // SGLang's pipeline parallelism is not modelled: such a layout is not offered
    }
    if (r.memory_model && surely_refused(weights, engine_request(model, gpu, request, layout))) {
      refused = layout; // worked out in full only if it is the closest miss
      continue;
    }
    refused.reset();
    LayoutEvaluation e = evaluate(model, precision, weights, gpu, request, layout, r.memory_model);
    if (e.share.fits) {
      r.fit = e;
      break;
    }
    r.closest = e;
  }
  if (!r.fit && refused) {
    r.closest = evaluate(model, precision, weights, gpu, request, *refused, r.memory_model);
  }
  if (!r.fit && !r.closest) {
    throw Error(ErrorKind::usage, fmt::format("--engine sglang: pipeline parallelism is not modelled, and every "
                                              "layout of {} GPUs for {} needs it; give a count that tensor "
                                              "parallelism alone holds",
                                              tried.front().gpus(), model.id));
  }
  r.fits = r.fit.has_value();
  const LayoutEvaluation& shown = r.fits ? *r.fit : *r.closest;
  r.reserve_bytes = checked_mul(shown.share.reserve_bytes, shown.layout.gpus(), "bytes");
  r.total_bytes = checked_add(checked_add(r.weights_bytes, r.kv_cache_bytes, "bytes"), r.reserve_bytes, "bytes");
  return r;
}

} // namespace modelpick::engine

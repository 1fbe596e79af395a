#pragma once
// size: model x precision x GPU x request shape -> SizingReport.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modelpick/catalog/catalog.hpp"
#include "modelpick/engine/memory.hpp"
#include "modelpick/engine/parallelism.hpp"
#include "modelpick/engine/serving.hpp"

namespace modelpick::engine {

struct SizingRequest {
  std::uint64_t context_tokens = 0;
  std::uint64_t concurrency = 0;
  std::uint64_t kv_bytes = 2;    // bytes per KV value (2 = 16-bit, 1 = fp8)
  std::string kv_dtype = "auto"; // as the user named it, for the report
  double gpu_memory_utilization = 0.90;
  std::optional<std::uint64_t> gpus; // evaluate exactly this many GPUs
  // Pipeline stages inside a node of any size (llama.cpp's layer split), not only sizes that
  // divide the layers evenly
  bool uneven_stages = false;
  // Nodes (NVLink domains) one tensor-parallel group may span (--tp-nodes); 1: TP stays inside
  // one, and further nodes are pipeline stages.
  std::uint64_t tp_nodes = 1;
  // The memory model: the serving engine whose start-up accounting decides what fits (its
  // flags as given; TP, PP and max_model_len are the layout's and the context's). The default
  // is vLLM's. nullopt (--engine none): the bare lower bound, weights + KV cache + a flat
  // reserve per GPU. llama.cpp, and models whose layers the engine's accounting does not cover,
  // are sized by the bare model too (SizingReport::memory_model says which was used).
  std::optional<ServingRequest> engine = ServingRequest{};
};

// Memory of one GPU in the bottleneck pipeline stage of a layout.
struct GpuShare {
  std::uint64_t weights_bytes = 0;
  std::uint64_t kv_cache_bytes = 0;
  std::uint64_t reserve_bytes = 0;    // bare: the flat reserve; engine: non-torch + activation peak
  std::uint64_t non_torch_bytes = 0;  // engine: CUDA / NCCL memory outside PyTorch (in reserve_bytes)
  std::uint64_t activation_bytes = 0; // engine: the profiling run's peak (in reserve_bytes)
  std::uint64_t kv_cache_tokens = 0;  // engine: the "GPU KV cache size" it would log (0 bare)
  std::uint64_t total_bytes = 0;
  std::uint64_t usable_bytes = 0;          // memory_bytes x utilization (SGLang: its static budget)
  std::uint64_t kv_bytes_per_sequence = 0; // at the requested context
  std::uint64_t max_concurrency = 0;       // sequences of the requested context that fit
  bool fits = false;
};

struct LayoutEvaluation {
  Layout layout;
  GpuShare share;
};

struct SizingReport {
  const catalog::Model* model = nullptr;
  const catalog::Precision* precision = nullptr;
  const catalog::Gpu* gpu = nullptr;
  SizingRequest request;

  std::uint64_t params_total = 0; // computed from the architecture
  std::uint64_t params_active = 0;
  std::uint64_t weights_bytes = 0; // all experts resident
  std::uint64_t active_weights_bytes = 0;
  std::uint64_t mtp_weights_bytes = 0; // multi-token-prediction layers (in weights_bytes)
  std::uint64_t kv_bytes_per_token = 0;
  std::uint64_t kv_cache_bytes = 0;           // whole model, context x concurrency (fixed state included)
  std::uint64_t state_bytes_per_sequence = 0; // Mamba / linear-attention state, any length
  std::uint64_t reserve_bytes = 0;            // per-GPU reserve x GPUs (0 when it does not fit)
  // The engine whose accounting sized the layouts; nullopt: the bare model (flat reserve)
  std::optional<ServingEngine> memory_model;
  std::string memory_model_fallback; // why the requested engine's accounting was not used
  std::uint64_t total_bytes = 0;     // weights + KV cache + reserve

  bool fits = false;
  std::optional<LayoutEvaluation> fit; // the smallest layout that fits
  std::optional<LayoutEvaluation>
      closest; // when nothing fits: the largest layout tried (render::not_fit_reason words it)
  // Notes a caller adds (where the architecture was read from); render::sizing_assumptions words
  // the rest of what was assumed, from the values above.
  std::vector<std::string> assumptions;
  std::vector<std::string> warnings;
};

// Throws Error(usage) naming the model when it has no published weights to size.
void require_self_hostable(const catalog::Model& model);

// The fewest GPUs that hold the request (render::sizing_assumptions words what it assumed).
// Throws Error(usage) for an API-only model or a context beyond the model's maximum.
SizingReport plan_size(const catalog::Model& model, const catalog::Precision& precision, const catalog::Gpu& gpu,
                       const SizingRequest& request);

// The same with the model's parameter counts (model_params) and its weights placed at
// `precision` (place_weights) given, and optionally the layouts to search when the request
// names no GPU count (sizing_layouts, which depend on the model and GPU only): pick counts and
// lists once per model, places once per precision, and evaluates the fitting layout again from
// the same placement.
SizingReport fit_size(const catalog::Model& model, const ParamCounts& params, const WeightPlacement& weights,
                      const catalog::Precision& precision, const catalog::Gpu& gpu, const SizingRequest& request,
                      const std::vector<Layout>* searched = nullptr);

// The layouts a sizing without --gpus searches, fewest GPUs first (candidate_layouts over the
// GPU's tensor-parallel domain, up to k_max_pipeline_stages stages).
std::vector<Layout> sizing_layouts(const catalog::Model& model, const catalog::Gpu& gpu, const SizingRequest& request);

// Evaluates one layout (exposed for tests and for --gpus).
LayoutEvaluation evaluate_layout(const catalog::Model& model, const catalog::Precision& precision,
                                 const catalog::Gpu& gpu, const SizingRequest& request, const Layout& layout);
LayoutEvaluation evaluate_layout(const catalog::Model& model, const WeightPlacement& weights,
                                 const catalog::Precision& precision, const catalog::Gpu& gpu,
                                 const SizingRequest& request, const Layout& layout);

} // namespace modelpick::engine

#pragma once
// What a serving engine gives you at start-up: the KV cache vLLM, SGLang or llama.cpp
// allocates for a model on given GPUs and flags ("GPU KV cache size: N tokens").
// docs/formulas.md "Serving engines" explains each step; docs/validation.md replays real logs.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::engine {

struct WeightPlacement;

enum class ServingEngine { vllm, sglang, llama_cpp };
std::string_view to_string(ServingEngine engine);    // "vllm", "sglang", "llama.cpp": the --engine value
std::string_view display_name(ServingEngine engine); // "vLLM", "SGLang", "llama.cpp"
// "vllm", "sglang", "llama.cpp" (also "llamacpp", "llama-cpp"); nullopt otherwise.
std::optional<ServingEngine> serving_engine_from(std::string_view name);
std::string serving_engine_names(); // "vllm, sglang or llama.cpp", from the same table

// A llama.cpp cache type (--cache-type-k / -v): bytes per block of values.
struct CacheType {
  std::string name = "f16";
  std::uint64_t block_bytes = 2;
  std::uint64_t block_values = 1;
};
// f16, bf16, f32, q8_0, q5_1, q5_0, q4_1, q4_0, iq4_nl (ggml's type sizes); nullopt otherwise.
std::optional<CacheType> cache_type_from(std::string_view name);
std::string cache_type_names(); // "f16, bf16, ... or iq4_nl", from the same table

// vLLM's top-k / top-p sampler, which sets the profiling run's sampler peak: fused kernels
// (FlashInfer's, or vLLM's Triton ones) or PyTorch's sort (constants.hpp).
enum class VllmSampler { fused, sort };
std::string_view to_string(VllmSampler sampler); // "fused", "sort": the --sampler value
std::optional<VllmSampler> vllm_sampler_from(std::string_view name);

struct ServingRequest {
  ServingEngine engine = ServingEngine::vllm;
  // vLLM --gpu-memory-utilization or SGLang --mem-fraction-static; 0: the engine's default.
  double memory_fraction = 0;
  std::uint64_t max_model_len = 0; // --max-model-len / --context-length / --ctx-size; 0: the model's maximum
  bool max_model_len_auto = false; // --max-model-len auto: the longest that holds --concurrency requests
  std::uint64_t tensor_parallel = 1;
  std::uint64_t pipeline_parallel = 1;
  std::uint64_t tp_nodes = 1;               // nodes one TP group may span (--tp-nodes)
  std::uint64_t kv_bytes = 2;               // vLLM / SGLang bytes per KV value (1 = fp8)
  std::uint64_t block_size = 16;            // vLLM --block-size
  std::uint64_t max_num_seqs = 0;           // 0: vLLM's default for the GPU
  std::uint64_t max_num_batched_tokens = 0; // 0: vLLM's default for the GPU
  std::uint64_t gpu_memory_bytes = 0;       // 0: the catalog GPU's CUDA total
  CacheType cache_type_k;                   // llama.cpp
  CacheType cache_type_v;
  std::optional<std::uint64_t> gpu_layers;  // llama.cpp --n-gpu-layers; nullopt: all
  std::uint64_t parallel = 1;               // llama.cpp --parallel: sequences sharing the cells
  std::uint64_t ubatch = 512;               // llama.cpp --ubatch-size (k_llama_cpp_ubatch)
  bool enforce_eager = false;               // vLLM --enforce-eager
  VllmSampler sampler = VllmSampler::fused; // vLLM's top-k / top-p implementation (--sampler)
};

// One GPU: the rank that admits the fewest tokens (vLLM and SGLang size every rank alike and
// take the minimum). Signed where the engine's arithmetic can go below zero.
struct ServingRank {
  std::uint64_t pipeline_stage = 0;
  std::uint64_t total_bytes = 0;      // what CUDA reports
  std::uint64_t budget_bytes = 0;     // vLLM: total x utilization; SGLang: total x mem_fraction_static
  std::uint64_t weights_bytes = 0;    // as loaded on this rank
  std::uint64_t non_torch_bytes = 0;  // vLLM: CUDA/NCCL memory outside PyTorch; SGLang: context + init
  std::uint64_t activation_bytes = 0; // vLLM: the profiling run's peak
  std::uint64_t graph_bytes = 0;      // CUDA graphs, where the engine subtracts them first
  std::int64_t kv_cache_bytes = 0;    // what is left for the KV cache
  std::uint64_t kv_bytes_per_token = 0;
  std::uint64_t page_bytes = 0;     // vLLM: one block of one layer group x group size (what one block costs)
  std::uint64_t blocks = 0;         // vLLM blocks (SGLang and llama.cpp: tokens)
  std::uint64_t request_blocks = 0; // what one request of max_model_len takes, in the same units
  std::uint64_t host_kv_bytes = 0;  // llama.cpp: the cache of layers left on the CPU
};

struct ServingPrediction {
  ServingRequest request; // with the defaults filled in
  ServingRank rank;
  std::uint64_t gpus = 1;
  std::uint64_t kv_cache_tokens = 0; // the engine's "GPU KV cache size" / "#tokens" / n_ctx
  std::uint64_t kv_cache_bytes = 0;  // all GPUs together (llama.cpp: recurrent state included)
  std::uint64_t state_bytes = 0;     // llama.cpp: recurrent layers' conv + SSM state, all sequences
  std::uint64_t kv_cache_groups = 1; // vLLM's KV cache groups (hybrid models have more than one)
  std::uint64_t block_size = 0;      // vLLM: tokens per attention block as used (hybrids grow it)
  double max_concurrency = 0;        // requests of max_model_len at once
  bool starts = true;                // false: the engine refuses to start
  std::string refusal;               // why, as the engine would say it
  std::vector<std::string> assumptions;
};

// Throws Error(usage), naming the engine's flag, for an API-only model, an architecture the
// engine model does not cover (cross-attention layers; recurrent and linear-attention layers
// under SGLang, whose state pool is not modelled), a length past the
// model's maximum, or a tensor / pipeline-parallel size the model cannot take. A length, TP or
// PP of 0 means "not chosen yet" and is not checked (size calls this before it has a layout).
void check_serving_request(const catalog::Model& model, const catalog::Gpu& gpu, const ServingRequest& request);

// What a prediction carries beyond its numbers: `full` adds the refusal as the engine words it
// and the assumptions; `numbers` leaves both empty (a layout search tries hundreds of layouts
// and prints none of them).
enum class Wording { numbers, full };

// check_serving_request, then the prediction; TP and PP must be chosen (at least 1).
ServingPrediction predict_serving(const catalog::Model& model, const catalog::Precision& precision,
                                  const catalog::Gpu& gpu, ServingRequest request, Wording wording = Wording::full);

// Whether the engine's accounting covers every layer of `model`: attention with a per-token
// cache under every engine; recurrent and linear-attention state under vLLM (its hybrid
// allocator) and llama.cpp (its recurrent cells), not SGLang (a state pool of its own); no
// engine's cross-attention (a cache of image tokens).
bool engine_covers(const catalog::Model& model, ServingEngine engine);

// The request with the engine's defaults filled in for `gpu`: memory fraction, max_num_seqs,
// max_num_batched_tokens, the GPU's memory, and max_model_len (the model's engine default).
ServingRequest with_engine_defaults(const catalog::Model& model, const catalog::Gpu& gpu, ServingRequest request);

// The prediction from weights already placed (place_weights), for a request that
// check_serving_request accepted and with_engine_defaults completed: the plan's layout search
// calls this for every layout it tries, so that a fit and an engine start agree to the token.
ServingPrediction predict_placed(const catalog::Model& model, const catalog::Precision& precision,
                                 const catalog::Gpu& gpu, const WeightPlacement& weights, const ServingRequest& request,
                                 Wording wording = Wording::full);

// True only where predict_placed would find that the engine does not start, and cheaply: under
// vLLM, every rank's even share of its stage's weights leaves no more than the non-torch floor
// of its budget. A layout search skips such layouts without the full accounting.
bool surely_refused(const WeightPlacement& weights, const ServingRequest& request);

// --max-model-len auto: the longest max_model_len (up to the model's longest context) at which
// the engine starts and its cache holds `concurrency` requests of that length; 0 when none
// does. The prediction is monotone in the length, so a bisection finds it.
std::uint64_t longest_max_model_len(const catalog::Model& model, const catalog::Precision& precision,
                                    const catalog::Gpu& gpu, ServingRequest request, std::uint64_t concurrency);

} // namespace modelpick::engine

#pragma once
// Throughput by a roofline model: how fast one replica (a TP x PP group of GPUs holding the
// model once) prefills prompts and decodes tokens. docs/formulas.md derives every term.
#include <cstdint>
#include <string>
#include <vector>

#include "modelpick/catalog/catalog.hpp"
#include "modelpick/engine/memory.hpp"
#include "modelpick/engine/parallelism.hpp"

namespace modelpick::engine {

// One request's shape.
struct Workload {
  std::uint64_t input_tokens = 0;  // prompt
  std::uint64_t output_tokens = 0; // generated
  std::uint64_t kv_bytes = 2;      // bytes per cached K/V value
};

// What limits a step: reading memory (weights + KV) or tensor-core arithmetic.
enum class Bound { memory, compute };
std::string_view to_string(Bound b);

// The time of one forward step of the bottleneck pipeline stage, per GPU, and its parts.
struct StepCost {
  double weight_bytes = 0; // read per GPU: the stage's shard of dense weights + the experts the batch touches
  double kv_bytes = 0;     // read per GPU: every sequence's cache
  double flops = 0;        // per GPU
  double memory_seconds = 0;
  double compute_seconds = 0;
  double communication_seconds = 0; // tensor-parallel all-reduces and the hand-over to the next stage
  double overhead_seconds = 0;      // the engine's fixed per-step cost
  double seconds = 0;               // max(memory, compute) + communication + overhead
  Bound bound = Bound::memory;
};

// Decoding `batch` sequences together.
struct DecodePoint {
  std::uint64_t batch = 0;
  StepCost step;               // bottleneck stage, one micro-batch of batch / PP sequences
  double tokens_per_s = 0;     // output tokens per second of the replica
  double itl_seconds = 0;      // inter-token latency each sequence sees
  double distinct_experts = 0; // per MoE layer, expected experts the micro-batch touches (0: dense)
};

struct ThroughputReport {
  Layout layout;
  Workload workload;
  double compute_tflops = 0;   // the GPU's dense peak at the precision's arithmetic
  std::string compute_dtype;   // "bf16" or "fp8"
  std::uint64_t max_batch = 0; // sequences that fit the KV cache, capped at the engine's batch limit
  std::uint64_t engine_batch_limit = 0;
  DecodePoint at_batch;  // at the batch asked for
  DecodePoint saturated; // at the batch that saturates
  std::uint64_t saturating_batch = 0;
  std::string saturation_reason;   // "compute-bound from here" / "KV cache full" / "engine batch limit"
  double ttft_seconds = 0;         // one request alone: prefill of input_tokens
  double prefill_tokens_per_s = 0; // batched prefill, compute-bound, whole replica
  // Serving the request shape at the saturating batch: prefill and decode share the replica.
  double requests_per_s = 0;
  double input_tokens_per_s = 0;
  double output_tokens_per_s = 0;
  double prefill_time_share = 0; // of the replica's time (render::throughput_assumptions words what it assumed)
};

// `batch` is the decode batch to report (0: the saturating one); `kv_fit_batch` the sequences
// the layout's KV cache holds at the average context of a request in flight (prompt + half the
// output).
ThroughputReport estimate_throughput(const catalog::Model& model, const catalog::Precision& precision,
                                     const catalog::Gpu& gpu, const Layout& layout, const Workload& workload,
                                     std::uint64_t batch, std::uint64_t kv_fit_batch);
// The same with the model's parameter counts (model_params) given: pick counts them once per
// model for every precision it tries.
ThroughputReport estimate_throughput(const catalog::Model& model, const ParamCounts& params,
                                     const catalog::Precision& precision, const catalog::Gpu& gpu, const Layout& layout,
                                     const Workload& workload, std::uint64_t batch, std::uint64_t kv_fit_batch);

// Expected distinct experts `tokens` routed tokens touch when each picks `k` of `experts`
// uniformly at random: E x (1 - (1 - k/E)^tokens).
double expected_distinct_experts(std::uint64_t experts, std::uint64_t k, double tokens);

// vLLM's batch defaults for a GPU (EngineArgs.get_batch_defaults): the larger ones (1024
// sequences, 8192 tokens per step) on GPUs of at least 70 GiB that are not A100s, else 256 and
// 2048.
struct VllmBatchDefaults {
  std::uint64_t max_num_seqs = 0;
  std::uint64_t max_num_batched_tokens = 0;
};
VllmBatchDefaults vllm_batch_defaults(const catalog::Gpu& gpu);

// vLLM's default --max-num-seqs for a GPU (vllm_batch_defaults).
std::uint64_t engine_batch_limit(const catalog::Gpu& gpu);

} // namespace modelpick::engine

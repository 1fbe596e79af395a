// Throughput predictions against published measurements: docs/validation.md is the same table
// with the error of each row. A row fails when its error passes the tolerance the docs state
// for its kind.
#include <catch2/catch.hpp>
#include <cmath>

#include "catalog_fixture.hpp"
#include "modelpick/advisor/advisor.hpp"

using namespace modelpick;

namespace {

enum class Metric { itl_ms, ttft_ms, output_tokens_per_s };

struct Published {
  const char* id;
  const char* model;
  const char* precision;
  const char* gpu;
  std::uint64_t tp;
  std::uint64_t input;
  std::uint64_t output;
  std::uint64_t batch; // 0: the saturated serving rate of the request mix (max-throughput runs)
  std::uint64_t kv_bytes;
  double gpu_memory_utilization;
  Metric metric;
  double value;
  double tolerance; // relative, docs/validation.md
  const char* source;
};

// vLLM nightly latency tests: batch 8, 32 in / 128 out, default dtype (bf16); the step time is
// the end-to-end latency / 128 (the 256-token prefill, about 1%, folded in).
constexpr const char* k_vllm_h100 = "https://buildkite.com/vllm/performance-benchmark/builds/9555";
constexpr const char* k_vllm_h200 = "https://buildkite.com/vllm/performance-benchmark/builds/9513";
constexpr const char* k_vllm_a100 = "https://buildkite.com/vllm/performance-benchmark/builds/9523";
constexpr const char* k_nim = "https://docs.nvidia.com/nim/benchmarking/llm/1.0.0/performance (NIM 1.8.0)";
constexpr const char* k_trtllm = "https://github.com/NVIDIA/TensorRT-LLM docs/source/performance/perf-overview.md "
                                 "(v1.0, trtllm-bench, FP8 checkpoints with FP8 KV cache, 95% of memory)";
constexpr const char* k_sglang = "https://github.com/SemiAnalysisAI/InferenceX/issues/870 (SGLang v0.5.7)";

constexpr double k_dense = 0.20;
constexpr double k_moe = 0.35;

const Published k_rows[] = {
    {"V1", "llama-3.1-8b", "bf16", "h100", 1, 32, 128, 8, 2, 0.9, Metric::itl_ms, 997.542 / 128, k_dense, k_vllm_h100},
    {"V2", "llama-3.1-8b", "bf16", "h200", 1, 32, 128, 8, 2, 0.9, Metric::itl_ms, 834.059 / 128, k_dense, k_vllm_h200},
    {"V3", "llama-3.1-8b", "bf16", "a100-80gb", 1, 32, 128, 8, 2, 0.9, Metric::itl_ms, 1579.27 / 128, k_dense,
     k_vllm_a100},
    {"V4", "llama-3.1-70b", "bf16", "h100", 4, 32, 128, 8, 2, 0.9, Metric::itl_ms, 2444.47 / 128, k_dense, k_vllm_h100},
    {"V5", "llama-3.1-70b", "bf16", "h200", 4, 32, 128, 8, 2, 0.9, Metric::itl_ms, 2075.08 / 128, k_dense, k_vllm_h200},
    {"V6", "llama-3.1-70b", "bf16", "a100-80gb", 4, 32, 128, 8, 2, 0.9, Metric::itl_ms, 3990.59 / 128, k_dense,
     k_vllm_a100},
    {"V7", "llama-3.3-70b", "fp8", "h100", 2, 5000, 500, 1, 2, 0.9, Metric::itl_ms, 18.58, k_dense, k_nim},
    {"V8", "llama-3.3-70b", "fp8", "h100", 2, 500, 2000, 1, 2, 0.9, Metric::itl_ms, 18.91, k_dense, k_nim},
    {"V9", "llama-3.3-70b", "fp8", "h100", 2, 5000, 500, 1, 2, 0.9, Metric::ttft_ms, 406.77, k_dense, k_nim},
    {"V10", "llama-3.3-70b", "fp8", "h100", 2, 500, 2000, 1, 2, 0.9, Metric::ttft_ms, 47.77, k_dense, k_nim},
    {"V11", "llama-3.1-8b", "fp8", "h100", 1, 128, 128, 0, 1, 0.95, Metric::output_tokens_per_s, 28312, k_dense,
     k_trtllm},
    {"V12", "llama-3.1-8b", "fp8", "h100", 1, 2048, 128, 0, 1, 0.95, Metric::output_tokens_per_s, 3450, k_dense,
     k_trtllm},
    {"V13", "llama-3.1-8b", "fp8", "h100", 1, 1000, 1000, 0, 1, 0.95, Metric::output_tokens_per_s, 15220, k_dense,
     k_trtllm},
    {"V14", "llama-3.1-8b", "fp8", "h100", 1, 2048, 2048, 0, 1, 0.95, Metric::output_tokens_per_s, 9305, k_dense,
     k_trtllm},
    {"V15", "llama-3.3-70b", "fp8", "h100", 2, 128, 128, 0, 1, 0.95, Metric::output_tokens_per_s, 6378, k_dense,
     k_trtllm},
    {"V16", "llama-3.3-70b", "fp8", "h100", 2, 2048, 128, 0, 1, 0.95, Metric::output_tokens_per_s, 762, k_dense,
     k_trtllm},
    {"V17", "llama-3.3-70b", "fp8", "h100", 2, 2048, 2048, 0, 1, 0.95, Metric::output_tokens_per_s, 3082, k_dense,
     k_trtllm},
    {"V18", "deepseek-r1", "fp8", "h200", 8, 1024, 1024, 8, 2, 0.9, Metric::itl_ms, 12.8, k_moe, k_sglang},
    {"V19", "deepseek-r1", "fp8", "h200", 8, 1024, 1024, 16, 2, 0.9, Metric::itl_ms, 17.2, k_moe, k_sglang},
    {"V20", "deepseek-r1", "fp8", "h200", 8, 1024, 1024, 32, 2, 0.9, Metric::itl_ms, 25.6, k_moe, k_sglang},
    {"V21", "deepseek-r1", "fp8", "h200", 8, 1024, 1024, 64, 2, 0.9, Metric::itl_ms, 34.6, k_moe, k_sglang},
    // gpt-fast, batch 1, 5-token prompts, 8 x A100-80GB power-limited to 330 W
    {"V22", "mixtral-8x7b", "bf16", "a100-80gb", 2, 5, 200, 1, 2, 0.9, Metric::output_tokens_per_s, 78.75, k_moe,
     "https://github.com/pytorch-labs/gpt-fast/blob/main/mixtral-moe/README.md"},
};

// What `modelpick cost` computes for the row's deployment: the advisor's answer on exactly
// the row's GPUs.
double predict(const Published& p) {
  const auto& c = embedded_catalog();
  advisor::Question q;
  q.sizing.context_tokens = p.input + p.output;
  q.sizing.concurrency = 1;
  q.sizing.kv_bytes = p.kv_bytes;
  q.sizing.gpu_memory_utilization = p.gpu_memory_utilization;
  q.sizing.gpus = p.tp;
  q.shape = {p.input, p.output, p.kv_bytes};
  q.batch = p.batch == 0 ? 1 : p.batch;
  const auto a = advisor::answer(c, c.model(p.model), &c.precision(p.precision), c.gpu(p.gpu), q);
  REQUIRE(a.throughput);
  REQUIRE(a.throughput->layout.tensor_parallel == p.tp);
  const engine::ThroughputReport& r = *a.throughput;
  switch (p.metric) {
  case Metric::itl_ms:
    return r.at_batch.itl_seconds * 1e3;
  case Metric::ttft_ms:
    return r.ttft_seconds * 1e3;
  case Metric::output_tokens_per_s:
    return p.batch == 0 ? r.output_tokens_per_s : r.at_batch.tokens_per_s;
  }
  return 0;
}

} // namespace

TEST_CASE("throughput predictions stay within the stated error of published runs", "[engine][validation]") {
  for (const Published& p : k_rows) {
    const double predicted = predict(p);
    const double error = (predicted - p.value) / p.value;
    INFO(p.id << " " << p.model << " predicted " << predicted << " published " << p.value << " error " << error * 100
              << "% (" << p.source << ")");
    CHECK(std::abs(error) <= p.tolerance);
  }
}

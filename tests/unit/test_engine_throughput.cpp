#include <catch2/catch.hpp>

#include "catalog_fixture.hpp"
#include "modelpick/engine/constants.hpp"
#include "modelpick/engine/plan.hpp"
#include "modelpick/engine/throughput.hpp"

using namespace modelpick;

namespace {

engine::ThroughputReport estimate(const char* model, const char* precision, const char* gpu, engine::Layout layout,
                                  std::uint64_t in, std::uint64_t out, std::uint64_t batch,
                                  std::uint64_t kv_fit_batch = 1'000'000) {
  const auto& c = embedded_catalog();
  return engine::estimate_throughput(c.model(model), c.precision(precision), c.gpu(gpu), layout, {in, out, 2}, batch,
                                     kv_fit_batch);
}

} // namespace

TEST_CASE("bandwidth-bound decode of llama-3.1-8b bf16 on one h100 by hand", "[engine][throughput]") {
  // Weights read per step: the 32 blocks and the lm_head, not the embedding (a lookup).
  //   block: q,o 4096x4096 + k,v 4096x1024 + gate,up,down 3 x 4096x14336 + 2 norms x 4096
  //        = 33,554,432 + 8,388,608 + 176,160,768 + 8,192 = 218,112,000 parameters
  //   32 blocks = 6,979,584,000; lm_head 128,256 x 4096 = 525,336,576; x 2 bytes:
  constexpr double weights = 2.0 * (6'979'584'000.0 + 525'336'576.0); // 15,009,841,152 B
  // KV read: 1,000 prompt + 48/2 output tokens = 1,024 cached, 131,072 B each (32 x 2 x 8 x 128 x 2).
  constexpr double kv = 1024.0 * 131'072.0; // 134,217,728 B
  // At the constants of today (65% of 3.35 TB/s, 0.5 ms per step): 6.955 + 0.5 = 7.455 ms, 134 tokens/s.
  const double expected_itl =
      (weights + kv) / (3.35e12 * engine::k_memory_bandwidth_efficiency) + engine::k_step_overhead_seconds;

  const auto r = estimate("llama-3.1-8b", "bf16", "h100", {1, 1}, 1000, 48, 1);
  CHECK(r.at_batch.step.weight_bytes == Approx(weights));
  CHECK(r.at_batch.step.kv_bytes == Approx(kv));
  CHECK(r.at_batch.step.bound == engine::Bound::memory);
  CHECK(r.at_batch.step.communication_seconds == 0); // one GPU
  CHECK(r.at_batch.itl_seconds == Approx(expected_itl));
  CHECK(r.at_batch.tokens_per_s == Approx(1.0 / expected_itl));
  CHECK(r.at_batch.itl_seconds == Approx(7.455e-3).epsilon(0.001));
  // FLOPs at batch 1: 2 x (the blocks' 6,979,584,000 + lm_head 525,336,576) + attention
  // 4 x 32 heads x 128 x 1,024 tokens x 32 layers = 15,009,841,152 + 536,870,912.
  CHECK(r.at_batch.step.flops == Approx(15'009'841'152.0 + 536'870'912.0));
  CHECK(r.compute_dtype == "bf16");
}

TEST_CASE("decode turns compute-bound at the roofline knee", "[engine][throughput]") {
  // Short requests so the KV cache barely counts: the knee is where batch x 2 x params FLOPs
  // outlast reading the weights, about (989.5e12 x 0.45) / (3.35e12 x 0.65) x 2 bytes / 2 FLOPs
  // = 204 tokens per step for 16-bit weights.
  const auto r = estimate("llama-3.1-8b", "bf16", "h100", {1, 1}, 16, 16, 1);
  CHECK(r.saturation_reason == "decode turns compute-bound");
  CHECK(r.saturating_batch > 150);
  CHECK(r.saturating_batch < 260);
  CHECK(r.saturated.step.bound == engine::Bound::compute);
  const auto before = estimate("llama-3.1-8b", "bf16", "h100", {1, 1}, 16, 16, r.saturating_batch - 1);
  CHECK(before.at_batch.step.bound == engine::Bound::memory);
  // FP8 doubles the FLOPs and halves the bytes: the knee stays about where it was.
  const auto fp8 = estimate("llama-3.1-8b", "fp8", "h100", {1, 1}, 16, 16, 1);
  CHECK(fp8.compute_dtype == "fp8");
  CHECK(fp8.at_batch.tokens_per_s > 1.6 * r.at_batch.tokens_per_s);
}

TEST_CASE("the KV cache or the engine limit stops the batch", "[engine][throughput]") {
  const auto kv_full = estimate("llama-3.1-8b", "bf16", "h100", {1, 1}, 100'000, 1'000, 1, 7);
  CHECK(kv_full.max_batch == 7);
  CHECK(kv_full.saturating_batch == 7);
  CHECK(kv_full.saturation_reason == "the KV cache is full");
  // vLLM's default --max-num-seqs: 1024 on an 80 GB H100, 256 on an A100 and on a 24 GB card.
  const auto& c = embedded_catalog();
  CHECK(engine::engine_batch_limit(c.gpu("h100")) == 1024);
  CHECK(engine::engine_batch_limit(c.gpu("a100-80gb")) == 256);
  CHECK(engine::engine_batch_limit(c.gpu("rtx-4090")) == 256);
}

TEST_CASE("MoE steps read the experts a batch touches", "[engine][throughput]") {
  // Uniform top-k routing: E (1 - (1 - k/E)^n). Mixtral's 2 of 8: one token touches 2, two
  // tokens 8 x (1 - 0.75^2) = 3.5, many tokens nearly all 8. DeepSeek-V3's 8 of 256: one token 8.
  CHECK(engine::expected_distinct_experts(8, 2, 1) == Approx(2.0));
  CHECK(engine::expected_distinct_experts(8, 2, 2) == Approx(3.5));
  CHECK(engine::expected_distinct_experts(8, 2, 64) == Approx(8.0).epsilon(1e-6));
  CHECK(engine::expected_distinct_experts(256, 8, 1) == Approx(8.0));

  const auto one = estimate("mixtral-8x7b", "bf16", "h100", {2, 1}, 100, 100, 1);
  const auto many = estimate("mixtral-8x7b", "bf16", "h100", {2, 1}, 100, 100, 64);
  CHECK(one.at_batch.distinct_experts == Approx(2.0));
  CHECK(many.at_batch.distinct_experts == Approx(8.0).epsilon(1e-6));
  // Batch 1 reads about the active 12.9B parameters, batch 64 all 46.7B: the per-GPU weight
  // bytes grow by the 6 more experts' 32 layers x 3 x 4096 x 14336 x 2 bytes / TP 2.
  const double six_more = 6.0 * 32 * 3 * 4096.0 * 14336 * 2 / 2;
  CHECK(many.at_batch.step.weight_bytes - one.at_batch.step.weight_bytes == Approx(six_more));
}

TEST_CASE("tensor parallelism splits the reads and adds all-reduces", "[engine][throughput]") {
  const auto tp1 = estimate("llama-3.1-70b", "fp8", "h200", {1, 1}, 1000, 100, 1);
  const auto tp4 = estimate("llama-3.1-70b", "fp8", "h200", {4, 1}, 1000, 100, 1);
  CHECK(tp4.at_batch.step.weight_bytes == Approx(tp1.at_batch.step.weight_bytes / 4));
  // 80 layers x 2 all-reduces x (10 us + 2 x 3/4 x 16,384 B (8,192 16-bit values) / 450 GB/s)
  CHECK(tp4.at_batch.step.communication_seconds ==
        Approx(160 * (engine::k_allreduce_latency_seconds + 1.5 * 16384.0 / 450e9)));
  CHECK(tp4.at_batch.itl_seconds < tp1.at_batch.itl_seconds);
  CHECK(tp4.at_batch.itl_seconds > tp1.at_batch.itl_seconds / 4);
}

TEST_CASE("pipeline stages hold micro-batches in flight", "[engine][throughput]") {
  // Same GPUs per stage: PP 2 halves each stage's bytes, and a token passes both stages, so
  // one sequence's inter-token latency is about that of PP 1 while each stage works on half
  // the batch.
  const auto pp1 = estimate("llama-3.1-70b", "bf16", "h100", {8, 1}, 1000, 100, 16);
  const auto pp2 = estimate("llama-3.1-70b", "bf16", "h100", {8, 2}, 1000, 100, 16);
  CHECK(pp2.at_batch.itl_seconds == Approx(pp1.at_batch.itl_seconds).epsilon(0.15));
  CHECK(pp2.at_batch.tokens_per_s == Approx(16 / pp2.at_batch.itl_seconds));
}

TEST_CASE("prefill is compute-bound and quadratic in attention", "[engine][throughput]") {
  // 2,048 prompt tokens through llama-3.1-8b bf16 on one h100: 2 x 6,979,584,000 x 2,048 linear
  // FLOPs + the logits of the last token (2 x 525,336,576) + causal attention 4 x 32 x 128 x
  // 1,024.5 average keys x 2,048 x 32 layers; at 45% of 989.5 TFLOPS.
  const double flops = 2.0 * 6'979'584'000.0 * 2048 + 2.0 * 525'336'576.0 + 4.0 * 32 * 128 * 1024.5 * 2048 * 32;
  const auto r = estimate("llama-3.1-8b", "bf16", "h100", {1, 1}, 2048, 16, 1);
  CHECK(r.ttft_seconds == Approx(flops / (989.5e12 * engine::k_compute_efficiency) + engine::k_step_overhead_seconds));
  CHECK(r.ttft_seconds == Approx(0.0669).epsilon(0.01)); // 66.9 ms at today's constants
}

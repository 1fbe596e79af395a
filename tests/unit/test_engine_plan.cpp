#include <catch2/catch.hpp>

#include "catalog_fixture.hpp"
#include "modelpick/engine/constants.hpp"
#include "modelpick/engine/plan.hpp"
#include "modelpick/error.hpp"
#include "render/size_render.hpp"

using namespace modelpick;

namespace {

// The bare memory model (--engine none): weights + KV cache + a flat reserve, whose figures
// these tests work out by hand; the engine accounting has its own tests below.
engine::SizingRequest request(std::uint64_t context = 8192, std::uint64_t concurrency = 1) {
  engine::SizingRequest r;
  r.context_tokens = context;
  r.concurrency = concurrency;
  r.engine.reset();
  return r;
}

engine::SizingReport size(const char* model, const char* precision, const char* gpu,
                          const engine::SizingRequest& r = request()) {
  const auto& c = embedded_catalog();
  return engine::plan_size(c.model(model), c.precision(precision), c.gpu(gpu), r);
}

} // namespace

TEST_CASE("deepseek-v3 fp8 on h200 needs 8 GPUs", "[engine][plan]") {
  const auto r = size("deepseek-v3", "fp8", "h200");
  REQUIRE(r.fits);
  CHECK(r.fit->layout.gpus() == 8);
  CHECK(r.fit->layout.tensor_parallel == 8);
  CHECK(r.fit->layout.pipeline_parallel == 1);
  // weights: the main model 673,150,545,584 + its MTP layer (README_WEIGHTS: 671B main + 14B MTP):
  //   one MoE block at fp8: linear (q 1536 x (7168 + 128 x 192) + kv_a 7168 x 576 + kv_b 512 x
  //   128 x 256 + o 128 x 128 x 7168 + 257 experts x 3 x 7168 x 2048) x 8 bits + one fp32 scale
  //   per 16,384 -> 11,500,000,000-odd; with its 16-bit norms and router: 11,511,946,352
  //   + (eh_proj 2 x 7168^2 + 3 norms x 7168 + own embedding and head 2 x 129,280 x 7168) x 2 B
  //   = 3,912,280,064                                            -> 688,574,772,000
  // per GPU: weights ceil(688,574,772,000 / 8) = 86,071,846,500
  //        + MLA latent cache, replicated on every rank: 61 x 576 x 2 x 8,192 = 575,668,224
  //        + reserve 3 GiB = 3,221,225,472                      -> 89,868,740,196
  CHECK(r.weights_bytes == 688'574'772'000ULL);
  CHECK(r.fit->share.weights_bytes == 86'071'846'500ULL);
  CHECK(r.fit->share.kv_cache_bytes == 575'668'224ULL);
  CHECK(r.fit->share.total_bytes == 89'868'740'196ULL);
  // 4 GPUs would need > 168 GB each of weights alone, more than any H200 holds.
  CHECK(r.weights_bytes / 4 > embedded_catalog().gpu("h200").memory_bytes);
  // total = weights + KV cache + 8 reserves
  CHECK(r.total_bytes == r.weights_bytes + r.kv_cache_bytes + 8 * engine::k_runtime_reserve_bytes_per_gpu);
}

TEST_CASE("deepseek-v3 fp8 on h100 needs two nodes", "[engine][plan]") {
  const auto r = size("deepseek-v3", "fp8", "h100");
  REQUIRE(r.fits);
  CHECK(r.fit->layout.gpus() == 16);
  CHECK(r.fit->layout.tensor_parallel == 8);
  CHECK(r.fit->layout.pipeline_parallel == 2);
}

TEST_CASE("deepseek-v3 bf16 does not fit 16 H100s and needs 24", "[engine][plan]") {
  // 1.342 TB of weights / 16 = 83.9 GB per GPU before any KV: more than an H100's 80 GB.
  const auto r = size("deepseek-v3", "bf16", "h100");
  CHECK(r.weights_bytes / 16 > 80'000'000'000ULL);
  REQUIRE(r.fits);
  CHECK(r.fit->layout.tensor_parallel == 8);
  CHECK(r.fit->layout.pipeline_parallel == 3);

  auto at16 = request();
  at16.gpus = 16;
  const auto forced = size("deepseek-v3", "bf16", "h100", at16);
  CHECK_FALSE(forced.fits);
  REQUIRE(forced.closest);
  CHECK(forced.closest->layout.gpus() == 16);
  CHECK(render::not_fit_reason(forced).find("does not fit: with 16 x h100 (TP 8 x PP 2)") == 0);
}

TEST_CASE("llama-3.1-70b bf16 on h100: max concurrency by hand", "[engine][plan]") {
  const auto& h100 = embedded_catalog().gpu("h100");
  const auto r = size("llama-3.1-70b", "bf16", "h100");
  REQUIRE(r.fits);
  // weights 141,107,412,992 B; one H100 cannot hold them, two can (TP 2)
  CHECK(r.weights_bytes == 141'107'412'992ULL);
  CHECK(r.fit->layout.gpus() == 2);
  // per GPU: 70,553,706,496 weights; KV per sequence at 8,192 tokens, 4 of 8 KV heads per rank:
  // 80 x 2 x 4 x 128 x 2 x 8,192 = 1,342,177,280
  CHECK(r.fit->share.weights_bytes == 70'553'706'496ULL);
  CHECK(r.fit->share.kv_bytes_per_sequence == 1'342'177'280ULL);
  const auto usable = static_cast<std::uint64_t>(static_cast<long double>(h100.memory_bytes) * 0.9L);
  const std::uint64_t expected =
      (usable - 70'553'706'496ULL - engine::k_runtime_reserve_bytes_per_gpu) / 1'342'177'280ULL;
  CHECK(r.fit->share.max_concurrency == expected);
}

TEST_CASE("KV heads are replicated when TP exceeds them", "[engine][plan]") {
  // qwen3-235b-a22b has 4 KV heads: at TP 8 each rank still holds one whole head.
  const auto& c = embedded_catalog();
  const auto e = engine::evaluate_layout(c.model("qwen3-235b-a22b"), c.precision("fp8"), c.gpu("h200"), request(1024),
                                         engine::Layout{8, 1});
  // 94 layers x 2 x 1 head x 128 x 2 bytes x 1,024 tokens = 49,283,072
  CHECK(e.share.kv_bytes_per_sequence == 49'283'072ULL);
}

TEST_CASE("the default memory model is vLLM's start-up accounting, worked by hand", "[engine][plan]") {
  const auto& c = embedded_catalog();
  const auto& h100 = c.gpu("h100");
  engine::SizingRequest vllm; // the default: vLLM's accounting
  vllm.context_tokens = 8192;
  vllm.concurrency = 1;
  // budget floor(85,045,477,376 x 0.90) = 76,540,929,638 per GPU.
  // TP 2: weights 70,553,706,496; non-torch 256 MiB + 1 NVLink peer x 360 MiB = 645,922,816;
  //   forward peak 2 B x (4 x 8,192 + 3 x 28,672 / 2) x 8,192 tokens = 1,241,513,984.
  //   The fused sampler (the default): 2 x 1,024 seqs x 128,256 x 4 B = 1,050,673,152, under the
  //   forward pass; left 76,540,929,638 - 70,553,706,496 - 645,922,816 - 1,241,513,984 =
  //   4,099,786,342, that is 1,563 blocks of 80 layers x 16 tokens x 2 x 4 heads x 128 x 2 B =
  //   2,621,440 B: 25,008 tokens, 1,563 / 512 blocks = 3 requests of 8,192 tokens.
  const auto fused = engine::evaluate_layout(c.model("llama-3.1-70b"), c.precision("bf16"), h100, vllm, {2, 1});
  CHECK(fused.share.usable_bytes == 76'540'929'638ULL);
  CHECK(fused.share.weights_bytes == 70'553'706'496ULL);
  CHECK(fused.share.non_torch_bytes == 645'922'816ULL);
  CHECK(fused.share.activation_bytes == 1'241'513'984ULL);
  CHECK(fused.share.kv_cache_tokens == 25'008);
  CHECK(fused.share.max_concurrency == 3);
  CHECK(fused.share.fits);
  const auto r2 = engine::plan_size(c.model("llama-3.1-70b"), c.precision("bf16"), h100, vllm);
  REQUIRE(r2.fits);
  CHECK(r2.memory_model == engine::ServingEngine::vllm);
  CHECK(r2.fit->layout.gpus() == 2);
  //   PyTorch's sort sampler: 9.5 x 1,024 x 128,256 x 4 B = 4,990,697,472 is the peak; left
  //   350,602,854 = 133 blocks: 2,128 tokens, short of one 8,192-token request.
  vllm.engine->sampler = engine::VllmSampler::sort;
  const auto two = engine::evaluate_layout(c.model("llama-3.1-70b"), c.precision("bf16"), h100, vllm, {2, 1});
  CHECK(two.share.activation_bytes == 4'990'697'472ULL);
  CHECK(two.share.kv_cache_tokens == 2'128);
  CHECK_FALSE(two.share.fits);
  const auto r = engine::plan_size(c.model("llama-3.1-70b"), c.precision("bf16"), h100, vllm);
  REQUIRE(r.fits);
  // TP 4: weights 35,276,853,248; non-torch 256 + 3 x 360 MiB = 1,400,897,536; the same sampler
  //   peak; left 34,872,481,382 = 26,605 blocks of 1,310,720 B (2 heads per rank): 425,680
  //   tokens, 26,605 / 512 blocks per request = 51 requests of 8,192 tokens.
  CHECK(r.fit->layout.gpus() == 4);
  CHECK(r.fit->share.weights_bytes == 35'276'853'248ULL);
  CHECK(r.fit->share.non_torch_bytes == 1'400'897'536ULL);
  CHECK(r.fit->share.kv_cache_tokens == 425'680);
  CHECK(r.fit->share.max_concurrency == 51);
  CHECK(r.fit->share.kv_bytes_per_sequence == 512ULL * 1'310'720ULL);
  // the same layout through the engine prediction (size --engine vllm) agrees to the token
  engine::ServingRequest serve;
  serve.tensor_parallel = 4;
  serve.max_model_len = 8192;
  serve.sampler = engine::VllmSampler::sort;
  const auto p = engine::predict_serving(c.model("llama-3.1-70b"), c.precision("bf16"), h100, serve);
  CHECK(p.kv_cache_tokens == r.fit->share.kv_cache_tokens);
  CHECK(static_cast<std::uint64_t>(p.max_concurrency) == r.fit->share.max_concurrency);
}

TEST_CASE("API-only models and over-long contexts are usage errors", "[engine][plan]") {
  CHECK_THROWS_AS(size("gpt-5", "bf16", "h100"), Error);
  CHECK_THROWS_AS(size("gemma-2-27b", "bf16", "h100", request(16384)), Error); // max 8,192
}

TEST_CASE("a model too large for any layout is a value and not an error", "[engine][plan]") {
  auto r = request();
  r.gpu_memory_utilization = 0.01; // 1% of each GPU: nothing fits, however many
  const auto report = size("llama-3.1-405b", "bf16", "rtx-3090", r);
  CHECK_FALSE(report.fits);
  CHECK_FALSE(render::not_fit_reason(report).empty());
}

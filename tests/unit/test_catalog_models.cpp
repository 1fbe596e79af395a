// Hand-checked catalog entries across the categories: each expectation is computed below from
// the model's config.json values, independently of the engine's code.
#include <catch2/catch.hpp>

#include "catalog_fixture.hpp"
#include "modelpick/engine/kv_cache.hpp"
#include "modelpick/engine/memory.hpp"

using namespace modelpick;

namespace {

std::uint64_t bf16_weights(const char* id) {
  return engine::place_weights(engine::count_params(arch_of(id)), embedded_catalog().precision("bf16")).total;
}

} // namespace

TEST_CASE("moe: mixtral-8x7b", "[catalog][models]") {
  // per layer: attention 4096x4096 x 2 + 2 x 4096x1024 = 41,943,040; experts 8 x 3 x 4096 x 14,336
  // = 1,409,286,144; router 8 x 4096 = 32,768; norms 8,192 -> 1,451,270,144 x 32 = 46,440,644,608
  // + untied embeddings 2 x 32,000 x 4,096 = 262,144,000 + final norm 4,096 = 46,702,792,704
  CHECK(bf16_weights("mixtral-8x7b") == 2 * 46'702'792'704ULL);
  CHECK(engine::kv_bytes_per_token(arch_of("mixtral-8x7b"), 2) == 32 * 2 * 8 * 128 * 2); // 131,072
}

TEST_CASE("small: smollm2-135m and qwen2.5-0.5b", "[catalog][models]") {
  // smollm2-135m: per layer 576x576 x 2 + 2 x 576x192 = 884,736; MLP 3 x 576 x 1,536 = 2,654,208;
  // norms 1,152 -> 3,540,096 x 30 = 106,202,880 + tied embedding 49,152 x 576 = 28,311,552 + 576
  // = 134,515,008
  CHECK(bf16_weights("smollm2-135m") == 2 * 134'515'008ULL);
  CHECK(engine::kv_bytes_per_token(arch_of("smollm2-135m"), 2) == 30 * 2 * 3 * 64 * 2); // 23,040
  // qwen2.5-0.5b: per layer 896x896 x 2 + 2 x 896x128 = 1,835,008; q/k/v biases 896 + 256 = 1,152;
  // MLP 3 x 896 x 4,864 = 13,074,432; norms 1,792 -> 14,912,384 x 24 = 357,897,216 + tied embedding
  // 151,936 x 896 = 136,134,656 + 896 = 494,032,768
  CHECK(bf16_weights("qwen2.5-0.5b") == 2 * 494'032'768ULL);
  CHECK(engine::kv_bytes_per_token(arch_of("qwen2.5-0.5b"), 2) == 24 * 2 * 2 * 64 * 2); // 12,288
}

TEST_CASE("dense, GELU MLP: falcon-180b", "[catalog][models]") {
  // per layer: q 14,848 x 14,848 = 220,463,104, o the same, k,v 2 x 14,848 x 512 = 15,204,352;
  // MLP up + down 2 x 14,848 x 59,392 = 1,763,704,832; norms 29,696 -> 2,219,865,088 x 80
  // = 177,589,207,040 + tied embedding 65,024 x 14,848 = 965,476,352 + 14,848 = 178,554,698,240
  CHECK(bf16_weights("falcon-180b") == 2 * 178'554'698'240ULL);
  CHECK(engine::kv_bytes_per_token(arch_of("falcon-180b"), 2) == 80 * 2 * 8 * 64 * 2); // 163,840
}

TEST_CASE("dense, full MHA: phi-3.5-mini", "[catalog][models]") {
  // 32 layers x 2 x 32 KV heads x 96 x 2 bytes = 393,216 (384 KiB) per token: no GQA
  CHECK(engine::kv_bytes_per_token(arch_of("phi-3.5-mini"), 2) == 393'216);
}

TEST_CASE("long context, 5:1 sliding window: gemma-3-27b", "[catalog][models]") {
  const auto& a = arch_of("gemma-3-27b");
  // 62 layers x 2 x 16 KV heads x 128 x 2 bytes = 507,904 per token
  CHECK(engine::kv_bytes_per_token(a, 2) == 507'904);
  // at 32,768 tokens: layers 5, 11, ..., 59 (10) are global, 52 keep 1,024 tokens; 8,192 B each
  // 10 x 32,768 x 8,192 + 52 x 1,024 x 8,192 = 3,120,562,176
  CHECK(engine::kv_cache_bytes(a, 2, 32768, 1) == 3'120'562'176ULL);
}

TEST_CASE("hybrid Mamba + attention: jamba-1.5-mini", "[catalog][models]") {
  const auto& a = arch_of("jamba-1.5-mini");
  // attention only at index 4 of every 8 layers: 4 layers x 2 x 8 x 128 x 2 = 16,384 per token
  CHECK(engine::kv_bytes_per_token(a, 2) == 16'384);
  // 28 Mamba layers x (8,192 x 3 conv + 8,192 x 16 SSM) x 2 bytes = 8,716,288 per sequence
  CHECK(engine::state_bytes_per_sequence(a) == 8'716'288);
  // weights: 4 attention layers (41,943,040 + dense MLP 176,160,768 + norms 8,192) = 872,448,000;
  // Mamba layer: in_proj 4096 x 16,384 = 67,108,864, x_proj 8,192 x 288 = 2,359,296, dt_proj
  // 256 x 8,192 = 2,097,152, out_proj 8,192 x 4,096 = 33,554,432 -> 105,119,744 + 196,896
  // (conv 40,960, dt bias 8,192, A 131,072, D 8,192, dt/B/C norms 288, block norms 8,192);
  // 12 even Mamba layers with the dense MLP: 12 x 281,477,408 = 3,377,728,896;
  // 16 odd Mamba layers with 16 experts (2,818,572,288) + router 65,536: 46,783,271,424;
  // untied embeddings 2 x 65,536 x 4,096 + final norm 4,096 = 536,875,008 -> 51,570,323,328
  CHECK(bf16_weights("jamba-1.5-mini") == 2 * 51'570'323'328ULL);
}

TEST_CASE("hybrid linear attention: minimax-text-01", "[catalog][models]") {
  const auto& a = arch_of("minimax-text-01");
  // softmax attention on 10 of 80 layers: 10 x 2 x 8 x 128 x 2 = 40,960 per token
  CHECK(engine::kv_bytes_per_token(a, 2) == 40'960);
  // 70 lightning layers x 64 heads x 128 x 128 x 2 bytes = 146,800,640 per sequence
  CHECK(engine::state_bytes_per_sequence(a) == 146'800'640);
}

TEST_CASE("MXFP4 experts: gpt-oss-120b is the published 60.8 GiB", "[catalog][models]") {
  const auto& c = embedded_catalog();
  const auto w = engine::place_weights(engine::count_params(arch_of("gpt-oss-120b")), c.precision("mxfp4")).total;
  // per layer: experts 128 x 3 x 2,880 x 2,880 = 3,185,049,600 at 4 bits + one byte per 32
  // = 1,592,524,800 + 99,532,800 = 1,692,057,600 B; 16-bit: attention 2,880 x 4,096 x 2 +
  // 2 x 2,880 x 512 = 26,542,080, q/k/v biases 5,120, norms 5,760, router 368,640, expert biases
  // 128 x 8,640 = 1,105,920 -> 28,027,520 x 2 = 56,055,040 B; x 36 layers = 62,932,055,040;
  // + embeddings and lm_head 2 x 201,088 x 2,880 + final norm, 16-bit: 2,316,539,520
  // = 65,248,594,560 B = 60.77 GiB
  CHECK(w == 65'248'594'560ULL);
}

TEST_CASE("MLA with a sparse-attention indexer: deepseek-v3.2", "[catalog][models]") {
  // 61 layers x (576 latent values x 2 bytes + 128-byte FP8 indexer key + 4-byte scale) = 78,324
  CHECK(engine::kv_bytes_per_token(arch_of("deepseek-v3.2"), 2) == 78'324);
}

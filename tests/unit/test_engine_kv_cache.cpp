#include <catch2/catch.hpp>

#include "catalog_fixture.hpp"
#include "modelpick/engine/kv_cache.hpp"

using namespace modelpick;

TEST_CASE("full attention with GQA: llama-3.1-70b", "[engine][kv_cache]") {
  const auto& a = arch_of("llama-3.1-70b");
  // 80 layers x 8 KV heads x 128 dims x 2 (K and V) x 2 bytes = 327,680 bytes per token
  CHECK(engine::kv_bytes_per_token(a, 2) == 327'680);
  CHECK(engine::kv_bytes_per_token(a, 1) == 163'840); // fp8 KV
  // 8,192 tokens x 16 sequences x 327,680 = 42,949,672,960 bytes (40 GiB exactly)
  CHECK(engine::kv_cache_bytes(a, 2, 8192, 16) == 42'949'672'960ULL);
}

TEST_CASE("MLA caches one latent per layer: deepseek-v3", "[engine][kv_cache]") {
  const auto& a = arch_of("deepseek-v3");
  // 61 layers x (kv_lora_rank 512 + rope 64) x 2 bytes = 70,272 bytes per token, whatever the
  // 128 heads: naive MHA would be 61 x 128 x (192 + 128) x 2 = 4,997,120.
  CHECK(engine::kv_bytes_per_token(a, 2) == 70'272);
  // 128k context: 70,272 x 131,072 = 9,210,691,584
  CHECK(engine::kv_cache_bytes(a, 2, 131072, 1) == 9'210'691'584ULL);
}

TEST_CASE("sliding-window layers are capped at their window: gemma-2-27b", "[engine][kv_cache]") {
  const auto& a = arch_of("gemma-2-27b");
  // per layer and token: 2 x 16 KV heads x 128 x 2 bytes = 8,192; 46 layers -> 376,832
  CHECK(engine::kv_bytes_per_token(a, 2) == 376'832);
  // even layers (23) slide over 4,096 tokens, odd layers (23) are global.
  // 2,048 tokens: nothing capped -> 2,048 x 376,832 = 771,751,936
  CHECK(engine::kv_cache_bytes(a, 2, 2048, 1) == 771'751'936ULL);
  // 8,192 tokens: 23 x 8,192 x 8,192 + 23 x 4,096 x 8,192 = 2,315,255,808
  CHECK(engine::kv_cache_bytes(a, 2, 8192, 1) == 2'315'255'808ULL);
  CHECK(engine::layer_cached_tokens(a, 0, 8192) == 4096);
  CHECK(engine::layer_cached_tokens(a, 1, 8192) == 8192);
}

TEST_CASE("chunked attention: llama-4-scout caches a full 10M only on its global layers", "[engine][kv_cache]") {
  const auto& a = arch_of("llama-4-scout");
  // 48 layers; every 4th layer (3, 7, ...) is global NoPE attention, the others attend within
  // 8,192-token chunks. Per layer and token: 2 x 8 KV heads x 128 x 2 bytes = 4,096.
  CHECK(engine::kv_bytes_per_token(a, 2) == 48 * 4096);
  // 1M context (1,048,576): 12 global x 1,048,576 x 4,096 + 36 chunked x 8,192 x 4,096
  //   = 51,539,607,552 + 1,207,959,552 = 52,747,567,104
  CHECK(engine::kv_cache_bytes(a, 2, 1048576, 1) == 52'747'567'104ULL);
}

TEST_CASE("a layer without attention caches nothing", "[engine][kv_cache]") {
  catalog::Architecture a = arch_of("llama-3.1-8b");
  a.attention_pattern = {{catalog::AttentionKind::none, 0}, {catalog::AttentionKind::full, 0}};
  // 32 layers, 16 with attention: 16 x 2 x 8 x 128 x 2 = 65,536
  CHECK(engine::kv_bytes_per_token(a, 2) == 65'536);
  CHECK(engine::layer_cached_tokens(a, 0, 1000) == 0);
}

TEST_CASE("recurrent layers keep a fixed state instead of a KV cache", "[engine][kv_cache]") {
  catalog::Architecture a = arch_of("llama-3.1-8b");
  a.attention_pattern = {{catalog::AttentionKind::mamba, 0},
                         {catalog::AttentionKind::mamba, 0},
                         {catalog::AttentionKind::linear, 0},
                         {catalog::AttentionKind::full, 0}};
  a.mamba = catalog::Mamba{16, 4, 8192, 256};
  // 32 layers: 16 mamba, 8 linear, 8 full.
  // full: 8 layers x 2 x 8 x 128 x 2 = 32,768 bytes per token
  CHECK(engine::kv_bytes_per_token(a, 2) == 32'768);
  // mamba state: 8,192 x (4 - 1) + 8,192 x 16 = 155,648 values x 2 B = 311,296 per layer
  CHECK(engine::layer_state_bytes(a, 0) == 311'296);
  // linear: 32 heads x 128 x 128 x 2 B = 1,048,576 per layer
  CHECK(engine::layer_state_bytes(a, 2) == 1'048'576);
  CHECK(engine::state_bytes_per_sequence(a) == 16 * 311'296 + 8 * 1'048'576);
  // 1,000 tokens x 2 sequences: 2 x (1,000 x 32,768 + 13,369,344) = 92,274,688
  CHECK(engine::kv_cache_bytes(a, 2, 1000, 2) == 92'274'688);
}

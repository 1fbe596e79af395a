#include "modelpick/engine/kv_cache.hpp"

#include <algorithm>

#include "modelpick/engine/constants.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::engine {

using catalog::AttentionKind;

std::uint64_t layer_kv_bytes_per_token(const catalog::Architecture& arch, std::uint64_t layer, std::uint64_t kv_heads,
                                       std::uint64_t kv_bytes) {
  switch (arch.attention(layer).kind) {
  case AttentionKind::none:
  case AttentionKind::linear:
  case AttentionKind::mamba:
  case AttentionKind::cross:
    return 0;
  case AttentionKind::mla:
    // One compressed latent (kv_lora_rank) plus the decoupled RoPE key, shared by all heads; a
    // DSA indexer adds one FP8 key of index_head_dim and its fp32 scale (DeepSeek-V3.2).
    return (arch.mla->kv_lora_rank + arch.mla->qk_rope_head_dim) * kv_bytes +
           (arch.mla->index_head_dim > 0 ? arch.mla->index_head_dim + 4 : 0);
  case AttentionKind::full:
  case AttentionKind::sliding:
  case AttentionKind::chunked:
    return 2 * kv_heads * arch.head_dim * kv_bytes; // K and V
  }
  return 0;
}

std::uint64_t layer_cached_tokens(const catalog::Architecture& arch, std::uint64_t layer, std::uint64_t context) {
  const catalog::AttentionLayer& a = arch.attention(layer);
  switch (a.kind) {
  case AttentionKind::none:
  case AttentionKind::linear:
  case AttentionKind::mamba:
  case AttentionKind::cross:
    return 0;
  case AttentionKind::sliding:
  case AttentionKind::chunked:
    return std::min(context, a.window);
  case AttentionKind::full:
  case AttentionKind::mla:
    return context;
  }
  return context;
}

std::uint64_t layer_state_bytes(const catalog::Architecture& arch, std::uint64_t layer) {
  switch (arch.attention(layer).kind) {
  case AttentionKind::mamba: {
    // conv state d_inner x (d_conv - 1) + SSM state d_inner x d_state
    const catalog::Mamba& m = *arch.mamba;
    return (m.d_inner * (m.d_conv - 1) + m.d_inner * m.d_state) * k_bytes_16bit;
  }
  case AttentionKind::linear:
    // one head_dim x head_dim matrix per head
    return arch.attention_heads * arch.head_dim * arch.head_dim * k_bytes_16bit;
  default:
    return 0;
  }
}

std::uint64_t state_bytes_per_sequence(const catalog::Architecture& arch) {
  return sum_over_layers(arch, 0, arch.layers, "state bytes",
                         [&](std::uint64_t i) { return layer_state_bytes(arch, i); });
}

std::uint64_t kv_bytes_per_token(const catalog::Architecture& arch, std::uint64_t kv_bytes) {
  return sum_over_layers(arch, 0, arch.layers, "KV bytes",
                         [&](std::uint64_t i) { return layer_kv_bytes_per_token(arch, i, arch.kv_heads, kv_bytes); });
}

std::uint64_t kv_cache_bytes(const catalog::Architecture& arch, std::uint64_t kv_bytes, std::uint64_t context,
                             std::uint64_t concurrency) {
  std::uint64_t per_sequence = sum_over_layers(arch, 0, arch.layers, "KV cache bytes", [&](std::uint64_t i) {
    return util::checked_mul(layer_kv_bytes_per_token(arch, i, arch.kv_heads, kv_bytes),
                             layer_cached_tokens(arch, i, context), "KV cache bytes");
  });
  per_sequence = util::checked_add(per_sequence, state_bytes_per_sequence(arch), "KV cache bytes");
  return util::checked_mul(per_sequence, concurrency, "KV cache bytes");
}

} // namespace modelpick::engine

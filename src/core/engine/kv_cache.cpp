#include "modelpick/engine/kv_cache.hpp"

#include <algorithm>

#include "modelpick/engine/constants.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::engine {

using catalog::AttentionKind;

std::uint64_t layer_kv_bytes_per_token(const catalog::Architecture& arch, std::uint64_t layer, std::uint64_t tp,
                                       std::uint64_t kv_bytes) {
  const catalog::AttentionLayer& l = arch.attention(layer);
  if (l.shares_kv) {
    return 0; // reads the cache an earlier layer wrote (Gemma-3n's KV sharing)
  }
  switch (l.kind) {
  case AttentionKind::none:
  case AttentionKind::linear:
  case AttentionKind::mamba:
  case AttentionKind::cross:
    return 0;
  case AttentionKind::mla:
    // One compressed latent (kv_lora_rank) plus the decoupled RoPE key, shared by all heads
    // (every TP rank holds all of it); a DSA indexer adds one FP8 key of index_head_dim and its
    // fp32 scale (DeepSeek-V3.2, GLM-5).
    return (arch.mla->kv_lora_rank + arch.mla->qk_rope_head_dim) * kv_bytes +
           (arch.mla->index_head_dim > 0 ? arch.mla->index_head_dim + 4 : 0);
  case AttentionKind::full:
  case AttentionKind::sliding:
  case AttentionKind::chunked: {
    // K and V of the KV heads one rank holds: an even share, or one head replicated when the
    // ranks outnumber the heads
    const std::uint64_t heads = std::max<std::uint64_t>(1, arch.kv_heads_of(l) / std::max<std::uint64_t>(1, tp));
    return 2 * heads * arch.head_dim_of(l) * kv_bytes;
  }
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

std::uint64_t layer_state_bytes(const catalog::Architecture& arch, std::uint64_t layer, std::uint64_t tp) {
  const auto mul = [](std::uint64_t x, std::uint64_t y) { return util::checked_mul(x, y, "state bytes"); };
  const auto add = [](std::uint64_t x, std::uint64_t y) { return util::checked_add(x, y, "state bytes"); };
  const std::uint64_t conv_b = arch.conv_state_bytes;
  const std::uint64_t rec_b = arch.recurrent_state_bytes;
  switch (arch.attention(layer).kind) {
  case AttentionKind::mamba: {
    const catalog::Mamba& m = *arch.mamba;
    const std::uint64_t past = m.d_conv > 0 ? m.d_conv - 1 : 0;
    if (m.heads == 0) {
      // Mamba-1: conv state d_inner x (d_conv - 1) + SSM state d_inner x d_state
      const std::uint64_t inner = m.d_inner / tp;
      return add(mul(mul(inner, past), conv_b), mul(mul(inner, m.d_state), rec_b));
    }
    // Mamba-2: the convolution runs over x, B and C (d_inner + 2 groups x d_state channels);
    // the SSM state is heads x head_dim x d_state
    const std::uint64_t groups = m.groups % tp == 0 ? m.groups : tp;
    const std::uint64_t conv_dim = add(m.d_inner, mul(2 * groups, m.d_state)) / tp;
    return add(mul(mul(conv_dim, past), conv_b), mul(mul(mul(m.heads / tp, m.head_dim), m.d_state), rec_b));
  }
  case AttentionKind::linear: {
    if (!arch.linear || arch.linear->kind == catalog::LinearKind::lightning) {
      // lightning: one head_dim x head_dim matrix per head
      const std::uint64_t heads = arch.linear ? arch.linear->value_heads : arch.attention_heads;
      const std::uint64_t dim = arch.linear ? arch.linear->value_head_dim : arch.head_dim;
      return mul(mul(mul(heads / tp, dim), dim), rec_b);
    }
    // Gated DeltaNet / KDA: a causal conv over q, k and v (2 x key dims + value dims channels,
    // kernel - 1 past positions) and one key_head_dim x value_head_dim matrix per value head
    const catalog::LinearAttention& g = *arch.linear;
    const std::uint64_t conv_dim = add(mul(2 * g.key_heads, g.key_head_dim), mul(g.value_heads, g.value_head_dim)) / tp;
    const std::uint64_t past = g.conv_kernel > 0 ? g.conv_kernel - 1 : 0;
    return add(mul(mul(conv_dim, past), conv_b),
               mul(mul(mul(g.value_heads / tp, g.key_head_dim), g.value_head_dim), rec_b));
  }
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
                         [&](std::uint64_t i) { return layer_kv_bytes_per_token(arch, i, 1, kv_bytes); });
}

std::uint64_t kv_cache_bytes(const catalog::Architecture& arch, std::uint64_t kv_bytes, std::uint64_t context,
                             std::uint64_t concurrency) {
  std::uint64_t per_sequence = sum_over_layers(arch, 0, arch.layers, "KV cache bytes", [&](std::uint64_t i) {
    return util::checked_mul(layer_kv_bytes_per_token(arch, i, 1, kv_bytes), layer_cached_tokens(arch, i, context),
                             "KV cache bytes");
  });
  per_sequence = util::checked_add(per_sequence, state_bytes_per_sequence(arch), "KV cache bytes");
  return util::checked_mul(per_sequence, concurrency, "KV cache bytes");
}

} // namespace modelpick::engine

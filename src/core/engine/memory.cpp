#include "modelpick/engine/memory.hpp"

#include "modelpick/engine/constants.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::engine {

using util::checked_add;
using util::checked_mul;

namespace {

// Multiplies a chain of factors with overflow checks.
std::uint64_t product(std::initializer_list<std::uint64_t> factors) {
  std::uint64_t out = 1;
  for (const std::uint64_t f : factors) {
    out = checked_mul(out, f, "parameter count");
  }
  return out;
}

std::uint64_t sum(std::initializer_list<std::uint64_t> terms) {
  std::uint64_t out = 0;
  for (const std::uint64_t t : terms) {
    out = checked_add(out, t, "parameter count");
  }
  return out;
}

// Attention projections of one layer: {linear weights, biases + attention-internal norms}.
std::pair<std::uint64_t, std::uint64_t> attention_params(const catalog::Architecture& a,
                                                         const catalog::AttentionLayer& layer) {
  const std::uint64_t h = a.hidden_size;
  if (layer.kind == catalog::AttentionKind::none) {
    return {0, 0};
  }
  if (layer.kind == catalog::AttentionKind::mla) {
    const catalog::Mla& m = *a.mla;
    const std::uint64_t qk_head = m.qk_nope_head_dim + m.qk_rope_head_dim;
    // q: with a query LoRA, hidden -> q_lora_rank -> heads x qk_head; else hidden -> heads x qk_head
    const std::uint64_t q =
        m.q_lora_rank > 0 ? sum({product({h, m.q_lora_rank}), product({m.q_lora_rank, a.attention_heads, qk_head})})
                          : product({h, a.attention_heads, qk_head});
    const std::uint64_t kv_a = product({h, m.kv_lora_rank + m.qk_rope_head_dim});
    const std::uint64_t kv_b = product({m.kv_lora_rank, a.attention_heads, m.qk_nope_head_dim + m.v_head_dim});
    const std::uint64_t o = product({a.attention_heads, m.v_head_dim, h});
    return {sum({q, kv_a, kv_b, o}), m.q_lora_rank + m.kv_lora_rank}; // + q_a / kv_a layernorms
  }
  const std::uint64_t q_dim = product({a.attention_heads, a.head_dim});
  const std::uint64_t kv_dim = product({a.kv_heads, a.head_dim});
  const std::uint64_t linear = sum({product({h, q_dim}), product({2, h, kv_dim}), product({q_dim, h})});
  const std::uint64_t bias = a.attention_bias ? sum({q_dim, 2 * kv_dim}) : 0;
  return {linear, bias};
}

// A gated MLP (SwiGLU / GeGLU): gate, up and down projections.
std::uint64_t gated_mlp(std::uint64_t hidden, std::uint64_t intermediate) {
  return product({3, hidden, intermediate});
}

} // namespace

ParamCounts count_params(const catalog::Architecture& a) {
  ParamCounts out;
  out.embedding = product({a.vocab_size, a.hidden_size});
  out.lm_head = a.tied_embeddings ? 0 : out.embedding;
  out.final_norm = a.hidden_size;
  out.extra = a.extra_params;
  out.total = sum({out.embedding, out.lm_head, out.final_norm, out.extra});
  out.active = sum({out.embedding, out.lm_head, out.final_norm}); // a text token skips the vision encoder
  out.layers.reserve(a.layers);
  for (std::uint64_t i = 0; i < a.layers; ++i) {
    LayerParams layer;
    const auto [attn_linear, attn_other] = attention_params(a, a.attention(i));
    layer.quantizable = attn_linear;
    layer.unquantized = sum({attn_other, product({2, a.hidden_size})}); // two RMSNorms per block
    layer.active_quantizable = attn_linear;
    if (a.moe && a.moe->is_moe_layer(i)) {
      const catalog::Moe& m = *a.moe;
      const std::uint64_t expert = gated_mlp(a.hidden_size, m.expert_intermediate_size);
      const std::uint64_t shared =
          product({m.shared_experts, gated_mlp(a.hidden_size, m.shared_expert_intermediate_size)});
      layer.quantizable = sum({layer.quantizable, product({m.experts, expert}), shared});
      layer.active_quantizable = sum({layer.active_quantizable, product({m.experts_per_token, expert}), shared});
      layer.unquantized = sum({layer.unquantized, product({m.experts, a.hidden_size})}); // router
    } else {
      const std::uint64_t width = a.moe ? a.moe->dense_intermediate_size : a.intermediate_size;
      const std::uint64_t mlp = gated_mlp(a.hidden_size, width);
      layer.quantizable = sum({layer.quantizable, mlp});
      layer.active_quantizable = sum({layer.active_quantizable, mlp});
    }
    out.total = sum({out.total, layer.quantizable, layer.unquantized});
    out.active = sum({out.active, layer.active_quantizable, layer.unquantized});
    out.layers.push_back(layer);
  }
  return out;
}

std::uint64_t quantized_bytes(std::uint64_t params, const catalog::Precision& p) {
  // bits = params x weight_bits + ceil(params / group) x overhead_bits; bytes = ceil(bits / 8)
  std::uint64_t bits = checked_mul(params, p.weight_bits, "weight bytes");
  if (p.group_size > 0) {
    const std::uint64_t groups = params / p.group_size + (params % p.group_size != 0 ? 1 : 0);
    bits = checked_add(bits, checked_mul(groups, p.group_overhead_bits, "weight bytes"), "weight bytes");
  }
  return bits / 8 + (bits % 8 != 0 ? 1 : 0);
}

std::uint64_t layer_weight_bytes(const LayerParams& layer, const catalog::Precision& precision) {
  return checked_add(quantized_bytes(layer.quantizable, precision),
                     checked_mul(layer.unquantized, k_bytes_16bit, "weight bytes"), "weight bytes");
}

WeightBytes weight_bytes(const ParamCounts& params, const catalog::Precision& precision) {
  // Embeddings, lm_head, final norm and extra (vision) parameters stay 16-bit: AWQ, GPTQ and
  // vLLM's fp8 quantise the Linear layers of the transformer blocks only.
  const std::uint64_t outside =
      checked_mul(params.embedding + params.lm_head + params.final_norm + params.extra, k_bytes_16bit, "weight bytes");
  WeightBytes out{outside,
                  checked_mul(params.embedding + params.lm_head + params.final_norm, k_bytes_16bit, "weight bytes")};
  for (const LayerParams& layer : params.layers) {
    out.total = checked_add(out.total, layer_weight_bytes(layer, precision), "weight bytes");
    out.active = checked_add(out.active,
                             checked_add(quantized_bytes(layer.active_quantizable, precision),
                                         checked_mul(layer.unquantized, k_bytes_16bit, "weight bytes"), "weight bytes"),
                             "weight bytes");
  }
  return out;
}

} // namespace modelpick::engine

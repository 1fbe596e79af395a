#include "modelpick/engine/memory.hpp"
#include <algorithm>

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

// A feed-forward block: gate, up and down projections (SwiGLU / GeGLU), or up and down only.
std::uint64_t mlp(std::uint64_t hidden, std::uint64_t intermediate, bool gated) {
  return product({gated ? 3U : 2U, hidden, intermediate});
}

// Token-mixing parameters of one layer: {linear weights, 16-bit extras (biases, norms, SSM)}.
std::pair<std::uint64_t, std::uint64_t> mixer_params(const catalog::Architecture& a,
                                                     const catalog::AttentionLayer& layer) {
  const std::uint64_t h = a.hidden_size;
  const std::uint64_t q_dim = product({a.attention_heads, a.head_dim});
  switch (layer.kind) {
  case catalog::AttentionKind::none:
    return {0, 0};
  case catalog::AttentionKind::mla: {
    const catalog::Mla& m = *a.mla;
    const std::uint64_t qk_head = m.qk_nope_head_dim + m.qk_rope_head_dim;
    // q: with a query LoRA, hidden -> q_lora_rank -> heads x qk_head; else hidden -> heads x qk_head
    const std::uint64_t q =
        m.q_lora_rank > 0 ? sum({product({h, m.q_lora_rank}), product({m.q_lora_rank, a.attention_heads, qk_head})})
                          : product({h, a.attention_heads, qk_head});
    const std::uint64_t kv_a = product({h, m.kv_lora_rank + m.qk_rope_head_dim});
    const std::uint64_t kv_b = product({m.kv_lora_rank, a.attention_heads, m.qk_nope_head_dim + m.v_head_dim});
    const std::uint64_t o = product({a.attention_heads, m.v_head_dim, h});
    // DSA indexer (DeepSeek-V3.2): wq_b q_lora -> heads x dim, wk hidden -> dim, weights_proj
    // hidden -> heads; its key LayerNorm (weight + bias) stays 16-bit.
    const std::uint64_t indexer = m.index_head_dim == 0
                                      ? 0
                                      : sum({product({m.q_lora_rank, m.index_n_heads, m.index_head_dim}),
                                             product({h, m.index_head_dim}), product({h, m.index_n_heads})});
    return {sum({q, kv_a, kv_b, o, indexer}), m.q_lora_rank + m.kv_lora_rank + 2 * m.index_head_dim};
  }
  case catalog::AttentionKind::linear:
    // MiniMax lightning attention: qkv (3 x heads x head_dim), an output gate and the output
    // projection, all heads (no GQA), and a norm over heads x head_dim.
    return {product({5, h, q_dim}), q_dim};
  case catalog::AttentionKind::mamba: {
    // Mamba v1 (Jamba): in_proj h -> 2 d_inner; x_proj d_inner -> dt_rank + 2 d_state;
    // dt_proj dt_rank -> d_inner; out_proj d_inner -> h. 16-bit: conv1d (+bias), dt bias,
    // A (d_inner x d_state), D, and the dt/B/C layernorms.
    const catalog::Mamba& m = *a.mamba;
    const std::uint64_t linear = sum({product({h, 2, m.d_inner}), product({m.d_inner, m.dt_rank + 2 * m.d_state}),
                                      product({m.dt_rank, m.d_inner}), product({m.d_inner, h})});
    const std::uint64_t other = sum({product({m.d_inner, m.d_conv + 1}), m.d_inner, product({m.d_inner, m.d_state}),
                                     m.d_inner, m.dt_rank + 2 * m.d_state});
    return {linear, other};
  }
  case catalog::AttentionKind::full:
  case catalog::AttentionKind::sliding:
  case catalog::AttentionKind::chunked:
  case catalog::AttentionKind::cross: {
    const std::uint64_t kv_dim = product({a.kv_heads, a.head_dim});
    const std::uint64_t linear = sum({product({h, q_dim}), product({2, h, kv_dim}), product({q_dim, h})});
    const std::uint64_t bias = a.attention_bias ? sum({q_dim, 2 * kv_dim}) : 0;
    return {linear, bias};
  }
  }
  return {0, 0};
}

} // namespace

namespace {

// One block's parameters: its token mixer, its MLP (or routed and shared experts) and norms.
LayerParams block_params(const catalog::Architecture& a, const catalog::AttentionLayer& attention, bool moe_layer) {
  LayerParams layer;
  const auto [mixer_linear, mixer_other] = mixer_params(a, attention);
  layer.attention_linear = mixer_linear;
  layer.unquantized = sum({mixer_other, product({2, a.hidden_size})}); // two RMSNorms per block
  if (moe_layer) {
    const catalog::Moe& m = *a.moe;
    const std::uint64_t expert = mlp(a.hidden_size, m.expert_intermediate_size, a.mlp_gated);
    layer.expert_linear = product({m.experts, expert});
    layer.active_expert_linear = product({m.experts_per_token, expert});
    layer.mlp_linear = product({m.shared_experts, mlp(a.hidden_size, m.shared_expert_intermediate_size, a.mlp_gated)});
    if (m.dense_residual) {
      layer.mlp_linear = sum({layer.mlp_linear, mlp(a.hidden_size, m.dense_intermediate_size, a.mlp_gated)});
    }
    layer.unquantized = sum({layer.unquantized, product({m.experts, a.hidden_size})}); // router
    if (m.expert_bias) {
      // per expert: gate/up biases (2 x width when gated) and the down bias (hidden)
      const std::uint64_t bias = (a.mlp_gated ? 2 : 1) * m.expert_intermediate_size + a.hidden_size;
      layer.unquantized = sum({layer.unquantized, product({m.experts, bias})});
    }
  } else {
    const std::uint64_t width = a.moe ? a.moe->dense_intermediate_size : a.intermediate_size;
    layer.mlp_linear = mlp(a.hidden_size, width, a.mlp_gated);
  }
  return layer;
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
  // Blocks of one kind (the same attention layer, MoE or dense) hold the same parameters: a
  // model has a few kinds over up to a hundred-odd blocks, so each kind is counted once.
  struct Kind {
    catalog::AttentionLayer attention;
    bool moe_layer = false;
    LayerParams params;
  };
  std::vector<Kind> kinds;
  for (std::uint64_t i = 0; i < a.layers; ++i) {
    const catalog::AttentionLayer& attention = a.attention(i);
    const bool moe_layer = a.moe && a.moe->is_moe_layer(i);
    auto kind = std::find_if(kinds.begin(), kinds.end(),
                             [&](const Kind& k) { return k.attention == attention && k.moe_layer == moe_layer; });
    if (kind == kinds.end()) {
      kind = kinds.insert(kinds.end(), Kind{attention, moe_layer, block_params(a, attention, moe_layer)});
    }
    out.total = sum({out.total, kind->params.total()});
    out.active = sum({out.active, kind->params.active()});
    out.layers.push_back(kind->params);
  }
  return out;
}

ParamCounts model_params(const catalog::Model& model) {
  return model.stored ? ParamCounts{} : count_params(*model.architecture);
}

std::uint64_t quantized_bytes(std::uint64_t params, const catalog::Precision& p) {
  // bits = params x weight_bits + ceil(params / group) x overhead_bits; bytes = ceil(bits / 8)
  std::uint64_t bits = checked_mul(params, p.weight_bits, "weight bytes");
  if (p.group_size > 0) {
    const std::uint64_t groups = util::ceil_div(params, p.group_size);
    bits = checked_add(bits, checked_mul(groups, p.group_overhead_bits, "weight bytes"), "weight bytes");
  }
  return util::ceil_div(bits, 8);
}

LayerStorage layer_storage(const LayerParams& layer, const catalog::Precision& precision, bool active) {
  const std::uint64_t experts = active ? layer.active_expert_linear : layer.expert_linear;
  const std::uint64_t dense_linear = layer.attention_linear + layer.mlp_linear;
  // An experts-only format (MXFP4 in gpt-oss) leaves attention and dense MLPs in 16-bit.
  return {precision.experts_only ? experts : dense_linear + experts,
          layer.unquantized + (precision.experts_only ? dense_linear : 0)};
}

std::uint64_t layer_weight_bytes(const LayerParams& layer, const catalog::Precision& precision, bool active) {
  const LayerStorage s = layer_storage(layer, precision, active);
  return checked_add(quantized_bytes(s.quantized, precision), checked_mul(s.sixteen_bit, k_bytes_16bit, "weight bytes"),
                     "weight bytes");
}

WeightPlacement place_weights(const ParamCounts& params, const catalog::Precision& precision) {
  // Embeddings, lm_head, final norm and extra (vision) parameters stay 16-bit: AWQ, GPTQ and
  // vLLM's fp8 quantise the Linear layers of the transformer blocks only. A text token reads
  // everything but the vision encoder, and only its routed experts.
  WeightPlacement out;
  out.first_stage_bytes = checked_mul(params.embedding + params.extra, k_bytes_16bit, "weight bytes");
  out.last_stage_bytes = checked_mul(params.final_norm + params.lm_head, k_bytes_16bit, "weight bytes");
  out.tied_head_bytes = params.lm_head == 0 ? checked_mul(params.embedding, k_bytes_16bit, "weight bytes") : 0;
  out.total = checked_add(out.first_stage_bytes, out.last_stage_bytes, "weight bytes");
  out.active = checked_mul(params.embedding + params.lm_head + params.final_norm, k_bytes_16bit, "weight bytes");
  out.layer_bytes.reserve(params.layers.size());
  std::uint64_t active = 0;
  for (std::size_t i = 0; i < params.layers.size(); ++i) {
    const LayerParams& layer = params.layers[i];
    if (i == 0 || !(layer == params.layers[i - 1])) { // blocks repeat: store each run's bytes once
      out.layer_bytes.push_back(layer_weight_bytes(layer, precision));
      active = layer_weight_bytes(layer, precision, true);
    } else {
      out.layer_bytes.push_back(out.layer_bytes.back());
    }
    out.total = checked_add(out.total, out.layer_bytes.back(), "weight bytes");
    out.active = checked_add(out.active, active, "weight bytes");
  }
  return out;
}

std::uint64_t stage_weight_bytes(const WeightPlacement& weights,
                                 const std::vector<std::pair<std::uint64_t, std::uint64_t>>& stages,
                                 std::size_t stage) {
  std::uint64_t bytes = 0;
  for (std::uint64_t i = stages[stage].first; i < stages[stage].second; ++i) {
    bytes = checked_add(bytes, weights.layer_bytes[i], "weight bytes");
  }
  if (stage == 0) {
    bytes = checked_add(bytes, weights.first_stage_bytes, "weight bytes");
  }
  if (stage + 1 == stages.size()) {
    bytes = checked_add(bytes, weights.last_stage_bytes, "weight bytes");
    if (stages.size() > 1) {
      bytes = checked_add(bytes, weights.tied_head_bytes, "weight bytes");
    }
  }
  return bytes;
}

WeightPlacement place_weights(const catalog::Model& model, const ParamCounts& params,
                              const catalog::Precision& precision) {
  if (!model.stored) {
    return place_weights(params, precision);
  }
  const catalog::StoredWeights& w = *model.stored;
  WeightPlacement out;
  out.layer_bytes = w.layer_bytes;
  out.first_stage_bytes = w.first_stage_bytes;
  out.last_stage_bytes = w.last_stage_bytes;
  out.tied_head_bytes = w.tied_head_bytes;
  out.active = w.active_bytes;
  out.total = checked_add(out.first_stage_bytes, out.last_stage_bytes, "weight bytes");
  for (const std::uint64_t b : out.layer_bytes) {
    out.total = checked_add(out.total, b, "weight bytes");
  }
  return out;
}

} // namespace modelpick::engine

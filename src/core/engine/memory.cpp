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
// Each kind follows its modelling code (docs/formulas.md names the file).
std::pair<std::uint64_t, std::uint64_t> mixer_params(const catalog::Architecture& a,
                                                     const catalog::AttentionLayer& layer) {
  const std::uint64_t h = a.hidden_size;
  const std::uint64_t heads = a.heads_of(layer);
  const std::uint64_t head_dim = a.head_dim_of(layer);
  const std::uint64_t q_dim = product({heads, head_dim});
  switch (layer.kind) {
  case catalog::AttentionKind::none:
    // NAS "replace_with_linear": one hidden x hidden projection instead of attention
    return {layer.linear_replacement ? product({h, h}) : 0, 0};
  case catalog::AttentionKind::mla: {
    const catalog::Mla& m = *a.mla;
    const std::uint64_t qk_head = m.qk_nope_head_dim + m.qk_rope_head_dim;
    // q: with a query LoRA, hidden -> q_lora_rank -> heads x qk_head; else hidden -> heads x qk_head
    const std::uint64_t q = m.q_lora_rank > 0
                                ? sum({product({h, m.q_lora_rank}), product({m.q_lora_rank, heads, qk_head})})
                                : product({h, heads, qk_head});
    const std::uint64_t kv_a = product({h, m.kv_lora_rank + m.qk_rope_head_dim});
    const std::uint64_t kv_b = product({m.kv_lora_rank, heads, m.qk_nope_head_dim + m.v_head_dim});
    const std::uint64_t o = product({heads, m.v_head_dim, h});
    // DSA indexer (DeepSeek-V3.2, GLM-5): wq_b q_lora -> heads x dim, wk hidden -> dim,
    // weights_proj hidden -> heads; its key LayerNorm (weight + bias) stays 16-bit.
    const std::uint64_t indexer = m.index_head_dim == 0
                                      ? 0
                                      : sum({product({m.q_lora_rank, m.index_n_heads, m.index_head_dim}),
                                             product({h, m.index_head_dim}), product({h, m.index_n_heads})});
    return {sum({q, kv_a, kv_b, o, indexer}), m.q_lora_rank + m.kv_lora_rank + 2 * m.index_head_dim};
  }
  case catalog::AttentionKind::linear: {
    if (!a.linear || a.linear->kind == catalog::LinearKind::lightning) {
      // MiniMax lightning attention: qkv (3 x heads x head_dim), an output gate and the output
      // projection, all heads (no GQA), and a norm over heads x head_dim.
      return {product({5, h, q_dim}), q_dim};
    }
    const catalog::LinearAttention& g = *a.linear;
    const std::uint64_t k_dim = product({g.key_heads, g.key_head_dim});
    const std::uint64_t v_dim = product({g.value_heads, g.value_head_dim});
    const std::uint64_t conv = g.conv_kernel > 0 ? product({2 * k_dim + v_dim, g.conv_kernel}) : 0;
    if (g.kind == catalog::LinearKind::gated_deltanet) {
      // Qwen3-Next / Qwen3.5 GatedDeltaNet: in_proj to q, k, v and the output gate z
      // (2 key dims + 2 value dims), b and a (one each per value head), out_proj; 16-bit: the
      // depthwise conv1d, dt_bias and A_log per value head, the gated RMSNorm over a head.
      return {sum({product({h, 2 * k_dim + 2 * v_dim}), product({h, 2 * g.value_heads}), product({v_dim, h})}),
              sum({conv, 2 * g.value_heads, g.value_head_dim})};
    }
    // Kimi Delta Attention: q, k, v projections; low-rank decay (f_a hidden -> head_dim,
    // f_b head_dim -> key dims) and output gate (g_a, g_b) projections, beta (b_proj, one per
    // head), o_proj; 16-bit: the q/k/v conv1d, A_log per head, dt_bias per key channel, o_norm.
    return {sum({product({h, 2 * k_dim + v_dim}), product({h, g.key_head_dim}), product({g.key_head_dim, k_dim}),
                 product({h, g.value_heads}), product({h, g.value_head_dim}), product({g.value_head_dim, v_dim}),
                 product({v_dim, h})}),
            sum({conv, g.value_heads, k_dim, g.value_head_dim})};
  }
  case catalog::AttentionKind::mamba: {
    const catalog::Mamba& m = *a.mamba;
    if (m.heads > 0) {
      // Mamba-2: in_proj h -> [z, x (d_inner each), B, C (groups x d_state each), dt (heads)];
      // out_proj d_inner -> h. 16-bit: conv1d over x, B, C (+ bias), dt_bias, A_log, D per
      // head, the gated RMSNorm over d_inner.
      const std::uint64_t conv_dim = m.d_inner + 2 * m.groups * m.d_state;
      const std::uint64_t linear =
          sum({product({h, 2 * m.d_inner + 2 * m.groups * m.d_state + m.heads}), product({m.d_inner, h})});
      return {linear, sum({product({conv_dim, m.d_conv + 1}), 3 * m.heads, m.d_inner})};
    }
    // Mamba v1 (Jamba): in_proj h -> 2 d_inner; x_proj d_inner -> dt_rank + 2 d_state;
    // dt_proj dt_rank -> d_inner; out_proj d_inner -> h. 16-bit: conv1d (+bias), dt bias,
    // A (d_inner x d_state), D, and the dt/B/C layernorms.
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
    const std::uint64_t kv_dim = product({a.kv_heads_of(layer), head_dim});
    // an output gate doubles q_proj (query and gate per head: Qwen3-Next's gated attention);
    // Gemma 4's global layers take V from K and have no v_proj
    const std::uint64_t q = product({h, q_dim, a.attention_output_gate ? 2U : 1U});
    const std::uint64_t linear = sum({q, product({layer.value_from_key ? 1U : 2U, h, kv_dim}), product({q_dim, h})});
    const std::uint64_t bias = a.attention_bias ? sum({q_dim, 2 * kv_dim}) : 0;
    return {linear, bias};
  }
  }
  return {0, 0};
}

} // namespace

namespace {

// One block's parameters: its token mixer, its MLP (or routed and shared experts) and norms.
LayerParams block_params(const catalog::Architecture& a, const catalog::AttentionLayer& attention, bool moe_layer,
                         std::uint64_t dense_width) {
  LayerParams layer;
  const auto [mixer_linear, mixer_other] = mixer_params(a, attention);
  layer.attention_linear = mixer_linear;
  layer.unquantized = sum({mixer_other, product({2, a.hidden_size})}); // two RMSNorms per block
  if (moe_layer) {
    const catalog::Moe& m = *a.moe;
    const std::uint64_t width = m.expert_width(a.hidden_size);
    const std::uint64_t expert = mlp(width, m.expert_intermediate_size, a.mlp_gated);
    layer.expert_linear = product({m.experts, expert});
    layer.active_expert_linear = product({m.experts_per_token, expert});
    layer.mlp_linear = product({m.shared_experts, mlp(a.hidden_size, m.shared_expert_intermediate_size, a.mlp_gated)});
    if (m.latent_size > 0) {
      // LatentMoE (vLLM nemotron_h.py NemotronHMoE): fc1_latent_proj hidden -> latent before the
      // routed experts, fc2_latent_proj latent -> hidden after them; every token runs both
      layer.mlp_linear = sum({layer.mlp_linear, product({2, a.hidden_size, m.latent_size})});
    }
    if (m.dense_residual) {
      layer.mlp_linear = sum({layer.mlp_linear, mlp(a.hidden_size, m.dense_intermediate_size, a.mlp_gated)});
    }
    layer.unquantized = sum({layer.unquantized, product({m.experts, a.hidden_size})}); // router
    if (m.expert_bias) {
      // per expert: gate/up biases (2 x width when gated) and the down bias (hidden)
      const std::uint64_t bias = (a.mlp_gated ? 2 : 1) * m.expert_intermediate_size + width;
      layer.unquantized = sum({layer.unquantized, product({m.experts, bias})});
    }
  } else {
    layer.mlp_linear = mlp(a.hidden_size, dense_width, a.mlp_gated);
  }
  return layer;
}

} // namespace

ParamCounts count_params(const catalog::Architecture& a) {
  ParamCounts out;
  out.embedding = product({a.vocab_size, a.hidden_size});
  out.lm_head = a.tied_embeddings ? 0 : out.embedding;
  out.final_norm = a.hidden_size;
  out.extra = a.extra_params();
  if (a.mtp_layers > 0) {
    // a block like the last layer, the [embedding; hidden] -> hidden projection, its two input
    // norms and an output norm; DeepSeek-style checkpoints add their own embedding and head
    catalog::AttentionLayer last = a.attention(a.layers - 1);
    const bool moe_last = a.is_moe_layer(a.layers - 1);
    out.mtp_block = block_params(a, last, moe_last, moe_last ? 0 : a.ffn_width_of(a.layers - 1));
    out.mtp_layers = a.mtp_layers;
    const std::uint64_t other = sum({product({2, a.hidden_size, a.hidden_size}), product({3, a.hidden_size}),
                                     a.mtp_own_embedding ? product({2, a.vocab_size, a.hidden_size}) : 0});
    out.mtp_other = product({a.mtp_layers, other});
    out.extra = sum({out.extra, out.mtp_other, product({a.mtp_layers, out.mtp_block.total()})});
  }
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
    const bool moe_layer = a.is_moe_layer(i);
    const std::uint64_t dense_width = moe_layer ? 0 : a.ffn_width_of(i);
    auto kind = std::find_if(kinds.begin(), kinds.end(),
                             [&](const Kind& k) { return k.attention == attention && k.moe_layer == moe_layer; });
    if (kind == kinds.end()) {
      kind = kinds.insert(kinds.end(), Kind{attention, moe_layer, block_params(a, attention, moe_layer, dense_width)});
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
  if (precision.experts_only) {
    return {experts, layer.unquantized + dense_linear};
  }
  // an ignore list that keeps attention in 16-bit (Gemma 4 NVFP4's self_attn modules)
  if (precision.attention_16bit) {
    return {layer.mlp_linear + experts, layer.unquantized + layer.attention_linear};
  }
  return {dense_linear + experts, layer.unquantized};
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
  const std::uint64_t mtp_params = params.mtp_other + params.mtp_layers * params.mtp_block.total();
  out.first_stage_bytes = checked_mul(params.embedding + params.extra - mtp_params, k_bytes_16bit, "weight bytes");
  out.last_stage_bytes =
      checked_mul(params.final_norm + params.lm_head + params.mtp_other, k_bytes_16bit, "weight bytes");
  if (params.mtp_layers > 0) {
    out.mtp_bytes =
        checked_add(checked_mul(layer_weight_bytes(params.mtp_block, precision), params.mtp_layers, "weight bytes"),
                    checked_mul(params.mtp_other, k_bytes_16bit, "weight bytes"), "weight bytes");
    out.last_stage_bytes =
        checked_add(out.last_stage_bytes,
                    checked_mul(layer_weight_bytes(params.mtp_block, precision), params.mtp_layers, "weight bytes"),
                    "weight bytes");
  }
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
  if (stages.size() == 1 && stages[0].first == 0 && stages[0].second == weights.layer_bytes.size()) {
    return weights.total; // one stage holds everything: the same sum, already taken
  }
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

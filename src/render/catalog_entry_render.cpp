#include "catalog_entry_render.hpp"

namespace modelpick::render {

using catalog::AttentionKind;
using nlohmann::ordered_json;

namespace {

ordered_json layer_entry(const catalog::AttentionLayer& l) {
  ordered_json j;
  j["kind"] = std::string(catalog::to_string(l.kind));
  if (l.kind == AttentionKind::sliding) {
    j["window"] = l.window;
  } else if (l.kind == AttentionKind::chunked) {
    j["chunk"] = l.window;
  }
  // only what differs from the model-wide value, as the catalog reads it
  if (l.attention_heads > 0) {
    j["attention_heads"] = l.attention_heads;
  }
  if (l.kv_heads > 0) {
    j["kv_heads"] = l.kv_heads;
  }
  if (l.head_dim > 0) {
    j["head_dim"] = l.head_dim;
  }
  if (l.shares_kv) {
    j["shares_kv"] = true;
  }
  if (l.linear_replacement) {
    j["linear_replacement"] = true;
  }
  if (l.value_from_key) {
    j["value_from_key"] = true;
  }
  if (l.ffn != catalog::FfnKind::model) {
    j["ffn"] = std::string(catalog::to_string(l.ffn));
  }
  if (l.ffn_intermediate_size > 0) {
    j["ffn_intermediate_size"] = l.ffn_intermediate_size;
  }
  return j;
}

} // namespace

ordered_json architecture_entry(const catalog::Architecture& a, const std::string& source) {
  ordered_json j;
  j["source"] = source;
  j["layers"] = a.layers;
  j["hidden_size"] = a.hidden_size;
  j["intermediate_size"] = a.intermediate_size;
  j["attention_heads"] = a.attention_heads;
  j["kv_heads"] = a.kv_heads;
  j["head_dim"] = a.head_dim;
  j["vocab_size"] = a.vocab_size;
  j["tied_embeddings"] = a.tied_embeddings;
  j["attention_bias"] = a.attention_bias;
  if (!a.mlp_gated) {
    j["mlp_gated"] = false;
  }
  if (a.attention_output_gate) {
    j["attention_output_gate"] = true;
  }
  if (a.mtp_layers > 0) {
    j["mtp_layers"] = a.mtp_layers;
    j["mtp_own_embedding"] = a.mtp_own_embedding;
  }
  ordered_json pattern = ordered_json::array();
  for (const catalog::AttentionLayer& l : a.attention_pattern) {
    pattern.push_back(layer_entry(l));
  }
  j["attention_pattern"] = pattern;
  if (a.mla) {
    const catalog::Mla& m = *a.mla;
    j["mla"] = {{"q_lora_rank", m.q_lora_rank},
                {"kv_lora_rank", m.kv_lora_rank},
                {"qk_nope_head_dim", m.qk_nope_head_dim},
                {"qk_rope_head_dim", m.qk_rope_head_dim},
                {"v_head_dim", m.v_head_dim}};
    if (m.index_head_dim > 0) {
      j["mla"]["index_n_heads"] = m.index_n_heads;
      j["mla"]["index_head_dim"] = m.index_head_dim;
    }
  }
  if (a.mamba) {
    const catalog::Mamba& m = *a.mamba;
    j["mamba"] = {{"d_state", m.d_state}, {"d_conv", m.d_conv}, {"d_inner", m.d_inner}};
    if (m.heads == 0) {
      j["mamba"]["dt_rank"] = m.dt_rank;
    } else {
      j["mamba"]["heads"] = m.heads;
      j["mamba"]["head_dim"] = m.head_dim;
      j["mamba"]["groups"] = m.groups;
    }
  }
  if (a.linear) {
    const catalog::LinearAttention& g = *a.linear;
    j["linear"] = {{"kind", std::string(catalog::to_string(g.kind))},
                   {"key_heads", g.key_heads},
                   {"value_heads", g.value_heads},
                   {"key_head_dim", g.key_head_dim},
                   {"value_head_dim", g.value_head_dim},
                   {"conv_kernel", g.conv_kernel}};
  }
  if (a.conv_state_bytes != 2 || a.recurrent_state_bytes != 2) {
    j["state_dtype_bytes"] = {{"conv", a.conv_state_bytes}, {"recurrent", a.recurrent_state_bytes}};
  }
  if (a.moe) {
    const catalog::Moe& m = *a.moe;
    j["moe"] = {{"experts", m.experts},
                {"experts_per_token", m.experts_per_token},
                {"shared_experts", m.shared_experts},
                {"expert_intermediate_size", m.expert_intermediate_size},
                {"shared_expert_intermediate_size", m.shared_expert_intermediate_size},
                {"first_dense_layers", m.first_dense_layers},
                {"moe_layer_step", m.layer_step},
                {"dense_intermediate_size", m.dense_intermediate_size}};
    if (m.dense_residual) {
      j["moe"]["dense_residual"] = true;
    }
    if (m.expert_bias) {
      j["moe"]["expert_bias"] = true;
    }
    if (m.latent_size > 0) {
      j["moe"]["latent_size"] = m.latent_size;
    }
  }
  if (!a.extras.empty()) {
    ordered_json extras = ordered_json::array();
    for (const catalog::ExtraWeights& e : a.extras) {
      extras.push_back(
          {{"what", e.what}, {"count", e.params}, {"text_only_drops", e.text_only_drops}, {"source", source}});
    }
    j["extras"] = extras;
  }
  return j;
}

ordered_json model_entry(const catalog::Model& model, const EntryFacts& facts) {
  ordered_json j;
  j["id"] = facts.id;
  j["name"] = facts.name;
  j["publisher"] = facts.publisher;
  j["category"] = std::string(catalog::to_string(model.category));
  j["license"] = {{"id", facts.license}, {"source", facts.source}};
  if (!facts.hf_repo.empty()) {
    j["hf_repo"] = facts.hf_repo;
    j["aliases"] = {facts.hf_repo};
  } else {
    j["aliases"] = ordered_json::array();
  }
  j["native_precision"] = model.native_precision;
  j["params"] = {{"total", facts.params_total},
                 {"active", facts.params_active},
                 {"source", facts.source + " (counted from the architecture: replace with the publisher's figure)"}};
  j["context"] = {{"max_tokens", model.max_context_tokens}, {"source", facts.source}};
  j["architecture"] = architecture_entry(*model.architecture, facts.source);
  return j;
}

} // namespace modelpick::render

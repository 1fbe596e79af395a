#include "show_render.hpp"

#include <fmt/format.h>

#include "list_render.hpp"
#include "modelpick/util/numbers.hpp"
#include "quality_render.hpp"
#include "text_table.hpp"

namespace modelpick::render {

using nlohmann::ordered_json;
using util::group_digits;

namespace {

// "36 × chunked 8,192 + 12 × full" from the per-layer pattern.
std::string attention_text(const catalog::Architecture& a) {
  std::vector<std::pair<std::string, std::uint64_t>> counts;
  for (std::uint64_t i = 0; i < a.layers; ++i) {
    const auto& l = a.attention(i);
    std::string name(catalog::to_string(l.kind));
    if (l.window > 0) {
      name += fmt::format(" {}", group_digits(l.window));
    }
    auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == name; });
    if (it == counts.end()) {
      counts.emplace_back(name, 1);
    } else {
      ++it->second;
    }
  }
  std::string out;
  for (const auto& [name, n] : counts) {
    out += (out.empty() ? "" : " + ") + fmt::format("{} × {}", n, name);
  }
  return out;
}

ordered_json architecture_json(const catalog::Architecture& a) {
  ordered_json j = {{"layers", a.layers},
                    {"hidden_size", a.hidden_size},
                    {"intermediate_size", a.intermediate_size},
                    {"attention_heads", a.attention_heads},
                    {"kv_heads", a.kv_heads},
                    {"head_dim", a.head_dim},
                    {"vocab_size", a.vocab_size},
                    {"tied_embeddings", a.tied_embeddings},
                    {"attention_bias", a.attention_bias},
                    {"mlp_gated", a.mlp_gated}};
  ordered_json pattern = ordered_json::array();
  for (const auto& l : a.attention_pattern) {
    ordered_json e = {{"kind", std::string(catalog::to_string(l.kind))}};
    if (l.window > 0) {
      e["window"] = l.window;
    }
    pattern.push_back(e);
  }
  j["attention_pattern"] = pattern;
  if (a.mla) {
    j["mla"] = {{"q_lora_rank", a.mla->q_lora_rank},
                {"kv_lora_rank", a.mla->kv_lora_rank},
                {"qk_nope_head_dim", a.mla->qk_nope_head_dim},
                {"qk_rope_head_dim", a.mla->qk_rope_head_dim},
                {"v_head_dim", a.mla->v_head_dim}};
  }
  if (a.moe) {
    j["moe"] = {{"experts", a.moe->experts},
                {"experts_per_token", a.moe->experts_per_token},
                {"shared_experts", a.moe->shared_experts},
                {"expert_intermediate_size", a.moe->expert_intermediate_size},
                {"first_dense_layers", a.moe->first_dense_layers},
                {"moe_layer_step", a.moe->layer_step}};
    if (a.moe->latent_size > 0) {
      j["moe"]["latent_size"] = a.moe->latent_size;
    }
  }
  if (a.mamba) {
    j["mamba"] = {{"d_state", a.mamba->d_state},
                  {"d_conv", a.mamba->d_conv},
                  {"d_inner", a.mamba->d_inner},
                  {"dt_rank", a.mamba->dt_rank}};
  }
  if (!a.extras.empty()) {
    j["extra_params"] = {{"count", a.extra_params()}, {"what", a.extras.front().what}};
    ordered_json extras = ordered_json::array();
    for (const catalog::ExtraWeights& e : a.extras) {
      extras.push_back({{"what", e.what}, {"params", e.params}, {"text_only_drops", e.text_only_drops}});
    }
    j["extras"] = extras;
  }
  return j;
}

} // namespace

std::string show_text(const engine::ModelSummary& s) {
  const catalog::Model& m = *s.model;
  using A = TextTable::Align;
  TextTable t({A::left, A::left});
  t.add_row({"category", std::string(catalog::to_string(m.category))});
  t.add_row({"license", fmt::format("{} ({})", m.license, s.license != nullptr ? s.license->name : "unknown")});
  t.add_row({"context", fmt::format("{} tokens", group_digits(m.max_context_tokens))});
  if (!m.aliases.empty()) {
    t.add_row({"aliases", fmt::format("{}", fmt::join(m.aliases, ", "))});
  }
  if (m.api_price) {
    const catalog::TokenPrice& p = *m.api_price;
    t.add_row({"API price", fmt::format("${} input{}, ${} output per 1M tokens ({}, {})", p.input,
                                        p.cached_input ? fmt::format(" (${} cached)", *p.cached_input) : "", p.output,
                                        p.provider, p.date)});
    if (!p.offers.empty()) {
      const catalog::HostedOffer& low = p.offers.front();
      const catalog::HostedOffer& high = p.offers.back();
      t.add_row({"hosted", fmt::format("{} offers, ${} / ${} ({}) to ${} / ${} ({}) input / output per 1M tokens",
                                       p.offers.size(), low.input, low.output, low.provider, high.input, high.output,
                                       high.provider)});
    }
  }
  if (!m.self_hostable()) {
    t.add_row({"provider", m.provider + " (API-only: no published weights)"});
  } else {
    const catalog::Architecture& a = *m.architecture;
    t.add_row({"params", fmt::format("{} total, {} active (published); {} total, {} active from the architecture",
                                     short_count(m.published_params_total), short_count(m.published_params_active),
                                     group_digits(s.params_total), group_digits(s.params_active))});
    t.add_row({"checkpoint", m.native_precision});
    t.add_row({"layers", fmt::format("{} · hidden {} · {} heads / {} KV heads × {} · vocab {}{}", a.layers,
                                     group_digits(a.hidden_size), a.attention_heads, a.kv_heads, a.head_dim,
                                     group_digits(a.vocab_size), a.tied_embeddings ? " · tied embeddings" : "")});
    t.add_row({"attention", attention_text(a)});
    if (a.mla) {
      t.add_row({"MLA", fmt::format("kv_lora_rank {} + rope {} per token; q_lora_rank {}", a.mla->kv_lora_rank,
                                    a.mla->qk_rope_head_dim, a.mla->q_lora_rank)});
    }
    if (a.moe) {
      std::uint64_t moe_layers = 0;
      for (std::uint64_t i = 0; i < a.layers; ++i) {
        moe_layers += a.is_moe_layer(i) ? 1 : 0;
      }
      t.add_row(
          {"MoE",
           fmt::format("{} experts, {} per token, {} shared; expert FFN {}{}; {} of {} layers", a.moe->experts,
                       a.moe->experts_per_token, a.moe->shared_experts, group_digits(a.moe->expert_intermediate_size),
                       a.moe->latent_size > 0 ? fmt::format(" on a {} latent", group_digits(a.moe->latent_size)) : "",
                       moe_layers, a.layers)});
    }
    for (const catalog::ExtraWeights& e : a.extras) {
      t.add_row({"also loaded", fmt::format("{} params: {}", group_digits(e.params), e.what)});
    }
    t.add_row({"KV per token", fmt::format("{} bytes at 16-bit", group_digits(s.kv_bytes_per_token))});
    if (s.state_bytes_per_sequence > 0) {
      t.add_row({"state/sequence", fmt::format("{} bytes at 16-bit", group_digits(s.state_bytes_per_sequence))});
    }
    for (const auto& [p, bytes] : s.weights_bytes) {
      t.add_row({fmt::format("weights {}", p->id),
                 fmt::format("{} bytes = {} GB = {} GiB", group_digits(bytes), decimal_gb(bytes), binary_gib(bytes))});
    }
  }
  std::string out = fmt::format("{} ({}) · {}\n\n", m.name, m.id, m.publisher) + t.render() + "\nsources\n";
  for (const auto& [group, source] : m.sources) {
    out += fmt::format("  {}: {}\n", group, source);
  }
  if (s.license != nullptr) {
    out += fmt::format("  license text: {}\n", s.license->source);
  }
  out += scores_text(m);
  return out;
}

ordered_json show_json(const engine::ModelSummary& s) {
  const catalog::Model& m = *s.model;
  ordered_json j = {{"id", m.id},
                    {"name", m.name},
                    {"publisher", m.publisher},
                    {"category", std::string(catalog::to_string(m.category))},
                    {"license", {{"id", m.license}, {"name", s.license != nullptr ? s.license->name : ""}}},
                    {"max_context_tokens", m.max_context_tokens},
                    {"aliases", m.aliases},
                    {"self_hostable", m.self_hostable()}};
  if (m.self_hostable()) {
    j["hf_repo"] = m.hf_repo;
    j["native_precision"] = m.native_precision;
    j["params"] = {{"total_published", m.published_params_total},
                   {"active_published", m.published_params_active},
                   {"total", s.params_total},
                   {"active", s.params_active}};
    j["architecture"] = architecture_json(*m.architecture);
    j["kv_bytes_per_token"] = s.kv_bytes_per_token;
    j["state_bytes_per_sequence"] = s.state_bytes_per_sequence;
    ordered_json weights = ordered_json::object();
    for (const auto& [p, bytes] : s.weights_bytes) {
      weights[p->id] = bytes;
    }
    j["weights_bytes"] = weights;
  } else {
    j["provider"] = m.provider;
  }
  if (m.api_price) {
    const catalog::TokenPrice& p = *m.api_price;
    j["api_price"] = {{"provider", p.provider},
                      {"usd_per_million",
                       {{"input", p.input},
                        {"output", p.output},
                        {"cached_input", p.cached_input ? ordered_json(*p.cached_input) : ordered_json(nullptr)}}},
                      {"date", p.date},
                      {"source", p.source}};
  }
  if (m.api_price) {
    j["api_price"]["offers"] = hosted_offers_json(*m.api_price);
    j["api_price"]["price_checked_date"] =
        m.api_price->checked_date.empty() ? m.api_price->date : m.api_price->checked_date;
    j["api_price"]["retires"] =
        m.api_price->retires.empty() ? ordered_json(nullptr) : ordered_json(m.api_price->retires);
  }
  j["release_date"] = m.release_date.empty() ? ordered_json(nullptr) : ordered_json(m.release_date);
  j["modalities"] = m.modalities;
  j["scores"] = scores_json(m);
  j["sources"] = m.sources;
  return {{"model", j}};
}

} // namespace modelpick::render

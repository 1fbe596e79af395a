#include "explain_render.hpp"

#include <fmt/format.h>

#include "modelpick/engine/constants.hpp"
#include "modelpick/engine/kv_cache.hpp"
#include "modelpick/engine/memory.hpp"
#include "modelpick/engine/parallelism.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::render {

using namespace engine;

using catalog::AttentionKind;
using util::group_digits;

namespace {

std::string n(std::uint64_t v) {
  return group_digits(v);
}
std::string b(std::uint64_t v) {
  return group_digits(v) + " B";
}

// Layers that are alike (same kind, window and parameters), in the order first seen.
struct LayerGroup {
  std::uint64_t first = 0;
  std::uint64_t count = 0;
  catalog::AttentionLayer attention;
  LayerParams params;
};

std::vector<LayerGroup> group_layers(const catalog::Architecture& a, const ParamCounts& p) {
  std::vector<LayerGroup> groups;
  for (std::uint64_t i = 0; i < a.layers; ++i) {
    const catalog::AttentionLayer& l = a.attention(i);
    const LayerParams params = p.layers.empty() ? LayerParams{} : p.layers[i]; // a file's model: KV only
    bool placed = false;
    for (LayerGroup& g : groups) {
      if (g.attention == l && g.params == params) {
        ++g.count;
        placed = true;
        break;
      }
    }
    if (!placed) {
      groups.push_back({i, 1, l, params});
    }
  }
  return groups;
}

std::string group_name(const LayerGroup& g) {
  std::string kind(catalog::to_string(g.attention.kind));
  if (g.attention.window > 0) {
    kind += fmt::format(" (window {})", n(g.attention.window));
  }
  return fmt::format("{} {} layer{}", n(g.count), kind, g.count == 1 ? "" : "s");
}

std::string attention_arithmetic(const catalog::Architecture& a, const catalog::AttentionLayer& l) {
  switch (l.kind) {
  case AttentionKind::full:
  case AttentionKind::sliding:
  case AttentionKind::chunked:
  case AttentionKind::cross:
    return fmt::format("q {} × {} + k, v 2 × {} × {} + o {} × {}", n(a.hidden_size), n(a.attention_heads * a.head_dim),
                       n(a.hidden_size), n(a.kv_heads * a.head_dim), n(a.attention_heads * a.head_dim),
                       n(a.hidden_size));
  case AttentionKind::mla:
    return fmt::format("MLA projections (q{}, kv_a {} × {}, kv_b, o)",
                       a.mla->q_lora_rank > 0 ? fmt::format(" via rank {}", n(a.mla->q_lora_rank)) : "",
                       n(a.hidden_size), n(a.mla->kv_lora_rank + a.mla->qk_rope_head_dim));
  default:
    return std::string(catalog::to_string(l.kind)) + " mixer projections";
  }
}

std::string precision_arithmetic(std::uint64_t params, const catalog::Precision& p) {
  std::string out = fmt::format("{} × {} bits / 8", n(params), p.weight_bits);
  if (p.group_size > 0) {
    out += fmt::format(" + ceil({} / {}) × {} bits / 8 of scales", n(params), p.group_size, p.group_overhead_bits);
  }
  return out;
}

ExplainSection parameters_section(const catalog::Architecture& a, const ParamCounts& p,
                                  const std::vector<LayerGroup>& groups) {
  ExplainSection s{"Parameters (from the architecture)", {}};
  for (const LayerGroup& g : groups) {
    const LayerParams& l = g.params;
    s.steps.push_back({group_name(g) + ": attention", attention_arithmetic(a, g.attention), n(l.attention_linear)});
    // LatentMoE's two projections sit in the MLP term beside the shared experts
    const std::uint64_t latent =
        a.moe && l.expert_linear > 0 && a.moe->latent_size > 0 ? 2 * a.hidden_size * a.moe->latent_size : 0;
    if (l.mlp_linear > latent) {
      s.steps.push_back(
          {l.expert_linear > 0 ? "  shared experts" : "  MLP",
           a.moe && l.expert_linear > 0
               ? fmt::format("{} shared × {} × {} × {}", a.moe->shared_experts, a.mlp_gated ? 3 : 2, n(a.hidden_size),
                             n(a.moe->shared_expert_intermediate_size))
               : fmt::format("{} (gate, up, down) × {} × {}", a.mlp_gated ? 3 : 2, n(a.hidden_size),
                             n(a.moe && a.moe->dense_intermediate_size > 0 ? a.moe->dense_intermediate_size
                                                                           : a.intermediate_size)),
           n(l.mlp_linear - latent)});
    }
    if (latent > 0) {
      s.steps.push_back(
          {"  latent projections", fmt::format("2 × {} × {}", n(a.hidden_size), n(a.moe->latent_size)), n(latent)});
    }
    if (l.expert_linear > 0) {
      s.steps.push_back({"  routed experts",
                         fmt::format("{} experts × {} × {} × {} ({} active)", a.moe->experts, a.mlp_gated ? 3 : 2,
                                     n(a.moe->expert_width(a.hidden_size)), n(a.moe->expert_intermediate_size),
                                     a.moe->experts_per_token),
                         n(l.expert_linear)});
    }
    s.steps.push_back({"  16-bit (norms, biases, router)", "", n(l.unquantized)});
    s.steps.push_back(
        {"  per layer × layers", fmt::format("{} × {}", n(l.total()), n(g.count)), n(l.total() * g.count)});
  }
  s.steps.push_back(
      {"embedding", fmt::format("vocabulary {} × hidden {}", n(a.vocab_size), n(a.hidden_size)), n(p.embedding)});
  s.steps.push_back({"lm_head", a.tied_embeddings ? "tied to the embedding" : "vocabulary × hidden", n(p.lm_head)});
  s.steps.push_back({"final norm", "hidden", n(p.final_norm)});
  for (const catalog::ExtraWeights& e : a.extras) {
    s.steps.push_back({"extra (" + e.what + ")", "as published or counted from the config", n(e.params)});
  }
  if (p.mtp_layers > 0) {
    s.steps.push_back({"extra (multi-token prediction)",
                       fmt::format("{} × (a block like the last, {} + projection 2 × {} × {} and norms{})",
                                   p.mtp_layers, n(p.mtp_block.total()), n(a.hidden_size), n(a.hidden_size),
                                   a.mtp_own_embedding ? ", its own embedding and head" : ""),
                       n(p.mtp_layers * p.mtp_block.total() + p.mtp_other)});
  }
  s.steps.push_back(
      {"total", "layers + embedding + lm_head + final norm" + std::string(p.extra > 0 ? " + extra" : ""), n(p.total)});
  return s;
}

ExplainSection weights_section(const SizingReport& r, const ParamCounts& p, const std::vector<LayerGroup>& groups) {
  const catalog::Precision& prec = *r.precision;
  ExplainSection s{fmt::format("Weights at {}", prec.id), {}};
  for (const LayerGroup& g : groups) {
    const LayerStorage storage = layer_storage(g.params, prec);
    s.steps.push_back({group_name(g),
                       fmt::format("({}) + {} × 2 B, × {}", precision_arithmetic(storage.quantized, prec),
                                   n(storage.sixteen_bit), n(g.count)),
                       b(layer_weight_bytes(g.params, prec) * g.count)});
  }
  const std::uint64_t mtp_params = p.mtp_layers * p.mtp_block.total() + p.mtp_other;
  const std::uint64_t towers = p.extra - mtp_params;
  s.steps.push_back({"embedding, lm_head, norms (16-bit)",
                     fmt::format("({} + {} + {}{}) × 2 B", n(p.embedding), n(p.lm_head), n(p.final_norm),
                                 towers > 0 ? " + " + n(towers) : ""),
                     b((p.embedding + p.lm_head + p.final_norm + towers) * k_bytes_16bit)});
  if (p.mtp_layers > 0) {
    const LayerStorage storage = layer_storage(p.mtp_block, prec);
    s.steps.push_back({"multi-token prediction",
                       fmt::format("(({}) + {} × 2 B) × {} + {} × 2 B", precision_arithmetic(storage.quantized, prec),
                                   n(storage.sixteen_bit), p.mtp_layers, n(p.mtp_other)),
                       b(r.mtp_weights_bytes)});
  }
  s.steps.push_back({"total", "sum of the above", b(r.weights_bytes)});
  return s;
}

ExplainSection kv_section(const SizingReport& r, const std::vector<LayerGroup>& groups) {
  const catalog::Architecture& a = *r.model->architecture;
  const std::uint64_t kvb = r.request.kv_bytes;
  ExplainSection s{"KV cache", {}};
  for (const LayerGroup& g : groups) {
    const std::uint64_t per_token = layer_kv_bytes_per_token(a, g.first, 1, kvb);
    if (per_token == 0) {
      continue;
    }
    const std::string per_layer =
        g.attention.kind == AttentionKind::mla
            ? fmt::format("(kv_lora_rank {} + rope {}) × {} B{}", a.mla->kv_lora_rank, a.mla->qk_rope_head_dim, kvb,
                          a.mla->index_head_dim > 0 ? fmt::format(" + indexer {} + 4", a.mla->index_head_dim) : "")
            : fmt::format("2 (K, V) × {} KV heads × {} head_dim × {} B", a.kv_heads, a.head_dim, kvb);
    const std::uint64_t cached = layer_cached_tokens(a, g.first, r.request.context_tokens);
    s.steps.push_back(
        {group_name(g) + ": per token", fmt::format("{}, × {} layers", per_layer, n(g.count)), b(per_token * g.count)});
    s.steps.push_back({"  cache",
                       fmt::format("{} × {} tokens{} × {} sequence{}", n(per_token * g.count), n(cached),
                                   cached < r.request.context_tokens ? " (the window)" : "", n(r.request.concurrency),
                                   r.request.concurrency == 1 ? "" : "s"),
                       b(per_token * g.count * cached * r.request.concurrency)});
  }
  if (r.state_bytes_per_sequence > 0) {
    s.steps.push_back({"recurrent state",
                       fmt::format("{} per sequence × {}", n(r.state_bytes_per_sequence), n(r.request.concurrency)),
                       b(r.state_bytes_per_sequence * r.request.concurrency)});
  }
  s.steps.push_back({"KV per token (all layers)", "sum of per-token lines", b(r.kv_bytes_per_token)});
  s.steps.push_back({"KV cache", "sum of cache lines", b(r.kv_cache_bytes)});
  return s;
}

// The fit under an engine's start-up accounting (engine/serving): the budget, what is paid from
// it, and what the KV cache is left.
void engine_fit_steps(const SizingReport& r, const LayoutEvaluation& e, ExplainSection& s) {
  const GpuShare& g = e.share;
  const bool vllm = *r.memory_model == ServingEngine::vllm;
  s.steps.push_back({"budget per GPU",
                     vllm ? fmt::format("floor({} × {:.2f} --gpu-memory-utilization)", n(r.gpu->memory_bytes),
                                        r.request.gpu_memory_utilization)
                          : "--mem-fraction-static × the memory free before loading",
                     b(g.usable_bytes)});
  s.steps.push_back({"weights per GPU (as loaded)",
                     fmt::format("the fullest stage's weights / TP {}", e.layout.tensor_parallel), b(g.weights_bytes)});
  if (vllm) {
    s.steps.push_back({"non-torch memory", "CUDA / NCCL outside PyTorch (engine/constants.hpp)", b(g.non_torch_bytes)});
    s.steps.push_back({"activation peak", "max(forward pass, sampler) of the profiling run (engine/constants.hpp)",
                       b(g.activation_bytes)});
  }
  const std::int64_t left = static_cast<std::int64_t>(g.usable_bytes) - static_cast<std::int64_t>(g.weights_bytes) -
                            static_cast<std::int64_t>(g.reserve_bytes);
  s.steps.push_back(
      {"KV cache", fmt::format("{} − {} − {}", n(g.usable_bytes), n(g.weights_bytes), n(g.reserve_bytes)),
       left < 0 ? fmt::format("{} B (short: the engine does not start)", left) : b(static_cast<std::uint64_t>(left))});
  s.steps.push_back({"KV cache tokens", vllm ? "whole blocks of every layer group × block size" : "the pool's tokens",
                     n(g.kv_cache_tokens)});
  s.steps.push_back({"KV per sequence per GPU",
                     fmt::format("the blocks one request of {} tokens takes", n(r.request.context_tokens)),
                     b(g.kv_bytes_per_sequence)});
  s.steps.push_back({"max concurrency",
                     fmt::format("floor({} / {}), in whole blocks", n(left < 0 ? 0 : left),
                                 n(g.kv_bytes_per_sequence > 0 ? g.kv_bytes_per_sequence : 1)),
                     fmt::format("{} ({} {} requested: {})", n(g.max_concurrency),
                                 g.max_concurrency >= r.request.concurrency ? "≥" : "<", n(r.request.concurrency),
                                 g.fits ? "fits" : "does not fit")});
}

ExplainSection fit_section(const SizingReport& r) {
  const LayoutEvaluation& e = r.fits ? *r.fit : *r.closest;
  const GpuShare& g = e.share;
  const catalog::Architecture& a = *r.model->architecture;
  ExplainSection s{fmt::format("Fit: {} × {} at TP {} × PP {}", e.layout.gpus(), r.gpu->id, e.layout.tensor_parallel,
                               e.layout.pipeline_parallel),
                   {}};
  if (r.memory_model) {
    engine_fit_steps(r, e, s);
    return s;
  }
  s.steps.push_back({"usable per GPU",
                     fmt::format("floor({} × {:.2f})", n(r.gpu->memory_bytes), r.request.gpu_memory_utilization),
                     b(g.usable_bytes)});
  s.steps.push_back(
      {"weights per GPU",
       fmt::format("the fullest stage's weights / TP {} (embedding on the first stage, lm_head on the last)",
                   e.layout.tensor_parallel),
       b(g.weights_bytes)});
  s.steps.push_back({"KV per sequence per GPU",
                     fmt::format("the stage's layers at max(1, {} KV heads / TP {}) heads, {} tokens", a.kv_heads,
                                 e.layout.tensor_parallel, n(r.request.context_tokens)),
                     b(g.kv_bytes_per_sequence)});
  s.steps.push_back({"runtime reserve", "constant per GPU (docs/formulas.md)", b(g.reserve_bytes)});
  s.steps.push_back({"needed per GPU",
                     fmt::format("{} + {} × {} + {}", n(g.weights_bytes), n(g.kv_bytes_per_sequence),
                                 n(r.request.concurrency), n(g.reserve_bytes)),
                     fmt::format("{} {} {} usable: {}", b(g.total_bytes), g.fits ? "≤" : ">", n(g.usable_bytes),
                                 g.fits ? "fits" : "does not fit")});
  if (g.kv_bytes_per_sequence > 0) {
    s.steps.push_back({"max concurrency",
                       fmt::format("floor(({} − {} − {}) / {})", n(g.usable_bytes), n(g.weights_bytes),
                                   n(g.reserve_bytes), n(g.kv_bytes_per_sequence)),
                       n(g.max_concurrency)});
  }
  return s;
}

} // namespace

std::vector<ExplainSection> explain_size(const SizingReport& r) {
  std::vector<ExplainSection> out;
  const catalog::Model& m = *r.model;
  const ParamCounts p = model_params(m);
  const std::vector<LayerGroup> groups = group_layers(*m.architecture, p);
  if (m.stored) {
    out.push_back(
        {"Weights (the file's tensors)", {{"stored bytes", "sum of the GGUF tensors' sizes", b(r.weights_bytes)}}});
  } else {
    out.push_back(parameters_section(*m.architecture, p, groups));
    out.push_back(weights_section(r, p, groups));
  }
  out.push_back(kv_section(r, groups));
  out.push_back(fit_section(r));
  return out;
}

} // namespace modelpick::render

#include "modelpick/engine/throughput.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "modelpick/engine/constants.hpp"
#include "modelpick/engine/kv_cache.hpp"
#include "modelpick/engine/memory.hpp"
#include "modelpick/util/names.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::engine {

namespace {

using catalog::AttentionKind;

constexpr std::pair<Bound, std::string_view> k_bound_names[] = {{Bound::memory, "memory"}, {Bound::compute, "compute"}};

// One pipeline stage, summed over its layers. Bytes and FLOPs are whole-stage figures; a GPU
// does 1/TP of them.
struct StageSums {
  std::uint64_t layers = 0;
  double dense_bytes = 0;       // read every step: attention, dense MLP, shared experts, norms
  double expert_bytes = 0;      // all routed experts of the stage
  double head_bytes = 0;        // lm_head (or the tied embedding) on the last stage
  double linear_flops = 0;      // per token: 2 x the active parameters of the stage's layers
  double head_flops = 0;        // per token whose logits are computed
  double kv_read_decode = 0;    // per sequence per step, per GPU: cache at the decode context + fixed state
  double attention_decode = 0;  // per token at the decode context
  double attention_prefill = 0; // per prompt token, causal, averaged over the prompt
};

// Average tokens a causal query at positions 1..n attends to, capped at `window` (0: none).
double average_causal_context(std::uint64_t n, std::uint64_t window) {
  const auto nn = static_cast<double>(n);
  if (window == 0 || n <= window) {
    return (nn + 1) / 2;
  }
  const auto w = static_cast<double>(window);
  return (w * (w + 1) / 2 + (nn - w) * w) / nn;
}

// FLOPs per (query, cached key) pair in one layer: QK^T and PV, 2 FLOPs per multiply-add.
// MLA decodes with the absorbed latent (keys of kv_lora_rank + rope dims, values of
// kv_lora_rank), and prefills with the expanded heads, as DeepSeek's and vLLM's kernels do.
double attention_flops_per_pair(const catalog::Architecture& a, AttentionKind kind, bool decode) {
  const auto heads = static_cast<double>(a.attention_heads);
  switch (kind) {
  case AttentionKind::full:
  case AttentionKind::sliding:
  case AttentionKind::chunked:
    return 4 * heads * static_cast<double>(a.head_dim);
  case AttentionKind::mla: {
    const catalog::Mla& m = *a.mla;
    const auto rope = static_cast<double>(m.qk_rope_head_dim);
    if (decode) {
      const auto latent = static_cast<double>(m.kv_lora_rank);
      return 2 * heads * (latent + rope) + 2 * heads * latent;
    }
    return 2 * heads * (static_cast<double>(m.qk_nope_head_dim) + rope) + 2 * heads * static_cast<double>(m.v_head_dim);
  }
  default:
    return 0; // recurrent state (its projections are in the parameters), or image tokens only
  }
}

struct ModelSums {
  std::vector<StageSums> stages;
  std::uint64_t experts = 0; // routed experts per MoE layer (0: dense)
  std::uint64_t experts_per_token = 0;
  double hidden = 0;
};

ModelSums sum_stages(const catalog::Model& model, const ParamCounts& params, const catalog::Precision& precision,
                     const Layout& layout, const Workload& w) {
  const catalog::Architecture& a = *model.architecture;
  // Only a weights file's sums read the placed bytes; the architecture's read the parameters.
  const WeightPlacement placed = model.stored ? place_weights(model, params, precision) : WeightPlacement{};
  ModelSums out;
  out.hidden = static_cast<double>(a.hidden_size);
  if (a.moe) {
    out.experts = a.moe->experts;
    out.experts_per_token = a.moe->experts_per_token;
  }
  // A weights file gives bytes per block, not per projection: its routed experts' share follows
  // from the file's total and per-token bytes, spread over the blocks by size.
  double stored_expert_share = 0;
  double stored_flops_per_byte = 0;
  if (model.stored) {
    double layer_total = 0;
    for (const std::uint64_t b : placed.layer_bytes) {
      layer_total += static_cast<double>(b);
    }
    if (a.moe && layer_total > 0) {
      const double kept = 1 - static_cast<double>(out.experts_per_token) / static_cast<double>(out.experts);
      const double expert_total = static_cast<double>(placed.total - placed.active) / kept;
      stored_expert_share = std::clamp(expert_total / layer_total, 0.0, 1.0);
    }
    stored_flops_per_byte = static_cast<double>(model.stored->params) / static_cast<double>(placed.total);
  }

  const std::uint64_t tp = layout.tensor_parallel;
  const std::uint64_t decode_context = w.input_tokens + w.output_tokens / 2;
  // One layer's share of its stage's sums.
  struct LayerSums {
    double dense_bytes = 0;
    double expert_bytes = 0;
    double linear_flops = 0;
    double kv_read_decode = 0;
    double attention_decode = 0;
    double attention_prefill = 0;
  };
  const auto layer_sums = [&](std::uint64_t i) {
    LayerSums s;
    const AttentionKind kind = a.attention(i).kind;
    if (model.stored) {
      const auto bytes = static_cast<double>(placed.layer_bytes[i]);
      const double experts = a.is_moe_layer(i) ? bytes * stored_expert_share : 0;
      s.dense_bytes = bytes - experts;
      s.expert_bytes = experts;
      const double active =
          bytes - experts +
          (out.experts == 0 ? 0
                            : experts * static_cast<double>(out.experts_per_token) / static_cast<double>(out.experts));
      s.linear_flops = 2 * active * stored_flops_per_byte;
    } else {
      const LayerParams& l = params.layers[i];
      LayerParams dense = l;
      dense.expert_linear = 0;
      dense.active_expert_linear = 0;
      const auto all = static_cast<double>(layer_weight_bytes(l, precision));
      const auto kept = static_cast<double>(layer_weight_bytes(dense, precision));
      s.dense_bytes = kept;
      s.expert_bytes = all - kept;
      s.linear_flops = 2 * static_cast<double>(l.active());
    }
    const auto cached = static_cast<double>(layer_cached_tokens(a, i, decode_context));
    s.kv_read_decode = static_cast<double>(layer_kv_bytes_per_token(a, i, tp, w.kv_bytes)) * cached +
                       static_cast<double>(layer_state_bytes(a, i)) / static_cast<double>(tp);
    s.attention_decode = attention_flops_per_pair(a, kind, true) * cached;
    const std::uint64_t window = a.attention(i).window;
    s.attention_prefill = attention_flops_per_pair(a, kind, false) *
                          average_causal_context(std::max<std::uint64_t>(1, w.input_tokens), window);
    return s;
  };
  // Without a weights file, a layer's sums follow from its place in the attention pattern and
  // whether it is an MoE layer (count_params builds its parameters from those two): each such
  // kind is worked out once. A weights file's blocks each have their own bytes.
  const std::uint64_t pattern = a.attention_pattern.size();
  std::vector<std::pair<std::pair<std::uint64_t, bool>, LayerSums>> kinds;
  const auto sums_of = [&](std::uint64_t i) -> LayerSums {
    if (model.stored) {
      return layer_sums(i);
    }
    const std::pair<std::uint64_t, bool> key{i % pattern, a.is_moe_layer(i)};
    for (const auto& [k, sums] : kinds) {
      if (k == key) {
        return sums;
      }
    }
    kinds.emplace_back(key, layer_sums(i));
    return kinds.back().second;
  };
  for (const auto& [first, last] : pipeline_stages(a.layers, layout.pipeline_parallel)) {
    StageSums s;
    s.layers = last - first;
    for (std::uint64_t i = first; i < last; ++i) {
      const LayerSums l = sums_of(i);
      s.dense_bytes += l.dense_bytes;
      s.expert_bytes += l.expert_bytes;
      s.linear_flops += l.linear_flops;
      s.kv_read_decode += l.kv_read_decode;
      s.attention_decode += l.attention_decode;
      s.attention_prefill += l.attention_prefill;
    }
    out.stages.push_back(s);
  }
  // The head reads a vocab x hidden matrix every step: lm_head, or the embedding when tied.
  const double head = static_cast<double>(a.vocab_size) * static_cast<double>(a.hidden_size);
  out.stages.back().head_bytes = head * static_cast<double>(k_bytes_16bit);
  out.stages.back().head_flops = 2 * head;
  return out;
}

struct Hardware {
  double bandwidth = 0; // bytes/s per GPU
  double flops = 0;     // dense peak FLOP/s per GPU at the arithmetic used
  double link = 0;      // bytes/s per GPU, one direction, inside a node
  std::uint64_t tp = 1;
  std::uint64_t pp = 1;
};

double allreduce_seconds(const Hardware& hw, double bytes) {
  if (hw.tp == 1) {
    return 0;
  }
  const auto tp = static_cast<double>(hw.tp);
  return k_allreduce_latency_seconds + 2 * (tp - 1) / tp * bytes / hw.link;
}

// One forward step of a stage over `tokens` tokens (the micro-batch's sequences when decoding,
// the prompt's tokens when prefilling).
StepCost stage_step(const StageSums& s, const ModelSums& m, const Hardware& hw, double tokens, bool decode,
                    double logits_tokens, double sequences) {
  StepCost c;
  const auto tp = static_cast<double>(hw.tp);
  const double touched = m.experts == 0 ? 0
                                        : expected_distinct_experts(m.experts, m.experts_per_token, tokens) /
                                              static_cast<double>(m.experts);
  c.weight_bytes = (s.dense_bytes + s.expert_bytes * touched + s.head_bytes) / tp;
  c.kv_bytes = decode ? sequences * s.kv_read_decode : 0;
  const double attention = decode ? s.attention_decode : s.attention_prefill;
  c.flops = (tokens * (s.linear_flops + attention) + logits_tokens * s.head_flops) / tp;
  c.memory_seconds = (c.weight_bytes + c.kv_bytes) / (hw.bandwidth * k_memory_bandwidth_efficiency);
  c.compute_seconds = c.flops / (hw.flops * k_compute_efficiency);
  // Two all-reduces of the hidden state per layer (after attention, after the MLP), and the
  // hidden state handed to the next stage.
  const double activation = tokens * m.hidden * static_cast<double>(k_bytes_16bit);
  c.communication_seconds = 2 * static_cast<double>(s.layers) * allreduce_seconds(hw, activation);
  if (hw.pp > 1) {
    c.communication_seconds += k_pipeline_send_latency_seconds + activation / k_inter_node_bytes_per_s;
  }
  c.overhead_seconds = k_step_overhead_seconds;
  c.bound = c.compute_seconds > c.memory_seconds ? Bound::compute : Bound::memory;
  c.seconds = std::max(c.memory_seconds, c.compute_seconds) + c.communication_seconds + c.overhead_seconds;
  return c;
}

DecodePoint decode_point(const ModelSums& m, const Hardware& hw, std::uint64_t batch) {
  DecodePoint p;
  p.batch = batch;
  // PP > 1 keeps one micro-batch per stage in flight: each holds batch / PP sequences, and a
  // sequence gets its next token once its micro-batch has passed every stage.
  const double micro = static_cast<double>(batch) / static_cast<double>(hw.pp);
  for (const StageSums& s : m.stages) {
    const StepCost c = stage_step(s, m, hw, micro, true, micro, micro);
    if (c.seconds > p.step.seconds) {
      p.step = c;
    }
  }
  p.distinct_experts = m.experts == 0 ? 0 : expected_distinct_experts(m.experts, m.experts_per_token, micro);
  p.tokens_per_s = micro / p.step.seconds;
  p.itl_seconds = static_cast<double>(hw.pp) * p.step.seconds;
  return p;
}

} // namespace

std::string_view to_string(Bound b) {
  return util::name_of(k_bound_names, b);
}

double expected_distinct_experts(std::uint64_t experts, std::uint64_t k, double tokens) {
  if (experts == 0) {
    return 0;
  }
  const auto e = static_cast<double>(experts);
  return e * (1 - std::pow(1 - static_cast<double>(k) / e, tokens));
}

VllmBatchDefaults vllm_batch_defaults(const catalog::Gpu& gpu) {
  // vLLM: device_memory >= 70 GiB and "a100" not in the runtime's device name, lower-cased
  // (vllm/engine/arg_utils.py, get_batch_defaults)
  const VllmBatchDefaults small{k_max_num_seqs, k_vllm_batched_tokens};
  if (gpu.memory_bytes < k_large_gpu_bytes) {
    return small;
  }
  const std::string_view name = gpu.device_name.empty() ? gpu.name : gpu.device_name;
  const std::string_view a100 = "a100";
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  const bool named_a100 = std::search(name.begin(), name.end(), a100.begin(), a100.end(),
                                      [&](char n, char k) { return lower(n) == k; }) != name.end();
  return named_a100 ? small
                    : VllmBatchDefaults{k_max_num_seqs_large_gpu, static_cast<std::uint64_t>(k_prefill_chunk_tokens)};
}

std::uint64_t engine_batch_limit(const catalog::Gpu& gpu) {
  return vllm_batch_defaults(gpu).max_num_seqs;
}

ThroughputReport estimate_throughput(const catalog::Model& model, const catalog::Precision& precision,
                                     const catalog::Gpu& gpu, const Layout& layout, const Workload& workload,
                                     std::uint64_t batch, std::uint64_t kv_fit_batch) {
  return estimate_throughput(model, model_params(model), precision, gpu, layout, workload, batch, kv_fit_batch);
}

ThroughputReport estimate_throughput(const catalog::Model& model, const ParamCounts& params,
                                     const catalog::Precision& precision, const catalog::Gpu& gpu, const Layout& layout,
                                     const Workload& workload, std::uint64_t batch, std::uint64_t kv_fit_batch) {
  ThroughputReport r;
  r.layout = layout;
  r.workload = workload;
  const bool fp8_math = precision.needs_fp8_hardware && gpu.fp8 && gpu.tflops_fp8 > 0;
  r.compute_dtype = fp8_math ? "fp8" : "bf16";
  r.compute_tflops = fp8_math ? gpu.tflops_fp8 : gpu.tflops_bf16;
  Hardware hw;
  hw.bandwidth = static_cast<double>(gpu.bandwidth_bytes_per_s);
  hw.flops = r.compute_tflops * 1e12;
  hw.link = gpu.link_bytes_per_s > 0 ? static_cast<double>(gpu.link_bytes_per_s) : k_fallback_link_bytes_per_s;
  if (layout.tensor_parallel > gpu.tp_domain()) {
    // a TP group across nodes all-reduces over the network: its ring is as fast as its slowest link
    hw.link = std::min(hw.link, k_internode_link_bytes_per_s);
  }
  hw.tp = layout.tensor_parallel;
  hw.pp = layout.pipeline_parallel;
  const ModelSums sums = sum_stages(model, params, precision, layout, workload);

  r.engine_batch_limit = engine_batch_limit(gpu);
  r.max_batch = std::max<std::uint64_t>(1, std::min(kv_fit_batch, r.engine_batch_limit));
  // The saturating batch: the first at which a decode step turns compute-bound; past it more
  // sequences add little. If none does, the KV cache (or the engine's batch limit) stops it.
  r.saturating_batch = r.max_batch;
  r.saturation_reason = kv_fit_batch <= r.engine_batch_limit ? "the KV cache is full" : "the engine's batch limit";
  // compute / memory time grows with the batch (FLOPs linearly, bytes less than linearly: the
  // weights are read once, the experts touched saturate), so the first compute-bound batch is
  // found by bisection.
  if (decode_point(sums, hw, r.max_batch).step.bound == Bound::compute) {
    std::uint64_t lo = 0; // memory-bound (or none)
    std::uint64_t hi = r.max_batch;
    while (hi - lo > 1) {
      const std::uint64_t mid = lo + (hi - lo) / 2;
      (decode_point(sums, hw, mid).step.bound == Bound::compute ? hi : lo) = mid;
    }
    r.saturating_batch = hi;
    r.saturation_reason = "decode turns compute-bound";
  }
  r.saturated = decode_point(sums, hw, r.saturating_batch);
  r.at_batch = decode_point(sums, hw, batch == 0 ? r.saturating_batch : std::min(batch, r.max_batch));

  // Prefill: one prompt alone passes every stage in turn; only its last token's logits count.
  const auto input = static_cast<double>(std::max<std::uint64_t>(1, workload.input_tokens));
  double slowest = 0;
  for (const StageSums& s : sums.stages) {
    r.ttft_seconds += stage_step(s, sums, hw, input, false, 1, 1).seconds;
    // batched prefill: chunks of the engine's token budget, one per stage in flight
    const double chunk = std::max(input, k_prefill_chunk_tokens);
    const StepCost c = stage_step(s, sums, hw, chunk, false, chunk / input, chunk / input);
    slowest = std::max(slowest, c.seconds / chunk);
  }
  r.prefill_tokens_per_s = 1 / slowest;

  const auto in = static_cast<double>(workload.input_tokens);
  const auto out = static_cast<double>(workload.output_tokens);
  const double prefill_seconds = in / r.prefill_tokens_per_s;
  const double decode_seconds = out / r.saturated.tokens_per_s;
  const double per_request = prefill_seconds + decode_seconds;
  r.requests_per_s = per_request > 0 ? 1 / per_request : 0;
  r.input_tokens_per_s = in * r.requests_per_s;
  r.output_tokens_per_s = out * r.requests_per_s;
  r.prefill_time_share = per_request > 0 ? prefill_seconds / per_request : 0;

  return r;
}

} // namespace modelpick::engine

#include "assumptions_render.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "modelpick/engine/constants.hpp"
#include "modelpick/engine/kv_cache.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::render {

using util::group_digits;

namespace {

// Dollars as the cost assumptions write them: whole above $100, else two decimals.
std::string plain_usd(double value) {
  return value >= 100 ? group_digits(static_cast<std::uint64_t>(std::llround(value))) : fmt::format("{:.2f}", value);
}

} // namespace

std::vector<std::string> sizing_assumptions(const engine::SizingReport& report) {
  const catalog::Model& model = *report.model;
  const catalog::Precision& precision = *report.precision;
  const catalog::Gpu& gpu = *report.gpu;
  const engine::SizingRequest& request = report.request;
  const catalog::Architecture& a = *model.architecture;
  std::vector<std::string> out;
  out.push_back(fmt::format("request: {} tokens of context x {} concurrent sequence(s)",
                            group_digits(request.context_tokens), group_digits(request.concurrency)));
  if (model.stored) {
    std::vector<std::string> parts;
    for (const auto& [type, bytes] : model.stored->bytes_by_type) {
      parts.push_back(fmt::format("{} {:.2f} GB", type, static_cast<double>(bytes) / 1e9));
    }
    out.push_back(fmt::format("weights: the tensors as stored ({}): {}", model.stored->format, fmt::join(parts, ", ")));
  } else {
    out.push_back(fmt::format(
        "weights: transformer linear layers at {} ({} bits/weight{}); embeddings, lm_head, norms and routers in 16-bit",
        precision.id, precision.weight_bits,
        precision.group_size > 0
            ? fmt::format(" + {} bits of scales per {} weights", precision.group_overhead_bits, precision.group_size)
            : std::string{}));
  }
  out.push_back(fmt::format("KV cache: {} ({} bytes per value)",
                            request.kv_dtype == "auto" ? "auto = 16-bit" : request.kv_dtype, request.kv_bytes));
  if (a.moe) {
    out.push_back(fmt::format("MoE: all {} experts (+{} shared) are resident in memory; {} routed per token",
                              a.moe->experts, a.moe->shared_experts, a.moe->experts_per_token));
  }
  if (a.mla) {
    out.push_back("MLA: the compressed latent cache is replicated on every tensor-parallel rank (as vLLM does), "
                  "not split");
  }
  std::uint64_t capped = 0;
  std::uint64_t none = 0;
  for (std::uint64_t i = 0; i < a.layers; ++i) {
    const auto& l = a.attention(i);
    capped += (l.kind == catalog::AttentionKind::sliding || l.kind == catalog::AttentionKind::chunked) ? 1 : 0;
    none += engine::layer_kv_bytes_per_token(a, i, 1, 2) == 0 ? 1 : 0;
  }
  if (capped > 0) {
    out.push_back(fmt::format("{} of {} layers use sliding-window or chunked attention and cache at most their "
                              "window of tokens",
                              capped, a.layers));
  }
  if (none > 0) {
    out.push_back(
        fmt::format("{} of {} layers keep no per-token KV cache (linear attention, Mamba, "
                    "cross-attention or no attention){}",
                    none, a.layers,
                    engine::state_bytes_per_sequence(a) > 0
                        ? fmt::format("; recurrent state is a fixed size per sequence ({}-byte conv values, {}-byte "
                                      "recurrent values)",
                                      a.conv_state_bytes, a.recurrent_state_bytes)
                        : std::string()));
  }
  if (a.mlp_gated == false) {
    out.push_back("MLP: up and down projections only (not gated)");
  }
  if (precision.experts_only) {
    out.push_back(
        fmt::format("{} quantises the routed experts only; attention and dense layers stay 16-bit", precision.id));
  }
  if (!report.memory_model) {
    out.push_back(fmt::format("usable memory per GPU: {:.0f}% (--gpu-memory-utilization) of the {} bytes CUDA "
                              "reports for a {}, minus a {} GiB runtime reserve (the bare lower bound)",
                              request.gpu_memory_utilization * 100, group_digits(gpu.memory_bytes), gpu.name,
                              engine::k_runtime_reserve_bytes_per_gpu >> 30));
  } else if (*report.memory_model == engine::ServingEngine::vllm) {
    out.push_back(fmt::format(
        "memory model: vLLM's start-up accounting on every layout tried: {:.0f}% "
        "(--gpu-memory-utilization) of the {} bytes CUDA reports for a {}, minus the weights "
        "as loaded, non-torch memory and the profiling run's activation peak; the KV cache in "
        "blocks of {} tokens{} (--engine none: the bare lower bound)",
        request.gpu_memory_utilization * 100, group_digits(gpu.memory_bytes), gpu.name, request.engine->block_size,
        engine::state_bytes_per_sequence(a) > 0
            ? ", grown until one block holds a sequence's recurrent state (vLLM's hybrid allocator)"
            : ""));
    if (a.has_towers()) {
      out.push_back("not modelled: vLLM's profiling run also encodes the largest image (or audio) batch the model "
                    "accepts, which can leave far less KV cache than counted here (36.63 GiB of peak for "
                    "Llama-3.2-11B-Vision, github.com/vllm-project/vllm/pull/12126); --text-only sizes the "
                    "language model alone, as vLLM with --limit-mm-per-prompt 0 runs it");
    }
  } else {
    out.push_back(fmt::format("memory model: SGLang's start-up accounting on every layout tried: the KV pool is "
                              "--mem-fraction-static of the memory free before loading, minus the weights "
                              "(--engine none: the bare lower bound)"));
  }
  out.push_back(fmt::format("layouts: tensor x pipeline parallel inside one {} (up to {} GPUs; stages that split "
                            "the layers evenly; for one count the larger TP first); beyond it, one pipeline "
                            "stage per {}; layers split as vLLM does",
                            gpu.tp_domain() > gpu.gpus_per_node ? "NVLink domain" : "node", gpu.tp_domain(),
                            gpu.tp_domain() > gpu.gpus_per_node ? "domain" : "node"));
  const engine::LayoutEvaluation* shown = report.fit ? &*report.fit : report.closest ? &*report.closest : nullptr;
  if (shown != nullptr && shown->layout.tensor_parallel > gpu.tp_domain()) {
    out.push_back(fmt::format("TP {} spans {} nodes (--tp-nodes {}): vLLM's custom all-reduce is off and NCCL's own "
                              "buffers across nodes are not modelled (the two replayed two-node logs show about "
                              "0.2 GiB or less for them: docs/validation.md)",
                              shown->layout.tensor_parallel, shown->layout.tensor_parallel / gpu.tp_domain(),
                              request.tp_nodes));
  }
  return out;
}

std::vector<std::string> throughput_assumptions(const engine::ThroughputReport& r, const catalog::Model& model,
                                                const catalog::Gpu& gpu) {
  std::vector<std::string> out;
  const std::uint64_t experts = model.architecture && model.architecture->moe ? model.architecture->moe->experts : 0;
  out.push_back(fmt::format(
      "roofline: a step takes max(bytes read / ({:.0f}% of {:.2f} TB/s), FLOPs / ({:.0f}% of {:.0f} {} TFLOPS)) + "
      "tensor-parallel all-reduces + {:.1f} ms engine overhead",
      engine::k_memory_bandwidth_efficiency * 100, static_cast<double>(gpu.bandwidth_bytes_per_s) / 1e12,
      engine::k_compute_efficiency * 100, r.compute_tflops, r.compute_dtype, engine::k_step_overhead_seconds * 1e3));
  if (r.layout.tensor_parallel > gpu.tp_domain()) {
    out.push_back(fmt::format("tensor parallel {} across nodes: its all-reduces run at {:.0f} GB/s per GPU (one "
                              "400 Gb/s NIC per GPU, assumed)",
                              r.layout.tensor_parallel, engine::k_internode_link_bytes_per_s / 1e9));
  }
  out.push_back(fmt::format("decode reads each sequence's cache at {} tokens (prompt + half the output)",
                            util::group_digits(r.workload.input_tokens + r.workload.output_tokens / 2)));
  if (experts > 0) {
    out.push_back(fmt::format(
        "MoE: a step reads the experts its tokens route to, E x (1 - (1 - k/E)^tokens) per layer with uniform "
        "routing ({} of {} at batch {})",
        fmt::format("{:.1f}", r.saturated.distinct_experts), experts, r.saturating_batch));
  }
  out.push_back(
      fmt::format("serving mixes prefill and decode on the same GPUs, their times added (no overlap); batch capped "
                  "at {} sequences (vLLM's default --max-num-seqs on this GPU)",
                  r.engine_batch_limit));
  return out;
}

std::vector<std::string> cost_assumptions(const engine::CostReport& r, const catalog::Model& model,
                                          const catalog::Gpu& gpu) {
  std::vector<std::string> out = throughput_assumptions(r.throughput, model, gpu);
  const engine::SelfHostCost& h = r.self_host;
  const engine::SelfHostPlan& plan = r.plan;
  const engine::Volume& volume = r.volume;
  const double f = volume.input_share;
  out.push_back(fmt::format(
      "a replica is {} GPU(s) at ${}/GPU-hour x {:.0f} hours a month (365/12 days) = ${} a month, running whether "
      "busy or not",
      h.gpus_per_replica, fmt::format("{}", plan.gpu_hour_usd), engine::k_hours_per_month,
      plain_usd(h.replica_usd_per_month)));
  out.push_back(fmt::format(
      "capacity: a replica is planned at {:.0f}% of its saturated throughput, for traffic whose peak is {:.1f}x its "
      "average: {} tokens/day each on average",
      plan.utilization * 100, plan.peak_to_average,
      util::group_digits(static_cast<std::uint64_t>(std::llround(h.replica_tokens_per_day)))));
  out.push_back(fmt::format(
      "volume: {:.0f}% input tokens{}; API prices are list prices, before batch or committed-use discounts", f * 100,
      volume.cached_input_share > 0
          ? fmt::format(", {:.0f}% of them billed at the cached-input rate where the API has one",
                        volume.cached_input_share * 100)
          : std::string{}));
  if (r.options.size() > 1) {
    out.push_back(fmt::format("replica layout: {} x {}, the lowest monthly cost for the volume of the {} GPU counts "
                              "tried (from the fewest that fit up to a node); --gpus fixes it. Where self-hosting "
                              "becomes cheaper than an API is the lowest volume any of those layouts reaches",
                              h.gpus_per_replica, gpu.id, r.options.size()));
  }
  return out;
}

} // namespace modelpick::render

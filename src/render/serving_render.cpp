#include "serving_render.hpp"

#include <fmt/format.h>

#include "modelpick/util/numbers.hpp"
#include "text_table.hpp"

namespace modelpick::render {

using nlohmann::ordered_json;
using util::group_digits;

namespace {

std::string signed_gib(std::int64_t bytes) {
  return bytes < 0 ? fmt::format("-{}", binary_gib(static_cast<std::uint64_t>(-bytes)))
                   : binary_gib(static_cast<std::uint64_t>(bytes));
}

std::vector<std::string> row(const std::string& label, std::int64_t bytes, bool subtracted = false) {
  const std::string sign = subtracted ? "- " : "";
  return {label,
          sign + group_digits(static_cast<std::uint64_t>(bytes < 0 ? -bytes : bytes)) + (bytes < 0 ? " short" : ""),
          sign + signed_gib(bytes)};
}

std::int64_t as_signed(std::uint64_t v) {
  return static_cast<std::int64_t>(v);
}

} // namespace

std::string serving_table(const engine::ServingPrediction& p, const catalog::Gpu& gpu) {
  const engine::ServingRequest& r = p.request;
  const engine::ServingRank& k = p.rank;
  std::string out;
  using A = TextTable::Align;
  TextTable t({A::left, A::right, A::right});
  if (r.engine == engine::ServingEngine::llama_cpp) {
    out += fmt::format("\nllama.cpp: --ctx-size {} · K {} · V {} · --n-gpu-layers {}\n", group_digits(r.max_model_len),
                       r.cache_type_k.name, r.cache_type_v.name, r.gpu_layers.value_or(0));
    t.add_row({"KV cache", "bytes", "GiB (2^30)"});
    t.add_row({"per token (all layers)", group_digits(k.kv_bytes_per_token), ""});
    t.add_row(row("on the GPU(s)", k.kv_cache_bytes));
    if (k.host_kv_bytes > 0) {
      t.add_row(row("in host memory", as_signed(k.host_kv_bytes)));
    }
    out += t.render();
    out += fmt::format("n_ctx = {} tokens ({} sequence(s), --parallel, share them)\n", group_digits(p.kv_cache_tokens),
                       r.parallel);
  } else {
    out += fmt::format("\n{}: TP {} × PP {} on {} × {} · max model len {} · per GPU (the rank with the least room)\n",
                       engine::display_name(r.engine), r.tensor_parallel, r.pipeline_parallel, p.gpus, gpu.name,
                       group_digits(r.max_model_len));
    t.add_row({"memory per GPU", "bytes", "GiB (2^30)"});
    t.add_row(row("GPU total (CUDA)", as_signed(k.total_bytes)));
    if (r.engine == engine::ServingEngine::vllm) {
      t.add_row(
          row(fmt::format("budget (× {:.2f} --gpu-memory-utilization)", r.memory_fraction), as_signed(k.budget_bytes)));
      t.add_row(row("weights as loaded", as_signed(k.weights_bytes), true));
      t.add_row(row("non-torch memory", as_signed(k.non_torch_bytes), true));
      t.add_row(row(fmt::format("activation peak (profiling: {} tokens, {} seqs, {} sampler)",
                                group_digits(r.max_num_batched_tokens), group_digits(r.max_num_seqs),
                                engine::to_string(r.sampler)),
                    as_signed(k.activation_bytes), true));
    } else {
      t.add_row(row("CUDA context and init", as_signed(k.non_torch_bytes), true));
      t.add_row(row(fmt::format("static memory (× {:.2f} --mem-fraction-static)", r.memory_fraction),
                    as_signed(k.budget_bytes)));
      t.add_row(row("weights as loaded", as_signed(k.weights_bytes), true));
    }
    t.add_row(row("KV cache", k.kv_cache_bytes));
    t.add_row({"KV cache per token (this rank)", group_digits(k.kv_bytes_per_token), ""});
    out += t.render();
    if (r.engine == engine::ServingEngine::vllm) {
      out += fmt::format("GPU KV cache size: {} tokens ({} blocks of {}{})\n", group_digits(p.kv_cache_tokens),
                         group_digits(k.blocks), p.block_size,
                         p.kv_cache_groups > 1 ? fmt::format(" over {} groups", p.kv_cache_groups) : "");
      out += fmt::format("Maximum concurrency for {} tokens per request: {:.2f}x\n", group_digits(r.max_model_len),
                         p.max_concurrency);
    } else {
      out += fmt::format("KV pool: {} tokens; {:.2f} requests of {} tokens\n", group_digits(p.kv_cache_tokens),
                         p.max_concurrency, group_digits(r.max_model_len));
    }
  }
  if (!p.starts) {
    out += fmt::format("does not start: {}\n", p.refusal);
  }
  out += "engine assumptions:\n";
  for (const std::string& a : p.assumptions) {
    out += "  - " + a + "\n";
  }
  return out;
}

ordered_json serving_json(const engine::ServingPrediction& p) {
  const engine::ServingRequest& r = p.request;
  const engine::ServingRank& k = p.rank;
  ordered_json j;
  j["name"] = std::string(engine::to_string(r.engine));
  j["kv_cache_tokens"] = p.kv_cache_tokens;
  j["kv_cache_bytes"] = p.kv_cache_bytes;
  j["state_bytes"] = p.state_bytes;
  j["max_concurrency"] = p.max_concurrency;
  j["starts"] = p.starts;
  j["refusal"] = p.starts ? ordered_json(nullptr) : ordered_json(p.refusal);
  j["gpus"] = p.gpus;
  j["tensor_parallel"] = r.tensor_parallel;
  j["pipeline_parallel"] = r.pipeline_parallel;
  j["max_model_len"] = r.max_model_len;
  if (r.engine == engine::ServingEngine::llama_cpp) {
    j["cache_type_k"] = r.cache_type_k.name;
    j["cache_type_v"] = r.cache_type_v.name;
    j["n_gpu_layers"] = r.gpu_layers.value_or(0);
    j["host_kv_cache_bytes"] = k.host_kv_bytes;
  } else {
    j["memory_fraction"] = r.memory_fraction;
    j["kv_bytes_per_value"] = r.kv_bytes;
  }
  if (r.engine == engine::ServingEngine::vllm) {
    j["block_size"] = p.block_size;
    j["kv_cache_blocks"] = k.blocks;
    j["kv_cache_groups"] = p.kv_cache_groups;
    j["max_num_seqs"] = r.max_num_seqs;
    j["max_num_batched_tokens"] = r.max_num_batched_tokens;
    j["sampler"] = engine::to_string(r.sampler);
  }
  j["per_gpu"] = {{"pipeline_stage", k.pipeline_stage},
                  {"total_bytes", k.total_bytes},
                  {"budget_bytes", k.budget_bytes},
                  {"weights_bytes", k.weights_bytes},
                  {"non_torch_bytes", k.non_torch_bytes},
                  {"activation_peak_bytes", k.activation_bytes},
                  {"cuda_graph_bytes", k.graph_bytes},
                  {"kv_cache_bytes", k.kv_cache_bytes},
                  {"kv_bytes_per_token", k.kv_bytes_per_token}};
  j["assumptions"] = p.assumptions;
  return j;
}

} // namespace modelpick::render

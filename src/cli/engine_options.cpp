#include "engine_options.hpp"

#include <array>
#include <fmt/format.h>

#include "common_options.hpp"
#include "modelpick/error.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::cli {

using engine::ServingEngine;

namespace {

// The --block-size values modelpick accepts for vLLM (docs/cli.md).
constexpr std::array<std::uint64_t, 7> k_vllm_block_sizes = {1, 8, 16, 32, 64, 128, 256};

std::string block_sizes() {
  return fmt::format("{}", fmt::join(k_vllm_block_sizes, ", "));
}

} // namespace

void add_engine_options(CLI::App& cmd, EngineOptions& o) {
  cmd.add_option("--engine", o.engine,
                 "Size by this serving engine's start-up accounting and show what it allocates: " +
                     engine::serving_engine_names() +
                     " (default: vLLM's accounting, not shown); none: the bare lower bound (weights + KV cache + "
                     "3 GiB per GPU)")
      ->type_name("E")
      ->group("Serving engine (--engine)");
  const auto add = [&](const char* names, std::string& target, const std::string& help, const char* type) {
    cmd.add_option(names, target, help)->type_name(type)->group("Serving engine (--engine)");
  };
  add("--max-model-len,--context-length,--ctx-size", o.max_model_len,
      "Longest request the engine admits (vLLM; SGLang --context-length; llama.cpp --ctx-size); default the "
      "model's maximum",
      "L");
  add("--tensor-parallel-size,--tp-size", o.tensor_parallel,
      "GPUs per tensor-parallel group (default: the layout modelpick finds)", "N");
  add("--pipeline-parallel-size,--pp-size", o.pipeline_parallel, "Pipeline stages (default: as found)", "N");
  add("--block-size", o.block_size, "vLLM tokens per KV block, one of " + block_sizes() + " (default 16)", "N");
  add("--max-num-seqs", o.max_num_seqs,
      "vLLM sequences per step (default 1024 on 70+ GiB GPUs other than the A100, else 256)", "N");
  add("--max-num-batched-tokens", o.max_num_batched_tokens,
      "vLLM tokens per step, the profiling batch (default 8192 on 70+ GiB GPUs other than the A100, else 2048)", "N");
  add("--mem-fraction-static", o.mem_fraction_static,
      "SGLang share of free memory for weights + KV pool (default by TP: 0.88, 0.87, 0.85, 0.81, 0.79)", "F");
  add("--n-gpu-layers", o.n_gpu_layers, "llama.cpp layers on the GPU (default all)", "N");
  add("--cache-type-k", o.cache_type_k,
      "llama.cpp K cache type: f16 (default), bf16, f32, q8_0, q5_1, q5_0, q4_1, "
      "q4_0, iq4_nl",
      "T");
  add("--cache-type-v", o.cache_type_v, "llama.cpp V cache type (as --cache-type-k)", "T");
  cmd.add_flag("--enforce-eager", o.enforce_eager,
               "vLLM: no CUDA graphs (accepted; the versions modelled capture graphs after sizing the KV cache)")
      ->group("Serving engine (--engine)");
  add("--sampler", o.sampler,
      "vLLM's top-k/top-p code, which sets the profiling run's sampler peak: fused (FlashInfer's or vLLM's Triton "
      "kernels, current vLLM; default) or sort (PyTorch's sort: V0, and V1 logs that say \"FlashInfer is not "
      "available\" before 2026-02)",
      "S");
  add("--quantization,-q", o.quantization,
      "vLLM: the weights' quantization (fp8, awq, gptq, awq_marlin, gptq_marlin, compressed-tensors, mxfp4, "
      "modelopt); sizes them so unless --precision is given",
      "M");
  add("--parallel", o.parallel, "llama.cpp: sequences served at once, sharing the --ctx-size cells (default 1)", "N");
  add("--ubatch-size", o.ubatch_size, "llama.cpp: the physical batch (default 512)", "N");
  add("--gpu-memory-bytes", o.gpu_memory_bytes,
      "Memory per GPU as the runtime reports it, when it shows less than the GPU's (WSL, MIG); bytes, or with "
      "k/M/G = 1024^n",
      "B");
}

std::string precision_of_quantization(const std::string& method) {
  if (method.empty()) {
    return {};
  }
  if (method == "fp8" || method == "fbgemm_fp8" || method == "modelopt") {
    return "fp8";
  }
  if (method == "awq" || method == "gptq" || method == "awq_marlin" || method == "gptq_marlin" ||
      method == "compressed-tensors") {
    return "int4";
  }
  if (method == "mxfp4") {
    return "mxfp4";
  }
  throw Error(ErrorKind::usage, fmt::format("--quantization '{}' is not modelled: expected fp8, fbgemm_fp8, "
                                            "modelopt, awq, gptq, awq_marlin, gptq_marlin, compressed-tensors or "
                                            "mxfp4 (or give --precision)",
                                            method));
}

namespace {

// An engine's flag given without --engine is a mistake worth naming.
void require_some_engine(const std::string& value, const char* flag, std::optional<ServingEngine> engine) {
  if (!value.empty() && !engine) {
    throw Error(ErrorKind::usage, fmt::format("{} needs --engine ({})", flag, engine::serving_engine_names()));
  }
}

// So is one engine's flag given with another engine.
void require_engine(const std::string& value, const char* flag, ServingEngine wanted,
                    std::optional<ServingEngine> engine) {
  require_some_engine(value, flag, engine);
  if (!value.empty() && *engine != wanted) {
    throw Error(ErrorKind::usage, fmt::format("{} is a {} flag, but --engine is {}", flag, engine::display_name(wanted),
                                              engine::to_string(*engine)));
  }
}

engine::CacheType parse_cache_type(const std::string& text, const char* flag) {
  if (text.empty()) {
    return engine::CacheType{};
  }
  const auto t = engine::cache_type_from(text);
  if (!t) {
    throw Error(ErrorKind::usage,
                fmt::format("{} '{}' is not accepted: expected {}", flag, text, engine::cache_type_names()));
  }
  return *t;
}

} // namespace

std::optional<engine::ServingRequest> parse_engine(const EngineOptions& o, std::uint64_t kv_bytes,
                                                   const std::string& kv_dtype, double gpu_memory_utilization) {
  std::optional<ServingEngine> e;
  if (!o.engine.empty() && o.engine != "none") { // none: no engine, the bare memory model
    e = engine::serving_engine_from(o.engine);
    if (!e) {
      throw Error(ErrorKind::usage,
                  fmt::format("--engine '{}' is not accepted: expected {}", o.engine, engine::serving_engine_names()));
    }
  }
  require_some_engine(o.max_model_len, "--max-model-len", e);
  require_some_engine(o.tensor_parallel, "--tensor-parallel-size", e);
  require_some_engine(o.pipeline_parallel, "--pipeline-parallel-size", e);
  require_engine(o.block_size, "--block-size", ServingEngine::vllm, e);
  require_engine(o.max_num_seqs, "--max-num-seqs", ServingEngine::vllm, e);
  require_engine(o.max_num_batched_tokens, "--max-num-batched-tokens", ServingEngine::vllm, e);
  require_engine(o.mem_fraction_static, "--mem-fraction-static", ServingEngine::sglang, e);
  require_engine(o.n_gpu_layers, "--n-gpu-layers", ServingEngine::llama_cpp, e);
  require_engine(o.cache_type_k, "--cache-type-k", ServingEngine::llama_cpp, e);
  require_engine(o.cache_type_v, "--cache-type-v", ServingEngine::llama_cpp, e);
  require_engine(o.enforce_eager ? std::string("1") : std::string(), "--enforce-eager", ServingEngine::vllm, e);
  require_engine(o.quantization, "--quantization", ServingEngine::vllm, e);
  require_engine(o.sampler, "--sampler", ServingEngine::vllm, e);
  require_engine(o.parallel, "--parallel", ServingEngine::llama_cpp, e);
  require_engine(o.ubatch_size, "--ubatch-size", ServingEngine::llama_cpp, e);
  require_some_engine(o.gpu_memory_bytes, "--gpu-memory-bytes", e);
  if (!e) {
    return std::nullopt;
  }
  engine::ServingRequest r;
  r.engine = *e;
  if (o.max_model_len == "auto") {
    r.max_model_len_auto = true; // the longest that holds --concurrency requests: size finds it
  } else if (!o.max_model_len.empty()) {
    r.max_model_len = parse_context(o.max_model_len, "--max-model-len");
  }
  // 0 = not given: the command fills in the layout it found
  r.tensor_parallel = o.tensor_parallel.empty() ? 0
                                                : util::parse_count(o.tensor_parallel, "--tensor-parallel-size",
                                                                    util::SuffixBase::decimal, 1, k_max_gpus);
  r.pipeline_parallel = o.pipeline_parallel.empty() ? 0
                                                    : util::parse_count(o.pipeline_parallel, "--pipeline-parallel-size",
                                                                        util::SuffixBase::decimal, 1, k_max_gpus);
  if (!o.block_size.empty()) {
    const std::uint64_t b =
        util::parse_count(o.block_size, "--block-size", util::SuffixBase::decimal, 1, k_vllm_block_sizes.back());
    if (std::find(k_vllm_block_sizes.begin(), k_vllm_block_sizes.end(), b) == k_vllm_block_sizes.end()) {
      throw Error(ErrorKind::usage,
                  fmt::format("--block-size '{}' is not accepted: expected one of {}", o.block_size, block_sizes()));
    }
    r.block_size = b;
  }
  if (!o.gpu_memory_bytes.empty()) {
    r.gpu_memory_bytes =
        util::parse_count(o.gpu_memory_bytes, "--gpu-memory-bytes", util::SuffixBase::binary, 1ULL << 20, 1ULL << 44);
  }
  r.enforce_eager = o.enforce_eager;
  if (!o.sampler.empty()) {
    const auto s = engine::vllm_sampler_from(o.sampler);
    if (!s) {
      throw Error(ErrorKind::usage, fmt::format("--sampler '{}' is not accepted: expected fused or sort", o.sampler));
    }
    r.sampler = *s;
  }
  if (!o.max_num_seqs.empty()) {
    r.max_num_seqs = util::parse_count(o.max_num_seqs, "--max-num-seqs", util::SuffixBase::decimal, 1, 1'000'000);
  }
  if (!o.max_num_batched_tokens.empty()) {
    r.max_num_batched_tokens = util::parse_count(o.max_num_batched_tokens, "--max-num-batched-tokens",
                                                 util::SuffixBase::binary, 1, k_max_context_tokens);
  }
  switch (*e) {
  case ServingEngine::vllm:
    r.memory_fraction = gpu_memory_utilization;
    r.kv_bytes = kv_bytes;
    break;
  case ServingEngine::sglang:
    if (!o.mem_fraction_static.empty()) {
      r.memory_fraction = util::parse_fraction(o.mem_fraction_static, "--mem-fraction-static", 0.0, 1.0);
      if (r.memory_fraction <= 0) {
        throw Error(ErrorKind::usage, fmt::format("--mem-fraction-static '{}' is not accepted: expected a number "
                                                  "above 0 and at most 1",
                                                  o.mem_fraction_static));
      }
    }
    r.kv_bytes = kv_bytes;
    break;
  case ServingEngine::llama_cpp:
    if (kv_dtype != "auto") {
      throw Error(ErrorKind::usage, fmt::format("--kv-dtype '{}' is not a llama.cpp flag: use --cache-type-k "
                                                "and --cache-type-v",
                                                kv_dtype));
    }
    r.cache_type_k = parse_cache_type(o.cache_type_k, "--cache-type-k");
    r.cache_type_v = parse_cache_type(o.cache_type_v, "--cache-type-v");
    if (!o.n_gpu_layers.empty()) {
      r.gpu_layers = util::parse_count(o.n_gpu_layers, "--n-gpu-layers", util::SuffixBase::decimal, 0, 100'000);
    }
    if (!o.parallel.empty()) {
      r.parallel = util::parse_count(o.parallel, "--parallel", util::SuffixBase::decimal, 1, 4'096);
    }
    if (!o.ubatch_size.empty()) {
      r.ubatch = util::parse_count(o.ubatch_size, "--ubatch-size", util::SuffixBase::binary, 1, 1U << 20);
    }
    break;
  }
  return r;
}

} // namespace modelpick::cli

#pragma once
// size --engine: the serving engine's own flag names (vLLM's, SGLang's, llama.cpp's), parsed
// into an engine::ServingRequest.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "modelpick/engine/serving.hpp"

namespace modelpick::cli {

struct EngineOptions {
  std::string engine; // empty: no engine prediction
  std::string max_model_len;
  std::string tensor_parallel;
  std::string pipeline_parallel;
  std::string block_size;
  std::string max_num_seqs;
  std::string max_num_batched_tokens;
  std::string mem_fraction_static;
  std::string n_gpu_layers;
  std::string cache_type_k;
  std::string cache_type_v;
  bool enforce_eager = false;   // vLLM --enforce-eager
  std::string sampler;          // vLLM's top-k / top-p implementation: fused or sort
  std::string quantization;     // vLLM --quantization: the weights' format when --precision is not given
  std::string parallel;         // llama.cpp --parallel: sequences sharing the --ctx-size cells
  std::string ubatch_size;      // llama.cpp --ubatch-size
  std::string gpu_memory_bytes; // any engine: the memory the runtime shows (WSL, MIG) instead of the GPU's
};

// vLLM's --quantization as a catalog precision id ("" when not given); Error(usage) naming the
// method when it has none.
std::string precision_of_quantization(const std::string& method);

void add_engine_options(CLI::App& command, EngineOptions& options);

// nullopt without --engine. Throws Error(usage) naming the flag for a bad value, or for an
// engine's flag given with another engine (or with none). The request's KV bytes and
// utilization come from the sizing flags; its TP/PP stay 0 when not given.
std::optional<engine::ServingRequest> parse_engine(const EngineOptions& options, std::uint64_t kv_bytes,
                                                   const std::string& kv_dtype, double gpu_memory_utilization);

} // namespace modelpick::cli

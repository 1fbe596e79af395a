#pragma once
// Every engine constant lives here, each with its justification. docs/formulas.md explains
// how they enter the formulas; change one here and there together.
#include <cstdint>

namespace modelpick::engine {

// Share of each GPU's memory the serving engine may use: vLLM's --gpu-memory-utilization
// default (vllm/engine/arg_utils.py, EngineArgs.gpu_memory_utilization = 0.9).
inline constexpr double k_default_gpu_memory_utilization = 0.90;

// Per-GPU memory the engine needs besides weights and KV cache, inside the utilization
// budget: the CUDA context and NCCL buffers outside PyTorch ("non_torch_memory", typically
// 0.2-1.6 GiB in vLLM start-up logs) plus the activation peak of the profiling forward pass
// over max_num_batched_tokens (vLLM logs show 1.2-5 GiB for 8B-70B models at the default
// batch). 3 GiB sits in the middle of those logs; docs/formulas.md lists them.
inline constexpr std::uint64_t k_runtime_reserve_bytes_per_gpu = 3ULL << 30;

// Bytes per value of the 16-bit formats used for unquantised tensors (embeddings, lm_head,
// norms, routers, biases) and for the default KV cache ("auto" = the model's 16-bit dtype).
inline constexpr std::uint64_t k_bytes_16bit = 2;

// Default request shape when the user names none.
inline constexpr std::uint64_t k_default_context_tokens = 8192;
inline constexpr std::uint64_t k_default_concurrency = 1;

// The search for a layout stops at this many pipeline stages (nodes); past it the model is
// reported as not fitting rather than searched for ever.
inline constexpr std::uint64_t k_max_pipeline_stages = 64;

} // namespace modelpick::engine

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

// --- throughput (engine/throughput; docs/formulas.md "Throughput", validated in docs/validation.md) ---

// Share of the datasheet's peak HBM bandwidth a decode step achieves reading weights and KV.
// Published decode runs reach 55-69% of peak end to end: Databricks "MBU of 60% on
// 2xH100-80GBs" at batch 1 (databricks.com/blog/llm-inference-performance-engineering-best-practices);
// gpt-fast Llama-2-7B at 1,397 GB/s of an A100's 2,039 (69%, github.com/pytorch-labs/gpt-fast
// README); vLLM's nightly latency test of Llama-3-8B on one H100, 61% (buildkite.com/vllm/
// performance-benchmark/builds/9555). 65% with the step overhead below reproduces those runs
// (docs/validation.md).
inline constexpr double k_memory_bandwidth_efficiency = 0.65;

// Share of the dense tensor-core peak reached by the GEMMs of prefill and of compute-bound
// decode batches. TensorRT-LLM's batch-1 first-token latencies imply 33-40% of the FP8 peak
// (Llama-2-7B 2,048 tokens in 36 ms on one H100; docs/source/performance.md, v0.5), NIM's
// Llama-3.3-70B FP8 TP2 prefill of 5,000 tokens in 407 ms 46% (docs.nvidia.com/nim/benchmarking/
// llm), TensorRT-LLM's max-throughput Llama-3.1-8B FP8 run 46% (perf-overview, v1.0).
inline constexpr double k_compute_efficiency = 0.45;

// Fixed cost of one engine step besides the kernels' memory and math time: scheduling,
// sampling, kernel launches under CUDA graphs. Fitted with the bandwidth share above to the
// batch-8 vLLM latency runs on A100 and H100 (docs/validation.md); vLLM's own profile shows
// CPU work can take most of a small model's step (blog.vllm.ai/2024/09/05/perf-update.html).
inline constexpr double k_step_overhead_seconds = 0.0005;

// Latency of one small tensor-parallel all-reduce inside an NVLink node: 9-10 us for vLLM's
// custom all-reduce at decode-sized messages on 2-8 H100s (github.com/sgl-project/sglang/pull/2904).
inline constexpr double k_allreduce_latency_seconds = 10e-6;

// GPU-to-GPU bandwidth assumed when a catalog GPU does not state it: PCIe Gen4 x16, one way.
inline constexpr double k_fallback_link_bytes_per_s = 32e9;

// Between pipeline stages (nodes): one 400 Gb/s NIC per GPU (ConnectX-7 in DGX/HGX H100), and
// a send's latency, taken as two all-reduce latencies; the hand-over is one hidden state per
// token, so these barely move any result.
inline constexpr double k_inter_node_bytes_per_s = 50e9;
inline constexpr double k_pipeline_send_latency_seconds = 20e-6;

// Tokens one batched-prefill step processes: vLLM's default max_num_batched_tokens for the
// OpenAI server on GPUs with at least 70 GiB (vllm/engine/arg_utils.py, get_batch_defaults).
inline constexpr double k_prefill_chunk_tokens = 8192;

// vLLM's default --max-num-seqs: 1024 on GPUs with at least 70 GiB that are not an A100,
// 256 on the others (vllm/engine/arg_utils.py, EngineArgs.get_batch_defaults).
inline constexpr std::uint64_t k_max_num_seqs_large_gpu = 1024;
inline constexpr std::uint64_t k_max_num_seqs = 256;
inline constexpr std::uint64_t k_large_gpu_bytes = 70ULL << 30;

} // namespace modelpick::engine

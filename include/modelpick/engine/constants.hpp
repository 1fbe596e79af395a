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

// Per-GPU network bandwidth between nodes, one way, for a tensor-parallel group that spans
// nodes (--tp-nodes): one 400 Gb/s NIC per GPU, as NVIDIA's DGX H100 / B200 carry (datasheets:
// "8x single-port NVIDIA ConnectX-7 VPI, 400 Gb/s InfiniBand/Ethernet";
// https://www.nvidia.com/en-us/data-center/dgx-h100/). An assumption: clusters differ.
inline constexpr double k_internode_link_bytes_per_s = 50e9;
inline constexpr std::uint64_t k_max_tp_nodes = 64;

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

// --- serving engines (engine/serving; docs/formulas.md "Serving engines", replayed against
// real start-up logs in docs/validation.md and tests/fixtures/engine_logs/) ---

// vLLM's tokens per profiling forward pass (max_num_batched_tokens) when the user sets none:
// 8192 on GPUs with at least 70 GiB other than the A100 (k_prefill_chunk_tokens above), 2048 on
// the others (A100-80GB logs print 'max_num_batched_tokens=2048'), for
// `vllm serve` (vllm/engine/arg_utils.py, get_batch_defaults, UsageContext.OPENAI_API_SERVER).
inline constexpr std::uint64_t k_vllm_batched_tokens = 2048;

// Memory vLLM finds in use outside PyTorch's allocator after profiling, beyond what it saw
// before loading (cuBLAS workspaces, NCCL and custom all-reduce buffers): "non_torch_memory"
// reads 0.17-0.35 GiB in the start-up logs of tests/fixtures/engine_logs (1x RTX 3090 0.35,
// 2x L40S 0.30, 2x RTX 4090 0.25, 8x L40S 0.17-0.21). 0.25 GiB is their middle.
inline constexpr std::uint64_t k_vllm_non_torch_bytes = 256ULL << 20;
// On Hopper-class GPUs joined by NVLink (FP8 tensor cores and 300+ GB/s links: H100 SXM,
// H200), each further tensor-parallel rank adds all-reduce buffers outside PyTorch (custom and
// symmetric-memory all-reduce): non-torch reads 0.13 GiB at TP 1 and 0.54 GiB at TP 2 on H100s
// (llm-d-benchmark's vLLM 0.11.0 table, config_explorer/empirical-vllm-memory-results.md), and
// TP 8 leaves 2.43 GiB unexplained in two vLLM 0.10.0 H100 logs (fixtures
// vllm-0.10.0-qwen3-*-8xh100): 0.33-0.41 GiB per further rank.
inline constexpr std::uint64_t k_vllm_nvlink_bytes_per_peer = 360ULL << 20;
inline constexpr double k_nvlink_link_bytes_per_s = 300e9;

// The profiling run's activation peak is the larger of the forward pass and the sampler.
// Forward: per batched token, 16-bit copies of about four hidden-sized tensors (residual,
// normed input, attention output, MLP output) and the MLP's three intermediate-sized ones
// (gate, up, activation), per tensor-parallel rank. At Llama-3.1-8B's 118,784 B per token
// this gives 2.21 / 3.21 GiB for the 20,000 / 29,000-token runs that logged 2.07 / 2.99 GiB
// (fixtures vllm-0.6.4-llama-3.1-8b-rtx3090-20k and -29k).
inline constexpr std::uint64_t k_vllm_forward_hidden_copies = 4;
inline constexpr std::uint64_t k_vllm_forward_intermediate_copies = 3;
// Sampler: the dummy sampling step over max_num_seqs rows of fp32 logits holds this many
// vocabulary-sized fp32 copies at its peak. How many depends on vLLM's top-k / top-p code
// (vllm/v1/sample/ops/topk_topp_sampler.py), not on the GPU:
//   sort:  PyTorch's sort-based apply_top_k_top_p (logits, temperature, sort values and int64
//          indices, softmax, cumsum): V0; V1 without FlashInfer ("FlashInfer is not available.
//          Falling back to the PyTorch-native implementation" in the log) and V1 from 0.11.1,
//          which turned the FlashInfer sampler off by default (PR 26859), until the Triton
//          kernels (PR 33538, 2026-02-17).
//   fused: FlashInfer's sampling kernels (V1 up to 0.11.0 where FlashInfer is installed: "Using
//          FlashInfer for top-p & top-k sampling."; again the default from PR 40376, 2026-04-29)
//          or vLLM's Triton top-k / top-p kernels for batches of 8 rows or more (from PR 33538;
//          "does not use extra memory", PR 32558). The default: what current vLLM runs.
// sort was fitted to four logs whose peak is the sampler's (256 rows): Llama-3-8B 1.26 GiB
// (10.3 copies; github.com/vllm-project/vllm/pull/10511), Qwen2.5-7B 1.42 (9.8; .../issues/13882),
// a Qwen2-1.5B-class model 1.39 (9.6; .../issues/12529), Qwen3-235B 1.4 (9.7; fixture
// vllm-0.10.2-qwen3-235b-fp8-8xl40s). Checked out of sample against llm-d-benchmark's vLLM 0.11.0
// H100 table (1024 rows): 4.76 / 5.56 / 7.38 GiB measured, 4.65 / 5.51 / 7.29 predicted.
inline constexpr double k_vllm_sampler_fp32_copies_sort = 9.5;
// fused was fitted to the logs that leave only 0.46-0.65 GiB for non-torch + activation
// (about two copies): four vLLM 0.10.1 runs whose logs say "Using FlashInfer for top-p & top-k
// sampling." (fixtures vllm-0.10.1-qwen2-7b-*a100-tp2-* and -a100-util*) and two vLLM 0.17.1
// runs on the Triton kernels (vllm-0.17.1-*-a100). All six are A100s, which had been read as a
// property of the silicon; the same source's A100-40GB run, whose log says "FlashInfer is not
// available", leaves 1.55 GiB, as sort predicts (fixture vllm-0.10.1-qwen2-7b-2xa100-40gb-*).
inline constexpr double k_vllm_sampler_fp32_copies_fused = 2.0;

// Hybrid models (attention beside Mamba or linear-attention layers) under vLLM's V1 allocator:
// one page size for every layer, so the attention block grows until one block of an attention
// layer holds at least one sequence's recurrent state, in multiples of the kernel's block
// alignment (vllm/model_executor/models/config.py, HybridAttentionMambaModelConfig,
// kernel_block_alignment_size: 16; 64 for MLA attention since 0.11.1), and the state is padded
// to that page ("Padding mamba page size by x%"). Not fitted: read from the source.
inline constexpr std::uint64_t k_vllm_hybrid_block_alignment = 16;
inline constexpr std::uint64_t k_vllm_hybrid_block_alignment_mla = 64;

// SGLang makes mem_fraction_static of the memory free before loading the weights static
// (weights + KV pool; sglang/srt/model_executor/model_runner.py, profile_max_num_token). By
// then the CUDA context (about 0.5 GiB) and torch.distributed's buffers ("Init torch
// distributed ends. mem usage=0.13 GB" at TP 4) are in use; the one H100 log we replay implies
// 2.3 GiB at TP 4 (fixture sglang-qwen3-235b-fp8-4xh100). 1 GiB sits between the two.
inline constexpr std::uint64_t k_sglang_startup_bytes = 1ULL << 30;
// SGLang's default --mem-fraction-static by tensor-parallel size (sglang/srt/server_args.py,
// v0.4: 0.88 at TP 1, 0.87 at TP 2, 0.85 at TP 4, 0.81 at TP 8, 0.79 at TP 16).
inline constexpr double k_sglang_mem_fraction_tp1 = 0.88;
inline constexpr double k_sglang_mem_fraction_tp2 = 0.87;
inline constexpr double k_sglang_mem_fraction_tp4 = 0.85;
inline constexpr double k_sglang_mem_fraction_tp8 = 0.81;
inline constexpr double k_sglang_mem_fraction_tp16 = 0.79;

// llama.cpp keeps a sliding-window layer's cache at the window plus one micro-batch
// (n_ubatch, default 512), padded to 256 cells (src/llama-kv-cache-iswa.cpp, size_swa =
// GGML_PAD(n_swa + n_ubatch, 256) for one sequence).
inline constexpr std::uint64_t k_llama_cpp_ubatch = 512;
inline constexpr std::uint64_t k_llama_cpp_swa_pad = 256;

} // namespace modelpick::engine

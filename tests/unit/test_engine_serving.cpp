// The serving-engine model: hand-computed cases, and every start-up log in
// tests/fixtures/engine_logs replayed against it. docs/validation.md ("Serving engines") is the
// table these replays print with MODELPICK_PRINT_VALIDATION=1; the tolerances are the ones it
// states.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <vector>

#include "catalog_fixture.hpp"
#include "modelpick/catalog/hf_config.hpp"
#include "modelpick/engine/constants.hpp"
#include "modelpick/engine/serving.hpp"
#include "modelpick/error.hpp"

using namespace modelpick;
using engine::ServingEngine;
using engine::ServingRequest;

namespace {

constexpr double k_worst_tolerance = 0.08;  // docs/validation.md: every fixture within 8%
constexpr double k_median_tolerance = 0.02; // and their median within 2%
constexpr double k_gib = 1024.0 * 1024.0 * 1024.0;

engine::ServingPrediction predict(const char* model, const char* precision, const char* gpu, ServingRequest r) {
  const catalog::Catalog& c = embedded_catalog();
  return engine::predict_serving(c.model(model), c.precision(precision), c.gpu(gpu), r);
}

struct Replay {
  std::string id;
  std::string engine;
  std::string quantity;
  double logged = 0;
  double predicted = 0;
  [[nodiscard]] double error() const { return (predicted - logged) / logged; }
};

// "23.58GiB" -> bytes
std::uint64_t gib_text(const std::string& text) {
  return static_cast<std::uint64_t>(std::llround(std::stod(text) * k_gib));
}

Replay replay(const nlohmann::json& f) {
  const catalog::Catalog& c = embedded_catalog();
  const nlohmann::json& flags = f.at("flags");
  ServingRequest r;
  r.engine = *engine::serving_engine_from(f.at("engine").get<std::string>());
  r.tensor_parallel = flags.value("tensor_parallel_size", 1);
  r.pipeline_parallel = flags.value("pipeline_parallel_size", 1);
  r.memory_fraction = flags.value("gpu_memory_utilization", flags.value("mem_fraction_static", 0.0));
  r.max_model_len = flags.value("max_model_len", flags.value("ctx_size", 0));
  r.kv_bytes = flags.value("kv_cache_dtype", "auto") == "auto" ? 2 : 1;
  r.block_size = flags.value("block_size", 16);
  r.max_num_seqs = flags.value("max_num_seqs", 0);
  r.max_num_batched_tokens = flags.value("max_num_batched_tokens", 0);
  if (r.engine == engine::ServingEngine::vllm) {
    // which top-k / top-p code the run used, from its log or its version (sampler_evidence)
    r.sampler = *engine::vllm_sampler_from(f.at("sampler").get<std::string>());
  }
  if (flags.contains("cache_type_k")) {
    r.cache_type_k = *engine::cache_type_from(flags.at("cache_type_k").get<std::string>());
    r.cache_type_v = *engine::cache_type_from(flags.at("cache_type_v").get<std::string>());
  }
  if (flags.contains("n_gpu_layers")) {
    r.gpu_layers = flags.at("n_gpu_layers").get<std::uint64_t>();
  }
  if (f.contains("gpu_memory_logged")) {
    r.gpu_memory_bytes = gib_text(f.at("gpu_memory_logged").get<std::string>());
  }
  const engine::ServingPrediction p = engine::predict_serving(c.model(f.at("model").get<std::string>()),
                                                              c.precision(f.at("precision").get<std::string>()),
                                                              c.gpu(f.at("gpu").get<std::string>()), r);
  const nlohmann::json& logged = f.at("logged");
  Replay out{f.at("id").get<std::string>(), f.at("engine").get<std::string>(), "", 0, 0};
  if (logged.contains("kv_cache_tokens")) {
    out.quantity = "KV tokens";
    out.logged = logged.at("kv_cache_tokens").get<double>();
    out.predicted = static_cast<double>(p.kv_cache_tokens);
  } else if (logged.contains("kv_cache_gib_per_gpu")) {
    out.quantity = "KV GiB per GPU";
    out.logged = logged.at("kv_cache_gib_per_gpu").get<double>();
    out.predicted = static_cast<double>(p.rank.kv_cache_bytes) / k_gib;
  } else {
    out.quantity = "KV MiB";
    out.logged = logged.at("kv_cache_mib").get<double>();
    out.predicted = static_cast<double>(p.kv_cache_bytes + p.rank.host_kv_bytes) / (1024.0 * 1024.0);
  }
  if (logged.contains("starts")) {
    INFO(out.id);
    CHECK(p.starts == logged.at("starts").get<bool>());
  }
  if (logged.contains("block_size")) { // a hybrid's attention block, grown to hold its state: exact
    INFO(out.id);
    CHECK(p.block_size == logged.at("block_size").get<std::uint64_t>());
  }
  return out;
}

} // namespace

TEST_CASE("vLLM on one H100: the budget, less weights, non-torch and the sampler's peak", "[serving]") {
  ServingRequest r;
  r.max_model_len = 8192;
  r.sampler = engine::VllmSampler::sort;
  const auto p = predict("llama-3.1-8b", "bf16", "h100", r);
  // budget: floor(85,045,477,376 x 0.9) = 76,540,929,638 B
  CHECK(p.rank.budget_bytes == 76'540'929'638ULL);
  // weights: 8,030,261,248 params x 2 B = 16,060,522,496 B (no replication: TP 1)
  CHECK(p.rank.weights_bytes == 16'060'522'496ULL);
  // defaults on an 80 GB GPU: 8192 batched tokens, 1024 sequences. Forward: 2 x (4 x 4096 +
  // 3 x 14336) = 118,784 B/token x 8192 = 973,078,528 B. Sampler: floor(9.5 x 1024 x 128,256 x 4)
  // = 4,990,312,448 B: the larger.
  CHECK(p.request.max_num_batched_tokens == 8192);
  CHECK(p.request.max_num_seqs == 1024);
  CHECK(p.rank.activation_bytes == 4'990'697'472ULL);
  // KV: 76,540,929,638 - 16,060,522,496 - 268,435,456 - 4,990,697,472 = 55,221,274,214 B
  CHECK(p.rank.kv_cache_bytes == 55'221'274'214LL);
  // 32 layers x 8 heads x 128 x 2 x 2 B = 131,072 B/token; a block of 16 = 2,097,152 B
  CHECK(p.rank.kv_bytes_per_token == 131'072);
  CHECK(p.rank.blocks == 26'331); // floor(55,221,274,214 / 2,097,152)
  CHECK(p.kv_cache_tokens == 421'296);
  CHECK(p.max_concurrency == Approx(26'331.0 / 512.0)); // 8192 tokens = 512 blocks a request
  // The fused sampler (the default): 2 x 1024 x 128,256 x 4 = 1,050,673,152 B, still above the
  // forward pass; KV 76,540,929,638 - 16,060,522,496 - 268,435,456 - 1,050,673,152 =
  // 59,161,298,534 B = 28,210 blocks = 451,360 tokens
  r.sampler = engine::VllmSampler::fused;
  const auto fused = predict("llama-3.1-8b", "bf16", "h100", r);
  CHECK(fused.rank.activation_bytes == 1'050'673'152ULL);
  CHECK(fused.rank.kv_cache_bytes == 59'161'298'534LL);
  CHECK(fused.rank.blocks == 28'210);
  CHECK(fused.kv_cache_tokens == 451'360);
  CHECK(p.starts);
}

TEST_CASE("vLLM replicates KV heads past TP = KV heads, and splits them below", "[serving]") {
  ServingRequest r;
  r.max_model_len = 32768;
  r.tensor_parallel = 8;
  // Qwen3-235B: 94 layers, 4 KV heads of 128: at TP 8 each rank holds one (replicated) head
  const auto p8 = predict("qwen3-235b-a22b", "fp8", "h100", r);
  CHECK(p8.rank.kv_bytes_per_token == 94ULL * 1 * 128 * 2 * 2);
  r.tensor_parallel = 2;
  const auto p2 = predict("qwen3-235b-a22b", "fp8", "h100", r);
  CHECK(p2.rank.kv_bytes_per_token == 94ULL * 2 * 128 * 2 * 2);
  // the replicated K/V weights: one head of K and V (2 x 128 x 4096 fp8 bytes, no group scales
  // for this per-tensor count) per layer, of which an even share would be half
  CHECK(p8.rank.weights_bytes > p2.rank.weights_bytes / 4);
}

TEST_CASE("vLLM's MLA cache is one latent per layer on every rank", "[serving]") {
  ServingRequest r;
  r.max_model_len = 16384;
  r.tensor_parallel = 8;
  const auto p = predict("deepseek-v3", "fp8", "h200", r);
  // 61 layers x (512 + 64) x 2 B, not divided by TP
  CHECK(p.rank.kv_bytes_per_token == 61ULL * 576 * 2);
  CHECK(p.kv_cache_groups == 1);
}

TEST_CASE("vLLM refuses when one request of max_model_len does not fit", "[serving]") {
  ServingRequest r;
  r.max_model_len = 131072;
  r.memory_fraction = 0.9;
  const auto p = predict("llama-3.1-8b", "bf16", "rtx-4090", r);
  CHECK_FALSE(p.starts);
  CHECK(p.refusal.find("max seq len (131072)") != std::string::npos);
  CHECK(p.kv_cache_tokens < 131072);
}

TEST_CASE("vLLM's hybrid allocator: sliding-window layers in their own groups", "[serving]") {
  ServingRequest r;
  r.max_model_len = 131072;
  // gpt-oss-120b: 36 layers alternating 128-token sliding windows and full attention:
  // 18 + 18 layers, group size 18, two groups; a block holds a page of 18 layers
  const auto p = predict("gpt-oss-120b", "mxfp4", "h100", r);
  CHECK(p.kv_cache_groups == 2);
  CHECK(p.rank.page_bytes == 18ULL * 16 * 8 * 64 * 2 * 2);
  CHECK(p.kv_cache_tokens == p.rank.blocks / 2 * 16);
  // a request takes 8192 blocks of the full group and ceil(127 / 16) + 1 = 9 of the sliding one
  CHECK(p.max_concurrency == Approx(static_cast<double>(p.rank.blocks) / (8192 + 9)));
}

TEST_CASE("SGLang: mem_fraction_static of what is free before loading, less weights", "[serving]") {
  ServingRequest r;
  r.engine = ServingEngine::sglang;
  r.max_model_len = 32768;
  const auto p = predict("llama-3.1-8b", "bf16", "h100", r);
  CHECK(p.request.memory_fraction == Approx(0.88)); // the TP 1 default
  // floor((85,045,477,376 - 1,073,741,824) x 0.88) - 16,060,522,496 = 57,834,604,789 B
  CHECK(p.rank.kv_cache_bytes == 57'834'604'789LL);
  CHECK(p.kv_cache_tokens == 57'834'604'789ULL / 131'072);
}

TEST_CASE("llama.cpp: n_ctx cells of K and V at the cache types, per offloaded layer", "[serving]") {
  ServingRequest r;
  r.engine = ServingEngine::llama_cpp;
  r.max_model_len = 8192;
  r.cache_type_k = *engine::cache_type_from("q8_0");
  r.cache_type_v = *engine::cache_type_from("q4_0");
  r.gpu_layers = 30;
  const auto p = predict("llama-3.1-8b", "int4", "rtx-4090", r);
  // per layer: 8192 x 1024 x 34/32 (K) + 8192 x 1024 x 18/32 (V) = 8,912,896 + 4,718,592
  const std::uint64_t layer = 8'912'896 + 4'718'592;
  CHECK(p.kv_cache_bytes == 30 * layer);
  CHECK(p.rank.host_kv_bytes == 2 * layer);
  CHECK_FALSE(engine::cache_type_from("q3_k").has_value());
}

TEST_CASE("engines: what is not modelled says so", "[serving]") {
  ServingRequest r;
  r.engine = engine::ServingEngine::sglang; // its Mamba state pool is not modelled
  CHECK_THROWS_AS(predict("jamba-1.5-mini", "bf16", "h100", r), Error);
  r.engine = engine::ServingEngine::vllm;
  r.tensor_parallel = 3;
  CHECK_THROWS_AS(predict("llama-3.1-8b", "bf16", "h100", r), Error);
  r.tensor_parallel = 1;
  r.max_model_len = 1u << 20;
  CHECK_THROWS_AS(predict("llama-3.1-8b", "bf16", "h100", r), Error);
}

TEST_CASE("engine start-up logs: predicted KV cache vs logged", "[serving][validation]") {
  std::vector<Replay> rows;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(MODELPICK_FIXTURES "/engine_logs")) {
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    const nlohmann::json f = nlohmann::json::parse(in);
    // every fixture carries its evidence
    REQUIRE(f.at("source").get<std::string>().size() > 10);
    REQUIRE_FALSE(f.at("log").empty());
    if (f.at("engine") == "vllm") {
      REQUIRE(engine::vllm_sampler_from(f.at("sampler").get<std::string>()));
      REQUIRE(f.at("sampler_evidence").get<std::string>().size() > 10);
    }
    rows.push_back(replay(f));
  }
  std::vector<double> errors;
  for (const Replay& row : rows) {
    errors.push_back(std::abs(row.error()));
  }
  std::sort(errors.begin(), errors.end());
  const double median = errors.size() % 2 == 1 ? errors[errors.size() / 2]
                                               : (errors[errors.size() / 2 - 1] + errors[errors.size() / 2]) / 2;
  if (std::getenv("MODELPICK_PRINT_VALIDATION") != nullptr) {
    std::cout
        << "| fixture | engine | quantity | logged | predicted | error |\n| --- | --- | --- | --- | --- | --- |\n";
    for (const Replay& row : rows) {
      std::cout << fmt::format("| {} | {} | {} | {:.2f} | {:.2f} | {:+.1f}% |\n", row.id, row.engine, row.quantity,
                               row.logged, row.predicted, 100 * row.error());
    }
    std::cout << fmt::format("median |error| {:.1f}%, worst {:.1f}% over {} fixtures\n", 100 * median,
                             100 * errors.back(), errors.size());
  }
  REQUIRE(rows.size() >= 12);
  for (const Replay& row : rows) {
    INFO(row.id << ": predicted " << row.predicted << " " << row.quantity << ", logged " << row.logged);
    CHECK(std::abs(row.error()) <= k_worst_tolerance);
  }
  CHECK(median <= k_median_tolerance);
}

TEST_CASE("vLLM: NVLink all-reduce buffers on H100s, and the A100's smaller batch defaults", "[serving]") {
  ServingRequest r;
  r.max_model_len = 32768;
  r.tensor_parallel = 8;
  const auto h100 = predict("qwen3-32b", "bf16", "h100", r);
  // 256 MiB + 7 further ranks x 360 MiB
  CHECK(h100.rank.non_torch_bytes == (256ULL << 20) + 7 * (360ULL << 20));
  const auto l40s = predict("qwen3-32b", "bf16", "l40s", r); // PCIe: no per-peer buffers
  CHECK(l40s.rank.non_torch_bytes == 256ULL << 20);
  r.tensor_parallel = 1;
  // A100: 2048 batched tokens and 256 sequences by default. The fused sampler's 2 copies,
  // 2 x 256 x 151,936 x 4 B = 311,164,928 B, are below the forward pass's
  // 2048 x 2 x (4 x 5,120 + 3 x 25,600) = 398,458,880 B, which is then the peak.
  const auto a100 = predict("qwen3-32b", "bf16", "a100-80gb", r);
  CHECK(a100.request.max_num_batched_tokens == 2048);
  CHECK(a100.request.max_num_seqs == 256);
  CHECK(a100.rank.activation_bytes == 2048ULL * 2 * (4 * 5120 + 3 * 25600));
  // The sampler does not depend on the silicon: PyTorch's sort on the same A100 holds
  // 9.5 x 256 x 151,936 x 4 B = 2,432 x 151,936 x 4 B = 1,478,033,408 B, then the peak
  r.sampler = engine::VllmSampler::sort;
  CHECK(predict("qwen3-32b", "bf16", "a100-80gb", r).rank.activation_bytes == 1'478'033'408ULL);
}

TEST_CASE("vLLM hybrid allocator: Qwen3-Next's block at TP 2 with an fp8 cache, as logged", "[serving]") {
  // A vLLM 0.13.0 start-up of a 4-bit Qwen3-Next-80B-A3B on two L40S (docker logs of host
  // "l40s-180-us-west-or-1", flags tensor_parallel_size 2, max_model_len 32768, kv_cache_dtype
  // fp8; the repository that keeps it was not identified): "Setting attention block size to 1072
  // tokens", and no padding line. By hand, per rank (bf16 state, 32 value heads / TP 2 = 16): conv
  // 3 x (128 x 16 x 2 + 128 x 32) / 2 = 12,288 values x 2 B = 24,576 B, SSM 16 x 128 x 128 x 2 B =
  // 524,288 B: 548,864 B; an attention token 2 (K, V) x 1 head x 256 x 1 B = 512 B; block =
  // 16 x ceil(548,864 / (16 x 512)) = 16 x 67 = 1,072, whose page 1,072 x 512 = 548,864 B is the
  // state exactly (nothing to pad). Its weights as loaded are not compared: the checkpoint keeps
  // more in 16-bit than modelpick's int4 (22.53 GiB logged per rank, 19.74 GiB counted).
  ServingRequest r;
  r.tensor_parallel = 2;
  r.max_model_len = 32768;
  r.kv_bytes = 1;
  const auto p = predict("qwen3-next-80b-a3b", "int4", "l40s", r);
  CHECK(p.block_size == 1072);
  CHECK(p.kv_cache_groups == 4);
}

TEST_CASE("vLLM hybrid allocator: block size, padding and groups as a logged GB300 start-up", "[serving]") {
  // A Gated DeltaNet hybrid whose config fields and vLLM start-up lines are published together:
  // a memory-report test of NVIDIA's srt-slurm tooling, "trimmed from a real GB300 decode worker
  // log" (92 layers: 69 linear_attention + 23 full_attention; 4 KV heads of 256; 16 key and 128
  // value heads of 128, conv kernel 4; bf16 state). It logs "Setting attention block size to
  // 1056 tokens", "Padding mamba page size by 0.19%", "Available KV cache memory: 46.50 GiB" and
  // "Maximum concurrency for 10,240 tokens per request: 38.54x". The fields below that are not in
  // that config (hidden size, vocabulary, FFN widths) do not enter the page arithmetic.
  std::string layer_types;
  for (int i = 0; i < 92; ++i) {
    layer_types += std::string(i == 0 ? "" : ",") + (i < 69 ? "\"linear_attention\"" : "\"full_attention\"");
  }
  const std::string config = R"({"model_type": "qwen3_next", "torch_dtype": "bfloat16", "num_hidden_layers": 92,
    "layer_types": [)" + layer_types +
                             R"(], "num_attention_heads": 32, "num_key_value_heads": 4, "head_dim": 256,
    "hidden_size": 4096, "intermediate_size": 12288, "moe_intermediate_size": 1024, "num_experts": 512,
    "num_experts_per_tok": 10, "shared_expert_intermediate_size": 1024, "vocab_size": 151936,
    "max_position_embeddings": 262144, "linear_num_key_heads": 16, "linear_num_value_heads": 128,
    "linear_key_head_dim": 128, "linear_value_head_dim": 128, "linear_conv_kernel_dim": 4})";
  const catalog::ConfigImport imported = catalog::model_from_hf_config("gdn92/config.json", config);
  const catalog::Catalog& c = embedded_catalog();
  ServingRequest r;
  r.engine = ServingEngine::vllm;
  r.tensor_parallel = 1;
  r.pipeline_parallel = 1;
  r.max_model_len = 10240;
  r.memory_fraction = 0.92;
  const auto p = engine::predict_serving(imported.model, c.precision("nvfp4"), c.gpu("gb300"), r);
  // attention token 2 x 4 x 256 x 2 B = 4,096 B; state (16 x 128 x 2 + 128 x 128) x 3 x 2 B
  // + 128 x 128 x 128 x 2 B = 4,317,184 B; 16 x ceil(4,317,184 / (16 x 4,096)) = 1,056 tokens
  CHECK(p.block_size == 1056);
  CHECK(p.kv_cache_groups == 4); // 23 attention layers in one group, 69 Gated DeltaNet in three
  // one block id: a 1,056 x 4,096 B page in each of the 23 layers of a group
  REQUIRE(p.rank.page_bytes == 1056ULL * 4096 * 23);
  const bool padded = std::any_of(p.assumptions.begin(), p.assumptions.end(), [](const std::string& a) {
    return a.find("the state padded by 0.19%") != std::string::npos;
  });
  CHECK(padded);
  // a request of 10,240 tokens: ceil(10,240 / 1,056) = 10 attention blocks + 1 per state group
  CHECK(p.max_concurrency == Approx(static_cast<double>(p.rank.blocks) / 13));
  // the logged concurrency from the logged cache memory, through these pages
  const auto logged_blocks = static_cast<std::uint64_t>(46.50 * k_gib) / p.rank.page_bytes;
  CHECK(static_cast<double>(logged_blocks) / 13 == Approx(38.54).epsilon(0.0005));
}

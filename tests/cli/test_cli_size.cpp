#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "run.hpp"

using nlohmann::json;

TEST_CASE("size prints a table with the fit and the assumptions", "[cli][size]") {
  const auto r = run_modelpick({"size", "deepseek-v3", "--precision", "fp8", "--gpu", "h200"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("8 × h200 · TP 8 × PP 1 · 1 node") != std::string::npos);
  CHECK(r.out.find("KV cache per token") != std::string::npos);
  CHECK(r.out.find("70,272") != std::string::npos); // MLA bytes per token
  CHECK(r.out.find("GB (10^9)") != std::string::npos);
  CHECK(r.out.find("GiB (2^30)") != std::string::npos);
  CHECK(r.out.find("assumptions") != std::string::npos);
}

TEST_CASE("size --json carries the contract fields", "[cli][size][json]") {
  const auto r = run_modelpick({"size", "deepseek-v3", "--precision", "fp8", "--gpu", "h200", "--json"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  const json j = json::parse(r.out);
  CHECK(j["schema_version"] == 1);
  CHECK(j["model"]["id"] == "deepseek-v3");
  CHECK(j["memory"]["kv_bytes_per_token"] == 70272);
  // 8,192 tokens x 70,272 = 575,668,224
  CHECK(j["memory"]["kv_cache_bytes"] == 575668224);
  // the main model 673,150,545,584 + its MTP layer 15,424,226,416 (test_engine_memory.cpp)
  CHECK(j["memory"]["weights_bytes"] == 688574772000ULL);
  CHECK(j["memory"]["state_bytes_per_sequence"] == 0);
  CHECK(j["memory"]["total_bytes"] == j["memory"]["weights_bytes"].get<std::uint64_t>() +
                                          j["memory"]["kv_cache_bytes"].get<std::uint64_t>() +
                                          j["memory"]["reserve_bytes"].get<std::uint64_t>());
  CHECK(j["fit"]["fits"] == true);
  CHECK(j["fit"]["gpus"] == 8);
  CHECK(j["fit"]["tensor_parallel"] == 8);
  CHECK(j["fit"]["pipeline_parallel"] == 1);
  CHECK(j["fit"]["per_gpu_bytes"].is_number_unsigned());
  CHECK(j["fit"]["max_concurrency"].get<std::uint64_t>() > 1);
  CHECK(j["assumptions"].is_array());
  CHECK_FALSE(j["assumptions"].empty());
}

TEST_CASE("size: bf16 deepseek-v3 on h100 takes three nodes", "[cli][size][json]") {
  const auto r = run_modelpick({"size", "deepseek-v3", "--precision", "bf16", "--gpu", "h100", "--json"});
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["fit"]["gpus"] == 24);
  CHECK(j["fit"]["tensor_parallel"] == 8);
  CHECK(j["fit"]["pipeline_parallel"] == 3);
}

TEST_CASE("size: a layout that does not fit is a value with exit 3", "[cli][size]") {
  const auto r =
      run_modelpick({"size", "deepseek-v3", "--precision", "bf16", "--gpu", "h100", "--gpus", "16", "--json"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.empty());
  const json j = json::parse(r.out);
  CHECK(j["fit"]["fits"] == false);
  CHECK(j["fit"]["gpus"].is_null());
  CHECK(j["fit"]["closest"]["gpus"] == 16);

  const auto table = run_modelpick({"size", "deepseek-v3", "--precision", "bf16", "--gpu", "h100", "--gpus", "16"});
  CHECK(table.exit_code == 3);
  CHECK(table.out.find("DOES NOT FIT") != std::string::npos);
}

TEST_CASE("size accepts aliases and context suffixes and fp8 KV", "[cli][size][json]") {
  const auto r = run_modelpick({"size", "meta-llama/Llama-3.1-70B-Instruct", "--precision", "fp8", "--context", "32k",
                                "--concurrency", "4", "--kv-dtype", "fp8", "--json"});
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["model"]["id"] == "llama-3.1-70b");
  CHECK(j["request"]["context_tokens"] == 32768);
  // 80 x 8 x 128 x 2 x 1 byte = 163,840 per token; x 32,768 x 4 = 21,474,836,480
  CHECK(j["memory"]["kv_bytes_per_token"] == 163840);
  CHECK(j["memory"]["kv_cache_bytes"] == 21474836480ULL);
}

TEST_CASE("a user catalog adds a model", "[cli][catalog]") {
  const auto r = run_modelpick({"--catalog", fixture("overlay_tiny_model.json"), "size", "tiny-test", "--json"});
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["model"]["id"] == "tiny-test");
  // 2 layers x 2 KV heads x 16 dims x 2 (K, V) x 2 bytes = 256 bytes per token
  CHECK(j["memory"]["kv_bytes_per_token"] == 256);
  CHECK(j["fit"]["gpus"] == 1);
  const auto after = run_modelpick({"size", "tiny-test", "--catalog", fixture("overlay_tiny_model.json")});
  CHECK(after.exit_code == 0);
}

TEST_CASE("the documented example overlay works", "[cli][catalog]") {
  const std::string example = std::string(MODELPICK_EXAMPLES) + "/my-catalog.json";
  const auto r = run_modelpick({"--catalog", example, "size", "our-finetune-8b", "--gpu", "my-gpu", "--json"});
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["gpu"]["memory_bytes"] == 100000000000ULL);
  CHECK(j["fit"]["gpus"] == 1);
  // the overlay turns H100 nodes into 4-GPU nodes: tensor parallel stops at 4, pipeline stages add nodes
  const auto h100 = run_modelpick({"--catalog", example, "size", "deepseek-v3", "--gpu", "h100", "--json"});
  REQUIRE(h100.exit_code == 0);
  const json k = json::parse(h100.out);
  CHECK(k["fit"]["tensor_parallel"] == 4);
  CHECK(k["gpu"]["gpus_per_node"] == 4);
}

TEST_CASE("list shows models and GPUs and precisions", "[cli][list]") {
  const auto models = run_modelpick({"list", "--json"});
  REQUIRE(models.exit_code == 0);
  const json j = json::parse(models.out);
  // an array, one object per model: `modelpick list --json | jq length` counts the models
  REQUIRE(j.is_array());
  CHECK(j.size() >= 80);
  CHECK(j[0]["schema_version"] == 1);
  CHECK(j[0].contains("license"));
  std::size_t api_only = 0;
  for (const auto& m : j) {
    api_only += m["category"] == "api-only" ? 1 : 0;
  }
  CHECK(api_only >= 10);
  const auto gpus = run_modelpick({"list", "--gpus"});
  CHECK(gpus.exit_code == 0);
  CHECK(gpus.out.find("h200") != std::string::npos);
  const auto precisions = run_modelpick({"list", "--precisions"});
  CHECK(precisions.out.find("int4") != std::string::npos);
}

TEST_CASE("help and version go to stdout with exit 0", "[cli][help]") {
  const auto help = run_modelpick({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("size") != std::string::npos);
  const auto size_help = run_modelpick({"size", "--help"});
  CHECK(size_help.exit_code == 0);
  CHECK(size_help.out.find("--gpu-memory-utilization") != std::string::npos);
  const auto version = run_modelpick({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.find("modelpick ") == 0);
  // --version names the date of the catalog the documents carry.
  const auto doc = run_modelpick({"size", "llama-3.1-8b", "--json"});
  const std::string key = "\"catalog_version\": \"";
  const auto at = doc.out.find(key);
  REQUIRE(at != std::string::npos);
  const std::string date = doc.out.substr(at + key.size(), 10);
  CHECK(version.out.find("(catalog " + date + ")") != std::string::npos);
}

TEST_CASE("show prints what the catalog knows with sources", "[cli][show]") {
  const auto r = run_modelpick({"show", "deepseek-v3"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("MLA") != std::string::npos);
  CHECK(r.out.find("58 of 61 layers") != std::string::npos); // first_k_dense_replace 3
  CHECK(r.out.find("sources") != std::string::npos);
  const auto j = json::parse(run_modelpick({"show", "deepseek-v3", "--json"}).out);
  CHECK(j["model"]["kv_bytes_per_token"] == 70272);
  CHECK(j["model"]["weights_bytes"]["fp8"] == 688574772000ULL); // with its MTP layer
  CHECK(j["model"]["architecture"]["mla"]["kv_lora_rank"] == 512);
  CHECK_FALSE(j["model"]["sources"]["architecture"].get<std::string>().empty());
  const auto api = json::parse(run_modelpick({"show", "gpt-5", "--json"}).out);
  CHECK(api["model"]["self_hostable"] == false);
  CHECK(api["model"]["provider"] == "OpenAI");
}

TEST_CASE("list filters and sorts models", "[cli][list]") {
  const auto moe = json::parse(run_modelpick({"list", "--category", "moe", "--sort", "active", "--json"}).out);
  REQUIRE(moe.size() >= 2);
  for (const auto& m : moe) {
    CHECK(m["category"] == "moe");
  }
  for (std::size_t i = 1; i < moe.size(); ++i) {
    CHECK(moe[i - 1]["params_active"].get<std::uint64_t>() >= moe[i]["params_active"].get<std::uint64_t>());
  }
  const auto small = json::parse(
      run_modelpick({"list", "--open-weights", "--min-context", "128k", "--max-active", "20B", "--json"}).out);
  REQUIRE_FALSE(small.empty());
  for (const auto& m : small) {
    CHECK(m["self_hostable"] == true);
    CHECK(m["max_context_tokens"].get<std::uint64_t>() >= 131072);
    CHECK(m["params_active"].get<std::uint64_t>() <= 20'000'000'000ULL);
  }
  const auto apache = json::parse(run_modelpick({"list", "--license", "apache-2.0", "--json"}).out);
  for (const auto& m : apache) {
    CHECK(m["license"] == "apache-2.0");
  }
}

TEST_CASE("size --explain prints the formulas with their numbers, and --json carries them", "[cli][size]") {
  const auto r = run_modelpick({"size", "llama-3.1-8b", "--explain", "--engine", "none"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("How these numbers are computed") != std::string::npos);
  CHECK(r.out.find("embedding = vocabulary 128,256 × hidden 4,096 = 525,336,576") != std::string::npos);
  CHECK(r.out.find("2 (K, V) × 8 KV heads × 128 head_dim × 2 B, × 32 layers = 131,072 B") != std::string::npos);
  // the bare lower bound: floor(85,045,477,376 x 0.9) usable, 3 GiB reserve
  CHECK(r.out.find("max concurrency = floor((76,540,929,638 − 16,060,522,496 − 3,221,225,472) / 1,073,741,824) = 53") !=
        std::string::npos);
  // the default, vLLM's accounting: 256 MiB non-torch (one GPU, no peers) and the fused
  // sampler's peak 2 x 1,024 seqs x 128,256 x 4 B = 1,050,673,152 (above the forward pass's
  // 973,078,528) leave 59,161,298,534 B: 28,210 blocks of 32 layers x 16 tokens x 4,096 B,
  // 451,360 tokens; 512 blocks per 8,192-token request: 55
  const auto v = run_modelpick({"size", "llama-3.1-8b", "--explain"});
  REQUIRE(v.exit_code == 0);
  CHECK(v.out.find("activation peak = max(forward pass, sampler) of the profiling run (engine/constants.hpp) = "
                   "1,050,673,152 B") != std::string::npos);
  CHECK(v.out.find("KV cache = 76,540,929,638 − 16,060,522,496 − 1,319,108,608 = 59,161,298,534 B") !=
        std::string::npos);
  CHECK(v.out.find("KV cache tokens = whole blocks of every layer group × block size = 451,360") != std::string::npos);
  CHECK(v.out.find("= 55 (≥ 1 requested: fits)") != std::string::npos);
  const auto j = run_modelpick({"size", "llama-3.1-8b", "--explain", "--json"});
  REQUIRE(j.exit_code == 0);
  const json doc = json::parse(j.out);
  REQUIRE(doc["explain"].is_array());
  CHECK(doc["explain"][0]["title"] == "Parameters (from the architecture)");
  CHECK(doc["explain"][0]["steps"][0]["result"] == "41,943,040");
}

TEST_CASE("size: pipeline stages inside a node, evenly for vLLM-style layouts, any split for llama.cpp",
          "[cli][size]") {
  // Llama-3.1-70B has 80 layers: 5 stages split them evenly (16 each), so TP 1 x PP 5 is a
  // layout of 5 GPUs; 3 stages do not, so 3 GPUs are refused for the engine-neutral plan ...
  const auto five = run_modelpick({"size", "llama-3.1-70b", "--gpu", "h100", "--gpus", "5", "--json"});
  INFO(five.err);
  REQUIRE((five.exit_code == 0 || five.exit_code == 3));
  const auto j = nlohmann::json::parse(five.out);
  const auto& fit = j["fit"]["fits"] == true ? j["fit"] : j["fit"]["closest"];
  CHECK(fit["tensor_parallel"] == 1);
  CHECK(fit["pipeline_parallel"] == 5);
  const auto three = run_modelpick({"size", "llama-3.1-70b", "--gpu", "h100", "--gpus", "3"});
  CHECK(three.exit_code == 2);
  CHECK(three.err.find("--gpus 3 is not a valid layout") != std::string::npos);
  // ... while llama.cpp splits the layers over any number of GPUs
  const auto cpp = run_modelpick({"size", "llama-3.1-70b", "--precision", "int4", "--gpu", "rtx-3090", "--gpus", "3",
                                  "--engine", "llama.cpp", "--ctx-size", "8k", "--json"});
  INFO(cpp.err);
  REQUIRE((cpp.exit_code == 0 || cpp.exit_code == 3));
  const auto c = nlohmann::json::parse(cpp.out);
  CHECK(c["fit"]["gpus"] == 3);
  CHECK(c["fit"]["pipeline_parallel"] == 3);
}

TEST_CASE("size --concurrency max answers how many sequences fit", "[cli][size]") {
  const auto m = nlohmann::json::parse(
      run_modelpick({"size", "llama-3.1-8b", "--gpu", "h100", "--context", "32k", "--concurrency", "max", "--json"})
          .out);
  const auto n = m["fit"]["max_concurrency"].get<std::uint64_t>();
  CHECK(m["request"]["concurrency"] == 1);
  // n fit, n + 1 do not
  CHECK(run_modelpick({"size", "llama-3.1-8b", "--gpu", "h100", "--gpus", "1", "--context", "32k", "--concurrency",
                       std::to_string(n)})
            .exit_code == 0);
  CHECK(run_modelpick({"size", "llama-3.1-8b", "--gpu", "h100", "--gpus", "1", "--context", "32k", "--concurrency",
                       std::to_string(n + 1)})
            .exit_code == 3);
}

TEST_CASE("size --tp-nodes: tensor parallelism over whole nodes, without the NVLink all-reduce buffers",
          "[cli][size]") {
  // DeepSeek-V3 at fp8 on H100s needs 16 GPUs. Inside a node TP stops at 8 and a second node is
  // a pipeline stage; with --tp-nodes 2 TP 16 spans both. vLLM's custom all-reduce, which keeps
  // a buffer per NVLink peer, is off across nodes: non-torch memory is the base figure alone
  // (0.25 GiB), where TP 8 adds 7 peers of 360 MiB
  const auto inside = run_modelpick({"size", "deepseek-v3", "--precision", "fp8", "--gpu", "h100", "--json"});
  const auto across =
      run_modelpick({"size", "deepseek-v3", "--precision", "fp8", "--gpu", "h100", "--tp-nodes", "2", "--json"});
  REQUIRE(inside.exit_code == 0);
  REQUIRE(across.exit_code == 0);
  const auto a = nlohmann::json::parse(inside.out)["fit"];
  const auto b = nlohmann::json::parse(across.out);
  CHECK(a["tensor_parallel"] == 8);
  CHECK(a["pipeline_parallel"] == 2);
  CHECK(a["per_gpu"]["non_torch_bytes"] == (256ULL << 20) + 7 * (360ULL << 20));
  CHECK(b["fit"]["tensor_parallel"] == 16);
  CHECK(b["fit"]["pipeline_parallel"] == 1);
  CHECK(b["fit"]["per_gpu"]["non_torch_bytes"] == 256ULL << 20);
  bool said = false;
  for (const auto& s : b["assumptions"]) {
    said = said || s.get<std::string>().find("TP 16 spans 2 nodes (--tp-nodes 2)") != std::string::npos;
  }
  CHECK(said);
  // the engine's own flag follows: TP 16 is refused on one node, accepted over two
  const auto one = run_modelpick({"size", "deepseek-v3", "--precision", "fp8", "--gpu", "h100", "--engine", "vllm",
                                  "--tensor-parallel-size", "16"});
  CHECK(one.exit_code == 2);
  CHECK(one.err.find("--tp-nodes N lets it span N nodes") != std::string::npos);
  const auto two = run_modelpick({"size", "deepseek-v3", "--precision", "fp8", "--gpu", "h100", "--engine", "vllm",
                                  "--tensor-parallel-size", "16", "--tp-nodes", "2", "--json"});
  CHECK(two.exit_code == 0);
  // a bad count is named
  const auto bad = run_modelpick({"size", "llama-3.1-8b", "--tp-nodes", "0"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--tp-nodes '0' is out of range: expected a whole number from 1 to 64") != std::string::npos);
  CHECK(bad.out.empty());
}

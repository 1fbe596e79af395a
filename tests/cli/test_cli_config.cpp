#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "run.hpp"

using nlohmann::json;

namespace {

json size_config(const std::string& file, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"size", "--config", fixture("hf/" + file), "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_modelpick(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

json size_catalog(const std::string& id, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"size", id, "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  return json::parse(run_modelpick(args).out);
}

} // namespace

TEST_CASE("a config.json sizes exactly as the catalog entry built from it", "[cli][config]") {
  // the entries of 2025-26 were built by `catalog add` from these same files
  for (const auto& [file, id] : std::vector<std::pair<std::string, std::string>>{
           {"llama-3.1-8b.json", "llama-3.1-8b"},
           {"gemma-2-27b.json", "gemma-2-27b"},
           {"deepseek-v3.json", "deepseek-v3"},
           {"qwen3-next-80b-a3b-instruct.json", "Qwen/Qwen3-Next-80B-A3B-Instruct"},
           {"kimi-linear-48b-a3b-instruct.json", "moonshotai/Kimi-Linear-48B-A3B-Instruct"},
           {"glm-4.7-flash.json", "zai-org/GLM-4.7-Flash"},
           {"smollm3-3b.json", "HuggingFaceTB/SmolLM3-3B"},
           {"phi-4-mini-instruct.json", "microsoft/Phi-4-mini-instruct"}}) {
    INFO(file);
    const json c = size_config(file, {"--precision", "bf16", "--gpu", "h200"});
    const json k = size_catalog(id, {"--precision", "bf16", "--gpu", "h200"});
    CHECK(c["model"]["params_total"] == k["model"]["params_total"]);
    CHECK(c["memory"]["weights_bytes"] == k["memory"]["weights_bytes"]);
    CHECK(c["memory"]["kv_bytes_per_token"] == k["memory"]["kv_bytes_per_token"]);
    CHECK(c["memory"]["kv_cache_bytes"] == k["memory"]["kv_cache_bytes"]);
    CHECK(c["memory"]["state_bytes_per_sequence"] == k["memory"]["state_bytes_per_sequence"]);
  }
}

TEST_CASE("config: braces inside strings are not nesting", "[cli][config]") {
  // a chat template holding an escaped quote followed by 40 braces is still a flat object
  const json j = size_config("llama-escaped-quotes.json");
  CHECK(j["memory"]["kv_bytes_per_token"] == 131072);
}

TEST_CASE("config: the checkpoint's dtype and quantization are read", "[cli][config]") {
  // llama: torch_dtype bfloat16; 32 x 8 x 128 x 2 x 2 = 131,072 bytes per token
  const json llama = size_config("llama-3.1-8b.json");
  CHECK(llama["precision"]["id"] == "bf16");
  CHECK(llama["memory"]["kv_bytes_per_token"] == 131072);
  // deepseek-v3: quantization_config fp8 with 128 x 128 blocks (one fp32 scale per 16,384
  // weights) -> the main model's 673,150,545,584 B + its MTP layer's 15,424,226,416 B (worked in
  // test_engine_plan.cpp); the parameters are the published "685B ... 671B of the Main Model
  // weights and 14B of the Multi-Token Prediction (MTP) Module weights" (DeepSeek-V3 README)
  const json ds = size_config("deepseek-v3.json", {"--gpu", "h200"});
  CHECK(ds["precision"]["id"] == "fp8");
  CHECK(ds["precision"]["group_size"] == 16384);
  CHECK(ds["memory"]["weights_bytes"] == 688574772000ULL);
  CHECK(ds["model"]["params_total"].get<std::uint64_t>() > 684'000'000'000ULL);
  CHECK(ds["model"]["params_total"].get<std::uint64_t>() < 685'500'000'000ULL);
  CHECK(ds["model"]["max_context_tokens"] == 163840);
  // gemma2 without tie_word_embeddings: assumed tied, and said so
  const json gemma = size_config("gemma-2-27b.json");
  bool said = false;
  for (const auto& a : gemma["assumptions"]) {
    said = said || a.get<std::string>().find("tie_word_embeddings: not in the file") != std::string::npos;
  }
  CHECK(said);
}

TEST_CASE("config: gpt-oss layer_types, expert biases and MXFP4 experts", "[cli][config]") {
  const json j = size_config("gpt-oss-style.json", {"--context", "1000"});
  // per layer: attention 256x256 + 2 x 256x64 + 256x256 = 163,840; q/k/v biases 384; norms 512;
  // experts 8 x 3 x 256 x 256 = 1,572,864; router 2,048; expert biases 8 x (2 x 256 + 256) = 6,144
  // -> 1,745,792 x 4 layers + untied embeddings 2 x 256,000 + final norm 256 = 7,495,424
  CHECK(j["model"]["params_total"] == 7495424);
  CHECK(j["precision"]["id"] == "mxfp4");
  // mxfp4 experts: 1,572,864 x 4 bits + 49,152 scales x 8 bits = 835,584 B per layer; the rest
  // 16-bit: (163,840 + 9,088) x 2 = 345,856 B -> 1,181,440 x 4 + (512,000 + 256) x 2 = 5,750,272
  CHECK(j["memory"]["weights_bytes"] == 5750272);
  // KV: 4 layers x 2 x 2 heads x 32 x 2 B = 1,024 per token; 1,000 tokens on the 2 full layers
  // (512,000) + 128 tokens on the 2 sliding layers (65,536) = 577,536
  CHECK(j["memory"]["kv_bytes_per_token"] == 1024);
  CHECK(j["memory"]["kv_cache_bytes"] == 577536);
}

TEST_CASE("config: malformed files are clear errors", "[cli][config][errors]") {
  const auto check = [](const std::string& file, int code, const std::string& needle) {
    const auto r = run_modelpick({"size", "--config", fixture("hf/" + file)});
    INFO(file << ": " << r.err);
    CHECK(r.exit_code == code);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("modelpick: error: ", 0) == 0);
    CHECK(r.err.find(needle) != std::string::npos);
  };
  check("bad_missing_layers.json", 1, "missing \"num_hidden_layers\"");
  // any model_type is read by its fields; what decides memory and is missing is named
  check("bad_type.json", 1,
        "missing \"hidden_size\" or \"d_model\" or \"n_embd\" (an integer), which decides "
        "memory");
  check("bad_negative.json", 1, "\"num_hidden_layers\" must be an integer");
  check("bad_layer_types.json", 1, "\"layer_types\" has 2 entries for 3 layers");
  check("../bad_truncated.json", 1, "not valid JSON");
  check("../bad_deep.json", 1, "nested deeper");
  check("missing.json", 1, "no such file");
  const auto both = run_modelpick({"size", "llama-3.1-8b", "--config", fixture("hf/llama-3.1-8b.json")});
  CHECK(both.exit_code == 2);
  CHECK(both.err.find("one of them") != std::string::npos);
}

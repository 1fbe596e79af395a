// size --engine: the engine's flags, the table section, the JSON contract and bad values.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "run.hpp"

using nlohmann::json;

TEST_CASE("size --engine vllm --json carries engine.kv_cache_tokens, kv_cache_bytes, max_concurrency",
          "[cli][engine][json]") {
  const auto r =
      run_modelpick({"size", "llama-3.1-8b", "--gpu", "h100", "--engine", "vllm", "--max-model-len", "8192", "--json"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  const json j = json::parse(r.out);
  const json& e = j["engine"];
  CHECK(e["name"] == "vllm");
  // the unit test derives these by hand: 28,210 blocks of 16 tokens of 131,072 B with the fused
  // sampler (the default), 26,331 with PyTorch's sort
  CHECK(e["sampler"] == "fused");
  CHECK(e["kv_cache_tokens"] == 451360);
  CHECK(e["kv_cache_blocks"] == 28210);
  CHECK(e["kv_cache_bytes"] == 28210ULL * 16 * 131072);
  CHECK(e["max_concurrency"].get<double>() == Approx(28210.0 / 512));
  const auto sort = run_modelpick({"size", "llama-3.1-8b", "--gpu", "h100", "--engine", "vllm", "--max-model-len",
                                   "8192", "--sampler", "sort", "--json"});
  REQUIRE(sort.exit_code == 0);
  const json sorted = json::parse(sort.out);
  const json& s = sorted["engine"];
  CHECK(s["sampler"] == "sort");
  CHECK(s["kv_cache_tokens"] == 421296);
  CHECK(s["kv_cache_blocks"] == 26331);
  const auto bad = run_modelpick({"size", "llama-3.1-8b", "--engine", "vllm", "--sampler", "flashinfer"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.empty());
  CHECK(bad.err == "modelpick: error: --sampler 'flashinfer' is not accepted: expected fused or sort\n");
  CHECK(e["starts"] == true);
  CHECK(e["refusal"].is_null());
  CHECK(e["per_gpu"]["weights_bytes"] == 16060522496ULL);
  CHECK(e["per_gpu"]["budget_bytes"].get<std::int64_t>() - e["per_gpu"]["weights_bytes"].get<std::int64_t>() -
            e["per_gpu"]["non_torch_bytes"].get<std::int64_t>() -
            e["per_gpu"]["activation_peak_bytes"].get<std::int64_t>() ==
        e["per_gpu"]["kv_cache_bytes"].get<std::int64_t>());
  // the plan sizes the same context the engine admits
  CHECK(j["request"]["context_tokens"] == 8192);
}

TEST_CASE("size --engine vllm: the table shows the subtraction and vLLM's own lines", "[cli][engine]") {
  const auto r = run_modelpick({"size", "qwen2.5-32b", "--gpu", "l40s", "--engine", "vllm", "--tensor-parallel-size",
                                "2", "--max-model-len", "10000", "--max-num-seqs", "256"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("vLLM: TP 2 × PP 1 on 2 × NVIDIA L40S") != std::string::npos);
  CHECK(r.out.find("budget (× 0.90 --gpu-memory-utilization)") != std::string::npos);
  CHECK(r.out.find("GPU KV cache size: ") != std::string::npos);
  CHECK(r.out.find("Maximum concurrency for 10,000 tokens per request: ") != std::string::npos);
}

TEST_CASE("size --engine: without TP the plan's layout is used; vLLM's refusal is exit 3", "[cli][engine]") {
  const auto big = run_modelpick({"size", "deepseek-v3", "--precision", "fp8", "--gpu", "h200", "--engine", "vllm",
                                  "--max-model-len", "32k", "--json"});
  REQUIRE(big.exit_code == 0);
  const json j = json::parse(big.out);
  CHECK(j["engine"]["tensor_parallel"] == 8);
  CHECK(j["engine"]["per_gpu"]["kv_bytes_per_token"] == 61 * 576 * 2); // MLA: not split by TP

  // Llama-3.1-8B at its full 131,072 tokens on one RTX 4090 (the plan alone would take two)
  const auto small = run_modelpick(
      {"size", "llama-3.1-8b", "--gpu", "rtx-4090", "--engine", "vllm", "--tensor-parallel-size", "1", "--json"});
  CHECK(small.exit_code == 3);
  const json s = json::parse(small.out);
  CHECK(s["engine"]["starts"] == false);
  CHECK(s["engine"]["refusal"].get<std::string>().find("max seq len (131072)") != std::string::npos);
}

TEST_CASE("size --engine sglang and llama.cpp", "[cli][engine][json]") {
  const auto sg = run_modelpick({"size", "llama-3.1-8b", "--gpu", "h100", "--engine", "sglang", "--context-length",
                                 "32k", "--mem-fraction-static", "0.8", "--json"});
  REQUIRE(sg.exit_code == 0);
  const json s = json::parse(sg.out)["engine"];
  CHECK(s["name"] == "sglang");
  CHECK(s["memory_fraction"] == Approx(0.8));
  // floor((85,045,477,376 - 2^30) x 0.8) - 16,060,522,496 = 51,116,865,945 B / 131,072 B a token
  CHECK(s["kv_cache_tokens"] == 389990);

  const auto lc =
      run_modelpick({"size", "qwen2.5-coder-32b", "--precision", "int8", "--gpu", "rtx-3090", "--engine", "llama.cpp",
                     "--ctx-size", "32768", "--cache-type-k", "q8_0", "--cache-type-v", "q8_0", "--json"});
  REQUIRE(lc.exit_code == 0);
  const json l = json::parse(lc.out)["engine"];
  // 64 layers x 2 x 1,024 x 34/32 B x 32,768 = 4,563,402,752 B (llama.cpp logs 4352.00 MiB)
  CHECK(l["kv_cache_bytes"] == 4563402752ULL);
  CHECK(l["kv_cache_tokens"] == 32768);
  CHECK(l["cache_type_k"] == "q8_0");
}

TEST_CASE("size --engine: bad values and misplaced flags are one-line usage errors", "[cli][engine][errors]") {
  struct Case {
    std::vector<std::string> args;
    std::string needle;
  };
  const std::vector<Case> cases = {
      {{"--engine", "vlm"}, "--engine 'vlm' is not accepted: expected vllm, sglang or llama.cpp"},
      {{"--engine", "vllm", "--block-size", "7"}, "--block-size '7' is not accepted"},
      {{"--engine", "vllm", "--block-size", "0"}, "--block-size '0'"},
      {{"--block-size", "16"}, "--block-size needs --engine"},
      {{"--max-model-len", "8k"}, "--max-model-len needs --engine"},
      {{"--engine", "sglang", "--block-size", "16"}, "--block-size is a vLLM flag, but --engine is sglang"},
      {{"--engine", "vllm", "--mem-fraction-static", "0.8"}, "--mem-fraction-static is a SGLang flag"},
      {{"--engine", "vllm", "--cache-type-k", "q8_0"}, "--cache-type-k is a llama.cpp flag"},
      {{"--engine", "vllm", "--tensor-parallel-size", "3"}, "--tensor-parallel-size 3 is not accepted"},
      {{"--engine", "vllm", "--tensor-parallel-size", "0"}, "--tensor-parallel-size '0'"},
      {{"--engine", "vllm", "--tensor-parallel-size", "2", "--gpus", "4"}, "--gpus 4 does not match"},
      {{"--engine", "vllm", "--max-model-len", "1M"}, "--max-model-len 1,048,576 exceeds"},
      {{"--engine", "vllm", "--max-model-len", "abc"}, "--max-model-len 'abc'"},
      {{"--engine", "vllm", "--max-num-seqs", "0"}, "--max-num-seqs '0'"},
      {{"--engine", "vllm", "--max-num-batched-tokens", "-5"}, "--max-num-batched-tokens '-5'"},
      {{"--engine", "vllm", "--kv-cache-dtype", "int3"}, "--kv-dtype 'int3'"},
      {{"--engine", "sglang", "--mem-fraction-static", "1.5"}, "--mem-fraction-static '1.5'"},
      {{"--engine", "sglang", "--mem-fraction-static", "0"}, "--mem-fraction-static '0'"},
      {{"--engine", "llama.cpp", "--cache-type-k", "q3"}, "--cache-type-k 'q3' is not accepted"},
      {{"--engine", "llama.cpp", "--kv-cache-dtype", "fp8"}, "is not a llama.cpp flag"},
      {{"--engine", "llama.cpp", "--n-gpu-layers", "x"}, "--n-gpu-layers 'x'"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"size", "llama-3.1-8b", "--json"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = run_modelpick(args);
    INFO(c.needle << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find(c.needle) != std::string::npos);
  }
  const auto jamba = run_modelpick({"size", "jamba-1.5-mini", "--engine", "sglang"});
  CHECK(jamba.exit_code == 2);
  CHECK(jamba.out.empty());
  CHECK(jamba.err.find("not modelled for jamba-1.5-mini's mamba layers") != std::string::npos);
}

TEST_CASE("size --engine: a config whose heads would leave head_dim 0 is refused by name", "[cli][engine]") {
  // found by fuzz_hf_config: 832 heads over a hidden size of 512 would derive head_dim 0 and a
  // KV cache of 0 bytes, a silent wrong answer; the field that decides it is named instead
  for (const char* engine : {"vllm", "sglang", "llama.cpp"}) {
    const auto r = run_modelpick({"size", "--config", fixture("hf/engine_no_kv_heads.json"), "--engine", engine});
    INFO(engine << ": " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find("\"hidden_size\" 512 is smaller than \"num_attention_heads\" 832 and there is no \"head_dim\"") !=
          std::string::npos);
  }
}

TEST_CASE("size --engine llama.cpp: recurrent layers' state is counted with the KV cache", "[cli][engine]") {
  const auto r = run_modelpick({"size", "--config", fixture("hf/qwen3-next-80b-a3b-instruct.json"), "--gpu", "h200",
                                "--engine", "llama.cpp", "--ctx-size", "32k", "--json"});
  INFO(r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 3));
  const json j = json::parse(r.out);
  // 12 attention layers x 2 x 2 KV heads x 256 x 2 B (f16) x 32,768 cells = 805,306,368; 36 Gated
  // DeltaNet layers in f32 (llama.cpp's r and s caches): 36 x (8,192 x 3 x 4 + 32 x 128 x 128 x 4)
  // = 36 x 2,195,456 = 79,036,416 for one sequence
  CHECK(j["engine"]["state_bytes"] == 79036416);
  CHECK(j["engine"]["kv_cache_bytes"] == 805306368ULL + 79036416ULL);
  // SGLang's state pool is not modelled: refused by name, not guessed
  const auto s = run_modelpick(
      {"size", "--config", fixture("hf/qwen3-next-80b-a3b-instruct.json"), "--gpu", "h200", "--engine", "sglang"});
  CHECK(s.exit_code == 2);
  CHECK(s.out.empty());
  CHECK(s.err.find("--engine sglang: not modelled for") != std::string::npos);
}

TEST_CASE("size --engine vllm: a hybrid's state sets the block size and takes a block per group", "[cli][engine]") {
  // Qwen3-Next-80B-A3B at TP 4 (config.json: 48 layers, full attention every 4th; 2 KV heads of
  // 256; Gated DeltaNet with 16 key heads and 32 value heads of 128, conv kernel 4; bf16).
  // Per rank, vLLM's state shapes (mamba_utils.py, gated_delta_net_state_shape):
  //   conv (4 - 1) x (128 x 16 x 2 + 128 x 32) / 4 = 3 x 2,048 values x 2 B = 12,288 B
  //   SSM  32 / 4 x 128 x 128 = 131,072 values x 2 B                       = 262,144 B
  // An attention layer's token on a rank: 2 KV heads / TP 4 -> 1 head replicated, K and V of
  // 256 x 2 B = 1,024 B. HybridAttentionMambaModelConfig: block = 16 x ceil(274,432 / (16 x
  // 1,024)) = 272 tokens; page = 272 x 1,024 = 278,528 B (the state padded 1.49%).
  // Groups of 12 layers: 12 attention -> 1 group, 36 Gated DeltaNet -> 3 groups.
  const auto r = run_modelpick({"size", "--config", fixture("hf/qwen3-next-80b-a3b-instruct.json"), "--gpu", "h200",
                                "--engine", "vllm", "--tensor-parallel-size", "4", "--max-model-len", "32k", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json e = json::parse(r.out)["engine"];
  CHECK(e["block_size"] == 272);
  CHECK(e["kv_cache_groups"] == 4);
  const auto kv = e["per_gpu"]["kv_cache_bytes"].get<std::uint64_t>();
  const std::uint64_t blocks = kv / (278'528ULL * 12);
  CHECK(e["kv_cache_blocks"] == blocks);
  // vLLM up to 0.20 logs blocks / groups x block size
  CHECK(e["kv_cache_tokens"] == blocks / 4 * 272);
  // a request of 32,768 tokens: ceil(32,768 / 272) = 121 attention blocks + 1 per state group
  CHECK(e["max_concurrency"].get<double>() == Approx(static_cast<double>(blocks) / (121 + 3)));
}

TEST_CASE("size --engine vllm: LatentMoE's projections are whole on every rank", "[cli][engine]") {
  // Nemotron 3 Super at bf16: 247,151,441,920 B stored, of which the MTP layer's 5,813,346,304 B
  // vLLM does not load -> 241,338,095,616 B to split. nemotron_h.py builds fc1/fc2_latent_proj
  // as ReplicatedLinear: 40 MoE layers x 2 x 4,096 x 1,024 x 2 B = 671,088,640 B on every rank,
  // where an even share would be 1/TP of it.
  //   TP 2: 120,669,047,808 + 671,088,640 / 2 = 121,004,592,128
  //   TP 4: 60,334,523,904 + 671,088,640 x 3/4 = 503,316,480, and 2 KV heads < TP 4: each rank
  //   holds one head of K and V in the 8 attention layers (not the 80 others): 8 x 2 x 128 x
  //   4,096 x 2 B = 16,777,216, half of it beyond an even share -> 8,388,608;
  //   60,334,523,904 + 503,316,480 + 8,388,608 = 60,846,228,992
  for (const auto& [tp, bytes] :
       std::vector<std::pair<std::string, std::uint64_t>>{{"2", 121'004'592'128ULL}, {"4", 60'846'228'992ULL}}) {
    INFO("TP " << tp);
    const auto r = run_modelpick({"size", "nemotron-3-super-120b-a12b", "--gpu", "h200", "--engine", "vllm",
                                  "--tensor-parallel-size", tp, "--max-model-len", "32k", "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(json::parse(r.out)["engine"]["per_gpu"]["weights_bytes"] == bytes);
  }
}

TEST_CASE("size --engine: fewer concurrent requests than --concurrency is exit 3, with the report", "[cli][engine]") {
  const auto r = run_modelpick({"size", "llama-3.1-8b", "--gpu", "h100", "--engine", "vllm", "--max-model-len", "128k",
                                "--tensor-parallel-size", "1", "--concurrency", "16", "--json"});
  INFO(r.err);
  CHECK(r.exit_code == 3);
  const json j = json::parse(r.out);
  CHECK(j["engine"]["starts"] == true);
  CHECK(j["engine"]["max_concurrency"].get<double>() < 16);
  const auto few = run_modelpick({"size", "llama-3.1-8b", "--gpu", "h100", "--engine", "vllm", "--max-model-len",
                                  "128k", "--concurrency", "2", "--json"});
  CHECK(few.exit_code == 0);
}

TEST_CASE("size --engine vllm: max_model_len defaults to the checkpoint's, and the checkpoint's is accepted",
          "[cli][engine]") {
  // Qwen2.5-32B-Instruct: "The current config.json is set for context length up to 32,768
  // tokens" (model card); vLLM takes max_position_embeddings, not the 131,072 reached with YaRN
  const auto q = run_modelpick({"size", "qwen2.5-32b", "--gpu", "l40s", "--engine", "vllm", "--tensor-parallel-size",
                                "2", "--kv-cache-dtype", "fp8", "--json"});
  INFO(q.err);
  CHECK(q.exit_code == 0);
  const json j = json::parse(q.out);
  CHECK(j["engine"]["max_model_len"] == 32768);
  CHECK(j["engine"]["starts"] == true);
  // DeepSeek-V3: 131,072 advertised, max_position_embeddings 163,840 in config.json
  const auto d = run_modelpick(
      {"size", "deepseek-v3", "--gpu", "h200", "--engine", "vllm", "--max-model-len", "163840", "--json"});
  INFO(d.err);
  CHECK((d.exit_code == 0 || d.exit_code == 3));
  CHECK(json::parse(d.out)["engine"]["max_model_len"] == 163840);
}

TEST_CASE("size --max-model-len auto: the longest context N concurrent users get", "[cli][engine]") {
  const auto r = run_modelpick({"size", "llama-3.1-8b", "--gpu", "h100", "--engine", "vllm", "--max-model-len", "auto",
                                "--concurrency", "16", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  const std::uint64_t longest = j["engine"]["max_model_len"].get<std::uint64_t>();
  CHECK(j["engine"]["max_concurrency"].get<double>() >= 16);
  CHECK(j["request"]["context_tokens"] == longest);
  CHECK(j["fit"]["gpus"] == 1);
  // one token more and one GPU's cache no longer holds 16 of them: exit 3 (the plan itself
  // would move to two GPUs)
  const auto more =
      run_modelpick({"size", "llama-3.1-8b", "--gpu", "h100", "--engine", "vllm", "--max-model-len",
                     std::to_string(longest + 1), "--tensor-parallel-size", "1", "--concurrency", "16", "--json"});
  CHECK(more.exit_code == 3);
  CHECK(json::parse(more.out)["engine"]["max_concurrency"].get<double>() < 16);
  const auto planned = run_modelpick({"size", "llama-3.1-8b", "--gpu", "h100", "--engine", "vllm", "--max-model-len",
                                      std::to_string(longest + 1), "--concurrency", "16", "--json"});
  CHECK(planned.exit_code == 0);
  CHECK(json::parse(planned.out)["fit"]["gpus"] == 2);
}

TEST_CASE("size --engine: the flags users pass are accepted and count", "[cli][engine]") {
  // --quantization awq sizes the weights as int4 when --precision is not given
  const auto q = run_modelpick({"size", "qwen2.5-7b", "--gpu", "rtx-4090", "--engine", "vllm", "--quantization", "awq",
                                "--max-model-len", "8k", "--enforce-eager", "--json"});
  INFO(q.err);
  REQUIRE(q.exit_code == 0);
  CHECK(json::parse(q.out)["precision"]["id"] == "int4");
  // --gpu-memory-bytes: the GPU as the runtime shows it (here 20 GiB of a 24 GB card)
  const auto m = run_modelpick({"size", "llama-3.1-8b", "--gpu", "rtx-4090", "--engine", "vllm", "--gpu-memory-bytes",
                                "20G", "--max-model-len", "8k", "--json"});
  REQUIRE((m.exit_code == 0 || m.exit_code == 3));
  CHECK(json::parse(m.out)["gpu"]["memory_bytes"] == 21474836480ULL); // 20 x 1024^3
  // llama.cpp --parallel 4: four sequences share the cells, each with its own recurrent state
  const auto p = run_modelpick({"size", "--config", fixture("hf/qwen3-next-80b-a3b-instruct.json"), "--gpu", "h200",
                                "--engine", "llama.cpp", "--ctx-size", "32k", "--parallel", "4", "--json"});
  REQUIRE((p.exit_code == 0 || p.exit_code == 3));
  const json pj = json::parse(p.out);
  CHECK(pj["engine"]["state_bytes"] == 4 * 79036416ULL); // 4 x the one-sequence state of the test above
  CHECK(pj["engine"]["max_concurrency"] == 4);
  // an engine's flag with another engine is named
  const auto wrong = run_modelpick({"size", "llama-3.1-8b", "--engine", "sglang", "--parallel", "2"});
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.err == "modelpick: error: --parallel is a llama.cpp flag, but --engine is sglang\n");
  const auto method = run_modelpick({"size", "llama-3.1-8b", "--engine", "vllm", "--quantization", "bitsandbytes"});
  CHECK(method.exit_code == 2);
  CHECK(method.err.find("--quantization 'bitsandbytes' is not modelled") != std::string::npos);
}

TEST_CASE("size: a multimodal model says vLLM's encoder profiling is not counted", "[cli][engine]") {
  // vLLM's profile run also encodes the largest image batch (36.63 GiB of peak for
  // Llama-3.2-11B-Vision, vllm PR 12126); modelpick does not model that peak and says so,
  // unless --text-only leaves the vision tower out (vLLM's --limit-mm-per-prompt 0)
  const auto said = [](const json& list) {
    for (const auto& a : list) {
      if (a.get<std::string>().find("not modelled: vLLM's profiling run also encodes") != std::string::npos) {
        return true;
      }
    }
    return false;
  };
  const auto r = run_modelpick({"size", "qwen3-vl-8b", "--gpu", "l40s", "--json"});
  REQUIRE(r.exit_code == 0);
  CHECK(said(json::parse(r.out)["assumptions"]));
  const auto t = run_modelpick({"size", "qwen3-vl-8b", "--gpu", "l40s", "--text-only", "--json"});
  REQUIRE(t.exit_code == 0);
  CHECK_FALSE(said(json::parse(t.out)["assumptions"]));
  // a text model has no such line
  const auto l = run_modelpick({"size", "llama-3.1-8b", "--gpu", "l40s", "--json"});
  CHECK_FALSE(said(json::parse(l.out)["assumptions"]));
}

#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "gguf_writer.hpp"
#include "run.hpp"

using nlohmann::json;

namespace {

// ggml types (ggml.h): F32 0, F16 1, Q8_0 8, Q4_K 12, Q6_K 14.
// A two-block llama: hidden 256, 4 heads of 64, 2 KV heads, FFN 512, vocab 100.
GgufWriter tiny_llama() {
  GgufWriter w;
  w.str("general.architecture", "llama");
  w.str("general.name", "tiny-gguf");
  w.u32("llama.block_count", 2);
  w.u32("llama.embedding_length", 256);
  w.u32("llama.feed_forward_length", 512);
  w.u32("llama.attention.head_count", 4);
  w.u32("llama.attention.head_count_kv", 2);
  w.u32("llama.context_length", 4096);
  w.strings("tokenizer.ggml.tokens", {"a", "b", "c"});
  w.tensor("token_embd.weight", {256, 100}, 1, 51'200); // F16: 25,600 x 2
  for (int i = 0; i < 2; ++i) {
    const std::string b = "blk." + std::to_string(i) + ".";
    w.tensor(b + "attn_norm.weight", {256}, 0, 1'024);         // F32: 256 x 4
    w.tensor(b + "attn_q.weight", {256, 256}, 8, 69'632);      // Q8_0: 65,536 / 32 x 34
    w.tensor(b + "attn_k.weight", {256, 128}, 8, 34'816);      // Q8_0: 32,768 / 32 x 34
    w.tensor(b + "attn_v.weight", {256, 128}, 8, 34'816);      //
    w.tensor(b + "attn_output.weight", {256, 256}, 8, 69'632); //
    w.tensor(b + "ffn_norm.weight", {256}, 0, 1'024);          //
    w.tensor(b + "ffn_gate.weight", {256, 512}, 12, 73'728);   // Q4_K: 131,072 / 256 x 144
    w.tensor(b + "ffn_up.weight", {256, 512}, 12, 73'728);     //
    w.tensor(b + "ffn_down.weight", {512, 256}, 14, 107'520);  // Q6_K: 131,072 / 256 x 210
  }
  w.tensor("output_norm.weight", {256}, 0, 1'024);
  w.tensor("output.weight", {256, 100}, 14, 21'000); // Q6_K: 25,600 / 256 x 210
  return w;
}

std::string temp_file(const std::string& name, const std::string& bytes) {
  const std::string path = "/tmp/modelpick-test-" + std::to_string(getpid()) + "-" + name;
  GgufWriter::save(path, bytes);
  return path;
}

void check_bad(const std::string& name, const std::string& bytes, const std::string& needle) {
  const std::string path = temp_file(name, bytes);
  const auto r = run_modelpick({"size", path});
  INFO(name << ": " << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("modelpick: error: ", 0) == 0);
  CHECK(r.err.find(needle) != std::string::npos);
  std::remove(path.c_str());
}

} // namespace

TEST_CASE("gguf: weights exactly as stored, KV from the metadata", "[cli][gguf]") {
  const std::string path = temp_file("tiny.gguf", tiny_llama().bytes());
  const auto r = run_modelpick({"size", path, "--gpu", "rtx-4090", "--json"});
  std::remove(path.c_str());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  // per block 1,024 + 69,632 + 2 x 34,816 + 69,632 + 1,024 + 2 x 73,728 + 107,520 = 465,920;
  // 51,200 embedding + 2 x 465,920 + 1,024 output norm + 21,000 output = 1,005,064 bytes
  CHECK(j["memory"]["weights_bytes"] == 1005064);
  // elements: 25,600 + 2 x (256 + 65,536 + 2 x 32,768 + 65,536 + 256 + 3 x 131,072) + 256 + 25,600
  CHECK(j["model"]["params_total"] == 1232128);
  // head_dim 256 / 4 = 64: 2 blocks x 2 (K, V) x 2 KV heads x 64 x 2 bytes = 1,024 per token
  CHECK(j["memory"]["kv_bytes_per_token"] == 1024);
  CHECK(j["model"]["max_context_tokens"] == 4096);
  CHECK(j["precision"]["id"] == "gguf");
  // by type: Q8_0 2 x (69,632 + 2 x 34,816 + 69,632) = 417,792; Q4_K 2 x 2 x 73,728 = 294,912;
  // Q6_K 2 x 107,520 + 21,000 = 236,040; F16 51,200; F32 5 x 1,024 = 5,120
  const json by_type = j["memory"]["stored_bytes_by_type"];
  CHECK(by_type["Q8_0"] == 417792);
  CHECK(by_type["Q4_K"] == 294912);
  CHECK(by_type["Q6_K"] == 236040);
  CHECK(by_type["F16"] == 51200);
  CHECK(by_type["F32"] == 5120);
}

TEST_CASE("gguf: truncated and hostile files are clear errors", "[cli][gguf][errors]") {
  const std::string good = tiny_llama().bytes();
  // a partial download that holds the whole header is sized from its tensor table, and says so
  {
    const std::string path = temp_file("cut-data.gguf", good.substr(0, good.size() - 100));
    const auto r = run_modelpick({"size", path, "--gpu", "rtx-4090", "--json"});
    std::remove(path.c_str());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json j = json::parse(r.out);
    CHECK(j["memory"]["weights_bytes"] == 1005064); // as the whole file (the first test case)
    bool said = false;
    for (const auto& a : j["assumptions"]) {
      said = said || a.get<std::string>().find("a partial download") != std::string::npos;
    }
    CHECK(said);
  }
  check_bad("cut-header.gguf", good.substr(0, 200), "truncated at byte");
  check_bad("magic.gguf", "GGML" + good.substr(4), "magic bytes");
  std::string version = good;
  version[4] = 9;
  check_bad("version.gguf", version, "version 9");
  GgufWriter huge_key;
  huge_key.str(std::string(70'000, 'k'), "x");
  check_bad("huge-key.gguf", huge_key.bytes(), "metadata key of 70000 bytes");
  GgufWriter unknown_type = tiny_llama();
  unknown_type.tensor("blk.0.extra", {32}, 99, 0);
  check_bad("type.gguf", unknown_type.bytes(), "ggml type 99");
  GgufWriter beyond = tiny_llama();
  beyond.tensor("blk.7.attn_q.weight", {256}, 0, 1'024);
  check_bad("beyond.gguf", beyond.bytes(), "beyond block_count 2");
  GgufWriter no_tensors;
  no_tensors.str("general.architecture", "llama");
  check_bad("no-tensors.gguf", no_tensors.bytes(), "holds no tensors");
  GgufWriter no_arch;
  no_arch.tensor("token_embd.weight", {32}, 0, 128);
  check_bad("no-arch.gguf", no_arch.bytes(), "no \"general.architecture\"");
  std::string many = good;
  const std::uint64_t absurd = 1ULL << 40;
  std::memcpy(many.data() + 8, &absurd, 8); // tensor count
  check_bad("many.gguf", many, "tensors and");

  const std::string path = temp_file("precision.gguf", good);
  const auto r = run_modelpick({"size", path, "--precision", "fp8"});
  std::remove(path.c_str());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("does not apply to a GGUF file") != std::string::npos);
}

namespace {

// A two-block model of `arch` with the given extra metadata and one F16 tensor per block.
std::string hybrid(const std::string& arch, const std::function<void(GgufWriter&)>& meta, std::uint32_t blocks) {
  GgufWriter w;
  w.str("general.architecture", arch);
  w.u32(arch + ".block_count", blocks);
  w.u32(arch + ".embedding_length", 256);
  w.u32(arch + ".attention.head_count", 4);
  w.u32(arch + ".context_length", 8192);
  meta(w);
  w.tensor("token_embd.weight", {256, 100}, 1, 51'200);
  for (std::uint32_t i = 0; i < blocks; ++i) {
    w.tensor("blk." + std::to_string(i) + ".attn_norm.weight", {256}, 0, 1'024);
  }
  return w.bytes();
}

json size_gguf(const std::string& name, const std::string& bytes, std::vector<std::string> extra = {}) {
  const std::string path = temp_file(name, bytes);
  std::vector<std::string> args = {"size", path, "--gpu", "rtx-4090", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_modelpick(args);
  std::remove(path.c_str());
  INFO(r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 3));
  return json::parse(r.out);
}

} // namespace

TEST_CASE("gguf: hybrid and recurrent layers from the metadata llama.cpp writes", "[cli][gguf]") {
  // qwen3next: full_attention_interval 4 over 8 blocks -> blocks 3 and 7 attend (2 KV heads x
  // key_length 64 x 2 x 2 B = 512 B/token each: 1,024); the other 6 are Gated DeltaNet with
  // ssm.group_count 2 K heads, time_step_rank 4 V heads, state_size 32, inner_size 128:
  // conv (2 x 2 x 32 + 128 = 256) x (4 - 1) x 4 B (llama.cpp's f32 r state) = 3,072
  // + state 32 x 128 x 4 B = 16,384 -> 6 x 19,456 = 116,736 per sequence
  const json qn = size_gguf("qwen3next.gguf", hybrid(
                                                  "qwen3next",
                                                  [](GgufWriter& w) {
                                                    w.u32("qwen3next.attention.head_count_kv", 2);
                                                    w.u32("qwen3next.attention.key_length", 64);
                                                    w.u32("qwen3next.full_attention_interval", 4);
                                                    w.u32("qwen3next.ssm.conv_kernel", 4);
                                                    w.u32("qwen3next.ssm.inner_size", 128);
                                                    w.u32("qwen3next.ssm.state_size", 32);
                                                    w.u32("qwen3next.ssm.time_step_rank", 4);
                                                    w.u32("qwen3next.ssm.group_count", 2);
                                                  },
                                                  8));
  CHECK(qn["memory"]["kv_bytes_per_token"] == 1024);
  CHECK(qn["memory"]["state_bytes_per_sequence"] == 116736);
  // nemotron_h: per-layer head_count_kv [0, 2, 0] and feed_forward_length [0, 0, 512]:
  // block 0 Mamba-2, block 1 attention, block 2 MLP. Attention 2 x 2 x 64 x 2 = 512 B/token.
  // Mamba-2 with inner 128, state 16, 2 groups, 4 heads (time_step_rank), conv 4:
  // conv (128 + 2 x 2 x 16 = 192) x 3 x 4 B = 2,304 + SSM 128 x 16 x 4 B = 8,192 -> 10,496
  const json nh = size_gguf("nemotron_h.gguf", hybrid(
                                                   "nemotron_h",
                                                   [](GgufWriter& w) {
                                                     w.u32s("nemotron_h.attention.head_count_kv", {0, 2, 0});
                                                     w.u32s("nemotron_h.feed_forward_length", {0, 0, 512});
                                                     w.u32("nemotron_h.attention.key_length", 64);
                                                     w.u32("nemotron_h.ssm.conv_kernel", 4);
                                                     w.u32("nemotron_h.ssm.inner_size", 128);
                                                     w.u32("nemotron_h.ssm.state_size", 16);
                                                     w.u32("nemotron_h.ssm.time_step_rank", 4);
                                                     w.u32("nemotron_h.ssm.group_count", 2);
                                                   },
                                                   3));
  CHECK(nh["memory"]["kv_bytes_per_token"] == 512);
  CHECK(nh["memory"]["state_bytes_per_sequence"] == 10496);
  // gemma3n: sliding_window_pattern 5 (blocks i % 5 < 4 slide, window 512), 10 blocks,
  // shared_kv_layers 4: blocks 6-9 read earlier caches. Own caches: blocks 0-3, 5 slide, 4 full;
  // 6 x 2 x 1 KV head x 64 x 2 B = 1,536 B/token; at 2,048 tokens:
  // 5 x 256 x 512 + 256 x 2,048 = 655,360 + 524,288 = 1,179,648
  const json g3n = size_gguf("gemma3n.gguf",
                             hybrid(
                                 "gemma3n",
                                 [](GgufWriter& w) {
                                   w.u32("gemma3n.attention.head_count_kv", 1);
                                   w.u32("gemma3n.attention.key_length", 64);
                                   w.u32("gemma3n.attention.sliding_window", 512);
                                   w.u32("gemma3n.attention.sliding_window_pattern", 5);
                                   w.u32("gemma3n.attention.shared_kv_layers", 4);
                                 },
                                 10),
                             {"--context", "2048"});
  CHECK(g3n["memory"]["kv_bytes_per_token"] == 1536);
  CHECK(g3n["memory"]["kv_cache_bytes"] == 1179648);
}

TEST_CASE("gguf: impossible metadata is refused by name", "[cli][gguf][errors]") {
  check_bad("swa0.gguf",
            hybrid(
                "gemma2",
                [](GgufWriter& w) {
                  w.u32("gemma2.attention.head_count_kv", 2);
                  w.u32("gemma2.attention.sliding_window", 0);
                },
                2),
            "gemma2.attention.sliding_window = 0 is out of range");
  check_bad("kv3.gguf",
            hybrid(
                "llama", [](GgufWriter& w) { w.u32("llama.attention.head_count_kv", 3); }, 2),
            "4 attention heads are not a multiple of 3 KV heads");
  check_bad("heads.gguf",
            hybrid(
                "llama", [](GgufWriter& w) { w.u32("llama.attention.head_count", 512); }, 2),
            "is smaller than llama.attention.head_count");
  GgufWriter experts = tiny_llama();
  experts.u32("llama.expert_count", 8);
  experts.u32("llama.expert_used_count", 0);
  experts.tensor("blk.0.ffn_up_exps.weight", {256, 512}, 1, 262'144);
  check_bad("experts0.gguf", experts.bytes(), "expert_used_count 0 of expert_count 8");
}

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "run.hpp"

namespace {

// One line on stderr, "modelpick: error: ...", containing `needle`; nothing on stdout.
void check_error(const std::vector<std::string>& args, int code, const std::string& needle) {
  const auto r = run_modelpick(args);
  std::string joined;
  for (const auto& a : args) {
    joined += a + " ";
  }
  INFO("modelpick " << joined << "\nstderr: " << r.err << "\nstdout: " << r.out);
  CHECK(r.exit_code == code);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("modelpick: error: ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.find(needle) != std::string::npos);
}

} // namespace

TEST_CASE("unknown ids suggest the closest", "[cli][errors]") {
  check_error({"size", "llama-3.1-7b"}, 2, "did you mean llama-3.1-8b");
  check_error({"size", "deepseek-v3", "--gpu", "h210"}, 2, "unknown GPU 'h210'; did you mean h200");
  check_error({"size", "deepseek-v3", "--precision", "fp3"}, 2, "unknown precision 'fp3'");
  check_error({"sise", "deepseek-v3"}, 2, "unknown command 'sise' (did you mean size?)");
}

TEST_CASE("bad numbers name the value and the accepted range", "[cli][errors]") {
  for (const char* bad : {"0", "-1", "abc", "800X", "1.5", "99999999999999999999999", "1e400"}) {
    check_error({"size", "llama-3.1-8b", "--context", bad}, 2, std::string("--context '") + bad + "'");
  }
  check_error({"size", "llama-3.1-8b", "--concurrency", "0"}, 2, "--concurrency '0' is out of range");
  check_error({"size", "llama-3.1-8b", "--concurrency", "1000001"}, 2, "--concurrency '1000001'");
  check_error({"size", "llama-3.1-8b", "--gpus", "three"}, 2, "--gpus 'three' is not a number");
  check_error({"size", "llama-3.1-8b", "--gpus", "9"}, 2, "--gpus 9 is not a valid layout");
  check_error({"size", "llama-3.1-8b", "--gpu-memory-utilization", "1.5"}, 2, "--gpu-memory-utilization '1.5'");
  check_error({"size", "llama-3.1-8b", "--gpu-memory-utilization", "0"}, 2, "--gpu-memory-utilization '0'");
  check_error({"size", "llama-3.1-8b", "--kv-dtype", "int3"}, 2, "--kv-dtype 'int3'");
  check_error({"size", "llama-3.1-8b", "--context", "1M"}, 2, "exceeds llama-3.1-8b's maximum context of 131,072");
}

TEST_CASE("missing arguments and API-only models are usage errors", "[cli][errors]") {
  check_error({"size"}, 2, "size takes a MODEL id or --config FILE");
  check_error({}, 2, "subcommand");
  check_error({"size", "gpt-5"}, 2, "'gpt-5' is API-only");
  check_error({"size", "llama-3.1-8b", "--bogus"}, 2, "--bogus");
}

TEST_CASE("bad catalog files are data errors", "[cli][errors][catalog]") {
  check_error({"--catalog", fixture("does-not-exist.json"), "list"}, 1, "no such file");
  check_error({"--catalog", fixture("."), "list"}, 1, "not a regular file");
  check_error({"--catalog", fixture("bad_empty.json"), "list"}, 1, "is empty");
  check_error({"--catalog", fixture("bad_truncated.json"), "list"}, 1, "not valid JSON");
  check_error({"--catalog", fixture("bad_not_object.json"), "list"}, 1, "holds a JSON array");
  check_error({"--catalog", fixture("bad_deep.json"), "list"}, 1, "nested deeper than");
  check_error({"--catalog", fixture("bad_offers.json"), "list"}, 1, "\"offers\" must be an array of objects");
  check_error({"--catalog", fixture("bad_absurd.json"), "list"}, 1, "\"layers\" must be an integer from 1 to 10000");
  check_error({"--catalog", fixture("bad_overflow.json"), "size", "huge-test"}, 1, "overflows");
  // Found by fuzz_hf_config: a number past a double's range was an "internal error".
  check_error({"--catalog", fixture("bad_number_overflow.json"), "list"}, 1,
              "holds a value that cannot be read (number overflow parsing '1e400')");
  check_error({"size", "--config", fixture("hf/bad_number_overflow.json")}, 1,
              "holds a value that cannot be read (number overflow parsing '7754e27754')");
  // Found by fuzz_hf_config: a field of the wrong JSON type was an "internal error".
  check_error({"size", "--config", fixture("hf/bad_model_type_number.json")}, 1,
              "\"model_type\" must be a string, got 28");
  check_error({"size", "--config", fixture("hf/bad_flag_type.json")}, 1,
              "\"use_sliding_window\" must be true or false, got 1");
}

TEST_CASE("bad list filters are usage errors", "[cli][errors][list]") {
  check_error({"list", "--category", "huge"}, 2, "--category 'huge' is not accepted");
  check_error({"list", "--license", "gpl"}, 2, "--license 'gpl' is not a license id");
  check_error({"list", "--min-context", "lots"}, 2, "--min-context 'lots'");
  check_error({"list", "--max-active", "-20B"}, 2, "--max-active '-20B'");
  check_error({"list", "--sort", "speed"}, 2, "--sort 'speed'");
  check_error({"show", "deepsek-v3"}, 2, "did you mean deepseek-v3");
}

TEST_CASE("cost: bad volume prices and API names", "[cli][errors][cost]") {
  const std::vector<std::string> base = {"cost", "llama-3.1-8b", "--tokens-per-day", "10M"};
  const auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  check_error({"cost", "llama-3.1-8b"}, 2, "--tokens-per-day N or --tokens-per-month N");
  check_error({"cost", "llama-3.1-8b", "--tokens-per-day", "0"}, 2, "--tokens-per-day '0'");
  check_error({"cost", "llama-3.1-8b", "--tokens-per-day", "-5M"}, 2, "--tokens-per-day '-5M'");
  check_error({"cost", "llama-3.1-8b", "--tokens-per-day", "1M", "--tokens-per-month", "30M"}, 2, "one of them");
  check_error(with({"--gpu-hour-usd", "-2.49"}), 2, "--gpu-hour-usd '-2.49' is not accepted");
  check_error(with({"--gpu-hour-usd", "0"}), 2, "--gpu-hour-usd '0'");
  check_error(with({"--api", "gpt-6"}), 2, "unknown model 'gpt-6'; did you mean");
  check_error(with({"--api", "yi-1.5-34b"}), 2, "no API price for 'yi-1.5-34b'");
  check_error(with({"--input-output-ratio", "3:0"}), 2, "--input-output-ratio '3:0'");
  check_error(with({"--input-output-ratio", "three"}), 2, "--input-output-ratio 'three'");
  check_error(with({"--utilization", "0"}), 2, "--utilization '0'");
  check_error(with({"--utilization", "1.5"}), 2, "--utilization '1.5'");
  check_error(with({"--peak-to-average", "0.5"}), 2, "--peak-to-average '0.5'");
  check_error(with({"--cached-input-share", "2"}), 2, "--cached-input-share '2'");
  check_error(with({"--batch", "0"}), 2, "--batch '0'");
  check_error(with({"--output-tokens", "0"}), 2, "--output-tokens '0'");
  check_error({"cost", "gpt-5", "--tokens-per-day", "10M"}, 2, "'gpt-5' is API-only");
  // not fitting is a finding, not bad input: exit 3 with the sizing report (JSON: "cost": null)
  const auto big = run_modelpick({"cost", "llama-3.1-405b", "--gpus", "8", "--tokens-per-day", "10M", "--json"});
  CHECK(big.exit_code == 3);
  CHECK(big.err.empty());
  const auto j = nlohmann::json::parse(big.out);
  CHECK(j["fit"]["fits"] == false);
  CHECK(j["cost"].is_null());
  CHECK(j["fit"]["reason"].get<std::string>().find("does not fit") != std::string::npos);
  check_error(with({"--svg", "/nonexistent-dir/cost.svg"}), 1, "cannot write --svg file");
}

TEST_CASE("compare pick and check: bad input names the value or the field", "[cli][errors][advisor]") {
  check_error({"compare", "llama-3.1-8b"}, 2, "compare takes two or more models");
  check_error({"compare", "llama-3.1-8b", "qwen2.5-7b", "--format", "xml"}, 2, "--format 'xml' is not accepted");
  check_error({"compare", "llama-3.1-8b", "qwen2.5-8b"}, 2, "unknown model 'qwen2.5-8b'; did you mean");
  check_error({"compare", "llama-3.1-8b", "qwen2.5-7b", "--context", "1M"}, 2, "exceeds");
  check_error({"pick", "--sort", "price"}, 2, "--rank-by (--sort) 'price' is not accepted: expected cost, params");
  check_error({"pick", "--sort", "cost"}, 2, "--rank-by (--sort) cost needs a volume");
  check_error({"pick", "--min-score", "gpqa-extended=50"}, 2,
              "--min-score 'gpqa-extended': no model in the catalog has a score on it");
  check_error({"pick", "--min-score", "gpqa-diamond"}, 2,
              "--min-score 'gpqa-diamond' is not accepted: expected "
              "BENCHMARK=VALUE");
  check_error({"pick", "--rank-by", "usd-per-quality", "--quality-benchmark", "arena-elo", "--tokens-per-day", "1M"}, 2,
              "arena-elo is not one");
  check_error({"pick", "--gpu", "h100", "--top", "0"}, 2, "--top '0'");
  check_error({"pick", "--category", "huge"}, 2, "--category 'huge'");
  check_error({"pick", "--explain", "llama-9"}, 2, "unknown model 'llama-9'");
  check_error({"check", "/nonexistent/deploy.json"}, 1, "no such file");
  check_error({"check", fixture("bad_truncated.json")}, 1, "not valid JSON");
  check_error({"check", fixture("deploy_bad_field.json")}, 2, "\"contxt\" is not a field of this object");
  check_error({"check", fixture("deploy_bad_value.json")}, 2, "\"volume.tokens_per_day\" '0' is out of range");
  check_error({"check", fixture("deploy_bad_model.json")}, 2, "\"models[1].id\" unknown model 'qwen-72b'");
  check_error({"check", fixture("deploy_no_models.json")}, 2, "\"models\" must be a non-empty array");
}

TEST_CASE("write errors are errors: a full disk or a closed stdout exits 1 naming the OS error", "[cli][errors]") {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"size", "llama-3.1-8b"}, {"list", "--json"}, {"--help"}, {"--version"}, {"pick", "--gpu", "h100"}}) {
    INFO(args.front());
    const auto full = run_modelpick_to(args, ">/dev/full");
    CHECK(full.exit_code == 1);
    CHECK(full.err == "modelpick: error: cannot write to standard output: No space left on device\n");
    const auto closed = run_modelpick_to(args, ">&-");
    CHECK(closed.exit_code == 1);
    CHECK(closed.err == "modelpick: error: cannot write to standard output: Bad file descriptor\n");
  }
}

TEST_CASE("output files never clobber (--svg): devices, directories and symlinks are refused, PATH.tmp is left alone",
          "[cli][errors]") {
  char dir_template[] = "/tmp/modelpick-svg-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string target = dir + "/hostname-copy";
  std::ofstream(target) << "keep me\n";
  const std::string link = dir + "/link.svg";
  REQUIRE(symlink(target.c_str(), link.c_str()) == 0);
  std::ofstream(dir + "/out.svg.tmp") << "not ours\n";
  const auto err_of = [](const std::vector<std::string>& args) {
    const auto r = run_modelpick(args);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    return r.err;
  };
  CHECK(err_of({"size", "llama-3.1-8b", "--svg", "/dev/null"}) ==
        "modelpick: error: cannot write --svg file '/dev/null': it is not a regular file (a device, FIFO or "
        "socket); --force writes into it\n");
  CHECK(err_of({"size", "llama-3.1-8b", "--svg", dir}) ==
        "modelpick: error: cannot write --svg file '" + dir + "': it is a directory\n");
  CHECK(err_of({"size", "llama-3.1-8b", "--svg", link}) ==
        "modelpick: error: cannot write --svg file '" + link +
            "': it is a symbolic link; --force replaces the link with the file\n");
  // a regular target is replaced whole; a file named PATH.tmp is not touched
  CHECK(run_modelpick({"size", "llama-3.1-8b", "--svg", dir + "/out.svg"}).exit_code == 0);
  std::ifstream tmp(dir + "/out.svg.tmp");
  std::string line;
  std::getline(tmp, line);
  CHECK(line == "not ours");
  // --force replaces the link itself, never the file it points to
  CHECK(run_modelpick({"size", "llama-3.1-8b", "--svg", link, "--force"}).exit_code == 0);
  std::ifstream kept(target);
  std::getline(kept, line);
  CHECK(line == "keep me");
  std::filesystem::remove_all(dir);
}

TEST_CASE("an empty flag value is refused by name, never read as not given", "[cli][errors]") {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"size", "llama-3.1-8b", "--context", ""},
           {"size", "llama-3.1-8b", "--gpus", ""},
           {"size", "llama-3.1-8b", "--engine", "vllm", "--max-model-len", ""},
           {"size", "llama-3.1-8b", "--engine", "vllm", "--tensor-parallel-size", ""},
           {"cost", "llama-3.1-8b", "--tokens-per-day", "1M", "--batch", ""},
           {"cost", "llama-3.1-8b", "--tokens-per-day", "1M", "--gpu-hour-usd", ""}}) {
    const auto r = run_modelpick(args);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "modelpick: error: " + args[args.size() - 2] +
                       " was given an empty value: give one, or leave the option out\n");
  }
}

TEST_CASE("a GPU with no 16-bit rate is refused by the catalog, not priced at infinity", "[cli][errors]") {
  const std::string overlay = "/tmp/modelpick-zero-gpu-" + std::to_string(getpid()) + ".json";
  std::ofstream(overlay) << R"({"gpus": [{"id": "zero-gpu", "name": "Zero", "vendor": "X",
    "memory": {"bytes": 80000000000}, "performance": {"bandwidth_bytes_per_s": 1000000000000,
    "tflops_dense": {"bf16": 0}}, "node": {"gpus_per_node": 8}}]})";
  const auto r = run_modelpick({"--catalog", overlay, "cost", "llama-3.1-8b", "--gpu", "zero-gpu", "--tokens-per-day",
                                "1M", "--gpu-hour-usd", "2"});
  std::remove(overlay.c_str());
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find(
            "gpus[id=zero-gpu].performance.tflops_dense: \"bf16\" must be a number from 0.001 to 1000000, got 0") !=
        std::string::npos);
}

TEST_CASE("names and paths with control characters or broken UTF-8 are escaped, never an internal error",
          "[cli][errors]") {
  const auto r = run_modelpick({"size", "llama\x1b[31m"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "modelpick: error: unknown model 'llama\\x1B[31m'; `modelpick list` lists them\n");
  const auto bad = run_modelpick({"size", "--config", "/nonexistent-\xff/config.json"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err == "modelpick: error: cannot read config file '/nonexistent-\\xFF/config.json': no such file\n");
  // a config whose name holds an escape sequence: the table shows it escaped
  const std::string path = "/tmp/modelpick-evil-" + std::to_string(getpid()) + ".json";
  std::ofstream(path) << R"({"_name_or_path": "evil\u001b[31m", "model_type": "llama", "num_hidden_layers": 2,
    "hidden_size": 64, "num_attention_heads": 4, "vocab_size": 100, "max_position_embeddings": 1024})";
  const auto table = run_modelpick({"size", "--config", path});
  std::remove(path.c_str());
  CHECK(table.exit_code == 0);
  CHECK(table.out.find('\x1b') == std::string::npos);
  CHECK(table.out.find("evil\\x1B[31m") != std::string::npos);
}

TEST_CASE("a name longer than any id is refused without a did-you-mean search", "[cli][errors]") {
  const std::string name(100'000, 'x');
  const auto r = run_modelpick({"size", name});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "modelpick: error: unknown model '" + std::string(40, 'x') +
                     "...' (100000 characters; ids are at most 200); `modelpick list` lists them\n");
}

TEST_CASE("check names the exact field of a refused value; a NUL byte in JSON is refused by position",
          "[cli][errors][check]") {
  const std::string file = "/tmp/modelpick-check-field-" + std::to_string(getpid()) + ".json";
  std::ofstream(file) << R"({"models": ["llama-3.1-8b"], "volume": {"tokens_per_day": "10M", "utilization": 5}})";
  auto r = run_modelpick({"check", file});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "modelpick: error: " + file +
                     ": \"volume.utilization\" '5' is not accepted: expected a number from 0.01 to 1\n");
  std::ofstream(file) << R"({"models": ["llama-3.1-8b"], "license": {"mau": "1M", "region": "mars"}})";
  r = run_modelpick({"check", file});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("\"license.region\" 'mars' is not accepted") != std::string::npos);
  {
    std::ofstream out(file, std::ios::binary);
    out << R"({"models": ["llama-3.1-8b"]})" << '\0' << R"(, "gpu": "nope"})";
  }
  r = run_modelpick({"check", file});
  std::remove(file.c_str());
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("holds a NUL byte at byte 28") != std::string::npos);
}

TEST_CASE("check: a file it names that cannot be read is a data error (exit 1), not bad input",
          "[cli][errors][check]") {
  const std::string gguf = "/tmp/modelpick-bad-" + std::to_string(getpid()) + ".gguf";
  std::ofstream(gguf) << "GGUFjunk";
  const std::string file = "/tmp/modelpick-check-gguf-" + std::to_string(getpid()) + ".json";
  std::ofstream(file) << "{\"models\": [\"" << gguf << "\"]}";
  const auto r = run_modelpick({"check", file});
  std::remove(gguf.c_str());
  std::remove(file.c_str());
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("\"models[0].id\": " + gguf + ": not a usable GGUF file") != std::string::npos);
}

TEST_CASE("cost: an extreme --input-output-ratio is blamed, not --context", "[cli][errors][cost]") {
  // 100000:1 with the default 512 output tokens: 512 x 100,000 = 51,200,000 prompt tokens
  const auto r = run_modelpick({"cost", "llama-3.1-8b", "--tokens-per-day", "1M", "--input-output-ratio", "100000:1"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "modelpick: error: a request of 51,200,000 prompt + 512 output tokens exceeds llama-3.1-8b's maximum "
                 "context of 131,072 tokens: set --input-tokens and --output-tokens, or a smaller "
                 "--input-output-ratio than '100000:1'\n");
}

TEST_CASE("check: a deployment file holds at most 256 models", "[cli][errors][check]") {
  const std::string file = "/tmp/modelpick-many-" + std::to_string(getpid()) + ".json";
  {
    std::ofstream out(file);
    out << "{\"models\": [";
    for (int i = 0; i < 300; ++i) {
      out << (i == 0 ? "" : ", ") << "\"llama-3.1-8b\"";
    }
    out << "]}";
  }
  const auto r = run_modelpick({"check", file});
  std::remove(file.c_str());
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "modelpick: error: " + file + ": \"models\" holds 300 models; a deployment file takes at most 256\n");
}

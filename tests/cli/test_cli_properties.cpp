// Properties of every command over a spread of models, GPUs and request shapes: valid input
// gives exit 0 or 3 (a finding), one JSON document on stdout, nothing on stderr, and every
// number in it finite; no input here may crash or print a partial answer.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run.hpp"

using nlohmann::json;

namespace {

// The first number that is not finite, as its path; "" when all are.
std::string non_finite(const json& j, const std::string& path) {
  if (j.is_number_float() && !std::isfinite(j.get<double>())) {
    return path;
  }
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (std::string bad = non_finite(it.value(), path + "." + it.key()); !bad.empty()) {
        return bad;
      }
    }
  }
  if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (std::string bad = non_finite(j[i], path + "[" + std::to_string(i) + "]"); !bad.empty()) {
        return bad;
      }
    }
  }
  return "";
}

void holds(const std::vector<std::string>& args) {
  std::string line;
  for (const auto& a : args) {
    line += a + " ";
  }
  INFO("modelpick " << line);
  const auto r = run_modelpick(args);
  INFO("stderr: " << r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 3));
  CHECK(r.err.empty());
  const json doc = json::parse(r.out); // one document, whole
  CHECK(non_finite(doc, "") == "");
}

} // namespace

TEST_CASE("properties: every command answers valid input with a whole, finite JSON report", "[cli][properties]") {
  const std::vector<std::string> models = {
      "llama-3.1-8b", "deepseek-v3", "qwen3-next-80b-a3b", "gemma-4-26b-a4b",         "gpt-oss-120b",
      "kimi-k2.5",    "glm-5",       "hunyuan-a13b",       "nemotron-3-nano-30b-a3b", "llama-3.2-11b-vision"};
  const std::vector<std::string> gpus = {"h100", "rtx-3060-laptop", "mi300x", "t4", "gb200", "a800"};
  for (const auto& m : models) {
    for (const auto& g : gpus) {
      holds({"size", m, "--gpu", g, "--json"});
      holds({"size", m, "--gpu", g, "--context", "1", "--concurrency", "max", "--json"});
      holds({"size", m, "--gpu", g, "--engine", "none", "--context", "32k", "--concurrency", "7", "--json"});
      holds({"cost", m, "--gpu", g, "--tokens-per-day", "50M", "--gpu-hour-usd", "2", "--json"});
    }
    holds({"show", m, "--json"});
    holds({"license-check", m, "--mau", "800M", "--group-mau", "900M", "--purpose", "research", "--field-of-use",
           "medical", "--derivative", "distributed", "--use", "fine-tune", "--region", "eu", "--json"});
  }
  holds({"compare", "llama-3.1-8b", "qwen3-next-80b-a3b", "gpt-6.2-sol", "--gpu", "l4", "--tokens-per-day", "5M",
         "--json"});
  holds({"pick", "--gpu", "rtx-3060", "--gpus", "4", "--json"});
  holds({"pick", "--gpu", "b200", "--min-score", "mmlu-pro=70", "--rank-by", "quality", "--json"});
  holds({"list", "--api", "--json"});
  holds({"list", "--gpus", "--json"});
  holds({"catalog", "audit", "--json"});
  holds({"check", MODELPICK_EXAMPLES "/deploy.json", "--json"});
}

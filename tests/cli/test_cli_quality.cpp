// Quality in the choice: sourced benchmark scores in show, compare and pick.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "run.hpp"

using nlohmann::json;

namespace {

json score_of(const json& scores, const std::string& benchmark, const std::string& setting) {
  for (const auto& s : scores) {
    if (s["benchmark"] == benchmark && s["setting"].is_string() && s["setting"] == setting) {
      return s;
    }
  }
  return nullptr;
}

// Whether `show MODEL --json` carries a score of this value on the benchmark (by this measurer,
// where one is named).
bool carries(const std::string& model, const std::string& benchmark, double value,
             const std::string& measured_by = "") {
  const json scores = json::parse(run_modelpick({"show", model, "--json"}).out)["model"]["scores"];
  return std::any_of(scores.begin(), scores.end(), [&](const json& s) {
    return s["benchmark"] == benchmark && s["value"] == value &&
           (measured_by.empty() || s["measured_by"] == measured_by);
  });
}

} // namespace

TEST_CASE("quality: show --json carries each score with its setting, measurer, date and source", "[cli][quality]") {
  const auto r = run_modelpick({"show", "llama-3.3-70b", "--json"});
  REQUIRE(r.exit_code == 0);
  const json scores = json::parse(r.out)["model"]["scores"];
  REQUIRE(scores.is_array());
  // Meta's Llama 3.3 model card, instruction-tuned table:
  // "| | MMLU Pro (CoT) | 5 | macro_avg/acc | 48.3 | 66.4 | 68.9 | 73.3 |" (the 70B column: 68.9)
  const json mmlu = score_of(scores, "mmlu-pro", "5-shot CoT, macro_avg/acc");
  REQUIRE(mmlu.is_object());
  CHECK(mmlu["value"] == 68.9);
  CHECK(mmlu["measured_by"] == "self-reported");
  CHECK(mmlu["self_reported"] == true);
  CHECK(mmlu["source"].get<std::string>().find("meta-llama/llama-models") != std::string::npos);
  for (const auto& s : scores) {
    CHECK(s["benchmark"].get<std::string>().find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ ") == std::string::npos);
    CHECK(!s["source"].get<std::string>().empty());
    CHECK(s["date"].is_string());
  }
  // gpt-oss model card (arXiv 2508.10925): "GPQA Diamond (no tools) | 80.1 (120b) / 71.5 (20b) [high]"
  const json oss = json::parse(run_modelpick({"show", "gpt-oss-120b", "--json"}).out)["model"]["scores"];
  CHECK(score_of(oss, "gpqa-diamond", "high reasoning effort, no tools")["value"] == 80.1);
  // DeepSeek-V3 README, chat-model table: "| | MMLU-Pro (EM) | ... | 75.9 |"
  const json ds = json::parse(run_modelpick({"show", "deepseek-v3", "--json"}).out)["model"]["scores"];
  CHECK(score_of(ds, "mmlu-pro", "EM (chat model; output limited to 8K)")["value"] == 75.9);
  // Llama 3.2 Vision card, instruction-tuned table: "| Image | College-level Problems and
  // Mathematical Reasoning | MMMU (val, CoT) | 0 | Micro average accuracy | 50.7 | 60.3 |"
  CHECK(carries("llama-3.2-90b-vision", "mmmu", 60.3, "self-reported"));
  // Nemotron 3 Nano technical report (arXiv 2512.20848), Table 3: "MMLU-Pro 78.30 80.90 75.00"
  // (the first column is Nemotron 3 Nano)
  CHECK(carries("nemotron-3-nano-30b-a3b", "mmlu-pro", 78.3));
  // Nemotron 3 Ultra's card, first column: "| SWE-Bench Verified | 70.7 | 75.3 | ..." (launch-day
  // pages said 71.9; the card and the report of 2026-06-09 say 70.7)
  CHECK(carries("nemotron-3-ultra-550b-a55b", "swe-bench-verified", 70.7));
  // Qwen3-VL technical report (arXiv 2511.21631), Table 7: "MMLU-Pro | 78.6 | 71.9 | 77.8 | ..." (the
  // first column is Qwen3-VL 32B Instruct, the third 30B-A3B Instruct)
  CHECK(carries("qwen3-vl-32b", "mmlu-pro", 78.6, "self-reported"));
  CHECK(carries("qwen3-vl-30b-a3b", "mmlu-pro", 77.8, "self-reported"));
  // DeepSeek-R1-0528's card: "| GPQA-Diamond (Pass@1) | 71.5 | 81.0" (DeepSeek R1, then R1 0528)
  CHECK(carries("deepseek-r1-0528", "gpqa-diamond", 81.0));
  // and the table says which numbers are self-reported
  const auto text = run_modelpick({"show", "llama-3.3-70b"});
  CHECK(text.out.find("self-reported") != std::string::npos);
}

TEST_CASE("quality: compare sets side by side only the same benchmark, setting and measurer", "[cli][quality]") {
  const auto r = run_modelpick({"compare", "deepseek-v3", "qwen2.5-72b", "llama-3.1-405b", "--gpu", "h200", "--json"});
  REQUIRE(r.exit_code == 0);
  const json quality = json::parse(r.out)["quality"];
  REQUIRE(!quality.empty());
  for (const auto& row : quality) {
    INFO(row.dump());
    CHECK(row["values"].size() >= 2);
    CHECK(!row["setting"].get<std::string>().empty());
    // two publishers' own figures are never one measurer
    CHECK(row["measured_by"] != "self-reported");
  }
  // DeepSeek's table measured Qwen2.5-72B and Llama-3.1-405B alike: "MMLU-Pro (EM) ... 71.6 | 73.3"
  bool found = false;
  for (const auto& row : quality) {
    if (row["benchmark"] == "mmlu-pro" && row["measured_by"] == "DeepSeek (competitor's table)" &&
        row["setting"] == "EM (chat model; output limited to 8K)") {
      found = true;
      std::set<std::string> models;
      for (const auto& v : row["values"]) {
        models.insert(v["model"].get<std::string>());
        if (v["model"] == "qwen2.5-72b") {
          CHECK(v["value"] == 71.6);
        }
        if (v["model"] == "llama-3.1-405b") {
          CHECK(v["value"] == 73.3);
        }
      }
      CHECK(models.count("qwen2.5-72b") == 1);
    }
  }
  CHECK(found);
}

TEST_CASE("quality: pick --min-score and --rank-by usd-per-quality, every step in the JSON", "[cli][quality]") {
  setenv("MODELPICK_TODAY", "2026-12-02", 1);
  const auto r = run_modelpick({"pick", "--gpu", "h100", "--gpus", "2", "--min-score", "gpqa-diamond=50", "--rank-by",
                                "usd-per-quality", "--mau", "50M", "--json"});
  unsetenv("MODELPICK_TODAY");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["query"]["quality_benchmark"] == "gpqa-diamond");
  CHECK(j["query"]["tokens_per_day_assumed"] == true);
  REQUIRE(!j["results"].empty());
  double last = 0;
  for (const auto& e : j["results"]) {
    INFO(e["model"]["id"]);
    CHECK(e["fit"]["fits"] == true); // it fits the 2 GPUs
    CHECK(e["fit"]["gpus"].get<std::uint64_t>() <= 2);
    CHECK(e["license"]["verdict"].get<std::string>().rfind("allowed", 0) == 0); // allowed at 50M MAU
    const json& q = e["quality"];
    CHECK(q["benchmark"] == "gpqa-diamond");
    CHECK(q["value"].get<double>() >= 50); // --min-score
    CHECK(q["setting"].is_string());
    // usd_per_quality = $/1M tokens / (score / 100), and the ranking is by it
    const double upq = e["usd_per_million_tokens"].get<double>() / (q["value"].get<double>() / 100);
    CHECK(q["usd_per_quality"].get<double>() == Approx(upq));
    CHECK(upq >= last);
    last = upq;
    CHECK(!e["scores"].empty());
  }
  // a model without a gpqa-diamond score is listed apart, with the reason, never ranked on it
  bool apart = false;
  for (const auto& x : j["excluded"]) {
    if (x["reason"].get<std::string>().find("no gpqa-diamond score") != std::string::npos) {
      apart = true;
    }
  }
  CHECK(apart);
  // API models ranked beside, at list prices, retired ones never
  for (const auto& a : j["api_alternatives"]) {
    CHECK(a["quality"]["value"].get<double>() >= 50);
    CHECK(a["model"]["id"] != "gemini-2.5-pro");
  }
}

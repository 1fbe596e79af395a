#include <catch2/catch.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "run.hpp"
#include "xml_check.hpp"

using nlohmann::json;

namespace {

std::string temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("modelpick-advisor-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

TEST_CASE("compare: one column per model in every format", "[cli][compare]") {
  const auto t = run_modelpick({"compare", "llama-3.1-70b", "qwen2.5-72b", "--precision", "fp8", "--context", "32k",
                                "--concurrency", "16", "--mau", "10M"});
  CHECK(t.exit_code == 0);
  CHECK(t.out.find("llama-3.1-70b") != std::string::npos);
  CHECK(t.out.find("4 x h100 (TP 4 x PP 1)") != std::string::npos);
  CHECK(t.out.find("license at 10M MAU") != std::string::npos);
  CHECK(t.out.find("llama-3.1-70b license: allowed-with-obligations") != std::string::npos);

  const auto md = run_modelpick({"compare", "llama-3.1-8b", "qwen2.5-7b", "--gpu", "l40s", "--format", "md"});
  CHECK(md.exit_code == 0);
  CHECK(md.out.rfind("|  | llama-3.1-8b | qwen2.5-7b |\n", 0) == 0);
  CHECK(md.out.find("| --- |") != std::string::npos);

  const auto csv = run_modelpick({"compare", "llama-3.1-8b", "qwen2.5-7b", "--format", "csv"});
  CHECK(csv.out.rfind("metric,llama-3.1-8b,qwen2.5-7b\n", 0) == 0);
  CHECK(csv.out.find("\"params total / active\"") == std::string::npos); // no comma, no quotes
  CHECK(csv.out.find("KV cache per token,128 KiB,56 KiB") != std::string::npos);
}

TEST_CASE("compare --json carries size's fields plus license and cost", "[cli][compare]") {
  const auto r = run_modelpick({"compare", "llama-3.3-70b", "deepseek-v3", "gpt-5", "--gpu", "h200", "--tokens-per-day",
                                "50M", "--mau", "10M", "--json"});
  CHECK(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["command"] == "compare");
  REQUIRE(j["models"].size() == 3);
  CHECK(j["models"][0]["model"]["id"] == "llama-3.3-70b");
  CHECK(j["models"][0]["memory"]["kv_bytes_per_token"] == 327680);
  CHECK(j["models"][0]["fit"]["fits"] == true);
  CHECK(j["models"][0]["license"]["verdict"] == "allowed-with-obligations");
  CHECK(j["models"][0]["cost"]["usd_per_month"].get<double>() > 0);
  CHECK(j["models"][1]["memory"]["kv_bytes_per_token"] == 70272);
  CHECK(j["models"][2]["self_hostable"] == false);
  CHECK(j["models"][2]["api"]["usd_per_month"].get<double>() == Approx(3.4375 * 50 * 365 / 12));
  CHECK(j["differences"].size() >= 3);
}

TEST_CASE("compare and size --svg write well-formed charts with their figures", "[cli][compare]") {
  const std::string compare = temp_path("compare.svg");
  CHECK(run_modelpick(
            {"compare", "llama-3.3-70b", "deepseek-v3", "--gpu", "h200", "--tokens-per-day", "50M", "--svg", compare})
            .exit_code == 0);
  const std::string c = slurp(compare);
  CHECK(xml_problem(c).empty());
  CHECK(c.find("KV cache per token (KiB)") != std::string::npos);
  CHECK(c.find(">320<") != std::string::npos); // llama's 327,680 B = 320 KiB
  CHECK(c.find(">69<") != std::string::npos);  // deepseek's 70,272 B = 68.6 KiB

  const std::string size = temp_path("size.svg");
  const auto r = run_modelpick({"size", "llama-3.1-70b", "--precision", "fp8", "--context", "32k", "--concurrency",
                                "16", "--engine", "none", "--svg", size});
  CHECK(r.exit_code == 0);
  const std::string s = slurp(size);
  CHECK(xml_problem(s).empty());
  CHECK(s.find("KV cache 40.00 GiB") != std::string::npos); // 327,680 x 32,768 x 16 / 4 GPUs = 40 GiB
  CHECK(s.find("runtime reserve 3.00 GiB") != std::string::npos);
  // the default memory model names what vLLM holds besides weights and cache
  CHECK(run_modelpick({"size", "llama-3.1-70b", "--precision", "fp8", "--svg", size}).exit_code == 0);
  CHECK(slurp(size).find("non-torch + activation peak") != std::string::npos);
  std::filesystem::remove_all(std::filesystem::path(size).parent_path());
}

TEST_CASE("pick ranks what fits and explains the rest", "[cli][pick]") {
  const auto r = run_modelpick({"pick", "--gpu", "h100", "--gpus", "2", "--context", "32k", "--concurrency", "8",
                                "--mau", "800M", "--use", "fine-tune", "--json"});
  CHECK(r.exit_code == 0);
  const json j = json::parse(r.out);
  REQUIRE(!j["results"].empty());
  CHECK(j["results"][0]["rank"] == 1);
  CHECK(j["results"][0]["fit"]["gpus"].get<int>() <= 2);
  CHECK(j["results"][0]["fit"].contains("tensor_parallel"));
  CHECK(j["results"][0]["fit"].contains("max_concurrency"));
  CHECK(j["results"][0]["usd_per_million_tokens"].is_null()); // no volume
  bool llama_excluded = false;
  for (const auto& e : j["excluded"]) {
    if (e["model"]["id"] == "llama-3.1-70b") {
      llama_excluded =
          e["reason"].get<std::string>().find("agreement with Meta") != std::string::npos && e["kind"] == "license";
    }
  }
  CHECK(llama_excluded);

  const auto cost = run_modelpick({"pick", "--gpu", "h100", "--gpus", "8", "--tokens-per-day", "20M", "--json"});
  const json c = json::parse(cost.out);
  CHECK(c["query"]["sort"] == "cost");
  CHECK(c["results"][0]["usd_per_million_tokens"].get<double>() > 0);

  // Qwen2.5-72B on RTX 4090s: int4 starts on two (vLLM's fused sampler leaves room for one
  // 8k request), fp8 needs four; on one nothing holds it
  const auto explain = run_modelpick({"pick", "--gpu", "rtx-4090", "--gpus", "2", "--explain", "qwen2.5-72b"});
  CHECK(explain.exit_code == 0);
  CHECK(explain.out.find("int4: fits 2 x rtx-4090") != std::string::npos);
  CHECK(explain.out.find("fp8: needs 4 x rtx-4090 (TP 4 x PP 1), more than the 2 available") != std::string::npos);
  const auto one = run_modelpick({"pick", "--gpu", "rtx-4090", "--gpus", "1", "--explain", "qwen2.5-72b"});
  CHECK(one.exit_code == 0);
  CHECK(one.out.find("excluded: needs 2 x rtx-4090 even at int4") != std::string::npos);

  const auto none = run_modelpick(
      {"pick", "--gpu", "rtx-3090", "--gpus", "1", "--context", "128k", "--concurrency", "64", "--category", "moe"});
  CHECK(none.exit_code == 3);
  CHECK(none.out.find("No model qualifies. The nearest misses:") != std::string::npos);
}

TEST_CASE("check: a deployment file passes, and fails when the decision no longer holds", "[cli][check]") {
  const auto ok = run_modelpick({"check", fixture("../../examples/deploy.json")});
  CHECK(ok.exit_code == 0);
  const json j = json::parse(ok.out);
  CHECK(j["command"] == "check");
  CHECK(j["passed"] == true);
  CHECK(j["checks"].size() >= 6);

  const std::string file = temp_path("deploy.json");
  std::ofstream(file) << R"({"models": ["llama-3.1-70b"], "gpu": "h100", "gpus": 2, "precision": "fp8",
    "license": {"mau": "800M"}, "volume": {"tokens_per_day": "1M"}, "api_alternatives": ["gpt-5-mini"],
    "expect": {"self_host_cheaper_than_api": true}})";
  const auto bad = run_modelpick({"check", file});
  CHECK(bad.exit_code == 3);
  const json b = json::parse(bad.out);
  CHECK(b["passed"] == false);
  int failed = 0;
  for (const auto& c : b["checks"]) {
    failed += c["passed"] == false ? 1 : 0;
  }
  CHECK(failed == 2); // the license at 800M MAU, and gpt-5-mini is cheaper at 1M tokens a day

  // A priced open model as the alternative: the report shows the bill the check weighed, its
  // cheapest hosted offer (llama-3.3-70b at 100M tokens a day: DeepInfra, $0.155 per 1M blended)
  const std::string open = temp_path("deploy-open.json");
  std::ofstream(open) << R"({"models": ["qwen2.5-72b"], "gpu": "h100", "gpus": 2, "precision": "fp8",
    "volume": {"tokens_per_day": "100M"}, "api_alternatives": ["llama-3.3-70b"],
    "expect": {"self_host_cheaper_than_api": true}})";
  const json o = json::parse(run_modelpick({"check", open}).out);
  REQUIRE(o["api_alternatives"].size() == 1);
  CHECK(o["api_alternatives"][0]["billed_by"] == "DeepInfra");
  const double bill = o["api_alternatives"][0]["usd_per_month"];
  CHECK(bill == Approx(0.155 * 100 * 365 / 12).epsilon(0.01));
  bool weighed = false;
  for (const auto& c : o["checks"]) {
    if (c["check"] == "cheaper-than-api") {
      weighed = c["detail"].get<std::string>().find(fmt::format("from DeepInfra ${:.0f}", bill)) != std::string::npos;
    }
  }
  CHECK(weighed);
}

TEST_CASE("size's table and JSON show the same numbers", "[cli][properties]") {
  const auto digits = [](std::uint64_t v) {
    std::string s = std::to_string(v);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) {
      s.insert(static_cast<std::size_t>(i), ",");
    }
    return s;
  };
  for (const char* model : {"llama-3.1-8b", "deepseek-v3", "gemma-3-27b", "jamba-1.5-mini", "gpt-oss-120b"}) {
    for (const char* gpu : {"h100", "rtx-4090"}) {
      INFO(model << " on " << gpu);
      const std::vector<std::string> args = {"size", model, "--gpu", gpu, "--context", "16k", "--concurrency", "4"};
      const auto table = run_modelpick(args);
      auto json_args = args;
      json_args.emplace_back("--json");
      const auto doc = run_modelpick(json_args);
      CHECK(table.exit_code == doc.exit_code);
      const json j = json::parse(doc.out);
      for (const char* field : {"weights_bytes", "kv_cache_bytes", "total_bytes"}) {
        CHECK(table.out.find(digits(j["memory"][field].get<std::uint64_t>())) != std::string::npos);
      }
      if (j["fit"]["fits"] == true) {
        CHECK(table.out.find(digits(j["fit"]["max_concurrency"].get<std::uint64_t>()) + " sequences") !=
              std::string::npos);
        CHECK(table.out.find(std::to_string(j["fit"]["gpus"].get<int>()) + " × " + gpu) != std::string::npos);
      }
    }
  }
}

TEST_CASE("compare: a self-hosted model that does not fit exits 3 with the whole report", "[cli][compare]") {
  const auto r =
      run_modelpick({"compare", "llama-3.1-405b", "llama-3.1-8b", "--gpu", "rtx-4090", "--gpus", "1", "--json"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.empty());
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["models"].size() == 2);
}

TEST_CASE("check: an expectation that cannot be evaluated fails with the reason; --json is accepted", "[cli][check]") {
  const auto failed_checks = [](const json& report) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& c : report["checks"]) {
      if (c["passed"] == false) {
        out.emplace_back(c["check"].get<std::string>(), c["detail"].get<std::string>());
      }
    }
    return out;
  };
  // self-hosting cheaper than an API, but no API named: not a pass
  const std::string no_api = temp_path("no-api.json");
  std::ofstream(no_api) << R"({"models": ["llama-3.1-8b"], "gpu": "h100", "volume": {"tokens_per_day": "10M"},
    "expect": {"self_host_cheaper_than_api": true}})";
  const auto a = run_modelpick({"check", no_api, "--json"});
  CHECK(a.exit_code == 3);
  const auto fa = failed_checks(json::parse(a.out));
  REQUIRE(fa.size() == 1);
  CHECK(fa[0].first == "cheaper-than-api");
  CHECK(fa[0].second == "cannot be evaluated: the file names no \"api_alternatives\" to compare with");
  // the plan does not fit: the cost expectations fail with it instead of vanishing
  const std::string no_fit = temp_path("no-fit.json");
  std::ofstream(no_fit) << R"({"models": ["llama-3.1-405b"], "gpu": "rtx-4090", "gpus": 1,
    "volume": {"tokens_per_day": "10M"}, "api_alternatives": ["gpt-5-mini"],
    "expect": {"self_host_cheaper_than_api": true, "max_usd_per_million_tokens": 5, "max_gpus": 8}})";
  const auto b = run_modelpick({"check", no_fit});
  CHECK(b.exit_code == 3);
  std::vector<std::string> names;
  for (const auto& [check, detail] : failed_checks(json::parse(b.out))) {
    names.push_back(check);
    if (check != "fits") {
      CHECK(detail.rfind("cannot be evaluated: llama-3.1-405b does not fit", 0) == 0);
    }
  }
  CHECK(names == std::vector<std::string>{"fits", "max-gpus", "max-usd-per-million-tokens", "cheaper-than-api"});
}

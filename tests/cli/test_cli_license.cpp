#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "run.hpp"

using nlohmann::json;

TEST_CASE("license-check: verdict, clause and exit code for CI", "[cli][license]") {
  const auto blocked = run_modelpick({"license-check", "llama-3.1-70b", "--mau", "800M", "--json"});
  CHECK(blocked.exit_code == 3);
  CHECK(blocked.err.empty());
  const json j = json::parse(blocked.out);
  CHECK(j["schema_version"] == 1);
  CHECK(j["command"] == "license-check");
  CHECK(j["deployment"]["mau"] == 800000000);
  REQUIRE(j["results"].size() == 1);
  CHECK(j["results"][0]["model"] == "llama-3.1-70b");
  CHECK(j["results"][0]["verdict"] == "needs-agreement");
  CHECK(j["results"][0]["clause"]["quote"].get<std::string>().find("700 million") != std::string::npos);
  CHECK(j["results"][0]["obligations"].is_array());
  CHECK(j["disclaimer"].get<std::string>().find("not legal advice") != std::string::npos);

  const auto ok = run_modelpick({"license-check", "llama-3.1-70b", "--mau", "50M"});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("ALLOWED WITH OBLIGATIONS") != std::string::npos);
  CHECK(ok.out.find("Built with Llama") != std::string::npos);
  // --fail-on adjusts the gate: only not-allowed fails
  CHECK(run_modelpick({"license-check", "llama-3.1-70b", "--mau", "800M", "--fail-on", "not-allowed"}).exit_code == 0);
  CHECK(run_modelpick({"license-check", "llama-3.1-70b", "--mau", "50M", "--fail-on", "allowed-with-obligations"})
            .exit_code == 3);
}

TEST_CASE("license-check without models groups every open-weight model", "[cli][license]") {
  const auto r = run_modelpick({"license-check", "--mau", "800M", "--json"});
  const json j = json::parse(r.out);
  CHECK(j["results"].size() >= 70); // the open-weight models, no API-only ones
  for (const auto& x : j["results"]) {
    CHECK(x["model"] != "gpt-5");
  }
  CHECK(j["summary"]["needs-agreement"].get<int>() >= 1);
  const auto text = run_modelpick({"license-check", "--mau", "800M"});
  CHECK(text.out.find("NEEDS AGREEMENT (") != std::string::npos);
}

TEST_CASE("size --mau adds the license verdict in one line", "[cli][license][size]") {
  const auto r = run_modelpick({"size", "llama-3.1-70b", "--mau", "800M"});
  CHECK(r.exit_code == 0); // the fit decides size's exit code
  CHECK(r.out.find("license: needs-agreement (with Meta)") != std::string::npos);
  const json j = json::parse(run_modelpick({"size", "llama-3.1-70b", "--mau", "1.2B", "--json"}).out);
  CHECK(j["license_check"]["verdict"] == "needs-agreement");
}

TEST_CASE("license-check: bad input names the value", "[cli][license][errors]") {
  const auto check = [](const std::vector<std::string>& args, const std::string& needle) {
    const auto r = run_modelpick(args);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(needle) != std::string::npos);
  };
  check({"license-check", "--mau", "800X"}, "--mau '800X'");
  check({"license-check", "--mau", "-5"}, "--mau '-5'");
  check({"license-check", "--monthly-revenue", "lots"}, "--monthly-revenue 'lots'");
  check({"license-check", "--use", "resell"}, "--use 'resell' is not accepted");
  check({"license-check", "--region", "mars"}, "--region 'mars'");
  check({"license-check", "--modality", "audio"}, "--modality 'audio'");
  check({"license-check", "--fail-on", "maybe"}, "--fail-on 'maybe'");
  check({"license-check", "lama-3.1-70b"}, "did you mean llama-3.1-70b");
}

TEST_CASE("license-check names API-only models on request", "[cli][license]") {
  const auto r = run_modelpick({"license-check", "gpt-5", "--use", "redistribute", "--json"});
  CHECK(r.exit_code == 3);
  const json j = json::parse(r.out);
  CHECK(j["results"][0]["verdict"] == "not-allowed");
  CHECK(j["results"][0]["license"] == "openai-terms");
}

TEST_CASE("license-check: decimals with suffixes are exact (--mau 100.15M, --monthly-revenue 20.01M)",
          "[cli][license]") {
  const auto r =
      run_modelpick({"license-check", "qwen2.5-72b", "--mau", "100.15M", "--monthly-revenue", "20.01M", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code != 2);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["deployment"]["mau"] == 100150000);
  CHECK(j["deployment"]["monthly_revenue_usd"] == 20010000);
  // Qwen license: "more than 100 million monthly active users" needs a license from Alibaba;
  // 100,150,000 is over it
  CHECK(r.out.find("needs-agreement") != std::string::npos);
  const auto half = run_modelpick({"license-check", "qwen2.5-72b", "--mau", "1.5"});
  CHECK(half.exit_code == 2);
  CHECK(half.out.empty());
  CHECK(half.err.find("--mau '1.5' is not a whole number") != std::string::npos);
}

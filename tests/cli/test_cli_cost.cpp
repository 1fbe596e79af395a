#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "run.hpp"
#include "xml_check.hpp"

using nlohmann::json;

TEST_CASE("cost: the JSON fields CI scripts read", "[cli][cost]") {
  const auto r = run_modelpick({"cost", "llama-3.3-70b", "--precision", "fp8", "--gpu", "h100", "--tokens-per-day",
                                "10M", "--api", "gpt-5,claude-sonnet-4.5", "--json"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  const json j = json::parse(r.out);
  CHECK(j["schema_version"] == 1);
  CHECK(j["command"] == "cost");
  CHECK(j["model"]["id"] == "llama-3.3-70b");
  CHECK(j["volume"]["tokens_per_day"] == 10e6);
  CHECK(j["volume"]["input_share"] == 0.75);
  // 70.6 GB of fp8 weights start on one H100 under vLLM's accounting (76.5 GB budget, the fused
  // sampler's 1.05 GB peak); its few KV blocks serve 10M tokens a day for less than two GPUs do
  CHECK(j["throughput"]["layout"]["gpus"] == 1);
  CHECK(j["throughput"]["at_batch"]["batch"] == 1);
  CHECK(j["throughput"]["at_batch"]["bound"] == "memory");
  CHECK(j["self_host"]["gpus"] == 1);
  CHECK(j["self_host"]["gpu_price"]["from"] == "catalog");
  // One replica of 1 GPU at the catalog's H100 median price for 730 hours.
  const double gpu_hour = j["self_host"]["gpu_price"]["usd_per_gpu_hour"];
  CHECK(j["self_host"]["usd_per_month"].get<double>() == Approx(gpu_hour * 730));
  // every layout priced (1, 2, 4, 5 and 8 GPUs: the counts with a layout up to a node)
  const json& priced = j["self_host"]["layouts_priced"];
  REQUIRE(priced.size() == 5);
  for (const auto& o : priced) {
    CHECK(o["replica_usd_per_month"].get<double>() == Approx(o["gpus_per_replica"].get<double>() * gpu_hour * 730));
  }
  CHECK(j["self_host"]["usd_per_million_tokens"].get<double>() ==
        Approx(j["self_host"]["usd_per_month"].get<double>() / (10.0 * 365 / 12)));
  REQUIRE(j["api"].size() == 2);
  CHECK(j["api"][0]["model"] == "gpt-5");
  CHECK(j["api"][0]["usd_per_month"].get<double>() == Approx(1045.57).epsilon(1e-4));
  CHECK(j["api"][1]["usd_per_month"].get<double>() == Approx((7.5 * 3 + 2.5 * 15) * 365 / 12));
  REQUIRE(j["crossover"].size() == 2);
  CHECK(j["crossover"][0]["api"] == "gpt-5");
  // At the crossover the API's monthly bill equals one replica's, of the layout that gets there
  // first: one GPU never does (its replica serves less than its bill buys from the API), two do
  const double at = j["crossover"][0]["tokens_per_day"];
  CHECK(at * 3.4375e-6 * 365 / 12 == Approx(2 * gpu_hour * 730));
  CHECK(j["verdict"].get<std::string>().find("gpt-5") != std::string::npos);
}

TEST_CASE("cost: the table names every figure", "[cli][cost]") {
  const auto r = run_modelpick({"cost", "llama-3.1-8b", "--gpu", "l40s", "--gpu-hour-usd", "0.86", "--tokens-per-month",
                                "300M", "--api", "gpt-5-mini"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("time to first token") != std::string::npos);
  CHECK(r.out.find("saturating batch") != std::string::npos);
  CHECK(r.out.find("$0.86/GPU-hour (--gpu-hour-usd)") != std::string::npos);
  CHECK(r.out.find("gpt-5-mini (OpenAI)") != std::string::npos);
  CHECK(r.out.find("assumptions") != std::string::npos);
  // --tokens-per-month 300M is 300M / (365/12) a day
  CHECK(r.out.find("9.86M tokens/day") != std::string::npos);
}

TEST_CASE("cost --svg draws the chart as well-formed XML", "[cli][cost]") {
  const auto dir = std::filesystem::temp_directory_path() / ("modelpick-cost-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "cost.svg").string();
  const auto r = run_modelpick({"cost", "llama-3.3-70b", "--precision", "fp8", "--tokens-per-day", "10M", "--api",
                                "gpt-5,claude-sonnet-4.5", "--svg", path});
  CHECK(r.exit_code == 0);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string svg = text.str();
  CHECK(xml_problem(svg).empty());
  CHECK(svg.find("<svg") != std::string::npos);
  CHECK(svg.find("gpt-5") != std::string::npos);
  CHECK(svg.find("self-hosting cheaper from") != std::string::npos);
  CHECK(svg.find("<circle") != std::string::npos); // the crossover marks
  CHECK(svg.find("your volume 10M") != std::string::npos);
  CHECK(!std::filesystem::exists(path + ".tmp"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("the XML check itself rejects broken SVG", "[cli][cost]") {
  CHECK(xml_problem("<svg><g></svg>") == "unbalanced </svg>");
  CHECK(!xml_problem("<svg><text>a & b</text></svg>").empty());
  CHECK(!xml_problem("<svg x=1></svg>").empty());
  CHECK(!xml_problem("<svg></svg><svg></svg>").empty());
  CHECK(xml_problem("<?xml version=\"1.0\"?>\n<svg a=\"1\"><t>x &amp; y</t><r/></svg>\n").empty());
}

TEST_CASE("show prints an API price with its date", "[cli][cost]") {
  const auto r = run_modelpick({"show", "gpt-5", "--json"});
  CHECK(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["model"]["api_price"]["usd_per_million"]["input"] == 1.25);
  CHECK(j["model"]["api_price"]["usd_per_million"]["output"] == 10.0);
  CHECK(j["model"]["api_price"]["date"] == "2025-08-07");
}

TEST_CASE("one deployment, one answer: cost, compare and check price the same replica for a volume", "[cli][cost]") {
  // cost used to buy 28 one-GPU replicas at batch 1 (the fewest GPUs that hold one request);
  // the layout that serves the volume cheapest is searched instead, and --gpus agrees with it
  const std::vector<std::string> base = {"llama-3.1-70b", "--precision",      "fp8",  "--gpu",
                                         "a100-80gb",     "--tokens-per-day", "100M", "--json"};
  std::vector<std::string> searched = {"cost"};
  searched.insert(searched.end(), base.begin(), base.end());
  const auto s = nlohmann::json::parse(run_modelpick(searched).out);
  std::vector<std::string> fixed = searched;
  fixed.insert(fixed.end(), {"--gpus", std::to_string(s["self_host"]["gpus"].get<int>())});
  const auto f = nlohmann::json::parse(run_modelpick(fixed).out);
  CHECK(s["self_host"]["usd_per_month"] == f["self_host"]["usd_per_month"]);
  // the searched replica is at most the cost of the fewest-GPU one
  std::vector<std::string> one = searched;
  one.insert(one.end(), {"--gpus", "1"});
  const auto o = nlohmann::json::parse(run_modelpick(one).out);
  CHECK(s["self_host"]["usd_per_month"].get<double>() <= o["self_host"]["usd_per_month"].get<double>());
  // compare prices the same deployment the same way
  std::vector<std::string> cmp = {"compare", "llama-3.1-70b", "llama-3.1-8b"};
  cmp.insert(cmp.end(), base.begin() + 1, base.end());
  const auto c = nlohmann::json::parse(run_modelpick(cmp).out);
  CHECK(c["models"][0]["cost"]["usd_per_month"] == s["self_host"]["usd_per_month"]);
}

TEST_CASE("compare: two models of one geometry get one layout and one price", "[cli][compare]") {
  // Llama-3.3-70B and Qwen2.5-72B: 80 layers, 8 KV heads of 128, hidden 8192 (Qwen's MLP is
  // wider); Llama used to be left on a cramped 2-GPU layout and cost 1.5x
  const auto c = nlohmann::json::parse(
      run_modelpick({"compare", "llama-3.3-70b", "qwen2.5-72b", "--gpu", "h100", "--tokens-per-day", "100M", "--json"})
          .out);
  const auto& a = c["models"][0]["cost"];
  const auto& b = c["models"][1]["cost"];
  CHECK(a["gpus"] == b["gpus"]);
  const double ratio = a["usd_per_month"].get<double>() / b["usd_per_month"].get<double>();
  CHECK(ratio > 0.9);
  CHECK(ratio < 1.1);
}

TEST_CASE("cost: an open model's cheapest hosted offer is compared beside its own price", "[cli][cost]") {
  // The offers of the catalog (show --json), blended at cost's default mix of 75% input: the
  // cheapest is found here independently, and the row cost adds must be that one.
  const auto shown = run_modelpick({"show", "llama-3.3-70b", "--json"});
  REQUIRE(shown.exit_code == 0);
  const json offers = json::parse(shown.out)["model"]["api_price"]["offers"];
  REQUIRE(offers.size() >= 3);
  double lowest = 1e9;
  std::string provider;
  for (const json& o : offers) {
    const double blended =
        0.75 * o["usd_per_million"]["input"].get<double>() + 0.25 * o["usd_per_million"]["output"].get<double>();
    if (blended < lowest) {
      lowest = blended;
      provider = o["provider"];
    }
  }
  const auto r = run_modelpick(
      {"cost", "llama-3.3-70b", "--gpu", "h100", "--tokens-per-day", "100M", "--api", "llama-3.3-70b", "--json"});
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  REQUIRE(j["api"].size() == 2); // the entry's own price, and the cheaper offer
  CHECK(j["api"][0]["hosted_offer"] == false);
  CHECK(j["api"][1]["hosted_offer"] == true);
  CHECK(j["api"][1]["provider"] == provider);
  CHECK(j["api"][1]["usd_per_million_tokens"].get<double>() == Approx(lowest));
  // 100M tokens a day for 365 / 12 days at the blended rate
  CHECK(j["api"][1]["usd_per_month"].get<double>() == Approx(lowest * 100 * 365 / 12));
  CHECK(j["api"][1]["usd_per_month"].get<double>() < j["api"][0]["usd_per_month"].get<double>());
  REQUIRE(j["crossover"].size() == 2);
}

TEST_CASE("compare weighs a priced open model at the bill cost finds cheapest", "[cli][cost][compare]") {
  // cost lists the entry's own price and the cheapest hosted offer; compare's api block must be
  // the lower of the two, with the host named: one bill per model across commands.
  const auto c = run_modelpick(
      {"cost", "llama-3.3-70b", "--gpu", "h100", "--tokens-per-day", "100M", "--api", "llama-3.3-70b", "--json"});
  REQUIRE(c.exit_code == 0);
  const json bills = json::parse(c.out)["api"];
  REQUIRE(bills.size() == 2);
  const json& lowest =
      bills[1]["usd_per_month"].get<double>() < bills[0]["usd_per_month"].get<double>() ? bills[1] : bills[0];
  const auto r =
      run_modelpick({"compare", "llama-3.3-70b", "qwen2.5-72b", "--gpu", "h100", "--tokens-per-day", "100M", "--json"});
  REQUIRE(r.exit_code == 0);
  const json api = json::parse(r.out)["models"][0]["api"];
  CHECK(api["provider"] == lowest["provider"]);
  CHECK(api["hosted_offer"] == true);
  CHECK(api["usd_per_month"].get<double>() == Approx(lowest["usd_per_month"].get<double>()));
  // DeepInfra's Llama-3.3-70B Turbo: $0.10 in, $0.32 out; at 3:1 that is $0.155 per 1M tokens
  CHECK(api["usd_per_million_tokens"].get<double>() == Approx(0.75 * 0.10 + 0.25 * 0.32));
  // and the table sets it beside the self-hosted cost
  const auto t = run_modelpick(
      {"compare", "llama-3.3-70b", "qwen2.5-72b", "--gpu", "h100", "--tokens-per-day", "100M", "--format", "csv"});
  REQUIRE(t.exit_code == 0);
  CHECK(t.out.find("hosted API $ per 1M tokens,$0.16 (DeepInfra)") != std::string::npos);
}

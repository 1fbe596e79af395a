// The catalog of December 2026: GPUs, models, precisions and prices people use now.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <unistd.h>

#include "run.hpp"

using nlohmann::json;

namespace {

json gpu_entry(const json& list, const std::string& id) {
  for (const auto& g : list) {
    if (g["id"] == id) {
      return g;
    }
  }
  return nullptr;
}

} // namespace

TEST_CASE("catalog: every GPU of 2026 is there, with memory, rates, node and engines", "[cli][catalog]") {
  const auto r = run_modelpick({"list", "--gpus", "--json"});
  REQUIRE(r.exit_code == 0);
  const json list = json::parse(r.out);
  for (const char* id :
       {"b200", "gb200",  "b300",   "gb300",        "h20",          "h100-nvl", "h200-nvl", "gh200",           "l4",
        "l40",  "a10g",   "t4",     "rtx-6000-ada", "rtx-pro-6000", "rtx-5080", "rtx-3060", "rtx-3060-laptop", "gb10",
        "a800", "mi300x", "mi325x", "mi355x"}) {
    INFO(id);
    const json g = gpu_entry(list, id);
    REQUIRE(g.is_object());
    CHECK(g["memory_bytes"].get<std::uint64_t>() > 4ULL << 30);
    CHECK(g["bandwidth_bytes_per_s"].get<std::uint64_t>() > 100'000'000'000ULL);
    CHECK(g["tflops_dense"]["bf16"].get<double>() > 0);
    CHECK(g["gpus_per_node"].get<std::uint64_t>() >= 1);
    CHECK(!g["engines"].empty());
    CHECK(!g["sources"]["memory"].get<std::string>().empty());
  }
  // memory as the runtime reports it, against the device dumps (deviceQuery's "(N bytes)",
  // rocm-smi's "VRAM Total Memory (B)"): each figure as the dump prints it
  CHECK(gpu_entry(list, "h100-nvl")["memory_bytes"] == 99'861'594'112ULL);
  CHECK(gpu_entry(list, "gh200")["memory_bytes"] == 101'468'602'368ULL); // "96768 MBytes (101468602368 bytes)"
  CHECK(gpu_entry(list, "l4")["memory_bytes"] == 23'570'219'008ULL);     // "22478 MBytes (23570219008 bytes)"
  CHECK(gpu_entry(list, "mi300x")["memory_bytes"] == 206'141'652'992ULL);
  // B200: PyTorch's total_memory=182631MB (MiB, floored)
  CHECK(gpu_entry(list, "b200")["memory_bytes"] == 182'631ULL * 1024 * 1024);
  // GB200 NVL72: four GPUs a tray, 72 in one NVLink domain
  CHECK(gpu_entry(list, "gb200")["gpus_per_node"] == 4);
  CHECK(gpu_entry(list, "gb200")["nvlink_domain"] == 72);
  CHECK(gpu_entry(list, "mi300x")["vendor"] == "AMD");
  // a rate the vendor does not print is derived and says so
  CHECK(gpu_entry(list, "rtx-3060")["tflops_assumption"].is_string());
  CHECK(gpu_entry(list, "h100")["tflops_assumption"].is_null());
}

TEST_CASE("catalog: what the engine used to guess from a GPU's id is a catalog fact", "[cli][catalog]") {
  // vLLM's batch defaults: 1,024 sequences on GPUs of 70+ GiB whose device name lacks "a100"
  // (vllm/engine/arg_utils.py); the A800 (80 GB, "NVIDIA A800-SXM4-80GB") gets them, the A100 not
  const auto seqs = [](const char* gpu) {
    const auto r = run_modelpick({"size", "llama-3.1-8b", "--gpu", gpu, "--engine", "vllm", "--json"});
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out)["engine"]["max_num_seqs"].get<std::uint64_t>();
  };
  CHECK(seqs("a800") == 1024);
  CHECK(seqs("a100-80gb") == 256);
  CHECK(seqs("mi300x") == 1024);
  CHECK(seqs("l4") == 256);
  // an engine the GPU does not run is refused by name
  const auto t4 = run_modelpick({"size", "llama-3.1-8b", "--gpu", "t4", "--engine", "sglang"});
  CHECK(t4.exit_code == 2);
  CHECK(t4.out.empty());
  CHECK(t4.err.find("--engine sglang: the catalog does not list it as running on the NVIDIA T4") != std::string::npos);
}

TEST_CASE("catalog: list --api shows prices with both dates and retirement, as of the day", "[cli][catalog][prices]") {
  // a fixed day, so that the retirement dates the providers announced decide the same way
  // every time: Google shut Gemini 2.5 Pro down on 2026-12-01; GPT-5 retires on 2026-12-11
  setenv("MODELPICK_TODAY", "2026-12-05", 1);
  const auto r = run_modelpick({"list", "--api", "--json"});
  REQUIRE(r.exit_code == 0);
  const json list = json::parse(r.out);
  const auto entry = [&](const std::string& id) {
    for (const auto& e : list) {
      if (e["id"] == id) {
        return e;
      }
    }
    return json(nullptr);
  };
  CHECK(entry("gemini-2.5-pro")["status"] == "retired");
  CHECK(entry("gpt-5")["status"] == "retiring");
  CHECK(entry("gpt-5")["retires"] == "2026-12-11");
  CHECK(entry("mistral-medium-3")["status"] == "deprecated");
  // the price page's figures for a current model (OpenAI: GPT-6.2 Sol $2 in / $10 out)
  CHECK(entry("gpt-6.2-sol")["usd_per_million"]["input"] == 2.0);
  CHECK(entry("gpt-6.2-sol")["usd_per_million"]["output"] == 10.0);
  for (const auto& e : list) {
    INFO(e["id"]);
    CHECK(e["price_effective_date"].is_string());
    CHECK(e["price_checked_date"].is_string());
    CHECK(!e["source"].get<std::string>().empty());
  }
  // a retired model is never offered as an alternative: not in cost's default list, refused by name
  const auto cost = run_modelpick({"cost", "llama-3.1-8b", "--gpu", "l40s", "--tokens-per-day", "10M", "--json"});
  REQUIRE(cost.exit_code == 0);
  const json bill = json::parse(cost.out);
  for (const auto& a : bill["api"]) {
    CHECK(a["model"] != "gemini-2.5-pro");
  }
  const auto named =
      run_modelpick({"cost", "llama-3.1-8b", "--gpu", "l40s", "--tokens-per-day", "10M", "--api", "gemini-2.5-pro"});
  CHECK(named.exit_code == 2);
  CHECK(named.out.empty());
  CHECK(named.err.find("'gemini-2.5-pro' retired on 2026-12-01 (Google)") != std::string::npos);
  // before its shutdown it is still offered
  setenv("MODELPICK_TODAY", "2026-11-01", 1);
  CHECK(run_modelpick({"cost", "llama-3.1-8b", "--gpu", "l40s", "--tokens-per-day", "10M", "--api", "gemini-2.5-pro"})
            .exit_code == 0);
  setenv("MODELPICK_TODAY", "12/05/2026", 1);
  const auto bad = run_modelpick({"list", "--api"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("MODELPICK_TODAY '12/05/2026' is not accepted") != std::string::npos);
  unsetenv("MODELPICK_TODAY");
}

TEST_CASE("catalog audit: the embedded catalog has no finding but age", "[cli][catalog][audit]") {
  setenv("MODELPICK_TODAY", "2026-12-02", 1);
  const auto r = run_modelpick({"catalog", "audit", "--json"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  const json j = json::parse(r.out);
  for (const auto& f : j["findings"]) {
    INFO(f.dump());
    CHECK(f["time_dependent"] == true);
  }
  // the age is counted in days: a price read 2026-07-02 is 153 days old on 2026-12-02
  // (Jul 2 to Dec 2: 31 + 31 + 30 + 31 + 30 days)
  bool llama = false;
  for (const auto& f : j["findings"]) {
    if (f["id"] == "llama-3.3-70b" && f["kind"] == "stale-price" && f["what"] == "price_checked_date") {
      llama = true;
      CHECK(f["age_days"] == 153);
    }
  }
  CHECK(llama);
  // hosted offers age on their own dates, counted in one finding per price: Llama-3.3-70B's 15
  // offers, read 2025-11-12 to 2026-10-07 (show --json); past 120 days on 2026-12-02 are those
  // before 2026-08-04, all but the one of 2026-10-07; the oldest, 2025-11-12, is 365 + 20 days old
  const json offers =
      json::parse(run_modelpick({"show", "llama-3.3-70b", "--json"}).out)["model"]["api_price"]["offers"];
  std::size_t fresh = 0;
  std::string oldest = "9999";
  for (const auto& o : offers) {
    fresh += o["date"].get<std::string>() >= "2026-08-04" ? 1 : 0;
    oldest = std::min(oldest, o["date"].get<std::string>());
  }
  bool offers_found = false;
  for (const auto& f : j["findings"]) {
    if (f["id"] == "llama-3.3-70b" && f["what"].get<std::string>().rfind("offers (", 0) == 0) {
      offers_found = true;
      CHECK(f["what"] == "offers (" + std::to_string(offers.size() - fresh) + " of " + std::to_string(offers.size()) +
                             " stale; the oldest)");
      CHECK(f["date"] == oldest);
      CHECK(f["age_days"] == (oldest == "2025-11-12" ? 385 : -1));
    }
  }
  CHECK(offers_found);
  // a GPU alias that another GPU also answers to is a mistake in the data: exit 3
  const std::string overlay = "/tmp/modelpick-audit-" + std::to_string(getpid()) + ".json";
  std::ofstream(overlay) << R"({"gpus": [{"id": "my-h100", "name": "Ours", "vendor": "NVIDIA", "aliases": ["H100-SXM"],
    "memory": {"bytes": 85045477376, "source": "ours"}, "performance": {"bandwidth_bytes_per_s": 3350000000000,
    "tflops_dense": {"bf16": 989.5}, "source": "ours"}, "node": {"gpus_per_node": 8, "source": "ours"},
    "rental": "none: ours"}]})";
  const auto bad = run_modelpick({"--catalog", overlay, "catalog", "audit"});
  std::remove(overlay.c_str());
  CHECK(bad.exit_code == 3);
  CHECK(bad.out.find("alias-collision  gpus[id=my-h100]: H100-SXM also names h100") != std::string::npos);
  unsetenv("MODELPICK_TODAY");
}

TEST_CASE("catalog: tensor parallelism spans an NVL72 domain, not only a 4-GPU tray", "[cli][catalog]") {
  // DeepSeek-V3 at bf16 as vLLM loads it (671B x 2 B = 1.34 TB; the MTP layer is not loaded)
  // needs 8 GB200s: 167.8 GB each; its 128 heads split 8 ways inside the NVLink domain of 72,
  // where a 4-GPU tray alone would force pipeline stages (TP 4 x PP 2)
  const auto r = run_modelpick({"size", "deepseek-v3", "--precision", "bf16", "--gpu", "gb200", "--json"});
  REQUIRE(r.exit_code == 0);
  const json fit = json::parse(r.out)["fit"];
  CHECK(fit["gpus"] == 8);
  CHECK(fit["tensor_parallel"] == 8);
  CHECK(fit["pipeline_parallel"] == 1);
  // each rank holds an eighth of the weights without the MTP layer's
  const json j = json::parse(r.out);
  const std::uint64_t all = j["memory"]["weights_bytes"];
  const std::uint64_t mtp = j["memory"]["weights_beside_the_language_model"].at(0)["bytes"];
  CHECK(j["memory"]["weights_beside_the_language_model"].at(0)["what"] == "multi-token prediction layers");
  CHECK(fit["per_gpu"]["weights_bytes"].get<std::uint64_t>() == (all - mtp + 7) / 8);
}

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "catalog_fixture.hpp"
#include "modelpick/engine/memory.hpp"
#include "modelpick/error.hpp"

using namespace modelpick;
using catalog::Catalog;
using catalog::Document;

namespace {

Catalog with_overlay(const std::string& text) {
  auto docs = catalog::embedded_documents();
  docs.push_back(Document{"overlay.json", text, false});
  return Catalog::load(docs);
}

std::string overlay_error(const std::string& text) {
  try {
    with_overlay(text);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::invalid_catalog);
    return e.what();
  }
  FAIL("overlay accepted: " << text);
  return {};
}

} // namespace

TEST_CASE("the embedded catalog holds the models of the first issue", "[catalog][integrity]") {
  const auto& c = embedded_catalog();
  for (const char* id : {"llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "llama-4-scout", "llama-4-maverick",
                         "deepseek-v3", "deepseek-r1", "mixtral-8x7b", "mixtral-8x22b", "qwen2.5-72b",
                         "qwen3-235b-a22b", "gemma-2-27b", "mistral-large-2", "gpt-5"}) {
    INFO(id);
    CHECK(c.model(id).id == id);
  }
  for (const char* id :
       {"h100", "h100-pcie", "h200", "a100-80gb", "a100-40gb", "l40s", "rtx-4090", "rtx-5090", "rtx-3090"}) {
    INFO(id);
    CHECK(c.gpu(id).id == id);
  }
  for (const char* id : {"bf16", "fp16", "fp8", "int8", "int4"}) {
    INFO(id);
    CHECK(c.precision(id).id == id);
  }
}

TEST_CASE("every embedded fact has a source and every reference resolves", "[catalog][integrity]") {
  const auto& c = embedded_catalog();
  std::set<std::string> ids;
  for (const auto& m : c.models()) {
    INFO(m.id);
    CHECK(ids.insert(m.id).second);
    CHECK(c.find_license(m.license) != nullptr);
    for (const char* group : {"license", "context"}) {
      CHECK_FALSE(m.sources.at(group).empty());
    }
    if (m.self_hostable()) {
      CHECK_FALSE(m.sources.at("params").empty());
      CHECK_FALSE(m.sources.at("architecture").empty());
      CHECK_NOTHROW(c.precision(m.native_precision));
    } else {
      CHECK_FALSE(m.sources.at("api").empty());
    }
  }
  for (const auto& g : c.gpus()) {
    INFO(g.id);
    for (const char* group : {"memory", "performance", "node"}) {
      CHECK_FALSE(g.sources.at(group).empty());
    }
  }
  for (const auto& p : c.precisions()) {
    CHECK_FALSE(p.sources.at("storage").empty());
  }
}

TEST_CASE("published parameter counts match the architecture", "[catalog][integrity]") {
  // Tolerance: 2% on totals, 3% on MoE active counts (a dense model's active count is its total). Publishers round
  // ("70B" for 70.55B, "17B active" for 17.17B) and we leave out a few tiny tensors (QK-norms, Gemma's extra norms); a
  // wrong layer count (1 of 80 layers = 1.2% of a dense model, but attention + MLP of a 61-layer MoE far more) or a
  // wrong head dim moves the count by more. The exact counts are checked by hand in test_engine_memory.cpp.
  for (const auto& m : embedded_catalog().models()) {
    if (!m.self_hostable()) {
      continue;
    }
    INFO(m.id);
    auto p = engine::count_params(*m.architecture);
    // publishers count the main model without its MTP layers (DeepSeek: "685B, which includes
    // 671B of the Main Model weights and 14B of the Multi-Token Prediction (MTP) Module weights")
    p.total -= p.mtp_layers * p.mtp_block.total() + p.mtp_other;
    const double total = static_cast<double>(m.published_params_total);
    const double active = static_cast<double>(m.published_params_active);
    // A publisher's rough figure (Grok-1: "25% of the weights active") is marked approximate in
    // the catalog and checked to 10%.
    if (m.published_params_name_only) {
      // Only the size in the name is published (Falcon3-1B holds 1.67B): a sanity bound of 2x.
      CHECK(static_cast<double>(p.total) / total > 0.5);
      CHECK(static_cast<double>(p.total) / total < 2.0);
      continue;
    }
    const double total_tolerance = m.published_params_approximate ? 0.10 : 0.02;
    const double active_tolerance = m.published_params_approximate ? 0.10 : 0.03;
    CHECK(std::abs(static_cast<double>(p.total) - total) / total < total_tolerance);
    if (m.architecture->moe) {
      // Publishers count active parameters with the embeddings (DeepSeek: 37B), without them
      // (MiniMax-Text-01: 45.9B, Mistral Large 3: 39B) or without the embedding lookup only
      // (gpt-oss: 3.61B); one of the conventions must match.
      const double with_embeddings = static_cast<double>(p.active);
      const double without = static_cast<double>(p.active - p.embedding - p.lm_head);
      const double without_lookup = static_cast<double>(p.active - p.embedding);
      const double error = std::min({std::abs(with_embeddings - active), std::abs(without - active),
                                     std::abs(without_lookup - active)}) /
                           active;
      CHECK(error < active_tolerance);
    }
  }
}

TEST_CASE("an overlay adds a model and overrides a GPU field by field", "[catalog][overlay]") {
  const Catalog c = with_overlay(R"({
    "gpus": [{"id": "h100", "memory": {"bytes": 1000000000000}}],
    "models": [{"id": "tiny", "name": "Tiny", "publisher": "me", "category": "small",
                "license": {"id": "mit"}, "native_precision": "bf16",
                "params": {"total": 1000}, "context": {"max_tokens": 4096},
                "architecture": {"layers": 2, "hidden_size": 64, "intermediate_size": 128,
                                 "attention_heads": 4, "kv_heads": 2, "head_dim": 16, "vocab_size": 100}}]
  })");
  CHECK(c.gpu("h100").memory_bytes == 1'000'000'000'000ULL);
  CHECK(c.gpu("h100").bandwidth_bytes_per_s == embedded_catalog().gpu("h100").bandwidth_bytes_per_s); // kept
  CHECK(c.gpu("h100").sources.at("memory") == "user catalog overlay.json");
  CHECK(c.model("tiny").sources.at("params") == "user catalog overlay.json");
  CHECK(c.models().size() == embedded_catalog().models().size() + 1);
}

TEST_CASE("malformed catalogs are rejected with a message naming the place", "[catalog][errors]") {
  CHECK(overlay_error("").find("is empty") != std::string::npos);
  CHECK(overlay_error(R"({"models": [)").find("not valid JSON") != std::string::npos);
  CHECK(overlay_error("[1, 2]").find("holds a JSON array") != std::string::npos);
  CHECK(overlay_error(std::string(100000, '[') + std::string(100000, ']')).find("nested deeper") != std::string::npos);
  CHECK(overlay_error(R"({"modles": []})").find("unknown key \"modles\"") != std::string::npos);
  CHECK(overlay_error(R"({"gpus": [{"id": "h100", "memory": {"bytes": -5}}]})").find("memory: \"bytes\" must be") !=
        std::string::npos);
  CHECK(overlay_error(R"({"models": [{"id": "llama-3.1-8b", "architecture": {"layers": 1000000000000}}]})")
            .find("\"layers\" must be an integer from 1 to 10000") != std::string::npos);
  CHECK(overlay_error(R"({"models": [{"id": "llama-3.1-8b", "license": {"id": "nope"}}]})")
            .find("license \"nope\" is not in the catalog") != std::string::npos);
  CHECK(overlay_error(R"({"models": [{"id": "Bad Id"}]})").find("must be 1-64 characters") != std::string::npos);
}

TEST_CASE("embedded data must carry sources", "[catalog][errors]") {
  auto docs = catalog::embedded_documents();
  docs.push_back(Document{"embedded extra.json", R"({"licenses": [{"id": "x", "name": "X"}]})", true});
  CHECK_THROWS_WITH(Catalog::load(docs), Catch::Contains("missing \"source\""));
}

TEST_CASE("ids are unique within the embedded data", "[catalog][integrity]") {
  auto docs = catalog::embedded_documents();
  docs.push_back(Document{"embedded extra.json", R"({"gpus": [{"id": "h100"}]})", true});
  CHECK_THROWS_WITH(Catalog::load(docs), Catch::Contains("duplicate id \"h100\""));
  // while an overlay may override an id on purpose
  CHECK_NOTHROW(with_overlay(R"({"gpus": [{"id": "h100"}]})"));
  // and a name may not point at two models
  CHECK_THROWS_WITH(with_overlay(R"({"models": [{"id": "llama-3.1-8b", "aliases": ["llama-3.1-70b"]}]})"),
                    Catch::Contains("already names model"));
}

TEST_CASE("lookups accept aliases and suggest ids", "[catalog][lookup]") {
  const auto& c = embedded_catalog();
  CHECK(c.model("meta-llama/Llama-3.1-70B-Instruct").id == "llama-3.1-70b");
  CHECK(c.model("LLAMA-3.1-70B").id == "llama-3.1-70b");
  // common spellings: no hyphen after the family, Ollama tags, instruct/base suffixes, org prefixes
  CHECK(c.model("llama3.1-70b").id == "llama-3.1-70b");
  CHECK(c.model("qwen2.5:72b").id == "qwen2.5-72b");
  CHECK(c.model("meta-llama/Llama-3.3-70B-Instruct").id == "llama-3.3-70b");
  CHECK(c.model("mixtral_8x7b").id == "mixtral-8x7b");
  CHECK(c.model("microsoft/Phi-3.5-mini-instruct").id == "phi-3.5-mini");
  CHECK(c.model("gemma-2-9b-it").id == "gemma-2-9b");
  try {
    (void)c.model("llama-3.1-7b");
    FAIL("unknown id accepted");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::not_found);
    CHECK(std::string(e.what()).find("unknown model 'llama-3.1-7b'; did you mean llama-3.1-8b") == 0);
  }
}

TEST_CASE("every GPU and API-only model has a dated sourced price", "[catalog][integrity][prices]") {
  const auto& c = embedded_catalog();
  for (const auto& g : c.gpus()) {
    INFO(g.id);
    if (!g.price) {
      // bought, not rented (DGX Spark, a laptop GPU), or no offer found: the entry says which
      CHECK(g.no_rental.rfind("none", 0) == 0);
      continue;
    }
    CHECK(g.link_bytes_per_s > 0);
    // The reference rate is what its basis says: the median of the current offers.
    std::vector<double> current;
    for (const auto& o : g.price->offers) {
      CHECK(!o.source.empty());
      CHECK(o.date.size() == 10);
      if (o.terms.find("superseded") == std::string::npos) {
        current.push_back(o.usd_per_gpu_hour);
      }
    }
    REQUIRE(!current.empty());
    std::sort(current.begin(), current.end());
    const std::size_t n = current.size();
    const double median = n % 2 == 1 ? current[n / 2] : (current[n / 2 - 1] + current[n / 2]) / 2;
    CHECK(g.price->usd_per_gpu_hour == Approx(median));
    CHECK(g.price->basis.find(std::to_string(n) + " current") != std::string::npos);
  }
  for (const auto& m : c.models()) {
    if (!m.self_hostable()) {
      INFO(m.id);
      REQUIRE(m.api_price);
    }
    if (m.api_price) {
      CHECK(!m.api_price->source.empty());
      // effective: a day, or a month where the provider states only that; checked: a day
      CHECK((m.api_price->date.size() == 10 || m.api_price->date.size() == 7));
      CHECK((m.api_price->checked_date.empty() || m.api_price->checked_date.size() == 10));
      CHECK(m.api_price->checked_date >= m.api_price->date.substr(0, 7));
      CHECK(m.api_price->output >= m.api_price->input); // every listed API charges more for output
    }
  }
}

TEST_CASE("price entries must name a catalog GPU or model", "[catalog][errors][prices]") {
  CHECK(overlay_error(R"({"api_prices": [{"id": "gpt-6", "provider": "x", "date": "2026-01-01",
                          "usd_per_million": {"input": 1, "output": 2}}]})")
            .find("\"gpt-6\" is not a model in the catalog") != std::string::npos);
  CHECK(overlay_error(R"({"gpu_prices": [{"id": "h100", "usd_per_gpu_hour": -1}]})")
            .find("\"usd_per_gpu_hour\" must be a number from 0.01 to 10000") != std::string::npos);
  const Catalog c = with_overlay(R"({"gpu_prices": [{"id": "h100", "usd_per_gpu_hour": 2.1, "basis": "our contract",
                                     "date": "2026-11-01", "source": "procurement"}]})");
  CHECK(c.gpu("h100").price->usd_per_gpu_hour == 2.1);
  CHECK(c.gpu("h100").price->offers.size() == embedded_catalog().gpu("h100").price->offers.size()); // merged
}

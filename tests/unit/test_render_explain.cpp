// size --explain: the arithmetic shown adds up to the report's own figures, for every model.
#include <catch2/catch.hpp>
#include <string>

#include "catalog_fixture.hpp"
#include "render/explain_render.hpp"

using namespace modelpick;

namespace {

// "1,073,741,824 B" -> 1073741824
std::uint64_t number(const std::string& text) {
  std::uint64_t v = 0;
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      v = v * 10 + static_cast<std::uint64_t>(c - '0');
    } else if (c != ',') {
      break;
    }
  }
  return v;
}

const render::ExplainSection& section(const std::vector<render::ExplainSection>& all, const std::string& prefix) {
  for (const auto& s : all) {
    if (s.title.rfind(prefix, 0) == 0) {
      return s;
    }
  }
  FAIL("no section " << prefix);
  return all.front();
}

} // namespace

TEST_CASE("explain: Llama-3.1-8B's lines, by hand", "[explain]") {
  const catalog::Catalog& c = embedded_catalog();
  engine::SizingRequest req;
  req.context_tokens = 8192;
  req.concurrency = 1;
  const auto report = engine::plan_size(c.model("llama-3.1-8b"), c.precision("bf16"), c.gpu("h100"), req);
  const auto all = render::explain_size(report);
  const auto& params = section(all, "Parameters");
  // q and o 4,096 x 4,096 each, k and v 4,096 x 1,024 each = 41,943,040
  CHECK(number(params.steps[0].result) == 2ULL * 4096 * 4096 + 2ULL * 4096 * 1024);
  // gate, up, down: 3 x 4,096 x 14,336
  CHECK(number(params.steps[1].result) == 3ULL * 4096 * 14336);
  const auto& fit = section(all, "Fit");
  CHECK(fit.steps.back().what == "max concurrency");
  CHECK(number(fit.steps.back().result) == report.fit->share.max_concurrency);
}

TEST_CASE("explain: every model's lines add up to its report", "[explain]") {
  const catalog::Catalog& c = embedded_catalog();
  for (const catalog::Model& m : c.models()) {
    if (!m.self_hostable()) {
      continue;
    }
    engine::SizingRequest req;
    req.context_tokens = std::min<std::uint64_t>(32768, m.max_context_tokens);
    req.concurrency = 3;
    const auto report = engine::plan_size(m, c.precision(m.native_precision), c.gpu("h200"), req);
    const auto all = render::explain_size(report);
    INFO(m.id);
    std::uint64_t params = 0;
    for (const auto& step : section(all, "Parameters").steps) {
      if (step.what.find("per layer × layers") != std::string::npos || step.what == "embedding" ||
          step.what == "lm_head" || step.what == "final norm" || step.what.rfind("extra", 0) == 0) {
        params += number(step.result);
      }
    }
    CHECK(params == report.params_total);
    std::uint64_t weights = 0;
    const auto& w = section(all, "Weights").steps;
    for (std::size_t i = 0; i + 1 < w.size(); ++i) {
      weights += number(w[i].result);
    }
    CHECK(weights == report.weights_bytes);
    CHECK(number(w.back().result) == report.weights_bytes);
    std::uint64_t per_token = 0;
    std::uint64_t cache = 0;
    for (const auto& step : section(all, "KV cache").steps) {
      if (step.what.find(": per token") != std::string::npos) {
        per_token += number(step.result);
      } else if (step.what == "  cache" || step.what == "recurrent state") {
        cache += number(step.result);
      }
    }
    CHECK(per_token == report.kv_bytes_per_token);
    CHECK(cache == report.kv_cache_bytes);
  }
}

// Each expectation names the clause it relies on, as the license text states it.
#include <catch2/catch.hpp>

#include "catalog_fixture.hpp"
#include "modelpick/license/check.hpp"

using namespace modelpick;
using license::Verdict;

namespace {

license::Result check(const char* model, std::uint64_t mau, std::vector<catalog::Use> uses = {catalog::Use::serve},
                      std::string region = "", std::string modality = "",
                      std::optional<std::uint64_t> revenue = std::nullopt) {
  license::Deployment d;
  d.mau = mau;
  d.uses = std::move(uses);
  d.region = std::move(region);
  d.modality = std::move(modality);
  d.monthly_revenue_usd = revenue;
  const auto& c = embedded_catalog();
  const auto& m = c.model(model);
  return license::check(m, c.find_license(m.license), d);
}

bool has_obligation(const license::Result& r, const std::string& section_prefix, const std::string& words) {
  return std::any_of(r.obligations.begin(), r.obligations.end(), [&](const license::Obligation& o) {
    return o.clause.section.rfind(section_prefix, 0) == 0 &&
           (o.text.find(words) != std::string::npos || o.clause.quote.find(words) != std::string::npos);
  });
}

} // namespace

TEST_CASE("llama-3.1-70b: 700M MAU needs Meta's agreement", "[license][check]") {
  // Llama 3.1 Community License, section 2 "Additional Commercial Terms": greater than
  // 700 million monthly active users -> "you must request a license from Meta"
  const auto r = check("llama-3.1-70b", 800'000'000);
  CHECK(r.verdict == Verdict::needs_agreement);
  CHECK(r.with.find("Meta") != std::string::npos);
  CHECK(r.clause.section.rfind("2", 0) == 0);
  CHECK(r.clause.quote.find("700 million") != std::string::npos);
  CHECK(r.clause.source.find("llama3_1/LICENSE") != std::string::npos);
}

TEST_CASE("llama-3.1-70b at 50M MAU: allowed, Built with Llama", "[license][check]") {
  // section 1.b.i: "prominently display 'Built with Llama'"
  const auto r = check("llama-3.1-70b", 50'000'000);
  CHECK(r.verdict == Verdict::allowed_with_obligations);
  CHECK(r.clause.section.rfind("1.a", 0) == 0); // the grant decides
  CHECK(has_obligation(r, "1.b.i", "Built with Llama"));
  // exactly 700M is not "greater than 700 million"
  CHECK(check("llama-3.1-70b", 700'000'000).verdict == Verdict::allowed_with_obligations);
}

TEST_CASE("llama 3.1 outputs may train another model named Llama", "[license][check]") {
  // 3.1's section 1.b.i allows improving another model with Llama outputs if its name begins
  // with "Llama" (Llama 3.0 forbade improving any other LLM).
  const auto r = check("llama-3.1-8b", 1'000'000, {catalog::Use::distill});
  CHECK(r.verdict == Verdict::allowed_with_obligations);
  CHECK(has_obligation(r, "1.b.i", "Llama"));
}

TEST_CASE("llama 3.2 vision: an EU-domiciled company gets no rights", "[license][check]") {
  // Llama 3.2 Acceptable Use Policy: the rights for multimodal models are not granted to
  // companies with a principal place of business in the European Union.
  const auto eu = check("llama-3.2-11b-vision", 1'000'000, {catalog::Use::serve}, "eu", "vision");
  CHECK(eu.verdict == Verdict::not_allowed);
  CHECK(eu.clause.quote.find("European Union") != std::string::npos);
  // the same deployment outside the EU is allowed (with obligations)
  CHECK(check("llama-3.2-11b-vision", 1'000'000, {catalog::Use::serve}, "", "vision").verdict ==
        Verdict::allowed_with_obligations);
}

TEST_CASE("gemma 3: fine-tune and redistribute carries the terms on", "[license][check]") {
  // Gemma Terms of Use 3.1: distributing requires passing the use restrictions on and giving
  // recipients a copy of the terms; 1.1(e): a fine-tune is a Model Derivative.
  const auto r = check("gemma-3-27b", 5'000'000, {catalog::Use::fine_tune, catalog::Use::redistribute});
  CHECK(r.verdict == Verdict::allowed_with_obligations);
  CHECK(has_obligation(r, "3.1", ""));
  CHECK(has_obligation(r, "1.1", ""));
}

TEST_CASE("dbrx: outputs may not improve another LLM", "[license][check]") {
  // Databricks Open Model License 2.3: may not use DBRX or its outputs to improve any other LLM
  const auto r = check("dbrx", 1'000'000, {catalog::Use::train_other_models});
  CHECK(r.verdict == Verdict::not_allowed);
  CHECK(r.clause.section.find("2.3") != std::string::npos);
  // and over 700M MAU it needs Databricks' agreement (section 3)
  const auto big = check("dbrx", 800'000'000);
  CHECK(big.verdict == Verdict::needs_agreement);
}

TEST_CASE("a license without rules is unknown, never allowed", "[license][check]") {
  catalog::Model m = embedded_catalog().model("llama-3.1-8b");
  catalog::License bare{"x", "Unreviewed license", "https://example.org/license", std::nullopt, {}, "", ""};
  const auto r = license::check(m, &bare, {});
  CHECK(r.verdict == Verdict::unknown);
  CHECK(license::check(m, nullptr, {}).verdict == Verdict::unknown);
}

TEST_CASE("qwen2.5-72b at 150M MAU needs Alibaba Cloud; qwen2.5-7b is Apache-2.0", "[license][check]") {
  // Qwen LICENSE AGREEMENT 4: over 100 million monthly active users -> request a license
  const auto big = check("qwen2.5-72b", 150'000'000);
  CHECK(big.verdict == Verdict::needs_agreement);
  CHECK(big.with.find("Alibaba") != std::string::npos);
  CHECK(big.clause.quote.find("100 million") != std::string::npos);
  // Apache-2.0 has no user threshold: serving at any scale is allowed
  const auto small = check("qwen2.5-7b", 150'000'000);
  CHECK(small.verdict == Verdict::allowed);
  CHECK(small.clause.source.find("apache.org") != std::string::npos);
  // the Qwen Research License (qwen2.5-3b) is non-commercial at any scale
  CHECK(check("qwen2.5-3b", 1'000).verdict == Verdict::needs_agreement);
}

TEST_CASE("kimi-k2 above USD 20M monthly revenue must display Kimi K2", "[license][check]") {
  // Modified MIT License, the modification: more than 100 million monthly active users or more
  // than 20 million US dollars in monthly revenue -> prominently display "Kimi K2"
  const auto r = check("kimi-k2", 10'000'000, {catalog::Use::serve}, "", "", 30'000'000);
  CHECK(r.verdict == Verdict::allowed_with_obligations);
  CHECK(std::any_of(r.obligations.begin(), r.obligations.end(),
                    [](const license::Obligation& o) { return o.text.find("Kimi K2") != std::string::npos; }));
  // below both thresholds, and with revenue unstated, no display obligation
  const auto small = check("kimi-k2", 10'000'000, {catalog::Use::serve}, "", "", 5'000'000);
  CHECK(small.verdict == Verdict::allowed);
}

TEST_CASE("deepseek-r1 outputs may train another model (MIT)", "[license][check]") {
  const auto r = check("deepseek-r1", 1'000'000, {catalog::Use::train_other_models});
  CHECK(r.verdict == Verdict::allowed);
  CHECK(r.clause.quote.find("without restriction") != std::string::npos); // the MIT grant
}

TEST_CASE("mistral-large-2: commercial serving needs Mistral AI's license", "[license][check]") {
  // Mistral AI Research License 3.2: no commercial use without a commercial license
  const auto r = check("mistral-large-2", 1'000);
  CHECK(r.verdict == Verdict::needs_agreement);
  CHECK(r.with.find("Mistral AI") != std::string::npos);
}

TEST_CASE("falcon-180b offered as a hosted API needs TII", "[license][check]") {
  // Falcon-180B TII License 9.3 "Hosting Use"; serving inside one's own product is allowed (9.2)
  const auto hosted = check("falcon-180b", 1'000, {catalog::Use::hosted_api});
  CHECK(hosted.verdict == Verdict::needs_agreement);
  CHECK(hosted.clause.section.find("9.3") != std::string::npos);
  CHECK(check("falcon-180b", 1'000, {catalog::Use::serve}).verdict == Verdict::allowed_with_obligations);
}

TEST_CASE("a license modelpick could not read is unknown", "[license][check]") {
  // the Jamba Open Model License text was not available to encode: never guessed as allowed
  CHECK(check("jamba-1.5-mini", 1'000).verdict == Verdict::unknown);
}

TEST_CASE("an API-only model cannot be redistributed", "[license][check]") {
  // OpenAI Services Agreement 3.3(d): no reverse engineering, which the agreement defines to
  // include model extraction; no weights are published to give to anyone.
  const auto r = check("gpt-5", 1'000, {catalog::Use::redistribute});
  CHECK(r.verdict == Verdict::not_allowed);
  CHECK(r.clause.section.find("3.3") != std::string::npos);
  // serving it inside one's own product is allowed under the usage policies
  CHECK(check("gpt-5", 1'000, {catalog::Use::serve}).verdict == Verdict::allowed_with_obligations);
  // Anthropic Commercial Terms D.4(a): no training of competing AI models on its outputs
  CHECK(check("claude-sonnet-4.5", 1'000, {catalog::Use::distill}).verdict == Verdict::not_allowed);
}

#include <algorithm>
#include <catch2/catch.hpp>

#include "catalog_fixture.hpp"
#include "modelpick/advisor/advisor.hpp"
#include "render/compare_render.hpp"
#include "render/pick_render.hpp"

using namespace modelpick;

namespace {

advisor::Question question(std::uint64_t context, std::uint64_t concurrency) {
  advisor::Question q;
  q.sizing.context_tokens = context;
  q.sizing.concurrency = concurrency;
  q.shape = {1536, 512, 2};
  return q;
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(text) != std::string::npos; });
}

} // namespace

TEST_CASE("an answer carries every engine's figures for one model", "[advisor]") {
  const auto& c = embedded_catalog();
  auto q = question(8192, 1);
  q.volume = engine::Volume{};
  q.volume->tokens_per_day = 10e6;
  q.license = license::Deployment{};
  q.license->mau = 800'000'000;
  const auto a = advisor::answer(c, c.model("llama-3.1-70b"), &c.precision("fp8"), c.gpu("h100"), q);
  REQUIRE(a.fits());
  CHECK(a.sizing->fit->layout.gpus() == 2);
  REQUIRE(a.throughput);
  CHECK(a.throughput->layout.gpus() == 2);
  REQUIRE(a.cost);
  // One replica of 2 GPUs at the catalog's H100 reference rate.
  CHECK(a.cost->self_host.usd_per_month == Approx(2 * c.gpu("h100").price->usd_per_gpu_hour * 365.0 / 12 * 24));
  REQUIRE(a.license);
  CHECK(a.license->verdict == license::Verdict::needs_agreement);
  // An API-only model: no sizing, its own price at the volume (gpt-5: $3.4375 per 1M at 3:1).
  const auto api = advisor::answer(c, c.model("gpt-5"), nullptr, c.gpu("h100"), q);
  CHECK_FALSE(api.sizing);
  REQUIRE(api.api_bill);
  CHECK(api.api_bill->usd_per_month == Approx(3.4375 * 10 * 365.0 / 12));
}

TEST_CASE("compare names the differences that matter", "[advisor]") {
  const auto& c = embedded_catalog();
  const auto q = question(8192, 1);
  const std::vector<advisor::Answer> answers = {
      advisor::answer(c, c.model("llama-3.3-70b"), &c.precision("fp8"), c.gpu("h200"), q),
      advisor::answer(c, c.model("deepseek-v3"), &c.precision("fp8"), c.gpu("h200"), q)};
  // 1 vs 8 H200s; DeepSeek-V3's MLA latent (70,272 B/token) against Llama's 327,680 B: 4.7x.
  const auto typed = advisor::differences(answers);
  const auto of_kind = [&](advisor::DifferenceKind k) {
    const auto it = std::find_if(typed.begin(), typed.end(), [&](const advisor::Difference& x) { return x.kind == k; });
    REQUIRE(it != typed.end());
    return *it;
  };
  const advisor::Difference gpus = of_kind(advisor::DifferenceKind::gpus);
  CHECK(gpus.high->model->id == "deepseek-v3");
  CHECK(gpus.low->model->id == "llama-3.3-70b");
  CHECK(gpus.high_value == 8);
  CHECK(gpus.low_value == 1);
  const advisor::Difference kv = of_kind(advisor::DifferenceKind::kv_per_token);
  CHECK(kv.low->model->id == "deepseek-v3");
  CHECK(kv.low_value == 70'272);
  CHECK(kv.high_value == 327'680);
  // and in words
  const auto d = render::differences_text(answers);
  CHECK(mentions(d, "deepseek-v3 needs 7 more GPUs than llama-3.3-70b (8 vs 1)"));
  CHECK(mentions(d, "deepseek-v3 keeps 4.7x less KV cache per token than llama-3.3-70b"));
  // The same model twice differs in nothing worth a sentence.
  const std::vector<advisor::Answer> same = {answers[0], answers[0]};
  CHECK(advisor::differences(same).empty());
}

TEST_CASE("pick keeps what fits the GPUs and passes the license", "[advisor][pick]") {
  const auto& c = embedded_catalog();
  auto q = question(32768, 8);
  q.license = license::Deployment{};
  q.license->mau = 800'000'000;
  advisor::PickFilter f;
  f.max_gpus = 2;
  const auto r = advisor::pick(c, c.gpu("h100"), q, f, advisor::PickSort::params);
  REQUIRE(!r.results.empty());
  for (const auto& a : r.results) {
    INFO(a.model->id << " at " << a.precision->id);
    CHECK(a.fits());
    CHECK(a.sizing->fit->layout.gpus() <= 2);
    CHECK((a.license->verdict == license::Verdict::allowed ||
           a.license->verdict == license::Verdict::allowed_with_obligations));
  }
  // Sorted by parameters, largest first.
  for (std::size_t i = 1; i < r.results.size(); ++i) {
    CHECK(r.results[i - 1].sizing->params_total >= r.results[i].sizing->params_total);
  }
  // Llama at 800M MAU needs Meta's agreement; DeepSeek-V3 needs more than 2 H100s.
  const auto excluded = [&](const char* id) {
    const auto it = std::find_if(r.excluded.begin(), r.excluded.end(),
                                 [&](const advisor::Exclusion& e) { return e.model->id == id; });
    REQUIRE(it != r.excluded.end());
    return *it;
  };
  const advisor::Exclusion llama = excluded("llama-3.1-8b");
  CHECK(llama.kind == advisor::ExclusionKind::license);
  REQUIRE(llama.license);
  CHECK(llama.license->verdict == license::Verdict::needs_agreement);
  CHECK(render::exclusion_reason(llama, c.gpu("h100")).find("needs an agreement with Meta") != std::string::npos);
  const advisor::Exclusion deepseek = excluded("deepseek-v3");
  CHECK(deepseek.kind == advisor::ExclusionKind::fit);
  CHECK(deepseek.gpus_needed > 2);
  CHECK(render::exclusion_reason(deepseek, c.gpu("h100")).find("needs ") == 0);
  // Every self-hostable model is either ranked or excluded, once.
  std::size_t self_hostable = 0;
  for (const auto& m : c.models()) {
    self_hostable += m.self_hostable() ? 1 : 0;
  }
  CHECK(r.results.size() + r.excluded.size() == self_hostable);
}

TEST_CASE("pick takes each model at its best precision for the sort", "[advisor][pick]") {
  const auto& c = embedded_catalog();
  const auto q = question(8192, 1);
  advisor::PickFilter f;
  f.max_gpus = 8;
  const auto r = advisor::pick(c, c.gpu("h100"), q, f, advisor::PickSort::params);
  const auto find = [&](const char* id) {
    return std::find_if(r.results.begin(), r.results.end(),
                        [&](const advisor::Answer& a) { return a.model->id == id; });
  };
  // gpt-oss ships MXFP4 experts: storing them wider adds nothing, so its own format wins.
  REQUIRE(find("gpt-oss-120b") != r.results.end());
  CHECK(find("gpt-oss-120b")->precision->id == "mxfp4");
  // A 16-bit model that fits at bf16 keeps bf16.
  REQUIRE(find("llama-3.1-8b") != r.results.end());
  CHECK(find("llama-3.1-8b")->precision->weight_bits == 16);
  // FP8 weights run on an A100 through weight-only kernels (vLLM's FP8 Marlin): tried there,
  // and the 405B model that needs 8 x 80 GB at fp8 is found
  const auto a100 = advisor::pick(c, c.gpu("a100-80gb"), q, f, advisor::PickSort::params);
  const auto llama405 = std::find_if(a100.results.begin(), a100.results.end(),
                                     [](const advisor::Answer& a) { return a.model->id == "llama-3.1-405b"; });
  REQUIRE(llama405 != a100.results.end());
  CHECK(llama405->precision->id == "fp8");
  // a GPU with neither FP8 tensor cores nor weight-only FP8 kernels is never offered FP8
  catalog::Gpu older = c.gpu("a100-80gb");
  older.weight_only_fp8 = false;
  for (const auto& a : advisor::pick(c, older, q, f, advisor::PickSort::params).results) {
    CHECK(a.precision->id != "fp8");
  }
}

TEST_CASE("check expectations pass and fail as stated", "[advisor][check]") {
  const auto& c = embedded_catalog();
  auto q = question(16384, 8);
  q.sizing.gpus = 2;
  q.volume = engine::Volume{};
  q.volume->tokens_per_day = 200e6;
  const std::vector<advisor::Answer> answers = {
      advisor::answer(c, c.model("llama-3.3-70b"), &c.precision("fp8"), c.gpu("h100"), q)};
  advisor::Expectations e;
  e.self_host_cheaper_than_api = true;
  e.max_usd_per_million_tokens = 0.01; // far below any real figure
  const auto checks = advisor::check_expectations(answers, e, {&c.model("gpt-5")}, q);
  const auto result = [&](const char* name) {
    const auto it = std::find_if(checks.begin(), checks.end(), [&](const auto& x) { return x.check == name; });
    REQUIRE(it != checks.end());
    return it->passed;
  };
  CHECK(result("fits"));
  CHECK(result("cheaper-than-api")); // 200M tokens a day: gpt-5 costs $20,911 a month
  CHECK_FALSE(result("max-usd-per-million-tokens"));
  // Cost expectations without a volume are a usage error, not a silent pass.
  auto no_volume = q;
  no_volume.volume.reset();
  CHECK_THROWS_WITH(advisor::check_expectations(answers, e, {}, no_volume), Catch::Contains("need a volume"));
}

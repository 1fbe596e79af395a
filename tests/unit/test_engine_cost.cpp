#include <catch2/catch.hpp>

#include "catalog_fixture.hpp"
#include "modelpick/engine/cost.hpp"

using namespace modelpick;

TEST_CASE("gpt-5 at 10M tokens a day costs about $1,046 a month not $620,000 a year", "[engine][cost]") {
  // GPT-5 list price: $1.25 per 1M input, $10 per 1M output (data/prices.json). 10M tokens a
  // day at 3:1 is 7.5M input + 2.5M output: 7.5 x 1.25 + 2.5 x 10 = $34.375 a day, x 365/12
  // = $1,045.57 a month, $12,546.88 a year: the seed's $620,000 is 49 times too high.
  const auto& gpt5 = embedded_catalog().model("gpt-5");
  REQUIRE(gpt5.api_price);
  engine::Volume v;
  v.tokens_per_day = 10e6;
  v.input_share = 0.75;
  const double per_token = engine::api_usd_per_token(*gpt5.api_price, v);
  CHECK(per_token * 1e6 == Approx(3.4375));
  CHECK(per_token * v.tokens_per_day * engine::k_days_per_month == Approx(1045.57).epsilon(1e-4));
  CHECK(per_token * v.tokens_per_day * 365 == Approx(12546.875));

  // Half the input billed at the cached rate ($0.125): 0.75 x (0.5 x 1.25 + 0.5 x 0.125) + 0.25 x 10
  v.cached_input_share = 0.5;
  CHECK(engine::api_usd_per_token(*gpt5.api_price, v) * 1e6 == Approx(0.75 * 0.6875 + 2.5));
}

TEST_CASE("long prompts pay an API's long-context rates", "[engine][cost]") {
  // claude-sonnet-4.5: $3 / $15, and $6 / $22.50 once a prompt passes 200,000 tokens.
  const auto& sonnet = embedded_catalog().model("claude-sonnet-4.5");
  engine::Volume v;
  v.input_share = 0.75;
  v.prompt_tokens = 200'000;
  CHECK(engine::api_usd_per_token(*sonnet.api_price, v) * 1e6 == Approx(0.75 * 3 + 0.25 * 15));
  v.prompt_tokens = 200'001;
  CHECK(engine::api_usd_per_token(*sonnet.api_price, v) * 1e6 == Approx(0.75 * 6 + 0.25 * 22.5));
}

TEST_CASE("self-hosting costs whole replicas", "[engine][cost]") {
  CHECK(engine::self_host_usd_per_month(0, 1000, 100e6) == 1000);
  CHECK(engine::self_host_usd_per_month(100e6, 1000, 100e6) == 1000);
  CHECK(engine::self_host_usd_per_month(100e6 + 1, 1000, 100e6) == 2000);
  CHECK(engine::self_host_usd_per_month(250e6, 1000, 100e6) == 3000);
}

TEST_CASE("the crossover solved by hand", "[engine][cost]") {
  // A replica costs $1,000 a month and serves 100M tokens a day; the API costs $2 per 1M
  // tokens, so a token a day costs 2e-6 x 365/12 = $6.0833e-5 a month. Self-hosting is
  // cheaper from $1,000 / 6.0833e-5 = 16,438,356 tokens a day, and stays so: k = aC/S = 6.08,
  // past every added replica the API costs more (n S <= a (n-1) C from n = 2).
  const double per_token = 2e-6;
  const auto simple = engine::crossover(1000, 100e6, per_token);
  REQUIRE(simple.first_tokens_per_day);
  REQUIRE(simple.tokens_per_day);
  CHECK(*simple.first_tokens_per_day == Approx(16'438'356).epsilon(1e-6));
  CHECK(*simple.tokens_per_day == Approx(16'438'356).epsilon(1e-6));

  // A replica of 20M tokens a day: k = 1.2167, k/(k-1) = 5.615, so from 6 replicas on the
  // API is never cheaper again; inside the 5th, self-hosting wins from 5 x 16,438,356.
  const auto sawtooth = engine::crossover(1000, 20e6, per_token);
  REQUIRE(sawtooth.tokens_per_day);
  CHECK(*sawtooth.first_tokens_per_day == Approx(16'438'356).epsilon(1e-6));
  CHECK(*sawtooth.tokens_per_day == Approx(5 * 16'438'356.0).epsilon(1e-6));
  // Brute force agrees: past the crossover every volume is cheaper self-hosted, just before
  // it one is not.
  const auto api = [&](double v) { return per_token * v * engine::k_days_per_month; };
  for (double v = *sawtooth.tokens_per_day; v < 400e6; v += 97'001) {
    INFO("volume " << v);
    CHECK(engine::self_host_usd_per_month(v, 1000, 20e6) <= api(v) * (1 + 1e-9));
  }
  CHECK(engine::self_host_usd_per_month(80e6 + 1, 1000, 20e6) > api(80e6 + 1));

  // A replica of 10M tokens a day costs more than the API for what it serves: never.
  const auto never = engine::crossover(1000, 10e6, per_token);
  CHECK_FALSE(never.tokens_per_day);
  CHECK_FALSE(never.first_tokens_per_day);
}

TEST_CASE("a cost report adds up", "[engine][cost]") {
  engine::ThroughputReport t;
  t.layout = {2, 1};
  t.prefill_tokens_per_s = 10'000;  // 0.1 ms of replica time per input token
  t.saturated.tokens_per_s = 2'000; // 0.5 ms per output token
  engine::Volume v;
  v.tokens_per_day = 1e9;
  v.input_share = 0.75;
  engine::SelfHostPlan plan;
  plan.gpu_hour_usd = 2;
  plan.utilization = 0.5;
  plan.peak_to_average = 2;
  const auto& c = embedded_catalog();
  const auto r = engine::estimate_cost(t, v, plan, {&c.model("gpt-5")});
  // A token takes 0.75 x 0.1 + 0.25 x 0.5 = 0.2 ms: 432M tokens a day flat out, x 0.5 / 2 =
  // 108M planned. 1e9 needs ceil(9.26) = 10 replicas of 2 GPUs at $2 x 730 h = $2,920.
  CHECK(r.self_host.replica_tokens_per_day == Approx(108e6));
  CHECK(r.self_host.replicas == 10);
  CHECK(r.self_host.gpus == 20);
  CHECK(r.self_host.replica_usd_per_month == Approx(2 * 2 * 730.0));
  CHECK(r.self_host.usd_per_month == Approx(10 * 2920.0));
  const double tokens_month = 1e9 * 365 / 12;
  CHECK(r.self_host.usd_per_million_tokens == Approx(29200 / tokens_month * 1e6));
  // Input takes 0.075 / 0.2 = 37.5% of the replica time.
  CHECK(r.self_host.usd_per_million_input * 0.75 * tokens_month / 1e6 == Approx(0.375 * 29200));
  CHECK(r.self_host.usd_per_million_output * 0.25 * tokens_month / 1e6 == Approx(0.625 * 29200));
  REQUIRE(r.api.size() == 1);
  CHECK(r.api[0].usd_per_month == Approx(3.4375 * 1000 * 365 / 12));
  REQUIRE(r.crossover.size() == 1);
  REQUIRE(r.crossover[0].first_tokens_per_day);
  CHECK(*r.crossover[0].first_tokens_per_day == Approx(2920 / (3.4375e-6 * 365 / 12)));
}

#include "modelpick/engine/cost.hpp"

#include <algorithm>
#include <utility>
#include <cmath>
#include <fmt/format.h>

#include "modelpick/util/numbers.hpp"

namespace modelpick::engine {

namespace {

constexpr double k_seconds_per_day = 86'400;
constexpr double k_million = 1e6;

// Floating-point slack for comparisons of costs computed along different paths.
constexpr double k_relative_slack = 1e-9;

} // namespace

double self_host_usd_per_month(double tokens_per_day, double replica_usd_per_month, double replica_tokens_per_day) {
  const double replicas = std::max(1.0, std::ceil(tokens_per_day / replica_tokens_per_day * (1 - k_relative_slack)));
  return replicas * replica_usd_per_month;
}

double self_host_usd_per_month(double tokens_per_day, const CostReport& report) {
  double best = self_host_usd_per_month(tokens_per_day, report.self_host.replica_usd_per_month,
                                        report.self_host.replica_tokens_per_day);
  for (const ReplicaOption& o : report.options) {
    best = std::min(best, self_host_usd_per_month(tokens_per_day, o.usd_per_month, o.tokens_per_day));
  }
  return best;
}

double api_usd_per_token(const catalog::TokenPrice& price, const Volume& volume) {
  const bool long_context = price.long_context_over > 0 && volume.prompt_tokens > price.long_context_over;
  const double input = long_context ? price.long_context_input : price.input;
  const double output = long_context ? price.long_context_output : price.output;
  const std::optional<double> cached = long_context ? price.long_context_cached_input : price.cached_input;
  const double cached_share = cached ? volume.cached_input_share : 0;
  const double input_rate = cached_share * cached.value_or(input) + (1 - cached_share) * input;
  return (volume.input_share * input_rate + (1 - volume.input_share) * output) / k_million;
}

namespace {

// The bill of the volume at `price`: the entry's own (offer nullptr) or one hosted offer's.
ApiCost bill(const catalog::Model& api, const catalog::HostedOffer* offer, const catalog::TokenPrice& price,
             const Volume& volume) {
  ApiCost a;
  a.model = &api;
  a.offer = offer;
  const double per_token = api_usd_per_token(price, volume);
  a.usd_per_million_tokens = per_token * k_million;
  a.usd_per_month = per_token * volume.tokens_per_day * k_days_per_month;
  a.long_context_rates = price.long_context_over > 0 && volume.prompt_tokens > price.long_context_over;
  a.cached_rate_used = volume.cached_input_share > 0 &&
                       (a.long_context_rates ? price.long_context_cached_input : price.cached_input).has_value();
  return a;
}

// An offer's rates as a price, without its words: what the bill's arithmetic reads.
catalog::TokenPrice offer_rates(const catalog::HostedOffer& o) {
  catalog::TokenPrice p;
  p.input = o.input;
  p.output = o.output;
  p.cached_input = o.cached_input;
  return p;
}

} // namespace

ApiCost api_cost(const catalog::Model& api, const Volume& volume) {
  return bill(api, nullptr, *api.api_price, volume);
}

catalog::TokenPrice billed_price(const ApiCost& a) {
  if (a.offer == nullptr) {
    return *a.model->api_price;
  }
  catalog::TokenPrice p = offer_rates(*a.offer);
  p.provider = a.offer->provider;
  p.date = a.offer->date;
  p.source = a.offer->source;
  return p;
}

std::optional<ApiCost> cheapest_offer_cost(const catalog::Model& api, const Volume& volume) {
  if (!api.api_price) {
    return std::nullopt;
  }
  std::optional<ApiCost> best;
  double lowest = api_cost(api, volume).usd_per_million_tokens;
  for (const catalog::HostedOffer& o : api.api_price->offers) {
    const ApiCost a = bill(api, &o, offer_rates(o), volume);
    if (a.usd_per_million_tokens < lowest * (1 - k_relative_slack)) {
      lowest = a.usd_per_million_tokens;
      best = a;
    }
  }
  return best;
}

ApiCost cheapest_api_cost(const catalog::Model& api, const Volume& volume) {
  std::optional<ApiCost> offer = cheapest_offer_cost(api, volume);
  return offer ? *offer : api_cost(api, volume);
}

Crossover crossover(double replica_usd_per_month, double replica_tokens_per_day, double api_usd_per_token) {
  Crossover c;
  // API cost per month of one token per day of volume.
  const double a = api_usd_per_token * k_days_per_month;
  const double s = replica_usd_per_month;
  const double capacity = replica_tokens_per_day;
  if (a <= 0 || s / a > capacity * (1 + k_relative_slack)) {
    return c; // a full replica costs more than the API for the tokens it serves: never cheaper
  }
  c.first_tokens_per_day = s / a;
  // With n replicas the cost is n S on ((n-1) C, n C]; just past (n-1) C the API costs
  // a (n-1) C. Self-hosting stays cheaper once n S <= a (n-1) C, i.e. n >= k / (k - 1) with
  // k = a C / S; inside the replica count before that it becomes cheaper at (n0 - 1) S / a.
  const double k = a * capacity / s;
  if (k <= 1 + k_relative_slack) {
    return c; // the API is cheaper again just past every added replica
  }
  const double n0 = std::ceil(k / (k - 1) * (1 - k_relative_slack));
  c.tokens_per_day = std::max(1.0, n0 - 1) * s / a;
  return c;
}

CostReport estimate_cost(const ThroughputReport& throughput, const Volume& volume, const SelfHostPlan& plan,
                         const std::vector<const catalog::Model*>& apis) {
  CostReport r;
  r.throughput = throughput;
  r.volume = volume;
  r.plan = plan;

  // Replica-seconds one token takes: a prompt token at the batched-prefill rate, an output
  // token at the saturated decode rate.
  const double input_seconds = 1 / throughput.prefill_tokens_per_s;
  const double output_seconds = 1 / throughput.saturated.tokens_per_s;
  const double f = volume.input_share;
  const double token_seconds = f * input_seconds + (1 - f) * output_seconds;

  SelfHostCost& h = r.self_host;
  h.gpus_per_replica = throughput.layout.gpus();
  h.replica_tokens_per_day = k_seconds_per_day / token_seconds * plan.utilization / plan.peak_to_average;
  h.replica_usd_per_month = static_cast<double>(h.gpus_per_replica) * plan.gpu_hour_usd * k_hours_per_month;
  h.usd_per_month = self_host_usd_per_month(volume.tokens_per_day, h.replica_usd_per_month, h.replica_tokens_per_day);
  h.replicas = static_cast<std::uint64_t>(std::llround(h.usd_per_month / h.replica_usd_per_month));
  h.gpus = h.replicas * h.gpus_per_replica;
  h.load = volume.tokens_per_day / (static_cast<double>(h.replicas) * h.replica_tokens_per_day);
  const double tokens_per_month = volume.tokens_per_day * k_days_per_month;
  h.usd_per_million_tokens = h.usd_per_month / tokens_per_month * k_million;
  // Split the bill by the replica time each kind of token takes.
  const double input_share_of_time = f * input_seconds / token_seconds;
  h.usd_per_million_input = f > 0 ? h.usd_per_month * input_share_of_time / (tokens_per_month * f) * k_million : 0;
  h.usd_per_million_output =
      f < 1 ? h.usd_per_month * (1 - input_share_of_time) / (tokens_per_month * (1 - f)) * k_million : 0;

  for (const catalog::Model* m : apis) {
    r.api.push_back(api_cost(*m, volume));
    // the same open model for less at another host: the cheapest such offer, beside it
    if (const std::optional<ApiCost> offer = cheapest_offer_cost(*m, volume)) {
      r.api.push_back(*offer);
    }
  }
  price_layouts(r, {{h.gpus_per_replica, h.replica_usd_per_month, h.replica_tokens_per_day}});
  return r;
}

void price_layouts(CostReport& r, std::vector<ReplicaOption> options) {
  r.options = std::move(options);
  r.crossover.clear();
  for (const ApiCost& a : r.api) {
    // at each volume the cheapest layout is what self-hosting costs, so each crossover is the
    // lowest any layout reaches
    Crossover best;
    best.api = a.model;
    for (const ReplicaOption& o : r.options) {
      const Crossover c = crossover(o.usd_per_month, o.tokens_per_day, a.usd_per_million_tokens / k_million);
      for (const auto& [into, v] : {std::pair{&best.tokens_per_day, &c.tokens_per_day},
                                    std::pair{&best.first_tokens_per_day, &c.first_tokens_per_day}}) {
        if (*v && (!*into || **v < **into)) {
          *into = *v;
        }
      }
    }
    r.crossover.push_back(best);
  }
}

} // namespace modelpick::engine

#pragma once
// Money: self-hosting a volume of tokens on rented GPUs vs paying an API's list price, and the
// volume from which self-hosting is cheaper. docs/formulas.md "Cost" derives every figure.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modelpick/catalog/catalog.hpp"
#include "modelpick/engine/throughput.hpp"

namespace modelpick::engine {

// Calendar: a month is a twelfth of a 365-day year.
inline constexpr double k_days_per_month = 365.0 / 12.0;
inline constexpr double k_hours_per_month = k_days_per_month * 24.0;

struct Volume {
  double tokens_per_day = 0;       // input + output
  double input_share = 0.75;       // input tokens / all tokens (3:1 -> 0.75)
  double cached_input_share = 0;   // share of input tokens an API bills at its cached-input rate
  std::uint64_t prompt_tokens = 0; // one request's prompt: decides an API's long-context tier
};

struct SelfHostPlan {
  double gpu_hour_usd = 0;
  double utilization = 0.6;     // planned average load of a replica, of its saturated capacity
  double peak_to_average = 1.0; // peak traffic / average traffic
};

// A self-hosted deployment sized for a volume.
struct SelfHostCost {
  std::uint64_t gpus_per_replica = 0;
  std::uint64_t replicas = 0;
  std::uint64_t gpus = 0;
  double replica_tokens_per_day = 0; // what one replica serves on average at the plan's utilization and peak
  double replica_usd_per_month = 0;
  double usd_per_month = 0;
  double usd_per_million_tokens = 0; // blended, at the volume
  double usd_per_million_input = 0;  // the replica time prefill takes, priced
  double usd_per_million_output = 0;
  double load = 0; // average share of the provisioned capacity the volume uses
};

struct ApiCost {
  const catalog::Model* model = nullptr;
  // An open-weight model's cheapest hosted offer (api_prices[].offers) where it is cheaper than
  // the entry's own price; nullptr: the entry's own price.
  const catalog::HostedOffer* offer = nullptr;
  double usd_per_month = 0;
  double usd_per_million_tokens = 0; // blended at the volume's mix
  bool long_context_rates = false;   // the prompt length puts requests in the long-context tier
  bool cached_rate_used = false;
};

// Where self-hosting becomes cheaper than one API.
struct Crossover {
  const catalog::Model* api = nullptr;
  // The volume from which self-hosting stays cheaper at every larger volume; nullopt: never.
  std::optional<double> tokens_per_day;
  // The first volume at which self-hosting is cheaper (below the first, the API always is);
  // differs from tokens_per_day when adding a replica makes the API cheaper again for a while.
  std::optional<double> first_tokens_per_day;
};

// One replica layout that was priced: what a replica costs a month and serves a day.
struct ReplicaOption {
  std::uint64_t gpus = 0;
  double usd_per_month = 0;
  double tokens_per_day = 0;
  bool operator==(const ReplicaOption&) const = default;
};

struct CostReport {
  ThroughputReport throughput;
  Volume volume;
  SelfHostPlan plan;
  SelfHostCost self_host;
  // Every replica layout priced for the volume, the chosen one among them; at each volume the
  // cheapest of them is what self-hosting costs (the crossovers and the chart use their
  // lower envelope).
  std::vector<ReplicaOption> options;
  std::vector<ApiCost> api;
  std::vector<Crossover> crossover;
  std::vector<std::string> assumptions; // notes a caller adds; render::cost_assumptions words the rest
};

// The step function of self-hosting: whole replicas of `replica_usd_per_month`, each serving
// `replica_tokens_per_day`; at least one replica runs whatever the volume.
double self_host_usd_per_month(double tokens_per_day, double replica_usd_per_month, double replica_tokens_per_day);
// The cheapest of the options at this volume (the chosen replica's cost when there are none).
double self_host_usd_per_month(double tokens_per_day, const CostReport& report);

// An API's USD per token of the volume's mix (input at its cached share, output).
double api_usd_per_token(const catalog::TokenPrice& price, const Volume& volume);

// One API model's bill for the volume (the model must carry an api_price).
ApiCost api_cost(const catalog::Model& api, const Volume& volume);

// The bill at an open-weight model's cheapest hosted offer for the volume's mix, where one is
// cheaper than the entry's own price; nullopt otherwise.
std::optional<ApiCost> cheapest_offer_cost(const catalog::Model& api, const Volume& volume);

// The lowest bill for the volume: the cheapest hosted offer where one undercuts the entry's own
// price, else the entry's. What compare, pick and check weigh a priced model at.
ApiCost cheapest_api_cost(const catalog::Model& api, const Volume& volume);

// The price an API row was billed at: the offer's where it has one, else the entry's.
catalog::TokenPrice billed_price(const ApiCost& a);

// Solves self_host(V) <= api_usd_per_token x V x days per month for V (tokens/day).
Crossover crossover(double replica_usd_per_month, double replica_tokens_per_day, double api_usd_per_token);

// Everything `modelpick cost` reports. `throughput` is the replica's estimate at the request
// shape; `apis` the API models to compare (each must carry an api_price).
CostReport estimate_cost(const ThroughputReport& throughput, const Volume& volume, const SelfHostPlan& plan,
                         const std::vector<const catalog::Model*>& apis);

// Sets the replica layouts priced for the report's volume (the chosen one among them) and,
// from them, where self-hosting becomes cheaper than each of its APIs.
void price_layouts(CostReport& report, std::vector<ReplicaOption> options);

} // namespace modelpick::engine

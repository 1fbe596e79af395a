#pragma once
// cost: CostReport -> human table, JSON, or an SVG of monthly cost against volume.
#include <string>

#include <nlohmann/json.hpp>

#include "modelpick/engine/cost.hpp"

namespace modelpick::render {

// What the report does not carry itself: the model, precision and GPU it was computed for.
struct CostContext {
  const catalog::Model* model = nullptr;
  const catalog::Precision* precision = nullptr;
  const catalog::Gpu* gpu = nullptr;
  bool gpu_price_given = false; // --gpu-hour-usd, not the catalog's
  std::string kv_dtype;
};

std::string cost_table(const engine::CostReport& report, const CostContext& context);
nlohmann::ordered_json cost_json(const engine::CostReport& report, const CostContext& context);
std::string cost_svg(const engine::CostReport& report, const CostContext& context);

// The parts compare and check reuse.
nlohmann::ordered_json throughput_json(const engine::ThroughputReport& throughput);
nlohmann::ordered_json self_host_json(const engine::CostReport& report);

// The one-line verdict both outputs carry.
std::string cost_verdict(const engine::CostReport& report, const CostContext& context);

// "10M", "55.3M", "1.2B" tokens.
std::string token_count(double tokens);
// "$1,046", "$3.44", "$0.069"
std::string usd(double value);

} // namespace modelpick::render

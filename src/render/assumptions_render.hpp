#pragma once
// The assumptions behind a size, throughput and cost report, in words: what was assumed, one
// line per figure that rests on something the report does not measure. The core returns the
// reports' values; these word them (with the notes callers add, in each report's
// `assumptions`, after them).
#include <string>
#include <vector>

#include "modelpick/engine/cost.hpp"
#include "modelpick/engine/plan.hpp"
#include "modelpick/engine/throughput.hpp"

namespace modelpick::render {

std::vector<std::string> sizing_assumptions(const engine::SizingReport& report);
std::vector<std::string> throughput_assumptions(const engine::ThroughputReport& report, const catalog::Model& model,
                                                const catalog::Gpu& gpu);
// The throughput's, then the cost's (a replica's price, its planned capacity, the volume's mix,
// and which layouts were priced).
std::vector<std::string> cost_assumptions(const engine::CostReport& report, const catalog::Model& model,
                                          const catalog::Gpu& gpu);

} // namespace modelpick::render

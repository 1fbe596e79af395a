#pragma once
// show: ModelSummary -> human page or JSON.
#include <nlohmann/json.hpp>
#include <string>

#include "modelpick/engine/summary.hpp"

namespace modelpick::render {

std::string show_text(const engine::ModelSummary& summary);
nlohmann::ordered_json show_json(const engine::ModelSummary& summary);

} // namespace modelpick::render

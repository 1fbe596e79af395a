#pragma once
// size --engine: what the serving engine will allocate, as a table section or a JSON object.
#include <string>

#include <nlohmann/json.hpp>

#include "modelpick/catalog/catalog.hpp"
#include "modelpick/engine/serving.hpp"

namespace modelpick::render {

std::string serving_table(const engine::ServingPrediction& p, const catalog::Gpu& gpu);

// The "engine" object of size --json (docs/cli.md).
nlohmann::ordered_json serving_json(const engine::ServingPrediction& p);

} // namespace modelpick::render

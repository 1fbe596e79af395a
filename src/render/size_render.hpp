#pragma once
// size: SizingReport -> human table or JSON document.
#include <string>

#include <nlohmann/json.hpp>

#include "modelpick/engine/plan.hpp"

namespace modelpick::render {

// Version of every JSON document modelpick writes; bump on any breaking change (docs/cli.md).
inline constexpr int k_schema_version = 1;

std::string size_table(const engine::SizingReport& report);

// The report as a JSON object (without schema_version; see document()).
nlohmann::ordered_json size_json(const engine::SizingReport& report);

// Wraps a command's payload as a document: schema_version, command, catalog_version first.
std::string document(const std::string& command, const std::string& catalog_version, nlohmann::ordered_json payload);

} // namespace modelpick::render

#pragma once
// license-check: results -> text (detailed for named models, grouped by verdict otherwise) or JSON.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "modelpick/license/check.hpp"

namespace modelpick::render {

inline constexpr const char* k_not_legal_advice =
    "modelpick is not legal advice: it quotes the clauses that decide; read the license itself.";

std::string license_text(const std::vector<license::Result>& results, const license::Deployment& deployment,
                         bool grouped);
nlohmann::ordered_json license_json(const std::vector<license::Result>& results, const license::Deployment& deployment);

// One line for size / compare: "license: needs-agreement (Meta) · llama-3.1 · 2. ...: "quote""
std::string license_line(const license::Result& result);
nlohmann::ordered_json result_json(const license::Result& result);

// Why a verdict excludes a model: "license llama-3.1 needs an agreement with Meta (2. ...)".
std::string license_reason(const license::Result& result);

} // namespace modelpick::render

#pragma once
// size: SizingReport -> human table or JSON document.
#include "modelpick/catalog/hf_config.hpp"
#include <string>

#include <nlohmann/json.hpp>

#include "explain_render.hpp"
#include "modelpick/engine/plan.hpp"

namespace modelpick::render {

// Version of every JSON document modelpick writes; bump on any breaking change (docs/cli.md).
inline constexpr int k_schema_version = 1;

std::string size_table(const engine::SizingReport& report);

// Why a report does not fit, from its closest layout: "does not fit: with 2 x h100 (TP 2 x PP 1)
// vLLM's budget of ... bytes per GPU ..." (empty when it fits).
std::string not_fit_reason(const engine::SizingReport& report);

// "1,234", or "unbounded" for a model that keeps no per-sequence cache.
std::string concurrency_text(std::uint64_t sequences);

// The report as a JSON object (without schema_version; see document()).
nlohmann::ordered_json size_json(const engine::SizingReport& report);

// What a config.json or GGUF file supplied: the rule that read it, the fields used and the
// defaults assumed, and the stored quantization (size --json "import").
nlohmann::ordered_json import_json(const catalog::ConfigImport& imported, const std::string& file);

// size --svg: one GPU's memory as a stacked bar (weights, KV cache, reserve, free, beyond the
// utilization share).
std::string size_svg(const engine::SizingReport& report);

// size --explain: each section's formulas with the numbers put in, as text or JSON.
std::string explain_text(const std::vector<ExplainSection>& sections);
nlohmann::ordered_json explain_json(const std::vector<ExplainSection>& sections);

// Wraps a command's payload as a document: schema_version, command, catalog_version first.
std::string document(const std::string& command, const std::string& catalog_version, nlohmann::ordered_json payload);

} // namespace modelpick::render

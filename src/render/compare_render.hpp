#pragma once
// compare and pick: advisor answers -> table (one column per model), CSV, Markdown, JSON, SVG.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "modelpick/advisor/advisor.hpp"

namespace modelpick::render {

enum class TableFormat { table, csv, md };

// Rows of figures, one column per answer: what compare prints in every format.
struct Grid {
  std::vector<std::string> header;            // "", model ids
  std::vector<std::vector<std::string>> rows; // label, one cell per answer
};
Grid compare_grid(const std::vector<advisor::Answer>& answers, const advisor::Question& question);

std::string compare_text(const std::vector<advisor::Answer>& answers, const advisor::Question& question,
                         TableFormat format);
nlohmann::ordered_json compare_json(const std::vector<advisor::Answer>& answers, const advisor::Question& question);

// One difference between compared answers, worded: "deepseek-v3 needs 14 more GPUs than
// llama-3.1-70b (16 vs 2)".
std::string difference_text(const advisor::Difference& difference);
std::vector<std::string> differences_text(const std::vector<advisor::Answer>& answers);

// One answer as JSON: size's fields (model, memory, fit, ...) plus throughput, cost, license.
nlohmann::ordered_json answer_json(const advisor::Answer& answer);

// Small multiples: a bar per model for GPUs, weights per GPU, KV per token, sequences that
// fit, tokens/s per GPU and (with a volume) $/1M tokens.
std::string compare_svg(const std::vector<advisor::Answer>& answers, const advisor::Question& question);

} // namespace modelpick::render

#pragma once
// Benchmark scores as JSON and text: show's list, compare's like-with-like section, pick's column.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "modelpick/advisor/advisor.hpp"
#include "modelpick/catalog/catalog.hpp"

namespace modelpick::render {

// {benchmark, value, setting (null: not stated), measured_by, self_reported, date, source, variant}
nlohmann::ordered_json score_json(const catalog::Score& s);
nlohmann::ordered_json scores_json(const catalog::Model& m);

// "59.1 (self-reported)", "1317 (independent: LMArena)", "71.5 (DeepSeek (competitor's table))"
std::string score_text(const catalog::Score& s);

// show: every score with its setting, measurer, date and source.
std::string scores_text(const catalog::Model& m);

// compare: the benchmarks the models share with the same setting and measurer, then the
// scores that have no partner (not compared).
std::string quality_text(const std::vector<const catalog::Model*>& models);
nlohmann::ordered_json quality_json(const std::vector<const catalog::Model*>& models);

} // namespace modelpick::render

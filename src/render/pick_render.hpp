#pragma once
// pick: ranked results and exclusions -> table or JSON; --explain -> lines.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "modelpick/advisor/advisor.hpp"

namespace modelpick::render {

std::string pick_text(const advisor::PickResult& result, const advisor::Question& question,
                      const advisor::PickFilter& filter, advisor::PickSort sort, std::size_t top);
nlohmann::ordered_json pick_json(const advisor::PickResult& result, const advisor::Question& question,
                                 const advisor::PickFilter& filter, advisor::PickSort sort, std::size_t top);
std::string pick_explain(const catalog::Model& model, const advisor::PickExplanation& explanation,
                         const advisor::PickResult& result, const advisor::Question& question,
                         const advisor::PickFilter& filter);

// Why pick left a model out: "needs 4 x rtx-4090 even at int4; license ... needs an agreement ...".
std::string exclusion_reason(const advisor::Exclusion& exclusion, const catalog::Gpu& gpu);

} // namespace modelpick::render

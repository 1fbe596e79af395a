#pragma once
// check: the expectations re-checked -> the JSON report (with or without --json).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "modelpick/advisor/advisor.hpp"

namespace modelpick::render {

// One result in words: "2 x h100 at fp8, 28 sequences of 8,192 tokens", "cannot be evaluated:
// llama-3.1-405b does not fit (...)".
std::string check_detail(const advisor::CheckResult& result);

// The report: the file's name, whether every check passed, each check with its detail, the
// answers and the API alternatives at the volume (their lowest bill, as the checks weigh them).
nlohmann::ordered_json check_json(const std::string& file, const std::string& name,
                                  const std::vector<advisor::CheckResult>& checks,
                                  const std::vector<advisor::Answer>& answers,
                                  const std::vector<const catalog::Model*>& apis, const advisor::Question& question);

} // namespace modelpick::render

#include "check_render.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "compare_render.hpp"
#include "modelpick/util/numbers.hpp"
#include "size_render.hpp"

namespace modelpick::render {

using nlohmann::ordered_json;
using util::group_digits;

std::string check_detail(const advisor::CheckResult& c) {
  const advisor::Answer& a = *c.answer;
  switch (c.unevaluable) {
  case advisor::Unevaluable::api_only:
    return c.check == "fits" ? fmt::format("{} is API-only: nothing to self-host", a.model->id)
                             : fmt::format("cannot be evaluated: {} is API-only", a.model->id);
  case advisor::Unevaluable::does_not_fit:
    return fmt::format("cannot be evaluated: {} does not fit ({})", a.model->id,
                       a.sizing ? not_fit_reason(*a.sizing) : std::string("no sizing"));
  case advisor::Unevaluable::no_api_named:
    return "cannot be evaluated: the file names no \"api_alternatives\" to compare with";
  case advisor::Unevaluable::no:
    break;
  }
  if (c.check == "fits") {
    if (!a.fits()) {
      return not_fit_reason(*a.sizing);
    }
    return fmt::format("{} x {} at {}, {} sequences of {} tokens", a.sizing->fit->layout.gpus(), a.gpu->id,
                       a.precision->id, group_digits(a.sizing->fit->share.max_concurrency),
                       group_digits(a.sizing->request.context_tokens));
  }
  if (c.check == "license") {
    return fmt::format("{}{}: {} {}", license::to_string(a.license->verdict),
                       a.license->with.empty() ? "" : " (with " + a.license->with + ")", a.license->clause.section,
                       a.license->clause.source);
  }
  if (c.check == "max-gpus") {
    return fmt::format("{:.0f} GPUs, at most {:.0f} expected", c.value, c.limit);
  }
  if (c.check == "max-usd-per-million-tokens") {
    return fmt::format("${:.2f} per 1M tokens, at most ${:.2f} expected", c.value, c.limit);
  }
  return fmt::format("self-hosting ${:.0f} a month vs {} from {} ${:.0f}", c.value, c.api->id,
                     engine::billed_price(*c.bill).provider, c.limit);
}

ordered_json check_json(const std::string& file, const std::string& name,
                        const std::vector<advisor::CheckResult>& checks, const std::vector<advisor::Answer>& answers,
                        const std::vector<const catalog::Model*>& apis, const advisor::Question& q) {
  ordered_json j;
  j["file"] = file;
  j["name"] = name;
  j["passed"] = std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.passed; });
  j["checks"] = ordered_json::array();
  for (const auto& c : checks) {
    j["checks"].push_back(
        {{"model", c.model->id}, {"check", c.check}, {"passed", c.passed}, {"detail", check_detail(c)}});
  }
  j["models"] = ordered_json::array();
  for (const auto& a : answers) {
    j["models"].push_back(answer_json(a));
  }
  j["api_alternatives"] = ordered_json::array();
  for (const catalog::Model* api : apis) {
    ordered_json entry = {
        {"model", api->id}, {"provider", api->api_price->provider}, {"price_date", api->api_price->date}};
    if (q.volume) {
      // the bill cheaper-than-api weighs: the lowest, a hosted offer's where one undercuts the entry
      const engine::ApiCost bill = engine::cheapest_api_cost(*api, *q.volume);
      entry["usd_per_month"] = bill.usd_per_month;
      entry["billed_by"] = engine::billed_price(bill).provider;
    }
    j["api_alternatives"].push_back(entry);
  }
  return j;
}

} // namespace modelpick::render

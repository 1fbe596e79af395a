#include "modelpick/license/check.hpp"

#include <algorithm>

#include "modelpick/util/names.hpp"

namespace modelpick::license {

using catalog::LicenseRule;

namespace {

constexpr std::pair<Verdict, std::string_view> k_verdict_names[] = {
    {Verdict::allowed, "allowed"},
    {Verdict::allowed_with_obligations, "allowed-with-obligations"},
    {Verdict::needs_agreement, "needs-agreement"},
    {Verdict::not_allowed, "not-allowed"},
    {Verdict::unknown, "unknown"},
};

bool applies(const LicenseRule& rule, const Deployment& d) {
  const bool use = rule.uses.empty() || std::any_of(rule.uses.begin(), rule.uses.end(), [&](catalog::Use u) {
                     return std::find(d.uses.begin(), d.uses.end(), u) != d.uses.end();
                   });
  const bool mau = !rule.mau_over || d.mau > *rule.mau_over;
  // an unstated revenue does not trigger a revenue threshold (the report says so)
  const bool revenue = !rule.monthly_revenue_usd_over ||
                       (d.monthly_revenue_usd && *d.monthly_revenue_usd > *rule.monthly_revenue_usd_over);
  const bool region = rule.region.empty() || rule.region == d.region;
  const bool modality = rule.modality.empty() || rule.modality == d.modality;
  return use && mau && revenue && region && modality;
}

int severity(LicenseRule::Effect e) {
  switch (e) {
  case LicenseRule::Effect::obligation:
    return 1;
  case LicenseRule::Effect::needs_agreement:
    return 2;
  case LicenseRule::Effect::not_allowed:
    return 3;
  }
  return 0;
}

} // namespace

std::string_view to_string(Verdict v) {
  return util::name_of(k_verdict_names, v);
}

std::optional<Verdict> verdict_from_string(std::string_view text) {
  return util::value_of(k_verdict_names, text);
}

std::string verdict_names() {
  return util::names_of(k_verdict_names);
}

Result check(const catalog::Model& model, const catalog::License* license, const Deployment& d) {
  Result r;
  r.model = &model;
  r.license = license;
  if (license == nullptr || !license->grant) {
    r.verdict = Verdict::unknown; // never guessed as allowed
    r.clause = {"modelpick has no rules for this license", "", license != nullptr ? license->source : ""};
    return r;
  }
  const LicenseRule* decisive = nullptr;
  for (const LicenseRule& rule : license->rules) {
    if (!applies(rule, d)) {
      continue;
    }
    if (rule.effect == LicenseRule::Effect::obligation) {
      r.obligations.push_back({rule.obligation, rule.clause});
    } else if (decisive == nullptr || severity(rule.effect) > severity(decisive->effect)) {
      decisive = &rule;
    }
  }
  if (decisive != nullptr) {
    r.verdict = decisive->effect == LicenseRule::Effect::not_allowed ? Verdict::not_allowed : Verdict::needs_agreement;
    r.clause = decisive->clause;
    r.with = decisive->with;
  } else {
    r.verdict = r.obligations.empty() ? Verdict::allowed : Verdict::allowed_with_obligations;
    r.clause = *license->grant;
  }
  return r;
}

std::vector<Result> check_all(const catalog::Catalog& catalog, const std::vector<const catalog::Model*>& models,
                              const Deployment& deployment) {
  std::vector<Result> out;
  for (const catalog::Model* m : models) {
    out.push_back(check(*m, catalog.find_license(m->license), deployment));
  }
  return out;
}

} // namespace modelpick::license

#include "modelpick/license/check.hpp"

#include <algorithm>
#include <fmt/format.h>

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

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool applies(const LicenseRule& rule, const Deployment& d, const catalog::Model& model) {
  const bool use = rule.uses.empty() || std::any_of(rule.uses.begin(), rule.uses.end(), [&](catalog::Use u) {
                     return std::find(d.uses.begin(), d.uses.end(), u) != d.uses.end();
                   });
  const bool mau = !rule.mau_over || d.mau > *rule.mau_over;
  // an unstated revenue does not trigger a revenue threshold (the report says so)
  const bool revenue = !rule.monthly_revenue_usd_over ||
                       (d.monthly_revenue_usd && *d.monthly_revenue_usd > *rule.monthly_revenue_usd_over);
  const bool region = rule.region.empty() || rule.region == d.region;
  const bool modality = rule.modality.empty() || rule.modality == d.modality;
  const bool group = !rule.group_mau_over || d.group_mau.value_or(d.mau) > *rule.group_mau_over;
  const bool purpose = rule.purposes.empty() || contains(rule.purposes, d.purpose);
  const bool field =
      rule.fields_of_use.empty() || std::any_of(d.fields_of_use.begin(), d.fields_of_use.end(),
                                                [&](const std::string& f) { return contains(rule.fields_of_use, f); });
  const bool derivative = rule.derivative.empty() || rule.derivative == d.derivative;
  const bool multimodal = rule.model_modality.empty() || contains(model.modalities, rule.model_modality);
  // an unknown release date leaves a dated rule in force (the stricter reading)
  const std::string& released = model.release_date;
  const bool dated = released.empty() || ((rule.released_from.empty() || released >= rule.released_from) &&
                                          (rule.released_before.empty() || released < rule.released_before));
  return use && mau && revenue && region && modality && group && purpose && field && derivative && multimodal && dated;
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
  r.licenses = {license->id};
  r.deciding_license = license->id;
  const LicenseRule* decisive = nullptr;
  for (const LicenseRule& rule : license->rules) {
    const bool on = applies(rule, d, model);
    if (rule.effect == LicenseRule::Effect::obligation) {
      const Obligation o{rule.obligation, rule.clause, license->id, &rule, on};
      r.all_obligations.push_back(o);
      if (on) {
        r.obligations.push_back(o);
      }
    } else if (on && (decisive == nullptr || severity(rule.effect) > severity(decisive->effect))) {
      decisive = &rule;
    }
    if (rule.group_mau_over && !d.group_mau) {
      // the clause counts every product of the licensee and its affiliates; only the product's was given
      const std::string a = "--group-mau not given: the licensee's and its affiliates' users taken as --mau's";
      if (std::find(r.assumptions.begin(), r.assumptions.end(), a) == r.assumptions.end()) {
        r.assumptions.push_back(a);
      }
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

namespace {

int rank(Verdict v) {
  switch (v) {
  case Verdict::allowed:
    return 0;
  case Verdict::allowed_with_obligations:
    return 1;
  case Verdict::needs_agreement:
    return 2;
  case Verdict::unknown:
    return 3; // never read as allowed: an inherited license with no rules outranks an agreement
  case Verdict::not_allowed:
    return 4;
  }
  return 3;
}

} // namespace

Result check(const catalog::Catalog& catalog, const catalog::Model& model, const Deployment& d) {
  // the text in force at release: the last history entry that began on or before it
  std::string governing = model.license;
  std::string since;
  if (!model.release_date.empty()) {
    for (const catalog::LicensePeriod& h : model.license_history) {
      if (h.from <= model.release_date) {
        governing = h.license;
        since = h.from;
      }
    }
  }
  Result r = check(model, catalog.find_license(governing), d);
  if (!since.empty() && governing != model.license) {
    r.governing_since = since;
    r.assumptions.push_back(fmt::format("checked against {}, the license in force at the model's release ({}); it "
                                        "is offered under {} now",
                                        governing, model.release_date, model.license));
  } else if (!model.license_history.empty() && model.release_date.empty()) {
    r.assumptions.push_back("release date not known: checked against the current license");
  }
  for (const std::string& base : model.inherited_licenses) {
    const Result inherited = check(model, catalog.find_license(base), d);
    r.licenses.push_back(base);
    for (const Obligation& o : inherited.all_obligations) {
      r.all_obligations.push_back(o);
    }
    for (const Obligation& o : inherited.obligations) {
      r.obligations.push_back(o);
    }
    for (const std::string& a : inherited.assumptions) {
      if (std::find(r.assumptions.begin(), r.assumptions.end(), a) == r.assumptions.end()) {
        r.assumptions.push_back(a);
      }
    }
    if (rank(inherited.verdict) > rank(r.verdict)) {
      r.verdict = inherited.verdict;
      r.clause = inherited.clause;
      r.with = inherited.with;
      r.deciding_license = base;
    }
  }
  if (r.verdict == Verdict::allowed && !r.obligations.empty()) {
    r.verdict = Verdict::allowed_with_obligations;
  }
  return r;
}

std::vector<Result> check_all(const catalog::Catalog& catalog, const std::vector<const catalog::Model*>& models,
                              const Deployment& deployment) {
  std::vector<Result> out;
  for (const catalog::Model* m : models) {
    out.push_back(check(catalog, *m, deployment));
  }
  return out;
}

} // namespace modelpick::license

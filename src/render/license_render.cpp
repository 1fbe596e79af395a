#include "license_render.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

#include "modelpick/util/numbers.hpp"
#include "text_table.hpp"

namespace modelpick::render {

using license::Verdict;
using nlohmann::ordered_json;

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return c == '-' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  });
  return out;
}

std::string deployment_line(const license::Deployment& d) {
  std::vector<std::string> uses;
  for (const auto u : d.uses) {
    uses.emplace_back(catalog::to_string(u));
  }
  std::string line = fmt::format(
      "{} monthly active users · monthly revenue {} · uses: {} · region: {} · modality: {} · purpose: {}",
      util::group_digits(d.mau),
      d.monthly_revenue_usd ? "USD " + util::group_digits(*d.monthly_revenue_usd) : "not stated", fmt::join(uses, ", "),
      d.region.empty() ? "not EU" : d.region, d.modality.empty() ? "text" : d.modality, d.purpose);
  if (d.group_mau) {
    line += fmt::format(" · group users: {}", util::group_digits(*d.group_mau));
  }
  if (!d.fields_of_use.empty()) {
    line += fmt::format(" · field of use: {}", fmt::join(d.fields_of_use, ", "));
  }
  if (!d.derivative.empty()) {
    line += " · derivative: " + d.derivative;
  }
  return line;
}

// The condition of a rule in words: what triggers it.
std::string condition_text(const catalog::LicenseRule* rule) {
  if (rule == nullptr) {
    return "always";
  }
  std::vector<std::string> parts;
  if (!rule->uses.empty()) {
    std::vector<std::string> uses;
    for (const auto u : rule->uses) {
      uses.emplace_back(catalog::to_string(u));
    }
    parts.push_back(fmt::format("use {}", fmt::join(uses, " or ")));
  }
  if (rule->mau_over) {
    parts.push_back(fmt::format("more than {} monthly active users", util::group_digits(*rule->mau_over)));
  }
  if (rule->group_mau_over) {
    parts.push_back(fmt::format("more than {} monthly active users of the licensee and its affiliates",
                                util::group_digits(*rule->group_mau_over)));
  }
  if (rule->monthly_revenue_usd_over) {
    parts.push_back(fmt::format("monthly revenue above USD {}", util::group_digits(*rule->monthly_revenue_usd_over)));
  }
  if (!rule->region.empty()) {
    parts.push_back("domiciled in the " + std::string(rule->region == "eu" ? "EU" : rule->region));
  }
  if (!rule->modality.empty()) {
    parts.push_back(rule->modality + " input");
  }
  if (!rule->model_modality.empty()) {
    parts.push_back("the model takes " + rule->model_modality + " input");
  }
  if (!rule->purposes.empty()) {
    parts.push_back(fmt::format("purpose {}", fmt::join(rule->purposes, " or ")));
  }
  if (!rule->fields_of_use.empty()) {
    parts.push_back(fmt::format("field of use {}", fmt::join(rule->fields_of_use, " or ")));
  }
  if (!rule->derivative.empty()) {
    parts.push_back(rule->derivative == "distributed" ? "a derivative distributed or made available"
                                                      : "a derivative kept internal");
  }
  if (!rule->released_from.empty() || !rule->released_before.empty()) {
    parts.push_back(fmt::format("models released {}{}",
                                rule->released_from.empty() ? "" : "from " + rule->released_from,
                                rule->released_before.empty() ? "" : " before " + rule->released_before));
  }
  return parts.empty() ? "always" : fmt::format("{}", fmt::join(parts, ", "));
}

std::string clause_text(const catalog::Clause& c) {
  return c.section.empty() ? fmt::format("\"{}\"", c.quote) : fmt::format("{}: \"{}\"", c.section, c.quote);
}

// A quote cut at a word boundary for one-line listings; the detailed view prints it whole.
std::string short_clause(const catalog::Clause& c) {
  constexpr std::size_t k_max = 72;
  std::string quote = c.quote;
  if (display_width(quote) > k_max) {
    std::size_t cut = k_max;
    while (cut > 0 && quote[cut] != ' ') {
      --cut;
    }
    quote = quote.substr(0, cut) + "…";
  }
  const std::string section =
      c.section.substr(0, c.section.find(' ') == std::string::npos ? c.section.size() : c.section.find(' '));
  return section.empty() ? fmt::format("\"{}\"", quote) : fmt::format("§{} \"{}\"", section, quote);
}

std::string verdict_title(const license::Result& r) {
  std::string title = upper(license::to_string(r.verdict));
  if (!r.with.empty()) {
    title += fmt::format(" (with {})", r.with);
  }
  return title;
}

} // namespace

std::string license_line(const license::Result& r) {
  return fmt::format("license: {}{} · {} · {}", license::to_string(r.verdict),
                     r.with.empty() ? "" : fmt::format(" (with {})", r.with), r.model->license, clause_text(r.clause));
}

ordered_json result_json(const license::Result& r) {
  const auto obligation_json = [](const license::Obligation& o) {
    return ordered_json{
        {"text", o.text},
        {"license", o.license},
        {"condition", condition_text(o.rule)},
        {"applies", o.applies},
        {"clause", {{"quote", o.clause.quote}, {"section", o.clause.section}, {"source", o.clause.source}}}};
  };
  ordered_json obligations = ordered_json::array();
  for (const auto& o : r.obligations) {
    obligations.push_back(obligation_json(o));
  }
  ordered_json all = ordered_json::array();
  for (const auto& o : r.all_obligations) {
    all.push_back(obligation_json(o));
  }
  return {{"model", r.model->id},
          {"license", r.model->license},
          {"license_name", r.license != nullptr ? r.license->name : ""},
          {"licenses_checked", r.licenses},
          {"deciding_license", r.deciding_license.empty() ? ordered_json(nullptr) : ordered_json(r.deciding_license)},
          {"governing_since", r.governing_since.empty() ? ordered_json(nullptr) : ordered_json(r.governing_since)},
          {"verdict", std::string(license::to_string(r.verdict))},
          {"with", r.with.empty() ? ordered_json(nullptr) : ordered_json(r.with)},
          {"clause", {{"quote", r.clause.quote}, {"section", r.clause.section}, {"source", r.clause.source}}},
          {"obligations", obligations},
          {"all_obligations", all},
          {"assumptions", r.assumptions}};
}

std::string license_text(const std::vector<license::Result>& results, const license::Deployment& d, bool grouped) {
  std::string out = "license-check · " + deployment_line(d) + "\n";
  if (!grouped) {
    for (const auto& r : results) {
      out += fmt::format("\n{}  {}\n", r.model->id, verdict_title(r));
      out += fmt::format("  license   {}{}\n", r.license != nullptr ? r.license->name : r.model->license,
                         r.licenses.size() > 1 ? fmt::format(" (also checked: {})",
                                                             fmt::join(r.licenses.begin() + 1, r.licenses.end(), ", "))
                                               : std::string());
      out += fmt::format("  clause    {}{}\n", clause_text(r.clause),
                         r.licenses.size() > 1 ? " [" + r.deciding_license + "]" : std::string());
      if (!r.clause.source.empty()) {
        out += fmt::format("  source    {}\n", r.clause.source);
      }
      for (const auto& o : r.all_obligations) {
        out += fmt::format("  {}  {} ({}{}) when: {}\n", o.applies ? "must     " : "not now  ", o.text,
                           r.licenses.size() > 1 ? o.license + " " : "", o.clause.section, condition_text(o.rule));
      }
      for (const auto& a : r.assumptions) {
        out += fmt::format("  assumed   {}\n", a);
      }
    }
  } else {
    for (const Verdict v : {Verdict::not_allowed, Verdict::needs_agreement, Verdict::unknown,
                            Verdict::allowed_with_obligations, Verdict::allowed}) {
      std::vector<const license::Result*> group;
      for (const auto& r : results) {
        if (r.verdict == v) {
          group.push_back(&r);
        }
      }
      if (group.empty()) {
        continue;
      }
      out += fmt::format("\n{} ({})\n", upper(license::to_string(v)), group.size());
      using A = TextTable::Align;
      TextTable t({A::left, A::left, A::left});
      for (const auto* r : group) {
        const bool problem = v == Verdict::not_allowed || v == Verdict::needs_agreement || v == Verdict::unknown;
        std::string detail =
            problem
                ? short_clause(r->clause) + (r->with.empty() ? "" : " — ask " + r->with.substr(0, r->with.find(" (")))
                : (r->obligations.empty() ? "" : fmt::format("{} obligation(s)", r->obligations.size()));
        t.add_row({r->model->id, r->model->license, detail});
      }
      out += t.render("  ");
    }
  }
  if (grouped) {
    out += "\nName models (modelpick license-check MODEL ...) for the full clauses and obligations.\n";
  }
  out += std::string("\n") + k_not_legal_advice + "\n";
  return out;
}

ordered_json license_json(const std::vector<license::Result>& results, const license::Deployment& d) {
  ordered_json uses = ordered_json::array();
  for (const auto u : d.uses) {
    uses.push_back(std::string(catalog::to_string(u)));
  }
  ordered_json items = ordered_json::array();
  ordered_json summary = ordered_json::object();
  for (const auto& [v, name] : {std::pair{Verdict::allowed, "allowed"},
                                {Verdict::allowed_with_obligations, "allowed-with-obligations"},
                                {Verdict::needs_agreement, "needs-agreement"},
                                {Verdict::not_allowed, "not-allowed"},
                                {Verdict::unknown, "unknown"}}) {
    summary[name] = std::count_if(results.begin(), results.end(), [v = v](const auto& r) { return r.verdict == v; });
  }
  for (const auto& r : results) {
    items.push_back(result_json(r));
  }
  return {
      {"deployment",
       {{"mau", d.mau},
        {"monthly_revenue_usd", d.monthly_revenue_usd ? ordered_json(*d.monthly_revenue_usd) : ordered_json(nullptr)},
        {"uses", uses},
        {"region", d.region.empty() ? ordered_json(nullptr) : ordered_json(d.region)},
        {"modality", d.modality.empty() ? "text" : d.modality},
        {"group_mau", d.group_mau ? ordered_json(*d.group_mau) : ordered_json(nullptr)},
        {"purpose", d.purpose},
        {"fields_of_use", d.fields_of_use},
        {"derivative", d.derivative.empty() ? ordered_json(nullptr) : ordered_json(d.derivative)}}},
      {"results", items},
      {"summary", summary},
      {"disclaimer", k_not_legal_advice}};
}

std::string license_reason(const license::Result& r) {
  const std::string section = r.clause.section.empty() ? "" : fmt::format(" ({})", r.clause.section);
  switch (r.verdict) {
  case license::Verdict::needs_agreement:
    return fmt::format("license {} needs an agreement with {}{}", r.model->license, r.with, section);
  case license::Verdict::not_allowed:
    return fmt::format("license {} does not allow this use{}", r.model->license, section);
  default:
    return fmt::format("license {} has no rules in the catalog (verdict unknown)", r.model->license);
  }
}

} // namespace modelpick::render

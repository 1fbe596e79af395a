#include "modelpick/catalog/audit.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace modelpick::catalog {

std::string_view to_string(FindingKind kind) {
  switch (kind) {
  case FindingKind::stale_price:
    return "stale-price";
  case FindingKind::retired_priced:
    return "retired-priced";
  case FindingKind::missing_source:
    return "missing-source";
  case FindingKind::alias_collision:
    return "alias-collision";
  }
  return "?";
}

namespace {

// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::int64_t day_number(const std::string& date) {
  if (date.size() < 7) {
    return 0;
  }
  const auto num = [&](std::size_t at, std::size_t n) {
    std::int64_t v = 0;
    for (std::size_t i = at; i < at + n && i < date.size(); ++i) {
      v = v * 10 + (std::isdigit(static_cast<unsigned char>(date[i])) != 0 ? date[i] - '0' : 0);
    }
    return v;
  };
  const auto month = static_cast<unsigned>(std::clamp<std::int64_t>(num(5, 2), 1, 12));
  const auto day = static_cast<unsigned>(date.size() >= 10 ? std::clamp<std::int64_t>(num(8, 2), 1, 31) : 1);
  return days_from_civil(num(0, 4), month, day);
}

std::string lowered(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Two entries of one section that answer to the same name (id or alias, in any case).
template <class Items> void collisions(const Items& items, const char* section, std::vector<Finding>& out) {
  std::map<std::string, std::string> seen;
  for (const auto& item : items) {
    std::vector<std::string> names = {item.id};
    names.insert(names.end(), item.aliases.begin(), item.aliases.end());
    for (const std::string& n : names) {
      const auto [it, inserted] = seen.emplace(lowered(n), item.id);
      if (!inserted && it->second != item.id) {
        out.push_back({FindingKind::alias_collision, section, item.id, n + " also names " + it->second, "", 0});
      }
    }
  }
}

// A price's offers (hosted or rental): each without a source, and one finding for those read
// more than k_price_max_age_days ago, how many and the oldest one's date (an entry has up to a
// few dozen; one line each would bury the rest of the audit).
template <class Offers>
void audit_offers(const Offers& offers, const char* section, const std::string& id, const std::string& today,
                  std::vector<Finding>& out) {
  std::size_t stale = 0;
  std::string oldest;
  std::int64_t oldest_age = 0;
  for (const auto& o : offers) {
    if (o.source.empty()) {
      out.push_back({FindingKind::missing_source, section, id, "offers[" + o.provider + "]", "", 0});
    }
    const std::int64_t age = o.date.empty() ? 0 : days_between(o.date, today);
    if (age > k_price_max_age_days) {
      ++stale;
      if (age > oldest_age) {
        oldest_age = age;
        oldest = o.date;
      }
    }
  }
  if (stale > 0) {
    out.push_back({FindingKind::stale_price, section, id,
                   "offers (" + std::to_string(stale) + " of " + std::to_string(offers.size()) + " stale; the oldest)",
                   oldest, oldest_age});
  }
}

} // namespace

std::int64_t days_between(const std::string& from, const std::string& to) {
  return day_number(to) - day_number(from);
}

std::vector<Finding> audit(const Catalog& catalog, const std::string& today) {
  std::vector<Finding> out;
  const auto sourced = [&](const std::map<std::string, std::string>& sources, const char* section,
                           const std::string& id) {
    for (const auto& [group, source] : sources) {
      if (source.empty()) {
        out.push_back({FindingKind::missing_source, section, id, group, "", 0});
      }
    }
  };
  for (const Model& m : catalog.models()) {
    sourced(m.sources, "models", m.id);
    if (!m.api_price) {
      continue;
    }
    const TokenPrice& p = *m.api_price;
    if (p.source.empty()) {
      out.push_back({FindingKind::missing_source, "api_prices", m.id, "source", "", 0});
    }
    if (p.retired_on(today)) {
      out.push_back(
          {FindingKind::retired_priced, "api_prices", m.id, "retires", p.retires, days_between(p.retires, today)});
    }
    const std::string& checked = p.checked_date.empty() ? p.date : p.checked_date;
    if (const std::int64_t age = days_between(checked, today); age > k_price_max_age_days) {
      out.push_back({FindingKind::stale_price, "api_prices", m.id, "price_checked_date", checked, age});
    }
    // an open model's hosted offers age on their own: each was read on its date
    audit_offers(p.offers, "api_prices", m.id, today, out);
  }
  for (const Gpu& g : catalog.gpus()) {
    sourced(g.sources, "gpus", g.id);
    if (!g.price) {
      continue;
    }
    if (g.price->source.empty()) {
      out.push_back({FindingKind::missing_source, "gpu_prices", g.id, "source", "", 0});
    }
    audit_offers(g.price->offers, "gpu_prices", g.id, today, out);
    if (const std::int64_t age = days_between(g.price->date, today); age > k_price_max_age_days) {
      out.push_back({FindingKind::stale_price, "gpu_prices", g.id, "date", g.price->date, age});
    }
  }
  for (const Precision& p : catalog.precisions()) {
    sourced(p.sources, "precisions", p.id);
  }
  collisions(catalog.gpus(), "gpus", out);
  collisions(catalog.precisions(), "precisions", out);
  return out;
}

} // namespace modelpick::catalog

#pragma once
// catalog audit: what keeps a catalog honest as time passes. Values only; the CLI words them.
#include <cstdint>
#include <string>
#include <vector>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::catalog {

enum class FindingKind {
  stale_price,     // a price read more than k_price_max_age_days before today
  retired_priced,  // a priced model past its retirement date
  missing_source,  // a fact group, price or offer without a source
  alias_collision, // two GPUs or precisions answer to the same name
};
std::string_view to_string(FindingKind kind); // "stale-price", "retired-priced", ...

// Findings that only the passing of time produces (not mistakes in the data).
[[nodiscard]] inline bool time_dependent(FindingKind kind) {
  return kind == FindingKind::stale_price || kind == FindingKind::retired_priced;
}

inline constexpr std::int64_t k_price_max_age_days = 120;

struct Finding {
  FindingKind kind = FindingKind::missing_source;
  std::string section; // "models", "gpus", "precisions", "gpu_prices", "api_prices"
  std::string id;
  std::string what; // the field or name concerned
  std::string date; // stale / retired: the date concerned
  std::int64_t age_days = 0;
};

// Days from `from` to `to`, both YYYY-MM-DD (or YYYY-MM, read as the 1st).
std::int64_t days_between(const std::string& from, const std::string& to);

std::vector<Finding> audit(const Catalog& catalog, const std::string& today);

} // namespace modelpick::catalog

#pragma once
// list: the catalog's models, GPUs or precisions as a table or JSON.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::render {

enum class ListWhat { gpus, precisions };

// The JSON forms are arrays, one object per entry, each carrying schema_version, so that
// `modelpick list --json | jq length` counts entries.
std::string list_table(const catalog::Catalog& catalog, ListWhat what);
nlohmann::ordered_json list_json(const catalog::Catalog& catalog, ListWhat what);

// list --api: every priced model (API-only and hosted open models) with its prices, the two
// dates and its status on `today` (current, deprecated, retires on, retired).
std::string api_table(const catalog::Catalog& catalog, const std::string& today);
nlohmann::ordered_json api_json(const catalog::Catalog& catalog, const std::string& today);

// An open-weight model's hosted offers (api_prices[].offers), cheapest first, as JSON:
// [{provider, usd_per_million {input, output, cached_input}, variant, date, source}].
nlohmann::ordered_json hosted_offers_json(const catalog::TokenPrice& price);

std::string models_table(const std::vector<const catalog::Model*>& models);
nlohmann::ordered_json models_json(const std::vector<const catalog::Model*>& models);

} // namespace modelpick::render

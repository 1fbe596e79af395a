#pragma once
// list: the catalog's models, GPUs or precisions as a table or JSON.
#include <nlohmann/json.hpp>
#include <string>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::render {

enum class ListWhat { models, gpus, precisions };

std::string list_table(const catalog::Catalog& catalog, ListWhat what);
nlohmann::ordered_json list_json(const catalog::Catalog& catalog, ListWhat what);

} // namespace modelpick::render

#pragma once
// A catalog entry written out as the JSON data/models.json holds (modelpick catalog add): the
// inverse of the catalog's parser, so an entry printed here reads back to the same model.
#include <nlohmann/json.hpp>
#include <string>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::render {

// The "architecture" object of a catalog model, every fact sourced from `source`.
nlohmann::ordered_json architecture_entry(const catalog::Architecture& a, const std::string& source);

// What `catalog add` fills in beside the architecture.
struct EntryFacts {
  std::string id;
  std::string name;
  std::string publisher;
  std::string hf_repo;
  std::string license;
  std::string source;         // where the config was read (its URL when --hf-repo is given)
  std::uint64_t params_total; // as counted from the architecture, main model (no MTP)
  std::uint64_t params_active;
};

// One model entry; the overlay document {"models": [entry]} wraps it.
nlohmann::ordered_json model_entry(const catalog::Model& model, const EntryFacts& facts);

} // namespace modelpick::render

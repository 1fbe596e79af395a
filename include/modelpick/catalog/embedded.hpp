#pragma once
// The data/*.json files compiled into the binary (see cmake/embed_files.cmake).
#include <span>
#include <string_view>
#include <vector>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::catalog {

struct EmbeddedFile {
  std::string_view name; // "models.json"
  std::string_view text;
};

std::span<const EmbeddedFile> embedded_files();

// The embedded files as catalog documents, in a fixed order.
std::vector<Document> embedded_documents();

} // namespace modelpick::catalog

#pragma once
// The data/*.json files compiled into the binary (see cmake/embed_files.cmake), and the
// catalog they make, compiled at build time (catalog/compiled.hpp).
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

// The embedded catalog as the build compiled it: equal to Catalog::load(embedded_documents())
// (a unit test holds it to that), read without parsing JSON. Defined in the modelpick_embedded
// library, which the build tool that writes the image does not link.
Catalog embedded_catalog();

} // namespace modelpick::catalog

#include "modelpick/catalog/embedded.hpp"

namespace modelpick::catalog {

std::vector<Document> embedded_documents() {
  std::vector<Document> docs;
  for (const EmbeddedFile& file : embedded_files()) {
    docs.push_back(Document{"embedded " + std::string(file.name), std::string(file.text), true});
  }
  return docs;
}

} // namespace modelpick::catalog

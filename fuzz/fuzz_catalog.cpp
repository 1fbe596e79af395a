// libFuzzer target: a --catalog overlay file, merged over the embedded catalog and validated,
// then every model it defines is sized.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace modelpick;
  std::vector<catalog::Document> docs = catalog::embedded_documents();
  docs.push_back(catalog::Document{"fuzz.json", std::string(reinterpret_cast<const char*>(data), size), false});
  try {
    const catalog::Catalog c = catalog::Catalog::load(docs);
    for (const catalog::Model& m : c.models()) {
      if (m.origin == "fuzz.json") {
        fuzz::exercise(m);
      }
    }
  } catch (const Error&) {
  }
  return 0;
}

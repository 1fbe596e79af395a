// libFuzzer target: a --catalog overlay file, merged over the embedded precisions and GPUs and
// two licenses (the embedded models, prices and 120 kB of license texts are left out so each run
// parses a twentieth as much) and validated; every model it defines is then sized, and the
// catalog must read back whole from its compiled image.
#include "fuzz_common.hpp"
#include "modelpick/catalog/compiled.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace modelpick;
  static const std::vector<catalog::Document> base = [] {
    std::vector<catalog::Document> keep;
    for (const catalog::Document& d : catalog::embedded_documents()) {
      if (d.origin.find("gpus.json") != std::string::npos || d.origin.find("precisions.json") != std::string::npos) {
        keep.push_back(d);
      }
    }
    keep.push_back(catalog::Document{"licenses.json", R"({"licenses": [{"id": "mit", "name": "MIT", "source": "x"},
        {"id": "apache-2.0", "name": "Apache-2.0", "source": "x"}]})",
                                     false});
    return keep;
  }();
  std::vector<catalog::Document> docs = base;
  docs.push_back(catalog::Document{"fuzz.json", std::string(reinterpret_cast<const char*>(data), size), false});
  try {
    const catalog::Catalog c = catalog::Catalog::load(docs);
    if (!(catalog::read_image(catalog::write_image(c)) == c)) {
      __builtin_trap();
    }
    for (const catalog::Model& m : c.models()) {
      if (m.origin == "fuzz.json") {
        fuzz::exercise(m);
      }
    }
  } catch (const Error&) {
  }
  return 0;
}

// libFuzzer target: a GGUF file's header, then sized. The input is the header only; the file it
// came from is taken to be 1 GiB longer, so tensor data offsets inside that are in bounds (the
// bounds check itself is exercised by inputs whose offsets point past it).
#include "fuzz_common.hpp"
#include "modelpick/catalog/gguf.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace modelpick;
  try {
    const auto header =
        catalog::parse_gguf_header(std::span<const unsigned char>(data, size), size + (1ULL << 30), "fuzz.gguf");
    if (header) {
      fuzz::exercise(catalog::model_from_gguf(*header, "fuzz.gguf").model);
    }
  } catch (const Error&) {
  }
  return 0;
}

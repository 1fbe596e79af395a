// libFuzzer target: a Hugging Face config.json given to --config, then sized.
#include "fuzz_common.hpp"
#include "modelpick/catalog/hf_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace modelpick;
  try {
    const catalog::ConfigImport imported =
        catalog::model_from_hf_config("config.json", std::string(reinterpret_cast<const char*>(data), size));
    fuzz::exercise(imported.model);
  } catch (const Error&) {
  }
  return 0;
}

// libFuzzer target: the number and size parser ("800M", "128k", "1.5e3"). What it accepts must
// lie in the range asked for; what it refuses must be refused with a usage error.
#include <cstdlib>

#include "modelpick/error.hpp"
#include "modelpick/util/numbers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace modelpick;
  if (size < 1) {
    return 0;
  }
  // The first byte picks the range, the rest is the text.
  const std::uint64_t ranges[] = {1, 1000, 1ULL << 27, 100'000'000'000ULL, 1'000'000'000'000'000ULL};
  const std::uint64_t max = ranges[data[0] % 5];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  for (const auto base : {util::SuffixBase::binary, util::SuffixBase::decimal}) {
    try {
      const std::uint64_t v = util::parse_count(text, "--fuzz", base, 1, max);
      if (v < 1 || v > max) {
        std::abort(); // accepted a value outside the range asked for
      }
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::usage) {
        std::abort();
      }
    }
  }
  try {
    const double f = util::parse_fraction(text, "--fuzz", 0.0, 1.0);
    if (!(f >= 0.0 && f <= 1.0)) {
      std::abort();
    }
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::usage) {
      std::abort();
    }
  }
  return 0;
}

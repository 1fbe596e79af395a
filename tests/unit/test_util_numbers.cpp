#include <catch2/catch.hpp>
#include <limits>

#include "modelpick/error.hpp"
#include "modelpick/util/numbers.hpp"
#include "modelpick/util/printable.hpp"

using modelpick::Error;
using modelpick::util::parse_count;
using modelpick::util::SuffixBase;

TEST_CASE("token counts take binary suffixes", "[util][numbers]") {
  CHECK(parse_count("8192", "--context", SuffixBase::binary, 1, 1ULL << 30) == 8192);
  CHECK(parse_count("32k", "--context", SuffixBase::binary, 1, 1ULL << 30) == 32768);   // 32 x 1024
  CHECK(parse_count("128K", "--context", SuffixBase::binary, 1, 1ULL << 30) == 131072); // 128 x 1024
  CHECK(parse_count("1M", "--context", SuffixBase::binary, 1, 1ULL << 30) == 1048576);  // 1024^2
  CHECK(parse_count("1.5k", "--context", SuffixBase::binary, 1, 1ULL << 30) == 1536);   // 1.5 x 1024
  CHECK(parse_count("1.5e3", "--context", SuffixBase::binary, 1, 1ULL << 30) == 1500);
}

TEST_CASE("people counts take decimal suffixes", "[util][numbers]") {
  CHECK(parse_count("800M", "--mau", SuffixBase::decimal, 1, 1ULL << 40) == 800'000'000);
  CHECK(parse_count("10k", "--mau", SuffixBase::decimal, 1, 1ULL << 40) == 10'000);
  CHECK(parse_count("2G", "--mau", SuffixBase::decimal, 1, 1ULL << 40) == 2'000'000'000);
}

TEST_CASE("bad counts are usage errors naming the value", "[util][numbers]") {
  for (const char* bad :
       {"0", "-5", "abc", "800X", "1.5", "", "k", "1e", "1..5", "99999999999999999999999", "1e400", "0x10"}) {
    INFO(bad);
    try {
      parse_count(bad, "--context", SuffixBase::binary, 1, 1ULL << 30);
      FAIL("accepted " << bad);
    } catch (const Error& e) {
      CHECK(e.kind() == modelpick::ErrorKind::usage);
      CHECK(std::string(e.what()).find(std::string("--context '") + bad + "'") == 0);
    }
  }
}

TEST_CASE("fractions", "[util][numbers]") {
  CHECK(modelpick::util::parse_fraction("0.9", "--x", 0, 1) == Approx(0.9));
  CHECK_THROWS_AS(modelpick::util::parse_fraction("1.1", "--x", 0, 1), Error);
  CHECK_THROWS_AS(modelpick::util::parse_fraction("nan", "--x", 0, 1), Error);
}

TEST_CASE("checked arithmetic refuses to wrap", "[util][numbers]") {
  const auto max = std::numeric_limits<std::uint64_t>::max();
  CHECK(modelpick::util::checked_mul(1ULL << 32, 1ULL << 31, "x") == 1ULL << 63);
  CHECK_THROWS_AS(modelpick::util::checked_mul(1ULL << 32, 1ULL << 32, "x"), Error);
  CHECK_THROWS_AS(modelpick::util::checked_add(max, 1, "x"), Error);
  // 10^15 x 10^6 / 10^3 = 10^18 needs 128-bit intermediates but fits the result.
  CHECK(modelpick::util::mul_div_ceil(1'000'000'000'000'000ULL, 1'000'000, 1'000, "x") == 1'000'000'000'000'000'000ULL);
  CHECK(modelpick::util::mul_div_ceil(7, 1, 2, "x") == 4); // ceil(3.5)
}

TEST_CASE("digit grouping", "[util][numbers]") {
  CHECK(modelpick::util::group_digits(0) == "0");
  CHECK(modelpick::util::group_digits(999) == "999");
  CHECK(modelpick::util::group_digits(1000) == "1,000");
  CHECK(modelpick::util::group_digits(327680) == "327,680");
  CHECK(modelpick::util::group_digits(1234567890) == "1,234,567,890");
}

TEST_CASE("counts with decimals and suffixes are exact", "[util][numbers]") {
  // 1.15 x 10^6 is 1,150,000 exactly (a long double gives 1,149,999.9999...)
  CHECK(parse_count("1.15M", "--mau", SuffixBase::decimal, 0, 1ULL << 62) == 1'150'000ULL);
  CHECK(parse_count("20.01M", "--monthly-revenue", SuffixBase::decimal, 0, 1ULL << 62) == 20'010'000ULL);
  CHECK(parse_count("100.15M", "--mau", SuffixBase::decimal, 0, 1ULL << 62) == 100'150'000ULL);
  CHECK(parse_count("2.5B", "--tokens-per-day", SuffixBase::decimal, 0, 1ULL << 62) == 2'500'000'000ULL);
  CHECK(parse_count("0.7B", "--mau", SuffixBase::decimal, 0, 1ULL << 62) == 700'000'000ULL);
  CHECK(parse_count("1.500k", "--n", SuffixBase::decimal, 0, 1ULL << 62) == 1'500ULL);
  CHECK(parse_count("1e6", "--n", SuffixBase::decimal, 0, 1ULL << 62) == 1'000'000ULL);
  CHECK(parse_count("1.5e3", "--n", SuffixBase::decimal, 0, 1ULL << 62) == 1'500ULL);
  CHECK(parse_count("0.5k", "--context", SuffixBase::binary, 1, 1ULL << 30) == 512); // 0.5 x 1024
  // a fraction of a unit is refused by name
  CHECK_THROWS_WITH(parse_count("1.5", "--mau", SuffixBase::decimal, 0, 1ULL << 62),
                    Catch::Contains("--mau '1.5' is not a whole number"));
  CHECK_THROWS_WITH(parse_count("1.0000001M", "--mau", SuffixBase::decimal, 0, 1ULL << 62),
                    Catch::Contains("is not a whole number"));
  CHECK_THROWS_WITH(parse_count("123456789012345678901234567890", "--mau", SuffixBase::decimal, 0, 1ULL << 62),
                    Catch::Contains("is out of range"));
  CHECK_THROWS_WITH(parse_count("1e30", "--mau", SuffixBase::decimal, 0, 1ULL << 62), Catch::Contains("out of range"));
  CHECK(parse_count("0", "--n", SuffixBase::decimal, 0, 10) == 0);
}

TEST_CASE("fractions: the documented bounds themselves are accepted", "[util][numbers]") {
  using modelpick::util::parse_fraction;
  CHECK(parse_fraction("0.01", "--utilization", 0.01, 1) == 0.01);
  CHECK(parse_fraction("1", "--utilization", 0.01, 1) == 1);
  CHECK(parse_fraction("0.01", "--gpu-hour-usd", 0.01, 10'000) == 0.01);
  CHECK_THROWS(parse_fraction("0.0099", "--utilization", 0.01, 1));
  CHECK_THROWS(parse_fraction("1e400", "--utilization", 0.01, 1));
}

TEST_CASE("printable: control characters and broken UTF-8 are escaped, UTF-8 is kept", "[util][printable]") {
  using modelpick::util::printable;
  CHECK(printable("llama-3.1-8b") == "llama-3.1-8b");
  CHECK(printable("8 × h200 · TP 8") == "8 × h200 · TP 8"); // 2-byte UTF-8
  CHECK(printable("\x1b[31mred\x07") == "\\x1B[31mred\\x07");
  CHECK(printable("bad\xff\xfe") == "bad\\xFF\\xFE");
  CHECK(printable("\xc3") == "\\xC3");                        // a sequence cut short
  CHECK(printable("\xc0\xaf") == "\\xC0\\xAF");               // an overlong form
  CHECK(printable("\xed\xa0\x80") == "\\xED\\xA0\\x80");      // a surrogate
  CHECK(printable("\xf0\x9f\x98\x80") == "\xf0\x9f\x98\x80"); // U+1F600
  CHECK(printable(std::string("a\0b", 3)) == "a\\x00b");
}

#include "modelpick/util/numbers.hpp"

#include <cctype>
#include <cmath>
#include <fmt/format.h>
#include <limits>

#include "modelpick/error.hpp"

namespace modelpick::util {
namespace {

[[noreturn]] void bad_count(std::string_view text, std::string_view what, SuffixBase base, std::uint64_t min,
                            std::uint64_t max, std::string_view why) {
  throw Error(ErrorKind::usage,
              fmt::format("{} '{}' {}: expected a whole number from {} to {}, optionally with a suffix {}", what, text,
                          why, group_digits(min), group_digits(max),
                          base == SuffixBase::binary ? "k, M or G = 1024, 1024^2, 1024^3 (e.g. 8192, 32k, 1M)"
                                                     : "k, M or B/G = 10^3, 10^6, 10^9 (e.g. 50k, 800M, 1.2B)"));
}

// Strict decimal: digits, at most one '.', optional exponent. Returns false on anything else.
bool parse_decimal(std::string_view s, long double& out) {
  if (s.empty() || s.size() > 64) {
    return false;
  }
  std::size_t i = 0;
  long double mantissa = 0;
  int digits = 0;
  int frac_digits = 0;
  bool dot = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      mantissa = mantissa * 10 + (c - '0');
      ++digits;
      if (dot) {
        ++frac_digits;
      }
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (digits == 0) {
    return false;
  }
  int exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      negative = s[i] == '-';
      ++i;
    }
    int exp_digits = 0;
    for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0; ++i) {
      if (exponent < 1000) {
        exponent = exponent * 10 + (s[i] - '0');
      }
      ++exp_digits;
    }
    if (exp_digits == 0) {
      return false;
    }
    exponent = negative ? -exponent : exponent;
  }
  if (i != s.size()) {
    return false;
  }
  out = mantissa * std::pow(10.0L, exponent - frac_digits);
  return std::isfinite(out);
}

} // namespace

std::uint64_t parse_count(std::string_view text, std::string_view what, SuffixBase base, std::uint64_t min,
                          std::uint64_t max) {
  std::string_view number = text;
  long double scale = 1;
  if (!number.empty()) {
    const char last = number.back();
    const long double k = base == SuffixBase::binary ? 1024.0L : 1000.0L;
    if (last == 'k' || last == 'K') {
      scale = k;
    } else if (last == 'm' || last == 'M') {
      scale = k * k;
    } else if (last == 'g' || last == 'G' || last == 'b' || last == 'B') {
      scale = k * k * k;
    }
    if (scale != 1) {
      number.remove_suffix(1);
    }
  }
  long double value = 0;
  if (!number.empty() && number.front() == '-') {
    bad_count(text, what, base, min, max, "is negative");
  }
  if (!parse_decimal(number, value)) {
    bad_count(text, what, base, min, max, "is not a number");
  }
  value *= scale;
  if (value != std::floor(value)) {
    bad_count(text, what, base, min, max, "is not a whole number");
  }
  if (value < static_cast<long double>(min) || value > static_cast<long double>(max)) {
    bad_count(text, what, base, min, max, "is out of range");
  }
  return static_cast<std::uint64_t>(value);
}

double parse_fraction(std::string_view text, std::string_view what, double min, double max) {
  long double value = 0;
  if (!parse_decimal(text, value) || value < min || value > max) {
    throw Error(ErrorKind::usage,
                fmt::format("{} '{}' is not accepted: expected a number from {} to {}", what, text, min, max));
  }
  return static_cast<double>(value);
}

void throw_overflow(std::string_view what, std::uint64_t a, char op, std::uint64_t b) {
  throw Error(ErrorKind::invalid_catalog, fmt::format("{} overflows 64-bit bytes ({} {} {})", what, a, op, b));
}

std::uint64_t mul_div_ceil(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::string_view what) {
  if (c == 0) {
    throw Error(ErrorKind::internal, fmt::format("{}: division by zero", what));
  }
  __extension__ using u128 = unsigned __int128; // GCC and Clang; __extension__ keeps -Wpedantic quiet
  const u128 product = static_cast<u128>(a) * b;
  const u128 q = (product + c - 1) / c;
  if (q > std::numeric_limits<std::uint64_t>::max()) {
    throw Error(ErrorKind::invalid_catalog, fmt::format("{} overflows 64-bit bytes", what));
  }
  return static_cast<std::uint64_t>(q);
}

std::string group_digits(std::uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[i]);
    const std::size_t left = n - i - 1;
    if (left > 0 && left % 3 == 0) {
      out.push_back(',');
    }
  }
  return out;
}

} // namespace modelpick::util

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
  // a suffix only helps where the range reaches a thousand ("--tp-nodes" stops at 64)
  const std::string suffixes =
      max < 1000 ? std::string{}
      : base == SuffixBase::binary
          ? std::string(", optionally with a suffix k, M or G = 1024, 1024^2, 1024^3 (e.g. 8192, 32k, 1M)")
          : std::string(", optionally with a suffix k, M or B/G = 10^3, 10^6, 10^9 (e.g. 50k, 800M, 1.2B)");
  throw Error(ErrorKind::usage, fmt::format("{} '{}' {}: expected a whole number from {} to {}{}", what, text, why,
                                            group_digits(min), group_digits(max), suffixes));
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
  // Exact: "1.15M" is 115 x 10^-2 x 10^6 = 1,150,000, worked in integers (a long double would
  // make 1.15 x 10^6 = 1,149,999.99...).
  __extension__ using u128 = unsigned __int128;
  std::string_view number = text;
  u128 scale = 1;
  if (!number.empty()) {
    const char last = number.back();
    const u128 k = base == SuffixBase::binary ? 1024 : 1000;
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
  if (!number.empty() && number.front() == '-') {
    bad_count(text, what, base, min, max, "is negative");
  }
  long double check = 0;
  if (!parse_decimal(number, check)) {
    bad_count(text, what, base, min, max, "is not a number");
  }
  // digits before and after the point, and the exponent
  std::string digits;
  int point = -1;
  std::size_t i = 0;
  for (; i < number.size() && (std::isdigit(static_cast<unsigned char>(number[i])) != 0 || number[i] == '.'); ++i) {
    if (number[i] == '.') {
      point = static_cast<int>(digits.size());
    } else {
      digits.push_back(number[i]);
    }
  }
  int exponent = 0;
  if (i < number.size()) { // 'e' or 'E', as parse_decimal accepted
    ++i;
    const bool negative = number[i] == '-';
    i += (number[i] == '+' || number[i] == '-') ? 1 : 0;
    for (; i < number.size(); ++i) {
      exponent = std::min(exponent * 10 + (number[i] - '0'), 100'000);
    }
    exponent = negative ? -exponent : exponent;
  }
  int frac_digits = point < 0 ? 0 : static_cast<int>(digits.size()) - point;
  while (frac_digits > 0 && digits.back() == '0') { // 1.500 = 1.5
    digits.pop_back();
    --frac_digits;
  }
  const std::size_t first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? std::string() : digits.substr(first);
  const u128 limit = static_cast<u128>(max);
  if (digits.size() > 27) {
    // more significant digits than 2^64 holds with a suffix: too large, or a fraction left over
    bad_count(text, what, base, min, max,
              check * static_cast<long double>(scale) > static_cast<long double>(max) ? "is out of range"
                                                                                      : "is not a whole number");
  }
  u128 mantissa = 0;
  for (const char c : digits) {
    mantissa = mantissa * 10 + static_cast<unsigned>(c - '0');
  }
  // value = mantissa x scale x 10^(exponent - frac_digits)
  const int power = exponent - frac_digits;
  u128 value = mantissa * scale; // < 10^27 x 2^30 < 2^120: no overflow
  if (power >= 0) {
    for (int p = 0; p < power && value != 0; ++p) {
      if (value > limit) {
        bad_count(text, what, base, min, max, "is out of range");
      }
      value *= 10;
    }
  } else {
    for (int p = 0; p < -power && value != 0; ++p) {
      if (value % 10 != 0) {
        bad_count(text, what, base, min, max, "is not a whole number");
      }
      value /= 10;
    }
  }
  if (value < static_cast<u128>(min) || value > limit) {
    bad_count(text, what, base, min, max, "is out of range");
  }
  return static_cast<std::uint64_t>(value);
}

double parse_fraction(std::string_view text, std::string_view what, double min, double max) {
  long double parsed = 0;
  // compared as the double it becomes: "0.01" read in long double lies just below the double
  // bound 0.01, and a documented lower bound must be accepted
  const bool ok = parse_decimal(text, parsed);
  const double value = static_cast<double>(parsed);
  if (!ok || !std::isfinite(value) || value < min || value > max) {
    throw Error(ErrorKind::usage,
                fmt::format("{} '{}' is not accepted: expected a number from {} to {}", what, text, min, max));
  }
  return value;
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

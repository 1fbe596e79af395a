#pragma once
// Parsing of user-typed quantities and overflow-checked byte arithmetic.
#include <cstdint>
#include <string>
#include <string_view>

namespace modelpick::util {

// How a size suffix scales: token counts use binary multiples ("128k" context = 131,072
// tokens, as model cards use it); people and money counts use decimal ("800M" MAU).
enum class SuffixBase { binary, decimal };

// Parses "8192", "32k", "128K", "1M", "1.5k", "1.5e3" into a whole number in
// [min, max]. `what` names the flag in the error ("--context"). Throws Error(usage) with a
// one-line message naming the value and what is accepted.
std::uint64_t parse_count(std::string_view text, std::string_view what, SuffixBase base, std::uint64_t min,
                          std::uint64_t max);

// Parses a plain decimal fraction such as "0.9" in [min, max] (both inclusive).
double parse_fraction(std::string_view text, std::string_view what, double min, double max);

// Throws Error(invalid_catalog): "`what` overflows 64-bit bytes (a op b)".
[[noreturn]] void throw_overflow(std::string_view what, std::uint64_t a, char op, std::uint64_t b);

// Overflow-checked arithmetic: throws Error(invalid_catalog) naming `what` on overflow, so a
// 10^15-parameter model gives a clear error instead of a wrapped number. Inline: the sizing
// engine calls them millions of times in one `pick`.
inline std::uint64_t checked_mul(std::uint64_t a, std::uint64_t b, std::string_view what) {
  std::uint64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) [[unlikely]] {
    throw_overflow(what, a, 'x', b);
  }
  return out;
}
inline std::uint64_t checked_add(std::uint64_t a, std::uint64_t b, std::string_view what) {
  std::uint64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) [[unlikely]] {
    throw_overflow(what, a, '+', b);
  }
  return out;
}

// a / b rounded up (b > 0).
constexpr std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
  return a / b + (a % b != 0 ? 1 : 0);
}

// a*b/c rounded up, computed without intermediate overflow (128-bit).
std::uint64_t mul_div_ceil(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::string_view what);

// "1,234,567"
std::string group_digits(std::uint64_t value);

} // namespace modelpick::util

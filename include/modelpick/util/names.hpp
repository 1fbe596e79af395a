#pragma once
// Enum <-> text through one table per enum, so parsing, printing and the "accepted: ..." list of
// an error message can never disagree.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace modelpick::util {

template <typename E, std::size_t N>
std::string_view name_of(const std::pair<E, std::string_view> (&table)[N], E value) {
  for (const auto& [v, name] : table) {
    if (v == value) {
      return name;
    }
  }
  return table[0].second;
}

template <typename E, std::size_t N>
std::optional<E> value_of(const std::pair<E, std::string_view> (&table)[N], std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) {
      return v;
    }
  }
  return std::nullopt;
}

// "a, b, c"
template <typename E, std::size_t N> std::string names_of(const std::pair<E, std::string_view> (&table)[N]) {
  std::string out;
  for (const auto& entry : table) {
    out += (out.empty() ? "" : ", ") + std::string(entry.second);
  }
  return out;
}

} // namespace modelpick::util

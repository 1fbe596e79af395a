#include "text_table.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace modelpick::render {

std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string TextTable::render(const std::string& indent) const {
  std::vector<std::size_t> widths(aligns_.size(), 0);
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  }
  std::string out;
  for (const auto& row : rows_) {
    std::string line = indent;
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      const std::string pad(widths[i] - display_width(row[i]), ' ');
      line += aligns_[i] == Align::right ? pad + row[i] : row[i] + pad;
      if (i + 1 < row.size()) {
        line += "  ";
      }
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out += line + "\n";
  }
  return out;
}

std::string decimal_gb(std::uint64_t bytes) {
  return fmt::format("{:.2f}", static_cast<double>(bytes) / 1e9);
}

std::string binary_gib(std::uint64_t bytes) {
  return fmt::format("{:.2f}", static_cast<double>(bytes) / static_cast<double>(1ULL << 30));
}

std::string short_count(std::uint64_t count) {
  const auto v = static_cast<double>(count);
  if (v >= 1e12) {
    return fmt::format("{:.2f}T", v / 1e12);
  }
  if (v >= 1e9) {
    return fmt::format("{:.1f}B", v / 1e9);
  }
  if (v >= 1e6) {
    return fmt::format("{:.0f}M", v / 1e6);
  }
  return fmt::format("{}", count);
}

} // namespace modelpick::render

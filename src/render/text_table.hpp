#pragma once
// A small aligned text table that renders to a string (ccache's TextTable, simplified).
#include <string>
#include <vector>

namespace modelpick::render {

class TextTable {
public:
  enum class Align { left, right };

  explicit TextTable(std::vector<Align> aligns) : aligns_(std::move(aligns)) {}
  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  [[nodiscard]] std::string render(const std::string& indent = "") const;

private:
  std::vector<Align> aligns_;
  std::vector<std::vector<std::string>> rows_;
};

// Display width of UTF-8 text (code points; our tables use no wide characters).
std::size_t display_width(const std::string& text);

// "626.69" style figures for byte counts in both units, labelled by the caller.
std::string decimal_gb(std::uint64_t bytes);
std::string binary_gib(std::uint64_t bytes);
// "70.6B", "1.2T", "135M"
std::string short_count(std::uint64_t count);

} // namespace modelpick::render

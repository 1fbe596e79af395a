#include "modelpick/util/spellcheck.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>

namespace modelpick::util {
namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::string lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

} // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> closest(std::string_view word, const std::vector<std::string>& candidates, std::size_t limit) {
  const std::string needle = lowered(word);
  const std::size_t allowed = std::max<std::size_t>(2, needle.size() / 3);
  std::vector<std::pair<std::size_t, std::size_t>> scored; // (distance, index)
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::string candidate = lowered(candidates[i]);
    std::size_t d = edit_distance(needle, candidate);
    if (needle.size() >= 3 && candidate.find(needle) != std::string::npos) {
      d = std::min(d, std::size_t{1}); // "70b" -> every 70B model
    }
    if (d <= allowed) {
      scored.emplace_back(d, i);
    }
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (const auto& [d, i] : scored) {
    if (std::find(out.begin(), out.end(), candidates[i]) == out.end()) {
      out.push_back(candidates[i]);
    }
    if (out.size() == limit) {
      break;
    }
  }
  return out;
}

} // namespace modelpick::util

#pragma once
// Did-you-mean suggestions by edit distance (ninja's spellcheck, adapted).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace modelpick::util {

// Damerau-free Levenshtein distance, case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

// Up to `limit` candidates closest to `word`: those within a distance that grows with the
// word's length, plus candidates that contain the word; closest first, ties in input order.
std::vector<std::string> closest(std::string_view word, const std::vector<std::string>& candidates,
                                 std::size_t limit = 3);

} // namespace modelpick::util

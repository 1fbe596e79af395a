#pragma once
// Reading JSON text that users hand in (catalog overlays, config.json) without letting it cost
// more than it should: a size cap, a nesting cap checked by a non-recursive scan before the
// recursive parser runs, and one-line messages naming the file.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace modelpick::util {

// Follows a character-by-character scan of JSON text through its string literals (escapes
// included), for scans that must not read braces or tokens inside strings.
class StringTracker {
public:
  // Feeds the next character; true when it belongs to a string literal, its quotes included.
  bool inside(char c) {
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      return true;
    }
    in_string_ = c == '"';
    return in_string_;
  }

private:
  bool in_string_ = false;
  bool escaped_ = false;
};

// Parses `text` into a JSON object. Throws Error(invalid_catalog) "<origin>: ..." when it is larger
// than `max_bytes`, empty, nested deeper than `max_depth`, not JSON, or not an object;
// `expected` describes the object wanted ("a JSON object such as {...}").
nlohmann::json parse_json_object(const std::string& origin, std::string_view text, std::size_t max_bytes, int max_depth,
                                 std::string_view expected);

} // namespace modelpick::util

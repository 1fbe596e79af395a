#pragma once
// Reading JSON text that users hand in (catalog overlays, config.json) without letting it cost
// more than it should: a size cap, a nesting cap checked by a non-recursive scan before the
// recursive parser runs, and one-line messages naming the file.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace modelpick::util {

// Parses `text` into a JSON object. Throws Error(invalid_catalog) "<origin>: ..." when it is larger
// than `max_bytes`, empty, nested deeper than `max_depth`, not JSON, or not an object;
// `expected` describes the object wanted ("a JSON object such as {...}").
nlohmann::json parse_json_object(const std::string& origin, std::string_view text, std::size_t max_bytes, int max_depth,
                                 std::string_view expected);

} // namespace modelpick::util

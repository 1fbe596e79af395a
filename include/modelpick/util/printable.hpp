#pragma once
// Text from users' files and flags shown safely: in messages and tables, control characters and
// bytes that are not UTF-8 are written as \xNN (a terminal never receives them raw); in JSON,
// invalid UTF-8 is replaced rather than thrown on.
#include <string>
#include <string_view>

namespace modelpick::util {

// `text` with every control character (below 0x20, and 0x7F) and every byte that does not
// belong to a well-formed UTF-8 sequence written as \xNN; well-formed UTF-8 is kept.
std::string printable(std::string_view text);

// True when `text` is well-formed UTF-8 without control characters.
bool is_printable(std::string_view text);

} // namespace modelpick::util

#include "modelpick/util/json_text.hpp"

#include <fmt/format.h>

#include "modelpick/error.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::util {
namespace {

[[noreturn]] void invalid(const std::string& origin, const std::string& what) {
  throw Error(ErrorKind::invalid_catalog, fmt::format("{}: {}", origin, what));
}

// Deepest nesting of objects and arrays, skipping strings (and the escapes inside them).
bool deeper_than(std::string_view text, int max_depth) {
  int depth = 0;
  StringTracker strings;
  for (const char c : text) {
    if (strings.inside(c)) {
      continue;
    }
    if (c == '{' || c == '[') {
      if (++depth > max_depth) {
        return true;
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

} // namespace

nlohmann::json parse_json_object(const std::string& origin, std::string_view text, std::size_t max_bytes, int max_depth,
                                 std::string_view expected) {
  if (text.size() > max_bytes) {
    invalid(origin,
            fmt::format("is {} bytes; at most {} are accepted", group_digits(text.size()), group_digits(max_bytes)));
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    invalid(origin, fmt::format("is empty; expected {}", expected));
  }
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    // the parser would stop there and read what comes before as the whole document
    invalid(origin, fmt::format("holds a NUL byte at byte {}; expected {}", group_digits(nul), expected));
  }
  if (deeper_than(text, max_depth)) {
    invalid(origin, fmt::format("nested deeper than {} levels; expected {}", max_depth, expected));
  }
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::string message = e.what();
    // "[json.exception.parse_error.101] parse error at line 3, column 1: ..." -> keep the tail
    if (const auto pos = message.find("parse error"); pos != std::string::npos) {
      message = message.substr(pos);
    }
    invalid(origin, fmt::format("is not valid JSON ({})", message));
  } catch (const nlohmann::json::exception& e) {
    // out_of_range.406: a number past what a double holds ("1e400"); found by fuzz_hf_config
    std::string message = e.what();
    if (const auto pos = message.find("] "); pos != std::string::npos) {
      message = message.substr(pos + 2);
    }
    invalid(origin, fmt::format("holds a value that cannot be read ({})", message));
  }
  if (!parsed.is_object()) {
    invalid(origin, fmt::format("holds a JSON {}; expected {}", parsed.type_name(), expected));
  }
  return parsed;
}

} // namespace modelpick::util

#include "colour.hpp"

#include <array>
#include <utility>

namespace modelpick::render {

namespace {

constexpr const char* k_red = "\x1b[1;31m";
constexpr const char* k_yellow = "\x1b[33m";
constexpr const char* k_green = "\x1b[32m";
constexpr const char* k_reset = "\x1b[0m";

} // namespace

std::string colourize(const std::string& table) {
  // Longest first, so "ALLOWED WITH OBLIGATIONS" is not coloured as "ALLOWED".
  static const std::array<std::pair<const char*, const char*>, 6> words = {{{"ALLOWED WITH OBLIGATIONS", k_yellow},
                                                                            {"NEEDS AGREEMENT", k_red},
                                                                            {"DOES NOT FIT", k_red},
                                                                            {"NOT ALLOWED", k_red},
                                                                            {"UNKNOWN", k_red},
                                                                            {"ALLOWED", k_green}}};
  std::string out;
  out.reserve(table.size());
  std::size_t i = 0;
  while (i < table.size()) {
    bool matched = false;
    for (const auto& [word, colour] : words) {
      const std::string w = word;
      if (table.compare(i, w.size(), w) == 0) {
        out += colour + w + k_reset;
        i += w.size();
        matched = true;
        break;
      }
    }
    if (!matched) {
      out += table[i++];
    }
  }
  return out;
}

bool wants_colour(bool stdout_is_terminal, const char* no_color_env, bool machine_output) {
  const bool no_color = no_color_env != nullptr && no_color_env[0] != '\0';
  return stdout_is_terminal && !no_color && !machine_output;
}

} // namespace modelpick::render

#pragma once
// Terminal colour for the human tables: the words that carry a verdict are coloured, nothing
// else, and only when the CLI decides the output is a terminal that wants colour.
#include <string>

namespace modelpick::render {

// ANSI colour around the verdict words of a table: red for DOES NOT FIT, NEEDS AGREEMENT,
// NOT ALLOWED, UNKNOWN; yellow for ALLOWED WITH OBLIGATIONS; green for ALLOWED.
std::string colourize(const std::string& table);

// Colour only on a terminal, never with NO_COLOR set (https://no-color.org: any non-empty
// value), never for JSON, CSV or Markdown, never for generated files.
bool wants_colour(bool stdout_is_terminal, const char* no_color_env, bool machine_output);

} // namespace modelpick::render

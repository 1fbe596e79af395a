#include <catch2/catch.hpp>

#include "render/colour.hpp"

using namespace modelpick;

TEST_CASE("colour only on a terminal without NO_COLOR and never for machine output", "[render][colour]") {
  CHECK(render::wants_colour(true, nullptr, false));
  CHECK_FALSE(render::wants_colour(false, nullptr, false)); // a pipe or a file
  CHECK_FALSE(render::wants_colour(true, "1", false));      // NO_COLOR set
  CHECK(render::wants_colour(true, "", false));             // set but empty: no-color.org says ignore it
  CHECK_FALSE(render::wants_colour(true, nullptr, true));   // JSON, CSV, Markdown, scripts
}

TEST_CASE("colourize marks the verdict words only", "[render][colour]") {
  CHECK(render::colourize("fit  DOES NOT FIT — x") == "fit  \x1b[1;31mDOES NOT FIT\x1b[0m — x");
  CHECK(render::colourize("ALLOWED WITH OBLIGATIONS") == "\x1b[33mALLOWED WITH OBLIGATIONS\x1b[0m");
  CHECK(render::colourize("a NOT ALLOWED b") == "a \x1b[1;31mNOT ALLOWED\x1b[0m b");
  CHECK(render::colourize("plain 1,234 bytes") == "plain 1,234 bytes");
}

#include <catch2/catch.hpp>

#include "modelpick/util/spellcheck.hpp"

using modelpick::util::closest;
using modelpick::util::edit_distance;

TEST_CASE("edit distance", "[util][spellcheck]") {
  CHECK(edit_distance("kitten", "sitting") == 3); // k->s, e->i, +g
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("H200", "h200") == 0); // case-insensitive
}

TEST_CASE("closest ids first", "[util][spellcheck]") {
  const std::vector<std::string> ids = {"llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "deepseek-v3", "h100"};
  const auto near = closest("llama-3.1-7b", ids);
  REQUIRE(near.size() >= 2);
  CHECK(near[0] == "llama-3.1-8b");  // one substitution
  CHECK(near[1] == "llama-3.1-70b"); // one insertion
  CHECK(closest("deepsek-v3", ids) == std::vector<std::string>{"deepseek-v3"});
  CHECK(closest("zzzzzzzz", ids).empty());
}

// The one translation unit that compiles Catch2's main (its single header is slow).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

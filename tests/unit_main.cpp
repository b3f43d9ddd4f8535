// The one translation unit that builds Catch2's runner; every *_test.cpp links against it.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

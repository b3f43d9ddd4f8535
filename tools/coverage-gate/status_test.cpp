#include "coverage-gate/status.hpp"

#include <catch2/catch.hpp>

using namespace coverage_gate;

TEST_CASE("commit status: every verdict ends in success, failure or error", "[status]") {
  CHECK(status_state(Status::pass) == "success");
  CHECK(status_state(Status::warn) == "success");  // fail-open: the merge may go
  CHECK(status_state(Status::skipped) == "success");
  CHECK(status_state(Status::fail) == "failure");
  CHECK(status_state(Status::error) == "error");
}

TEST_CASE("commit status: the link's placeholders", "[status]") {
  CHECK(status_url("", "abc", "T-1").empty());
  CHECK(status_url("https://ci.example/{task}/{commit}/18.md?c={commit}", "abc", "T-1") ==
        "https://ci.example/T-1/abc/18.md?c=abc");
}

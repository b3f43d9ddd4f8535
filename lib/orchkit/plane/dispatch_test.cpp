#include "orchkit/plane/dispatch.hpp"

#include <catch2/catch.hpp>

#include "orchkit/plane/status.hpp"

using namespace orchkit;
using namespace orchkit::plane;

TEST_CASE("plane dispatch: SPEC §8's stage -> key table", "[plane]") {
  const std::pair<const char*, const char*> table[] = {{"to_analyse", "to_analyse"},
                                                       {"analysis", "analysis"},
                                                       {"architecture", "in_progress"},
                                                       {"development", "in_progress"},
                                                       {"code_review", "code_review"},
                                                       {"merge", "code_review"},
                                                       {"awaiting_deploy", "awaiting_deploy"},
                                                       {"deploying", "deploying"},
                                                       {"monitoring", "monitoring"},
                                                       {"blocked", "blocked"},
                                                       {"cancelled", "cancelled"}};
  for (const auto& [stage, key] : table) {
    INFO(stage);
    for (bool self : {true, false}) {
      auto k = key_for_stage(stage, self);
      REQUIRE(k);
      CHECK(*k == key);
      CHECK(is_status_key(*k));
    }
  }
}

TEST_CASE("plane dispatch: the terminal sync depends on self-hosting", "[plane]") {
  CHECK(*key_for_stage("done", true) == "monitoring");
  CHECK(*key_for_stage("done", false) == "done");
}

TEST_CASE("plane dispatch: post-deploy health", "[plane]") {
  CHECK(*key_for_stage("monitoring", true, Health::healthy) == "done");
  CHECK(*key_for_stage("monitoring", true, Health::degraded) == "blocked");
  CHECK(*key_for_stage("monitoring", false, Health::degraded) == "blocked");
  auto bad = key_for_stage("development", true, Health::healthy);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().exit == Exit::usage);
  CHECK(parse_health("healthy") == Health::healthy);
  CHECK(parse_health("degraded") == Health::degraded);
  CHECK_FALSE(parse_health("ok"));
}

TEST_CASE("plane dispatch: unknown stages are usage errors; terminal stages", "[plane]") {
  auto bad = key_for_stage("deploy", true);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().exit == Exit::usage);
  CHECK(bad.error().message.find("known: to_analyse") != std::string::npos);
  CHECK(is_terminal_stage("done"));
  CHECK(is_terminal_stage("cancelled"));
  CHECK_FALSE(is_terminal_stage("monitoring"));
  CHECK_FALSE(is_terminal_stage("analysis"));
}

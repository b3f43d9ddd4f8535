#include "orchkit/plane/stage.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace orchkit::plane;

TEST_CASE("plane set: the generation recorded", "[plane]") {
  std::set<int64_t> dead;
  auto tomb = [&](int64_t g) { return dead.count(g) > 0; };
  auto g = decide_generation(1, "analysis", tomb);
  CHECK(g.value == 1);
  CHECK_FALSE(g.refused);
  CHECK_FALSE(g.renewed);
  dead = {1};
  CHECK(decide_generation(1, "development", tomb).refused);
  // a person repairing the board shows the cancel that happened: allowed, the generation unchanged
  CHECK_FALSE(decide_generation(1, "cancelled", tomb).refused);
  CHECK(decide_generation(1, "cancelled", tomb).value == 1);
  auto renewed = decide_generation(1, "to_analyse", tomb);
  CHECK(renewed.value == 2);
  CHECK(renewed.renewed);
  dead = {1, 2};
  CHECK(decide_generation(1, "to_analyse", tomb).value == 3);
}

TEST_CASE("plane set: a health report never moves a done task back", "[plane]") {
  CHECK(recorded_stage(std::string("done"), "monitoring", Health::healthy) == "done");
  CHECK(recorded_stage(std::string("deploying"), "monitoring", Health::degraded) == "monitoring");
  CHECK(recorded_stage(std::string("done"), "monitoring", Health::none) == "monitoring");
  CHECK(recorded_stage(std::nullopt, "analysis", Health::none) == "analysis");
}

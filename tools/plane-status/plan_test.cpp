#include "plane-status/plan.hpp"

#include <catch2/catch.hpp>

using namespace plane_status;

TEST_CASE("plane reconcile: STOP stops the live generation, once", "[plane]") {
  auto d = decide(Trigger::stop, TaskFacts{true, "development", 3, false});
  CHECK(d.action == Action::stop);
  CHECK(d.reason.find("generation 3") != std::string::npos);
  CHECK(decide(Trigger::stop, TaskFacts{false, "", 1, false}).action == Action::stop);
  CHECK(decide(Trigger::stop, TaskFacts{true, "development", 3, true}).action == Action::mark_cancelled);
}

TEST_CASE("plane reconcile: To Analyse starts a new or cancelled task", "[plane]") {
  CHECK(decide(Trigger::to_analyse, TaskFacts{false, "", 1, false}).action == Action::start);
  auto again = decide(Trigger::to_analyse, TaskFacts{true, "development", 2, true});
  CHECK(again.action == Action::start);
  CHECK(again.reason.find("start generation 3") != std::string::npos);
}

TEST_CASE("plane reconcile: a live task is relaunched only from analysis", "[plane]") {
  CHECK(decide(Trigger::to_analyse, TaskFacts{true, "analysis", 1, false}).action == Action::relaunch);
  for (const char* stage : {"to_analyse", "architecture", "development", "code_review", "merge", "awaiting_deploy",
                            "deploying", "monitoring", "blocked"}) {
    INFO(stage);
    auto d = decide(Trigger::to_analyse, TaskFacts{true, stage, 1, false});
    CHECK(d.action == Action::skip);
    CHECK(d.reason.find("only from analysis") != std::string::npos);
  }
  for (const char* stage : {"done", "cancelled"}) {
    auto d = decide(Trigger::to_analyse, TaskFacts{true, stage, 1, false});
    CHECK(d.action == Action::skip);
    CHECK(d.reason.find("terminal") != std::string::npos);
  }
}

TEST_CASE("plane reconcile: the start command's placeholders", "[plane]") {
  auto argv = expand_command({"orch", "start", "--task={task}", "{issue}", "{unknown}", "{", "x{project}-{generation}"},
                             {{"task", "ORCH-7"}, {"issue", "u-1"}, {"project", "ORCH"}, {"generation", "2"}});
  CHECK(argv == std::vector<std::string>{"orch", "start", "--task=ORCH-7", "u-1", "{unknown}", "{", "xORCH-2"});
}

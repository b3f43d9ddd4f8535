#include "coverage-gate/head.hpp"

#include <catch2/catch.hpp>

using namespace coverage_gate;

TEST_CASE("gated_head: the PR head a measured commit stands for", "[head]") {
  const std::string M = "m", PR = "pr", TIP = "tip", OTHER = "other";
  struct Row {
    const char* name;
    HeadFacts facts;
    std::string head;
  };
  const Row rows[] = {
      {"a plain commit is its own head", {M, false, {{PR, false}}}, M},
      {"a root commit is its own head", {M, false, {}}, M},
      {"caught-up HEAD (PR first): the parent not on the target", {M, false, {{PR, false}, {TIP, true}}}, PR},
      {"caught-up HEAD (target first): the parent not on the target", {M, false, {{TIP, true}, {PR, false}}}, PR},
      {"a pushed merge of the target is the head itself", {M, true, {{PR, false}, {TIP, true}}}, M},
      {"two branches merged: no single head, the commit", {M, false, {{PR, false}, {OTHER, false}}}, M},
      {"both parents on the target: the commit", {M, false, {{TIP, true}, {OTHER, true}}}, M},
      {"octopus with one branch off the target", {M, false, {{TIP, true}, {PR, false}, {OTHER, true}}}, PR},
  };
  for (const auto& row : rows) {
    INFO(row.name);
    CHECK(gated_head(row.facts) == row.head);
  }
}

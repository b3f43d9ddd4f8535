#include "orchkit/plane/status.hpp"

#include <catch2/catch.hpp>

using namespace orchkit;
using namespace orchkit::plane;

namespace {

const std::string kOrch = "11111111-1111-1111-1111-111111111111";
const std::string kShop = "22222222-2222-2222-2222-222222222222";

// A project with all twelve states, and one with only Plane's defaults (no phase states).
std::vector<State> full_states() {
  std::vector<State> s;
  const char* names[] = {"Todo",       "In Progress", "Done",        "Blocked",         "Cancelled", "STOP",
                         "To Analyse", "Analysis",    "Code Review", "Awaiting Deploy", "Deploying", "Monitoring"};
  int i = 0;
  for (const char* n : names) s.push_back({"orch-" + std::to_string(i++), n, "started", kOrch});
  return s;
}

std::vector<State> base_states() {
  return {{"shop-todo", "Todo", "unstarted", kShop},        {"shop-prog", "In Progress", "started", kShop},
          {"shop-done", "Done", "completed", kShop},        {"shop-block", "Blocked", "started", kShop},
          {"shop-cancel", "Cancelled", "cancelled", kShop}, {"shop-stop", "STOP", "started", kShop}};
}

PlaneProject project(const std::string& id) {
  PlaneProject p;
  p.id = id;
  return p;
}

}  // namespace

TEST_CASE("plane status: a key the project has resolves directly", "[plane]") {
  auto r = resolve("ORCH", project(kOrch), full_states(), "code_review");
  CHECK(r.via == Via::direct);
  CHECK(r.state_id == "orch-8");
  CHECK(r.used_key == "code_review");
  CHECK(r.state_name == "Code Review");
  CHECK_FALSE(r.warning);
  CHECK(via_name(r.via) == "direct");
}

TEST_CASE("plane status: each phase key degrades to its base key of the same project", "[plane]") {
  const std::pair<const char*, const char*> expected[] = {
      {"to_analyse", "shop-todo"},      {"analysis", "shop-prog"},  {"code_review", "shop-prog"},
      {"awaiting_deploy", "shop-prog"}, {"deploying", "shop-prog"}, {"monitoring", "shop-done"}};
  for (const auto& [key, id] : expected) {
    INFO(key);
    auto r = resolve("SHOP", project(kShop), base_states(), key);
    CHECK(r.via == Via::fallback);
    CHECK(r.state_id == id);
    CHECK(r.used_key == std::string(*fallback_of(key)));
    CHECK_FALSE(r.warning);  // the designed degrade, not a problem
  }
}

TEST_CASE("plane status: fallback never takes a state of another project", "[plane]") {
  // The server (or a stale cache) mixes in ORCH's states, which has Code Review; SHOP has not.
  auto states = base_states();
  auto orch = full_states();
  states.insert(states.end(), orch.begin(), orch.end());
  auto r = resolve("SHOP", project(kShop), states, "code_review");
  CHECK(r.via == Via::fallback);
  CHECK(r.state_id == "shop-prog");
  // A base key SHOP lacks is not borrowed from ORCH either.
  auto no_prog = base_states();
  no_prog.erase(no_prog.begin() + 1);
  no_prog.insert(no_prog.end(), orch.begin(), orch.end());
  auto r2 = resolve("SHOP", project(kShop), no_prog, "code_review");
  CHECK(r2.via == Via::none);
  CHECK_FALSE(r2.state_id);
  REQUIRE(r2.warning);
  CHECK(r2.warning->find("In Progress") != std::string::npos);
}

TEST_CASE("plane status: a base key the project lacks is a warning, not a crash", "[plane]") {
  auto states = base_states();
  states.erase(states.begin() + 3);  // no Blocked
  auto r = resolve("SHOP", project(kShop), states, "blocked");
  CHECK(r.via == Via::none);
  CHECK_FALSE(r.state_id);
  REQUIRE(r.warning);
  CHECK(r.warning->find("plane.projects.SHOP.states.blocked") != std::string::npos);
  // With no states at all every key is a warning.
  auto none = resolve("SHOP", project(kShop), {}, "monitoring");
  CHECK(none.via == Via::none);
  CHECK(none.warning);
}

TEST_CASE("plane status: names come from the config, else the defaults", "[plane]") {
  PlaneProject p = project(kShop);
  p.states["in_progress"] = "Doing";
  p.states["code_review"] = "Review";  // a state the project does not have
  std::vector<State> states = {{"a", "Doing", "", kShop}, {"b", "In Progress", "", kShop}, {"c", "Todo", "", kShop}};
  auto r = resolve("SHOP", p, states, "in_progress");
  CHECK(r.state_id == "a");
  auto cr = resolve("SHOP", p, states, "code_review");
  CHECK(cr.via == Via::fallback);
  CHECK(cr.state_id == "a");
  CHECK(cr.why.find("'Review'") != std::string::npos);
  CHECK(state_name_for(p, "todo") == "Todo");
  CHECK(default_state_name("to_analyse") == "To Analyse");
  CHECK(default_state_name("nope").empty());
}

TEST_CASE("plane status: names match exactly, else by case when that is unambiguous", "[plane]") {
  std::vector<State> states = {{"x", " to analyse ", "", kShop}, {"y", "Done", "", kShop}, {"z", "done", "", kShop}};
  CHECK(find_state(states, "To Analyse", kShop)->id == "x");
  CHECK(find_state(states, "done", kShop)->id == "z");
  CHECK(find_state(states, "DONE", kShop) == nullptr);        // two candidates: ambiguous
  CHECK(find_state(states, "To Analyse", kOrch) == nullptr);  // another project's id
}

TEST_CASE("plane status: keys and their fallbacks", "[plane]") {
  for (auto k : kBaseKeys) {
    CHECK(is_base_key(k));
    CHECK_FALSE(fallback_of(k));
  }
  for (auto k : kPhaseKeys) {
    CHECK(is_phase_key(k));
    REQUIRE(fallback_of(k));
    CHECK(is_base_key(*fallback_of(k)));
  }
  CHECK_FALSE(is_status_key("architecture"));
  auto r = resolve("SHOP", project(kShop), base_states(), "architecture");
  CHECK(r.via == Via::none);
  CHECK(r.warning);
}

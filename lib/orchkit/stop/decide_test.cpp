#include "orchkit/stop/decide.hpp"

#include <catch2/catch.hpp>

using namespace orchkit::stop;

namespace {
StopFacts facts() {
  StopFacts f;
  f.live = 2;
  return f;
}
}  // namespace

TEST_CASE("stop decide: each verdict from its facts", "[stop]") {
  struct Row {
    const char* name;
    StopFacts f;
    Verdict want;
    const char* status;
  };
  StopFacts disabled = facts(), stale = facts(), current = facts(), done = facts(), window = facts(), waiting = facts(),
            dry_window = facts(), plain = facts();
  disabled.enabled = false;
  disabled.asked = 1;  // disabled wins over everything: nothing is even recorded
  stale.asked = 1;
  current.asked = 2;
  done.live_done = true;
  done.window = "merge:repo:ORCH-1";  // a finished stop is never deferred again
  window.window = "merge:repo:ORCH-1";
  window.window_holder = "host:42";
  waiting.window = "merge:repo:ORCH-1";
  waiting.wait = true;
  dry_window.window = "merge:repo:ORCH-1";
  dry_window.dry_run = true;  // a dry run shows the plan even inside a window
  const Row rows[] = {
      {"disabled", disabled, Verdict::disabled, "disabled"},
      {"stale", stale, Verdict::stale, "stale"},
      {"live generation asked", current, Verdict::proceed, ""},
      {"already done", done, Verdict::already, "already_cancelled"},
      {"in a window", window, Verdict::defer, "deferred"},
      {"in a window, --wait", waiting, Verdict::wait, ""},
      {"in a window, dry run", dry_window, Verdict::proceed, ""},
      {"nothing in the way", plain, Verdict::proceed, ""},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    auto d = decide_stop(r.f, "ORCH-1");
    CHECK(d.verdict == r.want);
    CHECK(d.status == r.status);
  }
}

TEST_CASE("stop decide: a replayed generation is recorded once, never on a dry run", "[stop]") {
  StopFacts f = facts();
  f.asked = 1;
  auto d = decide_stop(f, "ORCH-1");
  CHECK(d.record_stale);
  CHECK(d.message.find("generation 1 is not the live generation 2") != std::string::npos);
  f.asked_recorded = true;
  CHECK_FALSE(decide_stop(f, "ORCH-1").record_stale);
  f.asked_recorded = false;
  f.dry_run = true;
  CHECK_FALSE(decide_stop(f, "ORCH-1").record_stale);
}

TEST_CASE("stop decide: the deferral names the window and its holder", "[stop]") {
  StopFacts f = facts();
  f.window = "guard:deploy:repo:ORCH-1";
  f.window_holder = "host:7";
  auto d = decide_stop(f, "ORCH-1");
  CHECK(d.message.find("guard:deploy:repo:ORCH-1 (held by host:7)") != std::string::npos);
}

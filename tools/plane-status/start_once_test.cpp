#include "plane-status/start_once.hpp"

#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"

using namespace plane_status;
using orchkit::state::StartRecord;
using orchkit::state::StartStatus;

namespace {
const StartPolicy kPolicy{600'000, 60'000, 3'600'000};

StartRecord record(const char* status, int64_t attempts, int64_t until_ms) {
  return StartRecord{"ORCH-1", 2, status, attempts, 1, "h:1", until_ms, "exited 1", "t0", "t1"};
}
}  // namespace

TEST_CASE("start once: a generation without a record is claimed as attempt 1", "[plane][start]") {
  auto c = decide_claim(std::nullopt, "ORCH-1", 2, "h:9", 1'000, "now", kPolicy);
  REQUIRE(c.go);
  CHECK(c.next.is(StartStatus::running));
  CHECK(c.next.attempts == 1);
  CHECK(c.next.holder == "h:9");
  CHECK(c.next.generation == 2);
  CHECK(c.next.until_ms == 1'000 + kPolicy.run_ttl_ms);
}

TEST_CASE("start once: started, still running and backing off are left alone", "[plane][start]") {
  struct Row {
    StartRecord cur;
    int64_t now;
    bool go;
    const char* says;
  };
  const Row rows[] = {
      {record("started", 1, 0), 10'000'000, false, "once per generation"},
      {record("running", 1, 5'000), 4'999, false, "still runs"},
      {record("running", 1, 5'000), 5'000, true, "expired"},
      {record("failed", 2, 5'000), 4'000, false, "retry in 1s"},
      {record("failed", 2, 5'000), 5'000, true, "attempt 3"},
  };
  for (const auto& r : rows) {
    auto c = decide_claim(r.cur, "ORCH-1", 2, "h:9", r.now, "now", kPolicy);
    INFO(r.cur.status << " at " << r.now << ": " << c.reason);
    CHECK(c.go == r.go);
    CHECK(c.reason.find(r.says) != std::string::npos);
    if (c.go) CHECK(c.next.attempts == r.cur.attempts + 1);
  }
}

TEST_CASE("start once: a failed attempt backs off, doubling up to the cap", "[plane][start]") {
  CHECK(backoff_ms(1, kPolicy) == 60'000);
  CHECK(backoff_ms(2, kPolicy) == 120'000);
  CHECK(backoff_ms(6, kPolicy) == 1'920'000);
  CHECK(backoff_ms(7, kPolicy) == 3'600'000);
  CHECK(backoff_ms(400, kPolicy) == 3'600'000);
  auto failed = finish_claim(record("running", 2, 0), 3, "exited 3", 1'000, "t2", kPolicy);
  CHECK(failed.is(StartStatus::failed));
  CHECK(failed.exit_code == 3);
  CHECK(failed.until_ms == 1'000 + 120'000);
  auto lost = finish_claim(record("running", 1, 0), std::nullopt, "cannot start", 0, "t2", kPolicy);
  CHECK(lost.is(StartStatus::failed));  // a command that never ran is a failed attempt
  auto ok = finish_claim(record("running", 1, 0), 0, "", 1'000, "t2", kPolicy);
  CHECK(ok.is(StartStatus::started));
  CHECK(ok.detail.empty());
}

TEST_CASE("start once: two passes on one state file claim a generation once", "[plane][start]") {
  orchkit::testing::TempDir dir{"start-once"};
  auto a = orchkit::state::State::open(dir / "state.db");
  auto b = orchkit::state::State::open(dir / "state.db");
  REQUIRE(a);
  REQUIRE(b);
  auto first = claim_start(*a, "ORCH-1", 1, "h:1", kPolicy);
  REQUIRE(first);
  CHECK(first->go);
  auto second = claim_start(*b, "ORCH-1", 1, "h:2", kPolicy);
  REQUIRE(second);
  CHECK_FALSE(second->go);
  CHECK(second->reason.find("still runs") != std::string::npos);
  // a stale expectation is refused: the compare-and-set is on the stored record
  CHECK_FALSE(*b->swap_start(std::nullopt, first->next));
  auto next_gen = claim_start(*b, "ORCH-1", 2, "h:2", kPolicy);
  REQUIRE(next_gen);
  CHECK(next_gen->go);  // another generation is another start
}

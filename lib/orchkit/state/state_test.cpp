#include "orchkit/state/state.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "orchkit/state/db.hpp"

using namespace orchkit;

namespace {
std::string temp_db() {
  char tmpl[] = "/tmp/orchkit-state-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  return std::string(tmpl) + "/sub/state.db";
}
}  // namespace

TEST_CASE("state: ratchet bootstraps, raises, keeps; never lowers", "[state]") {
  auto path = temp_db();
  auto st = state::State::open(path);
  REQUIRE(st);
  auto r1 = st->ratchet("acme/x", "main", 80, 100, "c1", "T-1", "ci");
  REQUIRE(r1);
  CHECK(r1->event == "bootstrap");
  auto r2 = st->ratchet("acme/x", "main", 79, 100, "c2", "T-2", "ci");
  REQUIRE(r2);
  CHECK(r2->event == "kept");
  CHECK(r2->after.covered == 80);
  auto r3 = st->ratchet("acme/x", "main", 161, 200, "c3", "T-3", "ci");
  REQUIRE(r3);
  CHECK(r3->event == "ratchet");
  CHECK(r3->after.covered == 161);
  CHECK(r3->after.commit == "c3");
  auto r4 = st->ratchet("acme/x", "main", 322, 400, "c4", "T-4", "ci");  // equal ratio: kept
  REQUIRE(r4);
  CHECK(r4->event == "kept");
  auto h = st->history("acme/x", "main");
  REQUIRE(h);
  REQUIRE(h->size() == 4);
  for (const auto& row : *h) {
    if (!row.before) continue;
    CHECK(row.after->covered * row.before->total >= row.before->covered * row.after->total);
  }
  std::filesystem::remove_all(std::filesystem::path(path).parent_path().parent_path());
}

TEST_CASE("state: override lowers with an audit row; needs a reason", "[state]") {
  auto path = temp_db();
  auto st = state::State::open(path);
  REQUIRE(st);
  REQUIRE(st->ratchet("r", "main", 90, 100, "c1", "", "ci"));
  CHECK_FALSE(st->override_baseline("r", "main", 50, 100, "alice", ""));
  auto o = st->override_baseline("r", "main", 50, 100, "alice", "moved tests out");
  REQUIRE(o);
  auto b = st->baseline("r", "main");
  REQUIRE(b);
  CHECK((*b)->covered == 50);
  auto h = st->history("r", "main");
  REQUIRE(h);
  CHECK(h->back().event == "override");
  CHECK(h->back().actor == "alice");
  CHECK(h->back().reason == "moved tests out");
  std::filesystem::remove_all(std::filesystem::path(path).parent_path().parent_path());
}

TEST_CASE("state: keep writes a kept row and never touches the baseline", "[state]") {
  auto path = temp_db();
  auto st = state::State::open(path);
  REQUIRE(st);
  CHECK_FALSE(st->keep("r", "main", "c0", "T-0", "ci", "stale"));  // nothing to keep yet
  REQUIRE(st->ratchet("r", "main", 90, 100, "c2", "T-2", "ci"));
  auto k = st->keep("r", "main", "c1", "T-1", "ci", "stale: c1 is older than c2");
  REQUIRE(k);
  CHECK(k->event == "kept");
  CHECK(k->after.covered == 90);
  auto b = st->baseline("r", "main");
  REQUIRE(b);
  CHECK((*b)->commit == "c2");
  CHECK((*b)->covered == 90);
  auto h = st->history("r", "main");
  REQUIRE(h);
  REQUIRE(h->size() == 2);
  CHECK(h->back().event == "kept");
  CHECK(h->back().commit == "c1");
  CHECK(h->back().task == "T-1");
  CHECK(h->back().reason == "stale: c1 is older than c2");
  CHECK(h->back().before->covered == 90);
  CHECK(h->back().after->covered == 90);
  std::filesystem::remove_all(std::filesystem::path(path).parent_path().parent_path());
}

TEST_CASE("state: schema is additive and versioned; reopening keeps data", "[state]") {
  auto path = temp_db();
  {
    auto st = state::State::open(path);
    REQUIRE(st);
    REQUIRE(st->add_tombstone(state::TombstoneKind::task, "ORCH-1", 1, "ORCH-1", "stop"));
    REQUIRE(st->add_tombstone(state::TombstoneKind::task, "ORCH-1", 1, "ORCH-1", "stop again"));  // idempotent
  }
  auto st = state::State::open(path);
  REQUIRE(st);
  CHECK(*st->tombstoned(state::TombstoneKind::task, "ORCH-1", 1));
  CHECK_FALSE(*st->tombstoned(state::TombstoneKind::task, "ORCH-1", 2));
  auto v = st->store().schema_version();
  REQUIRE(v);
  CHECK(*v == state::kSchemaVersion);
  auto conn = db::Connection::open(path, false);
  REQUIRE(conn);
  auto mode = conn->query("PRAGMA journal_mode");
  REQUIRE(mode);
  CHECK(db::as_text((*mode)[0][0]) == "wal");
  std::filesystem::remove_all(std::filesystem::path(path).parent_path().parent_path());
}

TEST_CASE("state: a missing directory without create is an error, not a crash", "[state]") {
  auto st = state::State::open("/nonexistent-orchkit-dir/x/state.db", false);
  REQUIRE_FALSE(st);
  CHECK(st.error().exit == Exit::error);
}

TEST_CASE("state vocabularies: tombstone kinds and history events round-trip by name", "[state]") {
  for (auto k : {state::TombstoneKind::task, state::TombstoneKind::branch, state::TombstoneKind::plane_issue})
    CHECK(state::tombstone_kind_from(state::tombstone_kind_name(k)) == k);
  CHECK(state::tombstone_kind_name(state::TombstoneKind::plane_issue) == "plane_issue");
  CHECK_FALSE(state::tombstone_kind_from("Task"));
  CHECK_FALSE(state::tombstone_kind_from(""));
  state::HistoryRow h;
  h.event = "override";
  CHECK(h.is(state::HistoryEvent::override_));
  CHECK_FALSE(h.is(state::HistoryEvent::kept));
  CHECK(state::history_event_name(state::HistoryEvent::bootstrap) == "bootstrap");
}

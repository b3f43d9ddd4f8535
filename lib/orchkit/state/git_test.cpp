// The git store against a real bare repository over file:// (no server hooks: the racing, the
// hook and the read-only remote are in tests/e2e/state_git.bats, over git daemon).
#include "orchkit/state/git.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

#include "orchkit/state/db.hpp"
#include "orchkit/state/export.hpp"
#include "support/temp_dir.hpp"

using namespace orchkit;
using namespace orchkit::state;

namespace {

void sh(const std::string& cmd) {
  std::string full = "GIT_CONFIG_NOSYSTEM=1 HOME=/nonexistent git -c user.name=t -c user.email=t@t.invalid " + cmd +
                     " >/dev/null 2>&1";
  REQUIRE(std::system(full.c_str()) == 0);
}

struct Forge {
  testing::TempDir dir{"state-git"};
  Forge() {
    sh("init -q --bare '" + dir / "remote.git" + "'");
    sh("clone -q 'file://" + dir / "remote.git" + "' '" + dir / "a" + "'");
    sh("clone -q 'file://" + dir / "remote.git" + "' '" + dir / "b" + "'");
  }
  std::unique_ptr<GitStore> open(const std::string& clone) {
    auto s = open_git_store({dir / clone, "origin", "orchkit/state", false});
    REQUIRE(s);
    return std::move(*s);
  }
};

}  // namespace

TEST_CASE("git state layout: keys never name another folder or a hidden file", "[state][git]") {
  using git_layout::decode;
  using git_layout::encode;
  for (std::string k : {"..", ".", "a/b", "../../etc/passwd", "ORCH-1", "", "x y%z", "merge:acme/demo:main"}) {
    std::string e = encode(k);
    CHECK(e.find('/') == std::string::npos);
    CHECK(e.front() != '.');
    CHECK(decode(e) == k);
  }
  CHECK(encode("ORCH-1") == "ORCH-1");
  CHECK(git_layout::tombstone_path("task", "../x", 2) == "tombstones/task/%2E.%2Fx/2.json");
}

TEST_CASE("git state: ratchet is max(old, proposed) and another clone reads it", "[state][git]") {
  Forge f;
  auto a = f.open("a");
  CHECK_FALSE(a->exists());
  auto r1 = a->ratchet("acme/x", "main", 80, 100, std::string(40, '1'), "T-1", "ci");
  REQUIRE(r1);
  CHECK(r1->event == "bootstrap");
  auto r2 = a->ratchet("acme/x", "main", 79, 100, std::string(40, '2'), "T-2", "ci");
  REQUIRE(r2);
  CHECK(r2->event == "kept");
  auto r3 = a->ratchet("acme/x", "main", 161, 200, std::string(40, '3'), "T-3", "ci");
  REQUIRE(r3);
  CHECK(r3->event == "ratchet");

  auto b = f.open("b");
  CHECK(b->exists());
  auto base = b->baseline("acme/x", "main");
  REQUIRE(base);
  REQUIRE(*base);
  CHECK((*base)->covered == 161);
  CHECK((*base)->commit == std::string(40, '3'));
  auto h = b->history("acme/x", "main");
  REQUIRE(h);
  REQUIRE(h->size() == 3);
  CHECK((*h)[0].event == "bootstrap");
  CHECK((*h)[0].id == 1);
  CHECK((*h)[2].id == 3);
  CHECK((*h)[2].task == "T-3");
  // b writes on top of a's commits: the CAS recomputes from the tip it fetched
  auto o = b->override_baseline("acme/x", "main", 50, 100, "ops", "tests moved");
  REQUIRE(o);
  CHECK(o->event == "override");
  REQUIRE(a->refresh());  // reads within 200 ms share one fetch: a new read fetches again
  auto after = a->baseline("acme/x", "main");
  REQUIRE(after);
  CHECK((*after)->covered == 50);
}

TEST_CASE("git state: tombstones, leases, stops and gates keep the SQLite store's rules", "[state][git]") {
  Forge f;
  auto a = f.open("a");
  REQUIRE(a->add_tombstone(state::TombstoneKind::task, "ORCH-1", 1, "ORCH-1", "stop"));
  REQUIRE(a->add_tombstone(state::TombstoneKind::task, "ORCH-1", 1, "ORCH-1", "again"));  // idempotent
  CHECK(*a->tombstoned(state::TombstoneKind::task, "ORCH-1", 1));
  CHECK_FALSE(*a->tombstoned(state::TombstoneKind::task, "ORCH-1", 2));
  auto tombs = a->tombstones();
  REQUIRE(tombs);
  REQUIRE(tombs->size() == 1);
  CHECK((*tombs)[0].reason == "stop");

  auto b = f.open("b");
  auto got = a->try_acquire("merge:acme:main", "h:1", "T-1", 60'000);
  REQUIRE(got);
  CHECK_FALSE(*got);  // taken
  auto held = b->try_acquire("merge:acme:main", "h:2", "T-2", 60'000);
  REQUIRE(held);
  REQUIRE(*held);
  CHECK((*held)->holder == "h:1");
  CHECK_FALSE(*b->take_over("merge:acme:main", "h:9", "h:2", "T-2", 60'000));  // not the holder
  REQUIRE(b->release("merge:acme:main", "h:2"));                               // not ours: nothing
  CHECK(b->leases()->size() == 1);
  REQUIRE(a->release("merge:acme:main", "h:1"));
  REQUIRE(b->refresh());
  CHECK(b->leases()->empty());
  auto expired = a->try_acquire("guard:x", "h:1", "T-1", -1);
  REQUIRE(expired);
  auto over = b->try_acquire("guard:x", "h:2", "T-2", 60'000);  // expired: taken
  REQUIRE(over);
  CHECK_FALSE(*over);

  REQUIRE(a->defer_stop("ORCH-2", 1, "merge:acme:main", "board"));
  REQUIRE(a->defer_stop("ORCH-2", 1, "other", "again"));  // first one stands
  REQUIRE(b->set_stop_status("ORCH-2", 1, StopStatus::running, "processes"));
  REQUIRE(a->refresh());
  auto stops = a->stop_requests("ORCH-2");
  REQUIRE(stops);
  REQUIRE(stops->size() == 1);
  CHECK((*stops)[0].is(StopStatus::running));
  CHECK((*stops)[0].window == "merge:acme:main");
  CHECK((*stops)[0].steps == "processes");

  const std::string gz("\x1f\x8b\0\xffz", 5);  // binary, with a NUL
  REQUIRE(a->put_gate("ORCH-3", "---\nstatus: PASS\n---\n", gz));
  REQUIRE(b->refresh());
  auto g = b->gate("ORCH-3");
  REQUIRE(g);
  REQUIRE(*g);
  CHECK((*g)->text == "---\nstatus: PASS\n---\n");
  CHECK((*g)->lines == gz);  // the line data travels with the record
  CHECK_FALSE((*g)->updated_at.empty());
  CHECK_FALSE(*b->gate("ORCH-4"));
  // a later record without line data (a FAIL) takes the old line data away with it
  REQUIRE(b->put_gate("ORCH-3", "---\nstatus: FAIL\n---\n", ""));
  REQUIRE(a->refresh());
  CHECK((*a->gate("ORCH-3"))->lines.empty());
}

TEST_CASE("git state: a start record is a compare-and-set across clones", "[state][git]") {
  Forge f;
  auto a = f.open("a");
  auto b = f.open("b");
  StartRecord claim{"ORCH-5", 1, "running", 1, 0, "h:1", 1000, "", "t0", "t0"};
  REQUIRE(*a->swap_start(std::nullopt, claim));
  StartRecord other = claim;
  other.holder = "h:2";
  CHECK_FALSE(*b->swap_start(std::nullopt, other));  // b's pass lost: the record exists
  auto seen = b->start_record("ORCH-5", 1);
  REQUIRE(seen);
  REQUIRE(*seen);
  CHECK((*seen)->holder == "h:1");
  CHECK((*seen)->is(StartStatus::running));
  CHECK_FALSE(*b->swap_start(other, other));  // not what is stored: refused
  StartRecord done = claim;
  done.status = "started";
  REQUIRE(*a->swap_start(claim, done));
  REQUIRE(b->refresh());
  CHECK((*b->start_record("ORCH-5", 1))->is(StartStatus::started));
  CHECK_FALSE(*b->start_record("ORCH-5", 2));
  REQUIRE(b->starts()->size() == 1);
}

TEST_CASE("git state: snapshot -> SQLite -> snapshot is the same export, and back", "[state][git]") {
  Forge f;
  auto a = f.open("a");
  REQUIRE(a->ratchet("acme/x", "main", 8, 10, std::string(40, 'a'), "T-1", "ci"));
  REQUIRE(a->store_lines("acme/x", "main", {std::string(40, 'a'), "abc", std::string("\x1f\x8b\0z", 4), {}}));
  REQUIRE(a->add_tombstone(state::TombstoneKind::branch, "task/ORCH-1", 1, "", "stop"));
  REQUIRE(a->set_stop_status("ORCH-1", 1, StopStatus::done, "tombstone"));
  REQUIRE(a->put_gate("ORCH-1", "gate text\n", std::string("\x1f\x8b\0q", 4)));
  StartRecord start{"ORCH-1", 2, "failed", 3, 1, "h:1", 99, "exited 1", "t0", "t1"};
  REQUIRE(*a->swap_start(std::nullopt, start));
  auto snap = a->snapshot();
  REQUIRE(snap);
  const std::string text = export_json(*snap);

  auto sq = State::open(f.dir / "s.db");
  REQUIRE(sq);
  REQUIRE(sq->store().load(*snap));
  auto back = sq->store().snapshot();
  INFO((back ? std::string() : back.error().message));
  REQUIRE(back);
  CHECK(export_json(*back) == text);
  auto parsed = parse_export(text, "x.json");
  REQUIRE(parsed);
  CHECK(export_json(*parsed) == text);

  auto b = f.open("b");
  REQUIRE(b->load(*back));  // --replace: on top, never forced
  auto again = f.open("a")->snapshot();
  REQUIRE(again);
  CHECK(export_json(*again) == text);
}

TEST_CASE("state export: a broken document is exit 2 naming the entry", "[state]") {
  CHECK(parse_export("[]", "s.json").error().exit == Exit::usage);
  CHECK(parse_export("{\"orchkit_state\": 2}", "s.json").error().exit == Exit::usage);
  std::string doc = export_json(Snapshot{});
  REQUIRE(parse_export(doc, "s.json"));
  std::string bad = doc;
  bad.replace(
      bad.find("\"tombstones\": []"), 16,
      "\"tombstones\": [{\"kind\":\"x\",\"key\":\"k\",\"generation\":1,\"original\":\"\",\"reason\":\"\",\"at\":\"\"}]");
  auto e = parse_export(bad, "s.json");
  REQUIRE_FALSE(e);
  CHECK(e.error().exit == Exit::usage);
  CHECK(e.error().message.find("tombstones[0]") != std::string::npos);
  // a gate's line data that is not base64 is refused, naming it, not imported as empty
  std::string gate = doc;
  gate.replace(gate.find("\"gates\": []"), 11,
               "\"gates\": [{\"task\":\"T-1\",\"text\":\"x\",\"lines_gzip_base64\":\"%%%\"}]");
  auto g = parse_export(gate, "s.json");
  REQUIRE_FALSE(g);
  CHECK(g.error().exit == Exit::usage);
  CHECK(g.error().message.find("gates[0].lines_gzip_base64") != std::string::npos);
}

TEST_CASE("sqlite state: a file from before gate_lines reads its gate records, and takes line data", "[state]") {
  orchkit::testing::TempDir d("state-gate-lines");
  const std::string path = d / "s.db";
  {
    auto st = State::open(path);
    REQUIRE(st);
    REQUIRE(st->put_gate("T-1", "old gate\n"));
    auto c = db::Connection::open(path, false);
    REQUIRE(c);
    REQUIRE(c->exec("DROP TABLE gate_lines"));  // as an older orchkit left the file
  }
  auto st = State::open(path);
  REQUIRE(st);
  auto g = st->gate("T-1");
  REQUIRE(g);
  REQUIRE(*g);
  CHECK((*g)->text == "old gate\n");
  CHECK((*g)->lines.empty());
  const std::string gz("\x1f\x8b\0z", 4);
  REQUIRE(st->put_gate("T-2", "new gate\n", gz));
  auto all = st->gates();
  REQUIRE(all);
  REQUIRE(all->size() == 2);
  CHECK((*all)[1].lines == gz);
}

TEST_CASE("git state: a rewritten branch is refused by a clone that saw the newer tip", "[state][git]") {
  Forge f;
  auto a = f.open("a");
  REQUIRE(a->add_tombstone(state::TombstoneKind::task, "ORCH-1", 1, "", ""));
  REQUIRE(a->add_tombstone(state::TombstoneKind::task, "ORCH-2", 1, "", ""));
  sh("--git-dir='" + f.dir / "remote.git" + "' update-ref refs/heads/orchkit/state refs/heads/orchkit/state~1");
  auto again = open_git_store({f.dir / "a", "origin", "orchkit/state", false});
  REQUIRE_FALSE(again);
  CHECK(again.error().exit == Exit::error);
  CHECK(again.error().message.find("rewritten") != std::string::npos);
  // a clone that never saw the newer tip reads the branch as it is
  auto b = f.open("b");
  CHECK(*b->tombstoned(state::TombstoneKind::task, "ORCH-1", 1));
  CHECK_FALSE(*b->tombstoned(state::TombstoneKind::task, "ORCH-2", 1));
}

// The gatherers against an in-memory repository (tests/fakes/memory_repo.hpp), and record():
// what each finds, without a git repository on disk.
#include "coverage-gate/gather.hpp"

#include <catch2/catch.hpp>

#include "fakes/memory_repo.hpp"
#include "support/coverage.hpp"

using namespace coverage_gate;
using orchkit::fakes::MemoryRepo;
using orchkit::testing::add_lines;

namespace {

// base ── tip (main)            the target moved on after the branch left it
//    └─── pr (task/x) ── m      m: the local merge of tip into pr that CI measures
MemoryRepo history() {
  MemoryRepo r;
  r.commit("base", {}, {"src/a.c"})
      .commit("tip", {"base"}, {"src/a.c", "src/b.c"})
      .commit("pr", {"base"}, {"src/a.c"})
      .commit("m", {"pr", "tip"}, {"src/a.c", "src/b.c"})
      .ref("refs/remotes/origin/main", "tip")
      .ref("refs/heads/main", "base")
      .ref("refs/remotes/origin/task/x", "pr");
  r.branch = "task/x";
  return r;
}

}  // namespace

TEST_CASE("gather_history: caught up, the PR head, the remote's tip preferred", "[gather]") {
  MemoryRepo r = history();
  auto h = gather_history(r, "main", "m", std::nullopt, "/w");
  REQUIRE(h);
  CHECK(h->target_tip == "tip");  // origin/main, not the stale local main
  CHECK(h->caught_up == std::optional<bool>(true));
  CHECK(h->head_commit == std::optional<std::string>("pr"));  // Gitea never saw m
  CHECK(h->problems.empty());

  auto behind = gather_history(r, "main", "pr", std::nullopt, "/w");
  REQUIRE(behind);
  CHECK(behind->caught_up == std::optional<bool>(false));
  CHECK(behind->head_commit == std::optional<std::string>("pr"));

  // The branch Actions names (GITHUB_HEAD_REF) wins over the checkout's: m pushed as task/y is
  // that branch's own head.
  r.ref("refs/remotes/origin/task/y", "m");
  auto pushed = gather_history(r, "main", "m", std::string("task/y"), "/w");
  REQUIRE(pushed);
  CHECK(pushed->head_commit == std::optional<std::string>("m"));
}

TEST_CASE("gather_history: a shallow clone is a problem that keeps the measure; no target is exit 3", "[gather]") {
  MemoryRepo r = history();
  r.shallow = true;
  auto h = gather_history(r, "main", "m", std::nullopt, "/w");
  REQUIRE(h);
  CHECK_FALSE(h->caught_up.has_value());
  CHECK_FALSE(h->head_commit.has_value());
  REQUIRE(h->problems.size() == 1);
  CHECK(h->problems[0].reason == Reason::shallow_clone);
  CHECK(h->problems[0].whole);
  CHECK(h->problems[0].text.find("/w is a shallow clone") == 0);

  auto none = gather_history(r, "release", "m", std::nullopt, "/w");
  REQUIRE_FALSE(none);
  CHECK(none.error().kind == orchkit::ErrorKind::not_found);
}

TEST_CASE("gather_patch: changed lines against the merge-base; unmatched report paths", "[gather][patch]") {
  MemoryRepo r = history();
  orchkit::git::ChangedLines changed;
  changed.files["src/a.c"] = {2, 3, 9};
  changed.files["src/new.c"] = {1};
  r.diffs[{"tip", "m"}] = changed;  // m contains tip: the merge-base is tip itself
  orchkit::coverage::Coverage cov;
  add_lines(cov, "src/a.c", 2, 4);  // 1-2 covered, 3-4 not; 9 not measured
  HistoryFacts h{"tip", true, std::string("pr"), {}};

  auto p = gather_patch(r, cov, "m", h, std::nullopt, true);
  REQUIRE(p);
  REQUIRE(p->patch);
  CHECK(p->patch->total.covered == 1);  // line 2
  CHECK(p->patch->total.total == 2);    // lines 2, 3
  REQUIRE(p->patch->files.size() == 1);
  CHECK(format_ranges(p->patch->files[0].uncovered) == "3");
  CHECK(p->patch->unmeasured == std::vector<std::string>{"src/new.c"});
  CHECK(p->problems.empty());

  // A changed source with no record while a report path of its kind matched nothing: the
  // patch check cannot be trusted (a problem) — only a note when no patch check is on.
  PathMatch paths;
  paths.unmatched = {"/ci/build/src/new.c"};
  paths.strip_hint = "/ci/build/";
  auto on = gather_patch(r, cov, "m", h, paths, true);
  REQUIRE(on);
  REQUIRE(on->problems.size() == 1);
  CHECK(on->problems[0].reason == Reason::report_paths_unmatched);
  CHECK(on->problems[0].text.find("coverage.path_strip = [\"/ci/build/\"]") != std::string::npos);
  auto off = gather_patch(r, cov, "m", h, paths, false);
  REQUIRE(off);
  CHECK(off->problems.empty());
  REQUIRE(off->notes.size() == 1);
  CHECK(off->notes[0].find("changed file src/new.c has no coverage record") == 0);
}

TEST_CASE("gather_patch: no history, no patch; a git failure is an error", "[gather][patch]") {
  MemoryRepo r = history();
  orchkit::coverage::Coverage cov;
  HistoryFacts shallow{"tip", std::nullopt, std::nullopt, {}};
  auto p = gather_patch(r, cov, "m", shallow, std::nullopt, true);
  REQUIRE(p);
  CHECK_FALSE(p->patch);
  CHECK(p->notes == std::vector<std::string>{"patch coverage not computed: no history"});
  auto quiet = gather_patch(r, cov, "m", shallow, std::nullopt, false);
  REQUIRE(quiet);
  CHECK(quiet->notes.empty());

  HistoryFacts h{"tip", true, std::string("pr"), {}};
  CHECK_FALSE(gather_patch(r, cov, "m", h, std::nullopt, true));  // the fake has no such diff
}

TEST_CASE("record: a reason once, the first text the problem, a partial measure unmeasured", "[gather]") {
  Outcome out;
  record(out, Finding{Reason::command_failed, "exited 1", true});
  CHECK(out.facts.measured);
  record(out, Finding{Reason::report_stale, "cov.info is stale", false});
  record(out, Finding{Reason::report_stale, "other.info is stale", false});
  CHECK_FALSE(out.facts.measured);
  CHECK(out.facts.problems == std::vector<Reason>{Reason::command_failed, Reason::report_stale});
  CHECK(out.problem == "exited 1");
  CHECK(out.notes == std::vector<std::string>{"cov.info is stale", "other.info is stale"});

  Outcome o2;
  PatchFacts p;
  p.patch = Patch{Ratio{3, 4}, {}, {}};
  record(o2, std::move(p));
  REQUIRE(o2.facts.patch);
  CHECK(o2.facts.patch->covered == 3);
  REQUIRE(o2.patch);

  Outcome o3;
  record(o3, HistoryFacts{"tip", std::nullopt, std::nullopt, {{Reason::shallow_clone, "shallow", true}}});
  CHECK(o3.target_tip == std::optional<std::string>("tip"));
  CHECK_FALSE(o3.facts.caught_up.has_value());
  CHECK(o3.facts.measured);
  CHECK(o3.problem == "shallow");
}

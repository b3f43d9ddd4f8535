// merge-verify: lease → (merge the PR) → fetch → verify → ratchet → release → deferred stops.
#include "merge-verify/run.hpp"

#include <cstdio>
#include <filesystem>

#include "merge-verify/forge.hpp"
#include "merge-verify/lines.hpp"
#include "merge-verify/verify.hpp"
#include "orchkit/json_writer.hpp"
#include "orchkit/records/location.hpp"
#include "orchkit/state/lease.hpp"
#include "orchkit/state/lease_names.hpp"
#include "orchkit/state/open.hpp"
#include "orchkit/stop/deferred.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/log.hpp"
#include "orchkit/workspace.hpp"

namespace merge_verify {

using namespace orchkit;
namespace fs = std::filesystem;

namespace {

struct Report {
  bool verified = false;
  bool ratcheted = false;
  bool stale = false;
  std::string event = {};  // bootstrap | ratchet | kept | stale | none
  std::optional<state::Baseline> before = {};
  std::optional<state::Baseline> after = {};
  int deferred_stops_run = 0;
  std::string message = {};
  std::string commit = {};
  std::optional<Landing> landed = {};
  std::string target = {};
  std::string task = {};
  std::string line_data = "none";         // stored | none | kept | refused: why
  std::optional<std::string> merge = {};  // --merge-pr: merged | not_merged | unknown
};

constexpr size_t kChainLimit = 10'000;  // commits of the target's first-parent history searched

void write_baseline(JsonWriter& w, const std::optional<state::Baseline>& b) { w.raw(state::baseline_json(b)); }

void print(const Report& r, bool json) {
  if (json) {
    log::mark_stdout_used();
    JsonWriter w;
    w.object().field("verified", r.verified).field("ratcheted", r.ratcheted).field("stale", r.stale);
    w.field("event", r.event);
    w.key("baseline_before");
    write_baseline(w, r.before);
    w.key("baseline_after");
    write_baseline(w, r.after);
    w.field("deferred_stops_run", static_cast<uint64_t>(r.deferred_stops_run));
    w.field("commit", r.commit);
    w.key("landed_commit").opt_str(r.landed ? std::optional<std::string>(r.landed->commit) : std::nullopt);
    w.key("landing").opt_str(r.landed ? std::optional<std::string>(how_name(r.landed->how)) : std::nullopt);
    w.field("target", r.target).field("task", r.task).field("line_data", r.line_data);
    w.key("merge").opt_str(r.merge);
    w.field("message", r.message).end();
    std::printf("%s\n", w.text().c_str());
    return;
  }
  auto pct = [](const std::optional<state::Baseline>& b) {
    return b ? format_ratio_pct(b->covered, b->total) + "%" : std::string("none");
  };
  std::printf("%s: %s\n", r.verified ? "VERIFIED" : "NOT VERIFIED", r.message.c_str());
  if (r.landed) std::printf("landed as %s (%s)\n", r.landed->commit.c_str(), how_name(r.landed->how));
  if (r.verified)
    std::printf("baseline %s: %s -> %s (%s)\n", r.target.c_str(), pct(r.before).c_str(), pct(r.after).c_str(),
                r.event.c_str());
  if (r.verified && r.line_data != "none") std::printf("line data: %s\n", r.line_data.c_str());
  if (r.deferred_stops_run) std::printf("deferred stops run: %d\n", r.deferred_stops_run);
}

Result<Gated> load_gated(const Workspace& ws, const Options& o) {
  std::string path;
  if (o.artefact) path = fs::path(*o.artefact).is_absolute() ? *o.artefact : ws.workdir + "/" + *o.artefact;
  else if (o.task) {
    ORCHKIT_TRY(p, records::gate_record(ws.cfg, ws.main_worktree, *o.task));
    path = p;
  } else {
    return fail(Exit::usage, "--commit alone names no artefact: pass --task or --artefact (nothing was verified)");
  }
  auto text = read_file(path);
  std::optional<std::string> lines;
  if (o.task && !o.artefact && ws.cfg.state.backend == "git") {
    // The gate may have run on another runner: its record travels in the state branch, which
    // is the shared truth when both exist.
    ORCHKIT_TRY(st, state::open_state(ws, state::Access::read));
    ORCHKIT_TRY(rec, st ? st->gate(*o.task) : Result<std::optional<state::GateRecord>>(std::nullopt));
    if (rec) {
      text = std::move(rec->text);
      path = state::state_location(ws) + ":gates/" + *o.task + ".md";
      if (!rec->lines.empty()) lines = std::move(rec->lines);
    }
  }
  if (!text) return fail(Exit::no, text.error().message + " (no gated artefact: nothing changes)");
  auto fm = parse_front_matter(*text, path);
  if (!fm) return fail(Exit::no, fm.error().message + " (the artefact cannot be read: nothing changes)");
  ORCHKIT_TRY(g, gated_from(*fm, path));
  g.artefact = path;
  g.line_data = std::move(lines);
  if (o.task && g.task != *o.task)
    return fail(Exit::no, path + ": the artefact gated task '" + g.task + "', not " + *o.task +
                              " (verify the task that landed; nothing changed)");
  if (o.commit && *o.commit != g.commit)
    return fail(Exit::no, path + ": gated commit " + g.commit + ", not " + *o.commit + " (gate the commit you merge)");
  return g;
}

std::string shallow_error(git::Repo& repo) {
  return repo.workdir() + ": shallow clone: libgit2 1.5 cannot walk it (check out full history: fetch-depth: 0)";
}

// The facts of find_landing, read from the repository: the gated commit (or, when this
// repository never saw it, its tree), the fork point and the target's first-parent chain.
Result<LandingVerdict> find_landed(git::Repo& repo, const Gated& g, const std::string& target, bool fetched) {
  ORCHKIT_TRY(tip, repo.target_tip(target, !fetched));
  LandingFacts f;
  f.gated_commit = g.commit;
  f.gated_tree = g.tree;
  auto gated = repo.resolve(g.commit);
  f.gated_commit_known = gated.has_value();
  if (gated && gated->tree != g.tree)
    return fail(Exit::no, "the artefact's tree " + g.tree + " is not the tree " + gated->tree + " of its commit " +
                              g.commit + " (the artefact disagrees with the repository; nothing changed)");
  if (!gated && !repo.has_object(g.tree))
    return fail(Exit::no, "neither the gated commit " + g.commit + " nor its tree " + g.tree +
                              " is in this repository: nothing landed with it (fetch the target; nothing changed)");
  if (gated && !repo.is_shallow()) {
    auto base = repo.merge_base(g.commit, tip.sha);
    if (base) f.fork_point = *base;
  }
  ORCHKIT_TRY(chain, repo.first_parent_chain(tip.sha, kChainLimit));
  for (auto& c : chain) f.chain.push_back(ChainCommit{std::move(c.sha), std::move(c.tree), std::move(c.parents)});
  LandingVerdict v = find_landing(f);
  if (!v.landing && repo.is_shallow()) return fail(Exit::error, shallow_error(repo));
  return v;
}

// Where the landing commit stands against the current baseline's commit (stale or not).
Result<BaselineAge> baseline_age(git::Repo& repo, const std::optional<state::Baseline>& b, const std::string& landed) {
  if (!b) return BaselineAge::none;
  if (b->commit == landed) return BaselineAge::same;
  // An override on an empty state records "override"; a rewritten history loses commits.
  if (b->commit.size() != 40 || !repo.resolve(b->commit)) {
    log::warning("the baseline's commit '" + b->commit +
                 "' is not in this repository: cannot tell whether this artefact is stale; proceeding (max() "
                 "keeps the baseline safe)");
    return BaselineAge::unknown;
  }
  ORCHKIT_TRY(newer, repo.contains(b->commit, landed));
  return newer ? BaselineAge::older : BaselineAge::not_older;
}

// The facts of decide(): the landing and where it stands against the baseline (read into `r`).
Result<Landed> gather_landed(Workspace& ws, state::State& st, const Gated& g, bool fetched, Report& r) {
  Landed landed;
  ORCHKIT_TRY(found, find_landed(*ws.repo, g, r.target, fetched));
  landed.landing = std::move(found);
  r.landed = landed.landing.landing;
  ORCHKIT_TRY(before, st.baseline(ws.repo_id, r.target));
  r.before = before;
  r.after = before;
  r.event = "none";
  if (landed.landing.verified) {
    ORCHKIT_TRY(age, baseline_age(*ws.repo, before, r.landed->commit));
    landed.baseline = age;
  }
  return landed;
}

// Ratchets with the landing commit, or records a stale artefact as a kept row; fills the report.
Result<void> record(state::State& st, const Workspace& ws, const Gated& g, const Decision& d, Report& r) {
  const std::string& landed = r.landed->commit;
  if (d.stale) {
    ORCHKIT_TRY(out, st.keep(ws.repo_id, r.target, landed, r.task, state::current_actor(),
                             "stale: " + landed + " is older than the baseline's commit " + r.before->commit));
    r.event = "stale";
    r.stale = true;
    r.after = out.after;
    return {};
  }
  if (!d.ratchet) return {};
  ORCHKIT_TRY(out,
              st.ratchet(ws.repo_id, r.target, *g.line_covered, *g.line_total, landed, r.task, state::current_actor()));
  r.ratcheted = !out.is(state::HistoryEvent::kept);
  r.event = out.event;
  r.after = out.after;
  if (r.ratcheted) {
    ORCHKIT_TRY(said, store_line_data(st, ws.repo_id, r.target, g, landed));
    r.line_data = said;
  } else {
    r.line_data = "kept";
  }
  return {};
}

}  // namespace

Result<Exit> run(const Options& o) {
  ORCHKIT_TRY(ws, open_workspace(o.dir, o.common.config, !o.common.show_config));
  if (o.target) ORCHKIT_CHECK(set_config_value(ws.cfg, "project.target_branch", *o.target, Origin::flag, "--target"));
  if (o.common.show_config) return print_config(ws.cfg, {"project.", "task.", "state.", "coverage.artefact"});
  ORCHKIT_CHECK(require_valid_config(ws.cfg, {"project.", "task.", "state.", "coverage.artefact"}));
  auto wait = parse_duration(o.lease_wait);
  if (!wait) return fail(Exit::usage, "--lease-wait '" + o.lease_wait + "' is not a duration (e.g. 60s)");
  if (o.task) ORCHKIT_CHECK(check_task_key(ws.cfg, *o.task));
  if (o.task) ORCHKIT_CHECK(refuse_if_cancelled(ws, *o.task));

  Report r;
  auto gated = load_gated(ws, o);
  if (!gated) {
    r.message = gated.error().message;
    r.event = "none";
    if (o.common.json) print(r, true);
    return fail(std::move(gated).error());
  }
  Gated g = std::move(*gated);
  r.commit = g.commit;
  r.task = o.task ? *o.task : g.task;
  r.target = o.target ? *o.target : (g.target.empty() ? ws.cfg.project.target_branch : g.target);
  if (!r.task.empty()) ORCHKIT_CHECK(refuse_if_cancelled(ws, r.task));

  ORCHKIT_TRY(opened, state::open_state(ws, state::Access::write));
  state::State& st = *opened;
  ORCHKIT_TRY(lease,
              acquire_lease(st, lease_names::merge(ws.repo_id, r.target), r.task, ws.cfg.state.lease_ttl, *wait));

  if (o.merge_pr) {
    ORCHKIT_TRY(m, merge_pull_request(ws, *o.merge_pr, g.head_commit));
    r.merge = std::string(forge::merge_outcome_name(m.outcome));
    if (m.exit != Exit::ok) {
      r.message = m.message;
      if (o.common.json) print(r, true);
      return fail(m.exit, m.message);
    }
  }
  bool fetched = false;
  if (!o.no_fetch && ws.repo->has_remote("origin")) {
    ORCHKIT_CHECK(ws.repo->fetch("origin", r.target));
    fetched = true;
  }
  ORCHKIT_TRY(landed, gather_landed(ws, st, g, fetched, r));
  Decision d = decide(g, landed);
  r.verified = d.verified;
  r.message = d.why;
  ORCHKIT_CHECK(record(st, ws, g, d, r));
  ORCHKIT_CHECK(lease.release());

  // The window is closed: stops that waited for it run now (SPEC §7 step 2).
  auto ran = stop::run_deferred_stops(ws, r.task);
  if (!ran) log::warning("deferred stops: " + ran.error().message);
  else r.deferred_stops_run = *ran;

  if (!d.verified) log::error(d.why);
  log::step_summary("## merge-verify: " + std::string(d.verified ? "verified" : "NOT verified") + "\n\n" + d.why +
                    "\n");
  print(r, o.common.json);
  return d.verified ? Exit::ok : Exit::no;
}

}  // namespace merge_verify

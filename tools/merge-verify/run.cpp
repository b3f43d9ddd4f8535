// merge-verify: lease → (merge the PR) → fetch → verify → ratchet → release → deferred stops.
#include "merge-verify/run.hpp"

#include <cstdio>
#include <filesystem>

#include "merge-verify/forge.hpp"
#include "merge-verify/verify.hpp"
#include "orchkit/deferred.hpp"
#include "orchkit/file.hpp"
#include "orchkit/json_writer.hpp"
#include "orchkit/lease.hpp"
#include "orchkit/log.hpp"
#include "orchkit/records/location.hpp"
#include "orchkit/state.hpp"
#include "orchkit/workspace.hpp"

namespace merge_verify {

using namespace orchkit;
namespace fs = std::filesystem;

namespace {

struct Report {
  bool verified = false;
  bool ratcheted = false;
  std::string event = {};  // bootstrap | ratchet | kept | none
  std::optional<state::Baseline> before = {};
  std::optional<state::Baseline> after = {};
  int deferred_stops_run = 0;
  std::string message = {};
  std::string commit = {};
  std::string target = {};
  std::string task = {};
};

void write_baseline(JsonWriter& w, const std::optional<state::Baseline>& b) { w.raw(state::baseline_json(b)); }

void print(const Report& r, bool json) {
  if (json) {
    log::mark_stdout_used();
    JsonWriter w;
    w.object().field("verified", r.verified).field("ratcheted", r.ratcheted).field("event", r.event);
    w.key("baseline_before");
    write_baseline(w, r.before);
    w.key("baseline_after");
    write_baseline(w, r.after);
    w.field("deferred_stops_run", static_cast<uint64_t>(r.deferred_stops_run));
    w.field("commit", r.commit).field("target", r.target).field("task", r.task).field("message", r.message).end();
    std::printf("%s\n", w.text().c_str());
    return;
  }
  auto pct = [](const std::optional<state::Baseline>& b) {
    return b ? format_ratio_pct(b->covered, b->total) + "%" : std::string("none");
  };
  std::printf("%s: %s\n", r.verified ? "VERIFIED" : "NOT VERIFIED", r.message.c_str());
  if (r.verified)
    std::printf("baseline %s: %s -> %s (%s)\n", r.target.c_str(), pct(r.before).c_str(), pct(r.after).c_str(),
                r.event.c_str());
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
  if (!text) return fail(Exit::no, text.error().message + " (no gated artefact: nothing changes)");
  auto fm = parse_front_matter(*text, path);
  if (!fm) return fail(Exit::no, fm.error().message + " (the artefact cannot be read: nothing changes)");
  ORCHKIT_TRY(g, gated_from(*fm, path));
  if (o.commit && *o.commit != g.commit)
    return fail(Exit::no, path + ": gated commit " + g.commit + ", not " + *o.commit + " (gate the commit you merge)");
  return g;
}

Result<Landed> check_landed(git::Repo& repo, const Gated& g, const std::string& target, bool fetched) {
  ORCHKIT_TRY(tip, repo.target_tip(target, !fetched));
  Landed l;
  auto gated = repo.resolve(g.commit);
  if (gated) {
    ORCHKIT_TRY(in, repo.contains(tip.sha, g.commit));
    l.contains = in;
  } else if (repo.is_shallow()) {
    return fail(
        Exit::error,
        repo.workdir() + ": shallow clone: libgit2 1.5 cannot walk it (check out full history: fetch-depth: 0)");
  }
  l.tree_equal = tip.tree == g.tree;
  return l;
}

}  // namespace

Result<Exit> run(const Options& o) {
  ORCHKIT_TRY(ws, open_workspace(o.dir, o.common.config, !o.common.show_config));
  if (o.target) ORCHKIT_CHECK(set_config_value(ws.cfg, "project.target_branch", *o.target, Origin::flag, "--target"));
  if (o.common.show_config) {
    std::fputs(show_config(ws.cfg).c_str(), stdout);
    return Exit::ok;
  }
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

  ORCHKIT_TRY(st, state::State::open(ws.state_path, true));
  ORCHKIT_TRY(lease, acquire_lease(st, "merge:" + ws.repo_id + ":" + r.target, r.task, ws.cfg.state.lease_ttl, *wait));

  if (o.merge_pr) ORCHKIT_CHECK(merge_pull_request(ws, *o.merge_pr, g.commit));
  bool fetched = false;
  if (!o.no_fetch && ws.repo->has_remote("origin")) {
    ORCHKIT_CHECK(ws.repo->fetch("origin", r.target));
    fetched = true;
  }
  ORCHKIT_TRY(landed, check_landed(*ws.repo, g, r.target, fetched));
  Decision d = decide(g, landed);
  r.verified = d.verified;
  r.message = d.why;
  ORCHKIT_TRY(before, st.baseline(ws.repo_id, r.target));
  r.before = before;
  r.after = before;
  r.event = "none";
  if (d.ratchet) {
    ORCHKIT_TRY(out, st.ratchet(ws.repo_id, r.target, *g.line_covered, *g.line_total, g.commit, r.task,
                                state::current_actor()));
    r.ratcheted = out.event != "kept";
    r.event = out.event;
    r.after = out.after;
  }
  ORCHKIT_CHECK(lease.release());

  // The window is closed: stops that waited for it run now (SPEC §7 step 2).
  auto ran = run_deferred_stops(ws.state_path, r.task, o.common.config, ws.workdir);
  if (!ran) log::warning("deferred stops: " + ran.error().message);
  else r.deferred_stops_run = *ran;

  if (!d.verified) log::error(d.why);
  log::step_summary("## merge-verify: " + std::string(d.verified ? "verified" : "NOT verified") + "\n\n" + d.why +
                    "\n");
  print(r, o.common.json);
  return d.verified ? Exit::ok : Exit::no;
}

}  // namespace merge_verify

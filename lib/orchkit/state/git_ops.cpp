// The git store's operations: each reads what it needs at a fresh tip and returns the change
// to commit (or none), so GitStore::update can recompute it when the remote moved. The rules
// are the SQLite store's: ratchet = max(old, proposed), tombstone = add, lease = take if free.
#include <algorithm>

#include "orchkit/state/git.hpp"
#include "orchkit/util/int128.hpp"
#include "orchkit/util/units.hpp"

namespace orchkit::state {
namespace {

using namespace git_layout;
using Plan = std::optional<GitPlan>;

std::string pct(const Baseline& b) { return format_ratio_pct(b.covered, b.total); }
std::string short_sha(const std::string& s) { return s.substr(0, 12); }

Result<std::optional<Baseline>> read_baseline(const GitStore::View& v, const std::string& repo,
                                              const std::string& branch) {
  const std::string path = baseline_path(repo, branch);
  ORCHKIT_TRY(text, v.get(path));
  if (!text) return std::optional<Baseline>{};
  ORCHKIT_TRY(b, parse_baseline(*text, path));
  return std::optional<Baseline>(std::move(b));
}

Result<int64_t> next_history_id(const GitStore::View& v) {
  ORCHKIT_TRY(seq, v.get("history.seq"));
  return seq ? std::stoll("0" + *seq) + 1 : int64_t{1};
}

// The change that records one history event (and, with `after`, the baseline it leaves).
Result<Plan> event_plan(const GitStore::View& v, HistoryRow h, const std::optional<Baseline>& write,
                        std::string message) {
  ORCHKIT_TRY(id, next_history_id(v));
  h.id = id;
  GitPlan p;
  if (write) p.changes.push_back({baseline_path(h.repo, h.branch), baseline_file(*write)});
  p.changes.push_back({"history.seq", std::to_string(id) + "\n"});
  p.message = std::move(message);
  p.history = std::move(h);
  return Plan(std::move(p));
}

template <class T, class Parse>
Result<std::vector<T>> read_all(const GitStore::View& v, const std::string& dir, Parse parse) {
  ORCHKIT_TRY(files, v.dir(dir));
  std::vector<T> out;
  for (const auto& [path, text] : files) {
    ORCHKIT_TRY(item, parse(text, dir + "/" + path));
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

Result<std::optional<Baseline>> GitStore::baseline(const std::string& repo, const std::string& branch) {
  ORCHKIT_TRY(v, fresh_view());
  return read_baseline(v, repo, branch);
}

Result<std::vector<BaselineRow>> GitStore::baselines() {
  ORCHKIT_TRY(v, fresh_view());
  ORCHKIT_TRY(files, v.dir("baselines"));
  std::vector<BaselineRow> out;
  for (const auto& [path, text] : files) {
    size_t slash = path.find('/');
    if (slash == std::string::npos || path.size() < slash + 6) continue;
    ORCHKIT_TRY(b, parse_baseline(text, "baselines/" + path));
    out.push_back({decode(path.substr(0, slash)), decode(path.substr(slash + 1, path.size() - slash - 6)), b});
  }
  std::sort(out.begin(), out.end(), [](const BaselineRow& a, const BaselineRow& b) {
    return std::tie(a.repo, a.branch) < std::tie(b.repo, b.branch);
  });
  return out;
}

Result<std::vector<HistoryRow>> GitStore::history(const std::string& repo, const std::string& branch) {
  ORCHKIT_TRY(all, all_history());
  std::vector<HistoryRow> out;
  for (auto& h : all)
    if (h.repo == repo && h.branch == branch) out.push_back(std::move(h));
  return out;
}

Result<std::vector<HistoryRow>> GitStore::all_history() {
  ORCHKIT_TRY(v, fresh_view());
  std::vector<HistoryRow> out;
  if (!v.tip) return out;
  if (*v.tip == history_tip_) return history_;  // queue-report asks once per baseline: walk once
  ORCHKIT_TRY(chain, repo_.chain_until(*v.tip, ""));
  for (const auto& c : chain) {
    if (c.message.find("\nOrchkit-Import: reset") != std::string::npos) break;  // an import replaced all before
    if (auto h = parse_history_line(c.message)) out.push_back(std::move(*h));
  }
  std::sort(out.begin(), out.end(), [](const HistoryRow& a, const HistoryRow& b) { return a.id < b.id; });
  history_tip_ = *v.tip;
  history_ = out;
  return out;
}

Result<RatchetOutcome> GitStore::ratchet(const std::string& repo, const std::string& branch, uint64_t covered,
                                         uint64_t total, const std::string& commit, const std::string& task,
                                         const std::string& actor) {
  if (covered > total) return fail(Exit::error, "ratchet: covered is larger than total");
  RatchetOutcome res;
  ORCHKIT_CHECK(update([&](const View& v) -> Result<Plan> {
    ORCHKIT_TRY(before, read_baseline(v, repo, branch));
    const std::string now = now_utc();
    Baseline proposed{covered, total, commit, now};
    bool raise = !before || static_cast<u128>(covered) * before->total > static_cast<u128>(before->covered) * total;
    const HistoryEvent e = !before ? HistoryEvent::bootstrap : raise ? HistoryEvent::ratchet : HistoryEvent::kept;
    res = RatchetOutcome{std::string(history_event_name(e)), before, raise ? proposed : *before};
    HistoryRow h{0, repo, branch, res.event, before, res.after, commit, task, actor, "", now};
    std::string at = " (" + (task.empty() ? std::string("?") : task) + " at " + short_sha(commit) + ")";
    std::string msg = !before ? "bootstrap " + branch + " " + pct(proposed) + at
                      : raise ? "ratchet " + branch + " " + pct(*before) + " -> " + pct(proposed) + at
                              : "kept " + branch + " " + pct(*before) + " (proposed " + pct(proposed) + ")" + at;
    return event_plan(v, std::move(h), raise ? std::optional<Baseline>(proposed) : std::nullopt, msg);
  }));
  return res;
}

Result<RatchetOutcome> GitStore::keep(const std::string& repo, const std::string& branch, const std::string& commit,
                                      const std::string& task, const std::string& actor, const std::string& reason) {
  RatchetOutcome res;
  ORCHKIT_CHECK(update([&](const View& v) -> Result<Plan> {
    ORCHKIT_TRY(before, read_baseline(v, repo, branch));
    if (!before) return fail(Exit::error, "keep: no baseline for " + repo + " " + branch);
    res = RatchetOutcome{std::string(history_event_name(HistoryEvent::kept)), before, *before};
    HistoryRow h{0, repo, branch, res.event, before, before, commit, task, actor, reason, now_utc()};
    return event_plan(
        v, std::move(h), std::nullopt,
        "kept " + branch + " " + pct(*before) + " (" + task + " at " + short_sha(commit) + "): " + reason);
  }));
  return res;
}

Result<RatchetOutcome> GitStore::override_baseline(const std::string& repo, const std::string& branch, uint64_t covered,
                                                   uint64_t total, const std::string& actor,
                                                   const std::string& reason) {
  if (reason.empty()) return fail(Exit::usage, "baseline set: --reason is required (the override is audited)");
  if (covered > total) return fail(Exit::usage, "baseline set: covered is larger than total");
  RatchetOutcome res;
  ORCHKIT_CHECK(update([&](const View& v) -> Result<Plan> {
    ORCHKIT_TRY(before, read_baseline(v, repo, branch));
    const std::string now = now_utc();
    const std::string commit = before ? before->commit : std::string("override");
    Baseline after{covered, total, commit, now};
    res = RatchetOutcome{std::string(history_event_name(HistoryEvent::override_)), before, after};
    HistoryRow h{0, repo, branch, res.event, before, after, commit, "", actor, reason, now};
    return event_plan(v, std::move(h), after,
                      "override " + branch + " " + (before ? pct(*before) : std::string("none")) + " -> " + pct(after) +
                          " by " + actor + ": " + reason);
  }));
  return res;
}

Result<void> GitStore::store_lines(const std::string& repo, const std::string& branch, const BaselineLines& lines) {
  return update([&](const View&) -> Result<Plan> {
    BaselineLines meta = lines;
    if (meta.updated_at.empty()) meta.updated_at = now_utc();
    GitPlan p;
    p.changes.push_back({lines_path(repo, branch, ".json"), lines_file(meta)});
    p.changes.push_back({lines_path(repo, branch, ".gz"), lines.data});
    p.message = "line data " + branch + " at " + short_sha(lines.commit);
    return Plan(std::move(p));
  });
}

Result<std::optional<BaselineLines>> GitStore::lines(const std::string& repo, const std::string& branch) {
  ORCHKIT_TRY(v, fresh_view());
  const std::string meta_path = lines_path(repo, branch, ".json");
  ORCHKIT_TRY(meta, v.get(meta_path));
  ORCHKIT_TRY(data, v.get(lines_path(repo, branch, ".gz")));
  if (!meta || !data) return std::optional<BaselineLines>{};
  ORCHKIT_TRY(l, parse_lines(*meta, meta_path));
  l.data = std::move(*data);
  return std::optional<BaselineLines>(std::move(l));
}

Result<bool> GitStore::tombstoned(TombstoneKind k, const std::string& key, int64_t generation) {
  const std::string kind(tombstone_kind_name(k));
  ORCHKIT_TRY(v, fresh_view());
  ORCHKIT_TRY(t, v.get(tombstone_path(kind, key, generation)));
  return t.has_value();
}

Result<std::vector<Tombstone>> GitStore::tombstones() {
  ORCHKIT_TRY(v, fresh_view());
  ORCHKIT_TRY(out, read_all<Tombstone>(v, "tombstones", parse_tombstone));
  std::sort(out.begin(), out.end(), [](const Tombstone& a, const Tombstone& b) {
    return std::tie(a.kind, a.key, a.generation) < std::tie(b.kind, b.key, b.generation);
  });
  return out;
}

Result<void> GitStore::add_tombstone(TombstoneKind k, const std::string& key, int64_t generation,
                                     const std::string& original, const std::string& reason) {
  const std::string kind(tombstone_kind_name(k));
  return update([&](const View& v) -> Result<Plan> {
    const std::string path = tombstone_path(kind, key, generation);
    ORCHKIT_TRY(have, v.get(path));
    if (have) return Plan{};  // already cancelled: an add is idempotent
    GitPlan p;
    p.changes.push_back({path, tombstone_file({kind, key, generation, original, reason, now_utc()})});
    p.message = "tombstone " + kind + " " + key + " generation " + std::to_string(generation) +
                (reason.empty() ? "" : ": " + reason);
    return Plan(std::move(p));
  });
}

}  // namespace orchkit::state

// The git store's operations, continued: leases, stop requests, gate records, and the whole
// store as a snapshot (state export) or replaced by one (state import).
#include <algorithm>

#include "orchkit/state/git.hpp"

namespace orchkit::state {
namespace {

using namespace git_layout;

// The gate's line data file: written, or removed when the new record has none.
git::TreeChange gate_lines_change(const std::string& task, const std::string& lines) {
  if (lines.empty()) return {gate_path(task, ".lines.gz"), std::nullopt};
  return {gate_path(task, ".lines.gz"), lines};
}

using Plan = std::optional<GitPlan>;

Result<std::optional<Lease>> read_lease(const GitStore::View& v, const std::string& name) {
  const std::string path = lease_path(name);
  ORCHKIT_TRY(text, v.get(path));
  if (!text) return std::optional<Lease>{};
  ORCHKIT_TRY(l, parse_lease(*text, path));
  return std::optional<Lease>(std::move(l));
}

Result<std::optional<StopRequest>> read_stop(const GitStore::View& v, const std::string& task, int64_t gen) {
  const std::string path = stop_path(task, gen);
  ORCHKIT_TRY(text, v.get(path));
  if (!text) return std::optional<StopRequest>{};
  ORCHKIT_TRY(r, parse_stop(*text, path));
  return std::optional<StopRequest>(std::move(r));
}

Plan write_lease(const Lease& l, std::string message) {
  GitPlan p;
  p.changes.push_back({lease_path(l.name), lease_file(l)});
  p.message = std::move(message);
  return Plan(std::move(p));
}

}  // namespace

Result<std::optional<Lease>> GitStore::try_acquire(const std::string& name, const std::string& holder,
                                                   const std::string& task, int64_t ttl_ms) {
  std::optional<Lease> other;
  ORCHKIT_CHECK(update([&](const View& v) -> Result<Plan> {
    ORCHKIT_TRY(cur, read_lease(v, name));
    const int64_t now = now_ms();
    if (cur && cur->expires_at_ms >= now && cur->holder != holder) {
      other = cur;
      return Plan{};
    }
    other.reset();
    return write_lease({name, holder, task, now + ttl_ms, now_utc()},
                       "lease " + name + " taken by " + holder + (task.empty() ? "" : " for " + task));
  }));
  return other;
}

Result<void> GitStore::release(const std::string& name, const std::string& holder) {
  return update([&](const View& v) -> Result<Plan> {
    ORCHKIT_TRY(cur, read_lease(v, name));
    if (!cur || cur->holder != holder) return Plan{};
    GitPlan p;
    p.changes.push_back({lease_path(name), std::nullopt});
    p.message = "lease " + name + " released by " + holder;
    return Plan(std::move(p));
  });
}

Result<bool> GitStore::take_over(const std::string& name, const std::string& dead_holder, const std::string& holder,
                                 const std::string& task, int64_t ttl_ms) {
  bool taken = false;
  ORCHKIT_CHECK(update([&](const View& v) -> Result<Plan> {
    ORCHKIT_TRY(cur, read_lease(v, name));
    taken = cur && cur->holder == dead_holder;
    if (!taken) return Plan{};
    return write_lease({name, holder, task, now_ms() + ttl_ms, now_utc()},
                       "lease " + name + " taken over from " + dead_holder + " by " + holder);
  }));
  return taken;
}

Result<std::vector<Lease>> GitStore::leases() {
  ORCHKIT_TRY(v, fresh_view());
  ORCHKIT_TRY(files, v.dir("leases"));
  std::vector<Lease> out;
  for (const auto& [path, text] : files) {
    ORCHKIT_TRY(l, parse_lease(text, "leases/" + path));
    out.push_back(std::move(l));
  }
  std::sort(out.begin(), out.end(), [](const Lease& a, const Lease& b) { return a.name < b.name; });
  return out;
}

Result<void> GitStore::defer_stop(const std::string& task, int64_t generation, const std::string& window,
                                  const std::string& reason) {
  return update([&](const View& v) -> Result<Plan> {
    ORCHKIT_TRY(cur, read_stop(v, task, generation));
    if (cur) return Plan{};
    const std::string now = now_utc();
    StopRequest r{task, generation, std::string(stop_status_name(StopStatus::deferred)), window, reason, "", now, now};
    GitPlan p;
    p.changes.push_back({stop_path(task, generation), stop_file(r)});
    p.message = "stop " + task + " generation " + std::to_string(generation) + " deferred during " + window;
    return Plan(std::move(p));
  });
}

Result<std::vector<StopRequest>> GitStore::stop_requests(const std::string& task) {
  ORCHKIT_TRY(v, fresh_view());
  ORCHKIT_TRY(files, v.dir(task.empty() ? std::string("stops") : "stops/" + encode(task)));
  std::vector<StopRequest> out;
  for (const auto& [path, text] : files) {
    ORCHKIT_TRY(r, parse_stop(text, "stops/" + path));
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const StopRequest& a, const StopRequest& b) {
    return std::tie(a.requested_at, a.task) < std::tie(b.requested_at, b.task);
  });
  return out;
}

Result<void> GitStore::set_stop_status(const std::string& task, int64_t generation, StopStatus status,
                                       const std::string& steps) {
  return update([&](const View& v) -> Result<Plan> {
    ORCHKIT_TRY(cur, read_stop(v, task, generation));
    const std::string now = now_utc();
    StopRequest r = cur ? *cur : StopRequest{task, generation, "", "", "", "", now, now};
    r.status = std::string(stop_status_name(status));
    r.steps = steps;
    r.updated_at = now;
    GitPlan p;
    p.changes.push_back({stop_path(task, generation), stop_file(r)});
    p.message = "stop " + task + " generation " + std::to_string(generation) + ": " + r.status +
                (steps.empty() ? "" : " (" + steps + ")");
    return Plan(std::move(p));
  });
}

Result<void> GitStore::put_gate(const std::string& task, const std::string& text, const std::string& lines) {
  return update([&](const View& v) -> Result<Plan> {
    ORCHKIT_TRY(cur, v.get(gate_path(task, ".md")));
    ORCHKIT_TRY(cur_lines, v.get(gate_path(task, ".lines.gz")));
    if (cur && *cur == text && cur_lines.value_or("") == lines) return Plan{};
    GitPlan p;
    p.changes.push_back({gate_path(task, ".md"), text});
    p.changes.push_back({gate_path(task, ".at"), now_utc() + "\n"});
    if (!lines.empty() || cur_lines) p.changes.push_back(gate_lines_change(task, lines));
    p.message = "gate " + task;
    return Plan(std::move(p));
  });
}

Result<std::optional<GateRecord>> GitStore::gate(const std::string& task) {
  ORCHKIT_TRY(v, fresh_view());
  ORCHKIT_TRY(text, v.get(gate_path(task, ".md")));
  if (!text) return std::optional<GateRecord>{};
  ORCHKIT_TRY(at, v.get(gate_path(task, ".at")));
  ORCHKIT_TRY(lines, v.get(gate_path(task, ".lines.gz")));
  std::string when = at.value_or("");
  while (!when.empty() && when.back() == '\n') when.pop_back();
  return std::optional<GateRecord>(GateRecord{task, std::move(*text), std::move(when), lines.value_or("")});
}

Result<std::vector<GateRecord>> GitStore::gates() {
  ORCHKIT_TRY(v, fresh_view());
  ORCHKIT_TRY(files, v.dir("gates"));
  std::vector<GateRecord> out;
  for (const auto& [name, text] : files) {
    if (name.size() < 3 || name.compare(name.size() - 3, 3, ".md") != 0) continue;
    const std::string stem = name.substr(0, name.size() - 3);
    std::string at;
    if (auto it = files.find(stem + ".at"); it != files.end()) at = it->second;
    while (!at.empty() && at.back() == '\n') at.pop_back();
    std::string lines;
    if (auto it = files.find(stem + ".lines.gz"); it != files.end()) lines = it->second;
    out.push_back({decode(stem), text, std::move(at), std::move(lines)});
  }
  std::sort(out.begin(), out.end(), [](const GateRecord& a, const GateRecord& b) { return a.task < b.task; });
  return out;
}

Result<Snapshot> GitStore::snapshot() {
  Snapshot s;
  ORCHKIT_TRY(rows, baselines());
  s.baselines = std::move(rows);
  ORCHKIT_TRY(v, fresh_view());
  for (const auto& row : s.baselines) {
    ORCHKIT_TRY(l, lines(row.repo, row.branch));
    if (l) s.lines.push_back({row.repo, row.branch, std::move(*l)});
  }
  ORCHKIT_TRY(h, all_history());
  s.history = std::move(h);
  ORCHKIT_TRY(t, tombstones());
  s.tombstones = std::move(t);
  ORCHKIT_TRY(l, leases());
  s.leases = std::move(l);
  ORCHKIT_TRY(r, stop_requests(""));
  std::sort(r.begin(), r.end(), [](const StopRequest& a, const StopRequest& b) {
    return std::tie(a.task, a.generation) < std::tie(b.task, b.generation);
  });
  s.stops = std::move(r);
  ORCHKIT_TRY(g, gates());
  s.gates = std::move(g);
  ORCHKIT_TRY(st, starts());
  s.starts = std::move(st);
  return s;
}

Result<void> GitStore::load(const Snapshot& s) {
  return update([&](const View&) -> Result<Plan> {
    GitPlan p;
    p.replace = true;
    p.changes.push_back({"format", std::string("orchkit-state 1\n")});
    for (const auto& b : s.baselines) p.changes.push_back({baseline_path(b.repo, b.branch), baseline_file(b.baseline)});
    for (const auto& l : s.lines) {
      p.changes.push_back({lines_path(l.repo, l.branch, ".json"), lines_file(l.lines)});
      p.changes.push_back({lines_path(l.repo, l.branch, ".gz"), l.lines.data});
    }
    int64_t last = 0;
    for (const auto& h : s.history) last = std::max(last, h.id);
    if (last > 0) p.changes.push_back({"history.seq", std::to_string(last) + "\n"});
    for (const auto& t : s.tombstones)
      p.changes.push_back({tombstone_path(t.kind, t.key, t.generation), tombstone_file(t)});
    for (const auto& l : s.leases) p.changes.push_back({lease_path(l.name), lease_file(l)});
    for (const auto& r : s.stops) p.changes.push_back({stop_path(r.task, r.generation), stop_file(r)});
    for (const auto& g : s.gates) {
      p.changes.push_back({gate_path(g.task, ".md"), g.text});
      p.changes.push_back({gate_path(g.task, ".at"), g.updated_at + "\n"});
      if (!g.lines.empty()) p.changes.push_back(gate_lines_change(g.task, g.lines));
    }
    for (const auto& r : s.starts) p.changes.push_back({start_path(r.task, r.generation), start_file(r)});
    p.message = "import: " + std::to_string(s.baselines.size()) + " baselines, " + std::to_string(s.history.size()) +
                " events, " + std::to_string(s.tombstones.size()) + " tombstones\n\nOrchkit-Import: reset";
    p.then = s.history;
    return Plan(std::move(p));
  });
}

}  // namespace orchkit::state

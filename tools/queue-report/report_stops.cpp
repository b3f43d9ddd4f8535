// queue-report's stop block: deferred and running stops, cancellations and stale stops, from the
// state (requests, tombstones) and the 90-stop.md files, each merged by (task, generation).
#include <algorithm>

#include "queue-report/report.hpp"
#include "queue-report/report_parts.hpp"

namespace queue_report {

using namespace orchkit;
using state::Lease;
using state::StopRequest;
using state::StopStatus;

namespace {

using Cancels = std::map<TaskGen, Cancellation>;
using Stales = std::map<TaskGen, StaleStop>;

bool newest_first(const std::string& at_a, const std::string& key_a, int64_t gen_a, const std::string& at_b,
                  const std::string& key_b, int64_t gen_b) {
  if (at_a != at_b) return at_a > at_b;
  if (key_a != key_b) return key_less(key_a, key_b);
  return gen_a > gen_b;
}

// held | expired | closed: the window a deferred stop waits for, as of --now (never the clock).
std::string window_state(const StateIndex& idx, std::optional<int64_t> now_ms, const std::string& window,
                         std::optional<Lease>& lease) {
  auto l = idx.lease_of.find(window);
  if (l == idx.lease_of.end()) return "closed";
  lease = *l->second;
  if (now_ms && l->second->expires_at_ms < *now_ms) return "expired";
  return "held";
}

void from_state(const Inputs& in, const StateIndex& idx, Report& r, Cancels& cancels, Stales& stale) {
  std::optional<int64_t> now_ms = in.now ? ms_from_iso(*in.now) : std::nullopt;
  for (const auto& t : in.state.tombstones) {
    if (t.kind != state::tombstone_kind_name(state::TombstoneKind::task)) continue;
    Cancellation& c = cancels[{t.key, t.generation}];
    c.task = t.key;
    c.generation = t.generation;
    c.at = t.at;
    c.reason = t.reason;
    c.tombstoned = true;
  }
  for (const auto& s : in.state.stops) {
    if (s.is(StopStatus::deferred)) {
      DeferredStop d{s.task, s.generation, s.window, s.reason, s.requested_at, {}, {}, "state"};
      d.window_state = window_state(idx, now_ms, s.window, d.lease);
      r.deferred.push_back(std::move(d));
    } else if (s.is(StopStatus::running)) {
      r.running.push_back(s);
    } else if (s.is(StopStatus::done)) {
      Cancellation& c = cancels[{s.task, s.generation}];
      c.task = s.task;
      c.generation = s.generation;
      if (c.at.empty()) c.at = s.updated_at;
      if (c.reason.empty()) c.reason = s.reason;
    } else if (s.is(StopStatus::stale)) {
      StaleStop& st = stale[{s.task, s.generation}];
      st.task = s.task;
      st.generation = s.generation;
      st.at = s.updated_at;
      st.reason = s.reason;
    }
  }
}

void from_files(const std::vector<StopFile>& stop_files, const StateIndex& idx, Report& r, Cancels& cancels,
                Stales& stale) {
  for (const auto& s : stop_files) {
    const FrontMatter& fm = *s.fm;
    TaskGen k{s.task, s.generation};
    if (s.status == "cancelled") {
      Cancellation& c = cancels[k];
      c.task = s.task;
      c.generation = s.generation;
      if (c.at.empty()) c.at = fm.get("updated_at").value_or("");
      if (c.reason.empty()) c.reason = fm.get("reason").value_or("");
      c.saved_patch = fm.get("saved_patch");
      c.worktree_removed = fm.get("worktree_removed");
      c.branch_deleted = fm.get("branch_deleted");
      c.signalled = fm.get("signalled");
      c.survivors = fm.get("survivors");
      c.file = s.file;
    } else if (s.status == "stale") {
      StaleStop& st = stale[k];
      st.task = s.task;
      st.generation = s.generation;
      st.live_generation = s.live_generation;
      if (st.at.empty()) st.at = fm.get("updated_at").value_or("");
      if (st.reason.empty()) st.reason = fm.get("reason").value_or("");
      st.file = s.file;
    } else if (s.status == "deferred" && !idx.requests.count(k)) {
      // stop-task said deferred, but the state has no such request: nobody will run it.
      DeferredStop d{s.task,
                     s.generation,
                     fm.get("window").value_or(""),
                     fm.get("reason").value_or(""),
                     fm.get("updated_at").value_or(""),
                     "unrecorded",
                     {},
                     s.file};
      r.deferred.push_back(std::move(d));
    }
  }
}

template <class T>
void by_request_time(std::vector<T>& v) {
  std::sort(v.begin(), v.end(), [](const T& a, const T& b) {
    if (a.requested_at != b.requested_at) return a.requested_at < b.requested_at;
    if (a.task != b.task) return key_less(a.task, b.task);
    return a.generation < b.generation;
  });
}

}  // namespace

void add_stops(const Inputs& in, const StateIndex& idx, const std::vector<StopFile>& stop_files,
               const std::map<std::string, int64_t>& live_generation, Report& r) {
  Cancels cancels;
  Stales stale;
  from_state(in, idx, r, cancels, stale);
  from_files(stop_files, idx, r, cancels, stale);
  for (auto& [k, st] : stale)
    if (auto g = live_generation.find(st.task); !st.live_generation && g != live_generation.end())
      st.live_generation = g->second;
  by_request_time(r.deferred);
  by_request_time(r.running);
  for (auto& [k, c] : cancels) r.cancelled.push_back(std::move(c));
  std::sort(r.cancelled.begin(), r.cancelled.end(), [](const Cancellation& a, const Cancellation& b) {
    return newest_first(a.at, a.task, a.generation, b.at, b.task, b.generation);
  });
  for (auto& [k, s] : stale) r.stale.push_back(std::move(s));
  std::sort(r.stale.begin(), r.stale.end(), [](const StaleStop& a, const StaleStop& b) {
    return newest_first(a.at, a.task, a.generation, b.at, b.task, b.generation);
  });
  r.windows = in.state.leases;
  std::sort(r.windows.begin(), r.windows.end(), [](const Lease& a, const Lease& b) { return a.name < b.name; });
  r.tombstones = in.state.tombstones;
  std::sort(r.tombstones.begin(), r.tombstones.end(), [](const auto& a, const auto& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.key != b.key) return a.key < b.key;
    return a.generation < b.generation;
  });
}

}  // namespace queue_report

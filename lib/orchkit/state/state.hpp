// The state (SPEC §4, docs/state.md): coverage baseline and its history, tombstones, deferred
// stops, leases and gate records, behind one interface with two stores: a SQLite file shared by
// every worktree of one host, or a branch on the repository's git server shared by every runner.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/result.hpp"

namespace orchkit::state {

inline constexpr int64_t kSchemaVersion = 1;

// What a tombstone cancels: a task's generation, one of its branches, its board item.
enum class TombstoneKind { task, branch, plane_issue };
constexpr std::string_view tombstone_kind_name(TombstoneKind k) {
  switch (k) {
    case TombstoneKind::task: return "task";
    case TombstoneKind::branch: return "branch";
    case TombstoneKind::plane_issue: break;
  }
  return "plane_issue";
}
constexpr std::optional<TombstoneKind> tombstone_kind_from(std::string_view name) {
  for (auto k : {TombstoneKind::task, TombstoneKind::branch, TombstoneKind::plane_issue})
    if (tombstone_kind_name(k) == name) return k;
  return std::nullopt;
}

// A change of the baseline's history: the first baseline, a raise, a proposal that did not
// raise it (or a stale artefact), the audited override.
enum class HistoryEvent { bootstrap, ratchet, kept, override_ };
constexpr std::string_view history_event_name(HistoryEvent e) {
  switch (e) {
    case HistoryEvent::bootstrap: return "bootstrap";
    case HistoryEvent::ratchet: return "ratchet";
    case HistoryEvent::kept: return "kept";
    case HistoryEvent::override_: break;
  }
  return "override";
}

struct Baseline {
  uint64_t covered = 0;
  uint64_t total = 0;
  std::string commit = {};
  std::string updated_at = {};
};

struct HistoryRow {
  int64_t id = 0;  // the order of events across every (repo, branch)
  std::string repo = {};
  std::string branch = {};
  std::string event = {};  // history_event_name(): bootstrap | ratchet | kept | override
  std::optional<Baseline> before = {};
  std::optional<Baseline> after = {};
  std::string commit = {};
  std::string task = {};
  std::string actor = {};
  std::string reason = {};
  std::string at = {};
  bool is(HistoryEvent e) const { return event == history_event_name(e); }
};

// A named critical window (merge of a target branch, deploy of a task).
struct Lease {
  std::string name = {};
  std::string holder = {};  // "<host>:<pid>"
  std::string task = {};
  int64_t expires_at_ms = 0;  // wall clock, ms since the epoch
  std::string acquired_at = {};
};

// The life of a stop request (stop_requests.status): `deferred` while a critical window is
// open, `running` while its steps are journaled, `done` once cancelled; `stale` records a
// replayed generation. The one vocabulary for the writers and every reader.
enum class StopStatus { deferred, running, done, stale };
constexpr std::string_view stop_status_name(StopStatus s) {
  switch (s) {
    case StopStatus::deferred: return "deferred";
    case StopStatus::running: return "running";
    case StopStatus::done: return "done";
    case StopStatus::stale: break;
  }
  return "stale";
}

// A stop recorded while a critical window was open, or a stop in progress (its journal).
struct StopRequest {
  std::string task = {};
  int64_t generation = 0;
  std::string status = {};  // stop_status_name(): deferred | running | done | stale
  std::string window = {};  // the lease it waited for
  std::string reason = {};
  std::string steps = {};  // finished steps, comma-separated
  std::string requested_at = {};
  std::string updated_at = {};
  bool is(StopStatus s) const { return status == stop_status_name(s); }
};

// A start of a task's generation by `plane-status reconcile` (docs/plane-status.md): claimed as
// `running` before the start command runs, then `started` (it exited 0) or `failed` (retried
// after a backoff). One record per (task, generation): what makes a start happen once.
enum class StartStatus { running, started, failed };
constexpr std::string_view start_status_name(StartStatus s) {
  switch (s) {
    case StartStatus::running: return "running";
    case StartStatus::started: return "started";
    case StartStatus::failed: break;
  }
  return "failed";
}

struct StartRecord {
  std::string task = {};
  int64_t generation = 0;
  std::string status = {};  // start_status_name(): running | started | failed
  int64_t attempts = 0;     // how many times the command was run for this generation
  int64_t exit_code = 0;    // the last attempt's (started, failed)
  std::string holder = {};  // the pass ("<host>:<pid>") that claimed the last attempt
  int64_t until_ms = 0;     // running: the claim expires then; failed: the earliest retry
  std::string detail = {};  // why the last attempt failed
  std::string started_at = {};
  std::string updated_at = {};
  bool is(StartStatus s) const { return status == start_status_name(s); }
};

// One stored baseline with the (repo, branch) it belongs to.
struct BaselineRow {
  std::string repo = {};
  std::string branch = {};
  Baseline baseline = {};
};

// A cancelled incarnation: (kind, natural key, generation).
struct Tombstone {
  std::string kind = {};  // tombstone_kind_name(): task | branch | plane_issue
  std::string key = {};
  int64_t generation = 0;
  std::string original = {};
  std::string reason = {};
  std::string at = {};
};

struct RatchetOutcome {
  std::string event = {};  // history_event_name()
  bool is(HistoryEvent e) const { return event == history_event_name(e); }
  std::optional<Baseline> before = {};
  Baseline after = {};
};

// The baseline's line data (line_data.hpp): one gzip blob per (repo, branch), tied to the commit
// it measured. A reader uses it only when its commit is the baseline's commit, so a crash
// between the ratchet and this write leaves "no line data" (the percent rule decides), never
// another commit's lines.
struct BaselineLines {
  std::string commit = {};
  std::string sha256 = {};  // of `data`, as the gate's artefact recorded it
  std::string data = {};    // the gzip file
  std::string updated_at = {};
};

// A gate's artefact (front matter and body) kept in the state, so another runner finds it.
struct GateRecord {
  std::string task = {};
  std::string text = {};
  std::string updated_at = {};
  std::string lines = {};  // the line data (gzip) the record's line_data_sha256 names; "" none
};

// Everything a store holds, each list in its key order: what `state export` writes and
// `state import` loads (docs/state.md).
struct Snapshot {
  struct Lines {
    std::string repo = {};
    std::string branch = {};
    BaselineLines lines = {};
  };
  std::vector<BaselineRow> baselines = {};  // (repo, branch)
  std::vector<Lines> lines = {};            // (repo, branch)
  std::vector<HistoryRow> history = {};     // id
  std::vector<Tombstone> tombstones = {};   // (kind, key, generation)
  std::vector<Lease> leases = {};           // name
  std::vector<StopRequest> stops = {};      // (task, generation)
  std::vector<GateRecord> gates = {};       // task
  std::vector<StartRecord> starts = {};     // (task, generation)
  bool empty() const {
    return baselines.empty() && lines.empty() && history.empty() && tombstones.empty() && leases.empty() &&
           stops.empty() && gates.empty() && starts.empty();
  }
};

// The seam between the tools and where state lives: a SQLite file (state_sqlite.cpp) or a
// branch on the repository's git server (state_git.cpp). Every operation is atomic on its own:
// a ratchet is max(old, proposed), a tombstone an add, a lease a take-if-free.
class Store {
 public:
  virtual ~Store() = default;
  // "state file <path>" | "state branch <remote>/<branch>": how messages name the store.
  virtual std::string describe() const = 0;
  // 0 for a store that holds no schema yet (an empty SQLite file).
  virtual Result<int64_t> schema_version() = 0;

  virtual Result<std::optional<Baseline>> baseline(const std::string& repo, const std::string& branch) = 0;
  virtual Result<std::vector<HistoryRow>> history(const std::string& repo, const std::string& branch) = 0;
  virtual Result<std::vector<BaselineRow>> baselines() = 0;
  virtual Result<RatchetOutcome> override_baseline(const std::string& repo, const std::string& branch, uint64_t covered,
                                                   uint64_t total, const std::string& actor,
                                                   const std::string& reason) = 0;
  virtual Result<RatchetOutcome> ratchet(const std::string& repo, const std::string& branch, uint64_t covered,
                                         uint64_t total, const std::string& commit, const std::string& task,
                                         const std::string& actor) = 0;
  virtual Result<RatchetOutcome> keep(const std::string& repo, const std::string& branch, const std::string& commit,
                                      const std::string& task, const std::string& actor, const std::string& reason) = 0;
  virtual Result<void> store_lines(const std::string& repo, const std::string& branch, const BaselineLines& lines) = 0;
  virtual Result<std::optional<BaselineLines>> lines(const std::string& repo, const std::string& branch) = 0;

  virtual Result<bool> tombstoned(TombstoneKind kind, const std::string& key, int64_t generation) = 0;
  virtual Result<std::vector<Tombstone>> tombstones() = 0;
  virtual Result<void> add_tombstone(TombstoneKind kind, const std::string& key, int64_t generation,
                                     const std::string& original, const std::string& reason) = 0;

  virtual Result<std::optional<Lease>> try_acquire(const std::string& name, const std::string& holder,
                                                   const std::string& task, int64_t ttl_ms) = 0;
  virtual Result<void> release(const std::string& name, const std::string& holder) = 0;
  virtual Result<bool> take_over(const std::string& name, const std::string& dead_holder, const std::string& holder,
                                 const std::string& task, int64_t ttl_ms) = 0;
  virtual Result<std::vector<Lease>> leases() = 0;

  virtual Result<void> defer_stop(const std::string& task, int64_t generation, const std::string& window,
                                  const std::string& reason) = 0;
  virtual Result<std::vector<StopRequest>> stop_requests(const std::string& task) = 0;
  virtual Result<void> set_stop_status(const std::string& task, int64_t generation, StopStatus status,
                                       const std::string& steps) = 0;

  // The gate record of a task and the line data written with it ("" none), replacing both.
  virtual Result<void> put_gate(const std::string& task, const std::string& text, const std::string& lines) = 0;
  virtual Result<std::optional<GateRecord>> gate(const std::string& task) = 0;
  // Every gate record, ordered by task.
  virtual Result<std::vector<GateRecord>> gates() = 0;

  virtual Result<std::optional<StartRecord>> start_record(const std::string& task, int64_t generation) = 0;
  // Writes `next` only when the record of (next.task, next.generation) is still `expected`
  // (the same status, attempts and holder; nullopt: none yet). false: another pass came first.
  virtual Result<bool> swap_start(const std::optional<StartRecord>& expected, const StartRecord& next) = 0;
  // Every start record, ordered by (task, generation).
  virtual Result<std::vector<StartRecord>> starts() = 0;

  virtual Result<Snapshot> snapshot() = 0;
  // Replaces everything the store holds by `s` (state import).
  virtual Result<void> load(const Snapshot& s) = 0;
};

// A handle on one store: what every tool holds. Opening chooses the store (state_open.hpp).
class State {
 public:
  explicit State(std::unique_ptr<Store> s) : s_(std::move(s)) {}
  // The SQLite store: opens the file, creating it and its directory when `create`; applies the schema.
  static Result<State> open(const std::string& path, bool create = true);
  // An existing SQLite file read-only (mode=ro): never creates it, never applies the schema,
  // never writes. For readers such as queue-report.
  static Result<State> open_read_only(const std::string& path);

  Store& store() { return *s_; }
  std::string describe() const { return s_->describe(); }

  Result<std::optional<Baseline>> baseline(const std::string& repo, const std::string& branch) {
    return s_->baseline(repo, branch);
  }
  Result<std::vector<HistoryRow>> history(const std::string& repo, const std::string& branch) {
    return s_->history(repo, branch);
  }
  // Every stored baseline, ordered by (repo, branch).
  Result<std::vector<BaselineRow>> baselines() { return s_->baselines(); }
  // The audited override: the only way a baseline goes down. Needs a reason and an actor.
  Result<RatchetOutcome> override_baseline(const std::string& repo, const std::string& branch, uint64_t covered,
                                           uint64_t total, const std::string& actor, const std::string& reason) {
    return s_->override_baseline(repo, branch, covered, total, actor, reason);
  }
  // baseline := max(old, proposed), plus a history row, atomically.
  // `commit` is the one recorded with a raised baseline: the commit that landed on `branch`.
  Result<RatchetOutcome> ratchet(const std::string& repo, const std::string& branch, uint64_t covered, uint64_t total,
                                 const std::string& commit, const std::string& task, const std::string& actor) {
    return s_->ratchet(repo, branch, covered, total, commit, task, actor);
  }
  // A `kept` history row that never touches the baseline (a stale artefact: its commit is older
  // than the baseline's), with `reason` saying why. Exit 3 when there is no baseline to keep.
  Result<RatchetOutcome> keep(const std::string& repo, const std::string& branch, const std::string& commit,
                              const std::string& task, const std::string& actor, const std::string& reason) {
    return s_->keep(repo, branch, commit, task, actor, reason);
  }
  // Replaces the line data of (repo, branch).
  Result<void> store_lines(const std::string& repo, const std::string& branch, const BaselineLines& lines) {
    return s_->store_lines(repo, branch, lines);
  }
  // The stored line data of (repo, branch); nullopt when there is none (an old state file too).
  Result<std::optional<BaselineLines>> lines(const std::string& repo, const std::string& branch) {
    return s_->lines(repo, branch);
  }

  // Is this incarnation (kind, key, generation) tombstoned?
  Result<bool> tombstoned(TombstoneKind kind, const std::string& key, int64_t generation) {
    return s_->tombstoned(kind, key, generation);
  }
  // Every tombstone, ordered by (kind, natural key, generation).
  Result<std::vector<Tombstone>> tombstones() { return s_->tombstones(); }
  Result<void> add_tombstone(TombstoneKind kind, const std::string& key, int64_t generation,
                             const std::string& original, const std::string& reason) {
    return s_->add_tombstone(kind, key, generation, original, reason);
  }

  // Takes the lease when it is free or expired (a crashed holder's). Returns nullopt when
  // taken, else the lease of the live holder.
  Result<std::optional<Lease>> try_acquire(const std::string& name, const std::string& holder, const std::string& task,
                                           int64_t ttl_ms) {
    return s_->try_acquire(name, holder, task, ttl_ms);
  }
  Result<void> release(const std::string& name, const std::string& holder) { return s_->release(name, holder); }
  // Takes a lease over from `dead_holder` (a crashed process on this host), only if it still
  // holds it.
  Result<bool> take_over(const std::string& name, const std::string& dead_holder, const std::string& holder,
                         const std::string& task, int64_t ttl_ms) {
    return s_->take_over(name, dead_holder, holder, task, ttl_ms);
  }
  Result<std::vector<Lease>> leases() { return s_->leases(); }
  // The unexpired merge or guard window (lease_names::is_window) held for `task`.
  Result<std::optional<Lease>> window_for_task(const std::string& task);

  Result<void> defer_stop(const std::string& task, int64_t generation, const std::string& window,
                          const std::string& reason) {
    return s_->defer_stop(task, generation, window, reason);
  }
  // Stop requests of `task` (every task's when empty), in the order they were requested.
  Result<std::vector<StopRequest>> stop_requests(const std::string& task = {}) { return s_->stop_requests(task); }
  Result<void> set_stop_status(const std::string& task, int64_t generation, StopStatus status,
                               const std::string& steps) {
    return s_->set_stop_status(task, generation, status, steps);
  }

  Result<void> put_gate(const std::string& task, const std::string& text, const std::string& lines = {}) {
    return s_->put_gate(task, text, lines);
  }
  Result<std::optional<GateRecord>> gate(const std::string& task) { return s_->gate(task); }
  Result<std::vector<GateRecord>> gates() { return s_->gates(); }

  Result<std::optional<StartRecord>> start_record(const std::string& task, int64_t generation) {
    return s_->start_record(task, generation);
  }
  Result<bool> swap_start(const std::optional<StartRecord>& expected, const StartRecord& next) {
    return s_->swap_start(expected, next);
  }
  Result<std::vector<StartRecord>> starts() { return s_->starts(); }

 private:
  std::unique_ptr<Store> s_;
};

// {"line_covered", "line_total", "line_pct"} or null: how every --json prints a baseline.
std::string baseline_json(const std::optional<Baseline>& b);

// ISO-8601 UTC time of now, for records (never for verdicts).
std::string now_utc();
// GITHUB_ACTOR, else the login name, else the uid.
std::string current_actor();
// "<hostname>:<pid>" of this process, the holder name of its leases.
std::string holder_id();
int64_t now_ms();

}  // namespace orchkit::state

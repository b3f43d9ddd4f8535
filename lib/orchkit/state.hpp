// The state file (SPEC §4): coverage baseline and its history, tombstones, deferred stops and
// leases, in one SQLite file shared by every worktree. Schema changes are additive only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/db.hpp"
#include "orchkit/result.hpp"

namespace orchkit::state {

inline constexpr int64_t kSchemaVersion = 1;

struct Baseline {
  uint64_t covered = 0;
  uint64_t total = 0;
  std::string commit = {};
  std::string updated_at = {};
};

struct HistoryRow {
  int64_t id = 0;
  std::string event = {};  // bootstrap | ratchet | kept | override
  std::optional<Baseline> before = {};
  std::optional<Baseline> after = {};
  std::string commit = {};
  std::string task = {};
  std::string actor = {};
  std::string reason = {};
  std::string at = {};
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

// One stored baseline with the (repo, branch) it belongs to.
struct BaselineRow {
  std::string repo = {};
  std::string branch = {};
  Baseline baseline = {};
};

// A cancelled incarnation: (kind, natural key, generation).
struct Tombstone {
  std::string kind = {};  // task | branch | plane_issue
  std::string key = {};
  int64_t generation = 0;
  std::string original = {};
  std::string reason = {};
  std::string at = {};
};

struct RatchetOutcome {
  std::string event = {};  // bootstrap | ratchet | kept
  std::optional<Baseline> before = {};
  Baseline after = {};
};

class State {
 public:
  // Opens the file, creating it and its directory when `create`; applies the schema.
  static Result<State> open(const std::string& path, bool create = true);
  // Opens an existing file read-only (SQLite mode=ro): never creates it, never applies the
  // schema, never writes. For readers such as queue-report.
  static Result<State> open_read_only(const std::string& path);

  Result<std::optional<Baseline>> baseline(const std::string& repo, const std::string& branch);
  Result<std::vector<HistoryRow>> history(const std::string& repo, const std::string& branch);
  // Every stored baseline, ordered by (repo, branch).
  Result<std::vector<BaselineRow>> baselines();
  // The audited override: the only way a baseline goes down. Needs a reason and an actor.
  Result<RatchetOutcome> override_baseline(const std::string& repo, const std::string& branch, uint64_t covered,
                                           uint64_t total, const std::string& actor, const std::string& reason);
  // baseline := max(old, proposed) in one statement inside BEGIN IMMEDIATE, plus a history row.
  // `commit` is the one recorded with a raised baseline: the commit that landed on `branch`.
  Result<RatchetOutcome> ratchet(const std::string& repo, const std::string& branch, uint64_t covered, uint64_t total,
                                 const std::string& commit, const std::string& task, const std::string& actor);
  // A `kept` history row that never touches the baseline (a stale artefact: its commit is older
  // than the baseline's), with `reason` saying why. Exit 3 when there is no baseline to keep.
  Result<RatchetOutcome> keep(const std::string& repo, const std::string& branch, const std::string& commit,
                              const std::string& task, const std::string& actor, const std::string& reason);

  // Is this incarnation (kind, key, generation) tombstoned?
  Result<bool> tombstoned(const std::string& kind, const std::string& key, int64_t generation);
  // Every tombstone, ordered by (kind, natural key, generation).
  Result<std::vector<Tombstone>> tombstones();
  Result<void> add_tombstone(const std::string& kind, const std::string& key, int64_t generation,
                             const std::string& original, const std::string& reason);

  // Takes the lease when it is free or expired (a crashed holder's). Returns nullopt when
  // taken, else the lease of the live holder.
  Result<std::optional<Lease>> try_acquire(const std::string& name, const std::string& holder, const std::string& task,
                                           int64_t ttl_ms);
  Result<void> release(const std::string& name, const std::string& holder);
  // Takes a lease over from `dead_holder` (a crashed process on this host), only if it still
  // holds it.
  Result<bool> take_over(const std::string& name, const std::string& dead_holder, const std::string& holder,
                         const std::string& task, int64_t ttl_ms);
  Result<std::vector<Lease>> leases();
  // Unexpired leases whose name is merge:* or guard:* held for `task`.
  Result<std::optional<Lease>> window_for_task(const std::string& task);

  Result<void> defer_stop(const std::string& task, int64_t generation, const std::string& window,
                          const std::string& reason);
  Result<std::vector<StopRequest>> stop_requests(const std::string& task = {});
  Result<void> set_stop_status(const std::string& task, int64_t generation, StopStatus status,
                               const std::string& steps);

  db::Connection& connection() { return db_; }

 private:
  explicit State(db::Connection c) : db_(std::move(c)) {}
  Result<void> migrate();
  db::Connection db_;
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

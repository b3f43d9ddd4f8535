// The queue report as a value: the task rows in attention order, the coverage block and the stop
// block. build_report() is a pure function of the Inputs; the renderers (markdown, json, svg)
// only format it, so all three say the same thing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "queue-report/inputs.hpp"

namespace queue_report {

// Why a task is where it is in the table, in table order: what needs attention comes first.
enum class Group { fail, deferred_stop, warn, broken, live, terminal };
std::string_view group_name(Group g);  // fail, deferred_stop, warn, broken, live, terminal

struct Problem {
  std::string file = {};
  std::string message = {};
};

// A task's last coverage verdict, read from its 18-coverage-report.md.
struct CoverageFacts {
  std::string status = {};  // PASS | FAIL | WARN | SKIPPED | ERROR (empty when unreadable)
  std::string target = {};
  std::optional<uint64_t> line_covered = {};
  std::optional<uint64_t> line_total = {};
  std::optional<std::string> line_pct = {};
  std::optional<std::string> baseline_pct = {};       // the target's baseline now (state file)
  std::optional<std::string> delta_pp = {};           // line_pct − baseline_pct, in points: "+0.15"
  std::optional<std::string> gate_baseline_pct = {};  // the baseline the gate compared with
  std::optional<std::string> patch_pct = {};
  std::string commit = {};
  // Differential coverage (rule differential/both): uncovered new lines and lost coverage.
  std::optional<uint64_t> unc = {};
  std::optional<uint64_t> lbc = {};
};

struct TaskRow {
  std::string key = {};
  int64_t generation = 1;  // the live generation (00-stage.md, else 1)
  std::string stage = {};  // empty: no stage recorded
  bool terminal = false;   // done or cancelled
  Group group = Group::live;
  std::optional<CoverageFacts> coverage = {};
  std::string stop = {};  // deferred | running | cancelled | stale | ... ; empty: none
  std::string updated_at = {};
  std::string stage_file = {}, coverage_file = {}, stop_file = {};  // empty when absent
  std::vector<Problem> problems = {};
};

struct Trend {
  size_t changes = 0;
  size_t overrides = 0;
  std::string first_pct = {};
  std::string last_pct = {};
  std::string change_pp = {};  // "+5.00"
  std::string direction = {};  // up | down | flat
};

struct BranchReport {
  std::string repo = {};
  std::string branch = {};
  orchkit::state::Baseline baseline = {};
  std::string pct = {};
  std::vector<orchkit::state::HistoryRow> history = {};  // oldest first
  Trend trend = {};
};

struct DeferredStop {
  std::string task = {};
  int64_t generation = 0;
  std::string window = {};
  std::string reason = {};
  std::string requested_at = {};
  std::string window_state = {};  // held | expired | closed (the lease is gone: the stop did not run)
  std::optional<orchkit::state::Lease> lease = {};
  std::string source = {};  // "state" or the 90-stop.md it came from
};

struct Cancellation {
  std::string task = {};
  int64_t generation = 0;
  std::string at = {};
  std::string reason = {};
  std::optional<std::string> saved_patch = {};
  std::optional<std::string> worktree_removed = {};  // true/false as written by stop-task
  std::optional<std::string> branch_deleted = {};
  std::optional<std::string> signalled = {};
  std::optional<std::string> survivors = {};
  bool tombstoned = false;
  std::string file = {};  // the 90-stop.md, if any
};

struct StaleStop {
  std::string task = {};
  int64_t generation = 0;                       // the generation the stop asked for
  std::optional<int64_t> live_generation = {};  // the task's live generation, when known
  std::string at = {};
  std::string reason = {};
  std::string file = {};  // the 90-stop.md, or empty when it came from the state file
};

struct Report {
  std::string repo = {};
  std::string artefacts = {};
  std::optional<std::string> now = {};
  std::optional<std::string> chart = {};
  orchkit::Percent floor = {};
  bool state_present = false;
  std::vector<TaskRow> tasks = {};
  std::vector<BranchReport> branches = {};
  std::vector<DeferredStop> deferred = {};
  std::vector<orchkit::state::StopRequest> running = {};
  std::vector<Cancellation> cancelled = {};  // newest first
  std::vector<StaleStop> stale = {};         // newest first
  std::vector<orchkit::state::Lease> windows = {};
  std::vector<orchkit::state::Tombstone> tombstones = {};
};

Report build_report(const Inputs& in);

// Helpers shared by the renderers (and tested on their own).
// covered/total in hundredths of a percent, truncated: 8417 for 84.17 %.
int64_t hundredths(uint64_t covered, uint64_t total);
// "+0.15", "-1.20", "0.00" from hundredths of a point.
std::string signed_points(int64_t hundredths_of_point);
// "84.17" -> 8417; nullopt unless it is digits, a dot and two digits.
std::optional<int64_t> parse_hundredths(std::string_view pct);
// Natural order of task keys: ORCH-2 before ORCH-10.
bool key_less(std::string_view a, std::string_view b);
// A lease expiry (ms since the epoch) as ISO-8601 UTC.
std::string iso_from_ms(int64_t ms);
// ISO-8601 UTC "YYYY-MM-DDTHH:MM:SSZ" to ms since the epoch; nullopt when malformed.
std::optional<int64_t> ms_from_iso(std::string_view iso);

}  // namespace queue_report

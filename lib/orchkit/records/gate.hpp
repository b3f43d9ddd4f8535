// The coverage gate record: the YAML front matter of `18-coverage-report.md` (SPEC §5), written by
// coverage-gate and read back by merge-verify and queue-report. The one struct, the one writer and
// the one reader of it; the Markdown body below the front matter is for people and not parsed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "orchkit/frontmatter.hpp"
#include "orchkit/result.hpp"

namespace orchkit::records {

enum class GateStatus { pass, fail, warn, skipped, error };
std::string_view gate_status_name(GateStatus s);  // PASS, FAIL, WARN, SKIPPED, ERROR
std::optional<GateStatus> gate_status_from(std::string_view s);
// WARN, ERROR and SKIPPED measured nothing the gate could judge: their counts are not coverage.
bool measured_nothing(GateStatus s);

struct GateReport {
  std::string path = {};
  std::string format = {};
  std::string sha256 = {};  // "" when it could not be hashed
};

struct GateRecord {
  GateStatus status = GateStatus::error;
  std::optional<std::string> task = {};
  std::optional<std::string> commit = {};  // 40 hex: the measured HEAD
  std::optional<std::string> tree = {};    // 40 hex: its tree
  std::string target = {};
  std::optional<std::string> target_commit = {};  // the target tip the commit was checked against
  // 40 hex: the pull-request head the commit stands for, what a merge through the forge pins
  // (the commit itself, or for a caught-up HEAD its parent not on the target); absent in older records.
  std::optional<std::string> head_commit = {};
  std::string mode = {};
  uint64_t line_covered = 0;
  uint64_t line_total = 0;
  std::optional<std::string> line_pct = {};  // null when nothing was measured
  std::optional<std::string> baseline_pct = {};
  std::optional<std::string> baseline_commit = {};
  std::optional<uint64_t> baseline_covered = {};
  std::optional<uint64_t> baseline_total = {};
  std::string min_pct = {};
  std::string epsilon_pp = {};
  std::optional<std::string> patch_min_pct = {};
  std::optional<uint64_t> patch_covered = {};  // present when patch coverage was computed
  std::optional<uint64_t> patch_total = {};
  std::optional<std::string> patch_pct = {};  // null when no changed line is measurable
  std::vector<std::string> reasons = {};
  std::string policy = {};                       // where the policy was read
  std::vector<std::string> policy_changed = {};  // keys the tree under test changes
  std::optional<uint64_t> unmatched_paths = {};
  std::vector<GateReport> reports = {};
  std::string generated_by = {};
  // Differential coverage (docs/differential.md): the rule that judged, lcov's category counts
  // in lcov's order when computed, the files under their [coverage.files] floor, and the hash of
  // the line data written beside the artefact (merge-verify stores it with the baseline).
  std::optional<std::string> rule = {};
  std::vector<std::pair<std::string, uint64_t>> diff = {};  // empty: not computed
  std::vector<std::string> files_below_min = {};
  std::optional<std::string> line_data_sha256 = {};
};

// Field rules every reader of a record shares: a 40-hex object id; a whole number (nullopt
// when absent or not one).
bool is_object_id(std::string_view s);
std::optional<uint64_t> parse_u64(const std::optional<std::string>& s);

// The front matter block, `---` to `---`, in the contract's key order.
std::string render_gate(const GateRecord& r);

// What was read and everything wrong with it: a reader decides whether a problem is fatal
// (merge-verify refuses any; queue-report shows them).
struct GateParse {
  GateRecord record = {};
  std::vector<std::string> problems = {};  // "no coverage_status", "line_pct '84.18' is not ..."
};

// Reads a parsed front matter (lenient: every problem is listed, nothing thrown away).
GateParse gate_from(const FrontMatter& fm);
// Parses the text of an artefact; an unreadable front matter is an error (exit 3, file:line).
Result<GateParse> parse_gate(std::string_view text, std::string_view name);

}  // namespace orchkit::records

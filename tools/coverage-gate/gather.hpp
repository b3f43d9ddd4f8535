// The I/O half of `coverage-gate check`: each function finds one kind of fact and records it in
// the Outcome (facts for decide(), details for the artefact). Problems of the coverage tool
// become Reasons; orchkit's own failures (git, the state file) are errors (exit 3).
#pragma once

#include <optional>

#include "coverage-gate/context.hpp"
#include "coverage-gate/outcome.hpp"
#include "orchkit/coverage/model.hpp"
#include "orchkit/result.hpp"

namespace coverage_gate {

// Is the target's tip in the measured commit? Unknown on a shallow clone (shallow_clone).
orchkit::Result<void> gather_caught_up(Context& ctx, Outcome& out);

// Runs coverage.command (unless --report), checks that every report is this run's, reads and
// merges them and maps their paths onto tracked files. nullopt when nothing could be read.
// Sets out.interrupted when SIGINT/SIGTERM stopped the command.
std::optional<orchkit::coverage::Coverage> gather_lines(Context& ctx, const Options& opts, Outcome& out);

// The stored baseline of the target; a state file that cannot be read is exit 3.
orchkit::Result<void> gather_baseline(Context& ctx, Outcome& out);

// Patch coverage against the merge-base with the target (needs history).
orchkit::Result<void> gather_patch(Context& ctx, const orchkit::coverage::Coverage& cov, Outcome& out);

// The differential categories against the baseline's stored line data (gather_diff.cpp), and
// the per-file floors. Missing line data is not an error: out.diff_unavailable says why.
orchkit::Result<void> gather_differential(Context& ctx, const orchkit::coverage::Coverage& cov, Outcome& out);

// Is a patch check on (patch_min or patch_max_uncovered)?
bool patch_check_on(const Policy& p);

}  // namespace coverage_gate

// The I/O half of `coverage-gate check`: each gatherer finds one kind of fact and returns it;
// check.cpp records them in the Outcome (found.cpp) and decide() judges. Problems of the
// coverage tool are Findings (reasons for decide()); orchkit's own failures (git, the state
// file) are errors (exit 3). The history is read through git::Repository, so a test can hand
// an in-memory one (tests/fakes/memory_repo.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "coverage-gate/context.hpp"
#include "coverage-gate/floors.hpp"
#include "coverage-gate/outcome.hpp"
#include "coverage-gate/patch.hpp"
#include "coverage-gate/path_match.hpp"
#include "orchkit/coverage/model.hpp"
#include "orchkit/differential.hpp"
#include "orchkit/git/repo.hpp"
#include "orchkit/result.hpp"

namespace coverage_gate {

// A problem of the coverage tool or of what it measured: a reason for decide() and its text.
// `whole`: the measurement still stands (a failed command whose reports are this run's).
struct Finding {
  Reason reason = Reason::tool_error;
  std::string text = {};
  bool whole = false;
};

// Is the target's tip in the measured commit, and which PR head does the commit stand for?
struct HistoryFacts {
  std::string target_tip = {};
  std::optional<bool> caught_up = {};  // nullopt: unknown (shallow clone)
  std::optional<std::string> head_commit = {};
  std::vector<Finding> problems = {};
};
// `branch`: $GITHUB_HEAD_REF inside Actions (the checkout is detached there), else nullopt and
// the checked-out branch is asked.
orchkit::Result<HistoryFacts> gather_history(orchkit::git::Repository& repo, const std::string& target,
                                             const std::string& measured, std::optional<std::string> branch,
                                             const std::string& workdir);

// This run's reports, read, merged and mapped onto the tracked files of the measured commit.
struct LinesFacts {
  std::optional<orchkit::coverage::Coverage> coverage = {};  // nullopt when nothing could be read
  std::vector<ReportRef> reports = {};
  std::optional<PathMatch> paths = {};
  Ratio line = {};
  std::vector<FileRatio> worst = {};
  int interrupted = 0;  // SIGINT/SIGTERM stopped the command: no verdict
  std::vector<Finding> problems = {};
  std::vector<std::string> notes = {};
};
// Runs coverage.command (unless --report) and keeps only the reports it wrote.
LinesFacts gather_lines(const Context& ctx, orchkit::git::Repository& repo, const Options& opts,
                        const std::string& measured);

// The stored baseline of the target; a state file that cannot be read is exit 3.
struct BaselineFacts {
  std::optional<Ratio> ratio = {};
  std::optional<std::string> commit = {};
};
orchkit::Result<BaselineFacts> gather_baseline(Context& ctx);

// Patch coverage against the merge-base of the measured commit and the target's tip.
struct PatchFacts {
  std::optional<Patch> patch = {};  // nullopt: not computed (no history; the note says so)
  std::vector<Finding> problems = {};
  std::vector<std::string> notes = {};
};
orchkit::Result<PatchFacts> gather_patch(orchkit::git::Repository& repo, const orchkit::coverage::Coverage& cov,
                                         const std::string& measured, const HistoryFacts& history,
                                         const std::optional<PathMatch>& paths, bool check_on);

// The per-file floors, and the differential categories against the baseline's stored line data
// (gather_diff.cpp). Missing line data is not an error: `unavailable` says why.
struct DiffFacts {
  std::vector<FileBelow> below = {};
  std::optional<orchkit::differential::Result> diff = {};
  std::string unavailable = {};
  std::vector<std::string> notes = {};
};
orchkit::Result<DiffFacts> gather_differential(Context& ctx, orchkit::git::Repository& repo,
                                               const orchkit::coverage::Coverage& cov, const std::string& measured,
                                               const BaselineFacts& baseline, Rule rule);

// Is a patch check on (patch_min or patch_max_uncovered)?
bool patch_check_on(const Policy& p);

// Recording what was found in the outcome (found.cpp): a reason once, the first text as the
// problem and the rest as notes, the facts decide() reads.
void record(Outcome& out, const Finding& f);
void record(Outcome& out, const HistoryFacts& h);
// Returns the coverage, for the later gatherers and the line data.
std::optional<orchkit::coverage::Coverage> record(Outcome& out, LinesFacts l);
void record(Outcome& out, const BaselineFacts& b);
void record(Outcome& out, PatchFacts p);
void record(Outcome& out, DiffFacts d);

}  // namespace coverage_gate

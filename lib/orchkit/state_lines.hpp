// The baseline's line data in the state file: one gzip blob (line_data.hpp) per (repo, branch),
// tied to the commit it measured. Kept apart from state.cpp's baseline row so the ratchet stays
// one statement; a reader uses the blob only when its commit is the baseline's commit, so a crash
// between the ratchet and this write leaves "no line data" (the percent rule decides), never
// another commit's lines.
#pragma once

#include <optional>
#include <string>

#include "orchkit/result.hpp"
#include "orchkit/state.hpp"

namespace orchkit::state {

struct BaselineLines {
  std::string commit = {};
  std::string sha256 = {};  // of `data`, as the gate's artefact recorded it
  std::string data = {};    // the gzip file
  std::string updated_at = {};
};

// Replaces the line data of (repo, branch) inside BEGIN IMMEDIATE.
Result<void> store_baseline_lines(State& st, const std::string& repo, const std::string& branch,
                                  const BaselineLines& lines);
// The stored line data of (repo, branch); nullopt when there is none (an old state file too).
Result<std::optional<BaselineLines>> baseline_lines(State& st, const std::string& repo, const std::string& branch);

}  // namespace orchkit::state

// The stop record: what a stop did (or would do), step by step — printed as text or --json by
// stop-task, and written as the task's 90-stop.md — and the names of the files a stop saves.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "orchkit/records/restore.hpp"

namespace orchkit {
struct Workspace;
}

namespace orchkit::records {

inline constexpr const char* stop_record_name = "90-stop.md";
// "90-stop-generation-N": the stem of the saved patch (.patch) and bundle (.bundle).
std::string saved_file_stem(int64_t generation);

struct StepLine {
  std::string step = {};    // processes, jobs, patch, worktree, branch, tombstone, board, notify
  std::string result = {};  // done, skipped, would, failed, refused, already
  std::string detail = {};
};

struct StopReport {
  std::string status = {};  // cancelled | deferred | already_cancelled | stale | disabled | dry_run | failed
  std::string task = {};
  int64_t generation = 0;
  size_t signalled = 0;
  size_t survivors = 0;
  std::optional<std::string> saved_patch = {};
  std::optional<std::string> saved_bundle = {};
  Saved saved = {};  // what was saved and how to restore it (90-stop.md)
  bool worktree_removed = false;
  bool branch_deleted = false;
  std::string message = {};
  std::vector<StepLine> steps = {};

  void add(std::string step, std::string result, std::string detail = {}) {
    steps.push_back({std::move(step), std::move(result), std::move(detail)});
  }
};

std::string render_json(const StopReport& r);
std::string render_text(const StopReport& r);
// 90-stop.md: front matter (task, generation, status, the Saved fields, worktree_removed,
// branch_deleted, signalled, survivors, reason, updated_at), the steps and the restore commands.
std::string render_artefact(const StopReport& r, const std::string& reason, const std::string& updated_at);

// What an earlier run of the stop saved, from the task's 90-stop.md (empty when none).
Saved load_saved(const Workspace& ws, const std::string& task);

}  // namespace orchkit::records

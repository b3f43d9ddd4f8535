// What a stop did (or would do), step by step: printed as text or --json, and written as the
// task's 90-stop.md artefact.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stop-task/restore.hpp"

namespace stop_task {

struct StepLine {
  std::string step = {};    // processes, jobs, patch, worktree, branch, tombstone, board, notify
  std::string result = {};  // done, skipped, would, failed, refused, already
  std::string detail = {};
};

struct Report {
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

std::string render_json(const Report& r);
std::string render_text(const Report& r);
// 90-stop.md: front matter (task, generation, status, the Saved fields, worktree_removed,
// branch_deleted, signalled, survivors, reason, updated_at), the steps and the restore commands.
std::string render_artefact(const Report& r, const std::string& reason, const std::string& updated_at);

}  // namespace stop_task

#include "plane-status/tasks.hpp"

#include <filesystem>

#include "orchkit/file.hpp"

namespace plane_status {

using namespace orchkit;

std::optional<PreviousStage> Tasks::stage_file(const std::string& task) const {
  const std::string path = stage_path(task);
  auto text = read_file(path);
  if (!text) return std::nullopt;
  return parse_stage_file(*text, path);
}

Result<bool> Tasks::tombstoned(const std::string& task, int64_t gen) {
  if (!state_) {
    // No state file yet: nothing is tombstoned. Looked for again on the next call, because a
    // stop-task that reconcile just ran may have created it (its tombstone must be seen).
    std::error_code ec;
    if (!std::filesystem::exists(ws_.state_path, ec)) return false;
    ORCHKIT_TRY(st, state::State::open(ws_.state_path, false));
    state_.emplace(std::move(st));
  }
  return state_->tombstoned("task", task, gen);
}

}  // namespace plane_status

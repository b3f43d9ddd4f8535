#include "orchkit/records/tasks.hpp"

#include <filesystem>

namespace orchkit::records {

std::optional<PreviousStage> Tasks::stage_file(const std::string& task) const { return read_stage(ws_, task); }

Result<bool> Tasks::tombstoned(const std::string& task, int64_t gen) {
  if (!state_) {
    // No state file yet: nothing is tombstoned. Looked for again on the next call, because a
    // stop that reconcile just ran may have created it (its tombstone must be seen).
    std::error_code ec;
    if (!std::filesystem::exists(ws_.state_path, ec)) return false;
    ORCHKIT_TRY(st, state::State::open(ws_.state_path, false));
    state_.emplace(std::move(st));
  }
  return state_->tombstoned("task", task, gen);
}

}  // namespace orchkit::records

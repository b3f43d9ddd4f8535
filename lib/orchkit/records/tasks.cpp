#include "orchkit/records/tasks.hpp"

#include "orchkit/state_open.hpp"

namespace orchkit::records {

std::optional<PreviousStage> Tasks::stage_file(const std::string& task) const { return read_stage(ws_, task); }

Result<bool> Tasks::tombstoned(const std::string& task, int64_t gen) {
  if (!state_) {
    // No state file yet: nothing is tombstoned. Looked for again on the next call, because a
    // stop that reconcile just ran may have created it (its tombstone must be seen).
    ORCHKIT_TRY(st, state::open_state(ws_, state::Access::read));
    if (!st) return false;
    state_.emplace(std::move(*st));
  }
  return state_->tombstoned(state::TombstoneKind::task, task, gen);
}

}  // namespace orchkit::records

#include "orchkit/records/tasks.hpp"

#include "orchkit/state/open.hpp"

namespace orchkit::records {

std::optional<PreviousStage> Tasks::stage_file(const std::string& task) const { return read_stage(ws_, task); }

Result<state::State*> Tasks::readable() {
  if (!state_) {
    // No state yet: looked for again on the next call, because a stop that reconcile just ran
    // may have created it (its tombstone must be seen).
    ORCHKIT_TRY(st, state::open_state(ws_, state::Access::read));
    if (!st) return static_cast<state::State*>(nullptr);
    state_.emplace(std::move(*st));
  }
  return &*state_;
}

Result<state::State*> Tasks::writable() {
  if (!state_) {
    ORCHKIT_TRY(st, state::open_state(ws_, state::Access::write));
    if (st) state_.emplace(std::move(*st));
    if (!state_) return fail(Exit::error, "cannot open the state at " + state::state_location(ws_));
  }
  return &*state_;
}

Result<bool> Tasks::tombstoned(const std::string& task, int64_t gen) {
  ORCHKIT_TRY(st, readable());
  if (!st) return false;  // no state: nothing is tombstoned
  return st->tombstoned(state::TombstoneKind::task, task, gen);
}

}  // namespace orchkit::records

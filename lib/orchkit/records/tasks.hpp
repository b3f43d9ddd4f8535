// What the repository knows about tasks: their 00-stage.md and their tombstones (the state,
// opened once; only a start that reconcile records creates it).
#pragma once

#include <optional>
#include <string>

#include "orchkit/records/stage.hpp"
#include "orchkit/result.hpp"
#include "orchkit/state/state.hpp"
#include "orchkit/workspace.hpp"

namespace orchkit::records {

class Tasks {
 public:
  explicit Tasks(const orchkit::Workspace& ws) : ws_(ws) {}

  // The task's 00-stage.md, nullopt when there is none (or it cannot be read).
  std::optional<PreviousStage> stage_file(const std::string& task) const;
  // Is generation `gen` of `task` tombstoned? false when there is no state file.
  orchkit::Result<bool> tombstoned(const std::string& task, int64_t gen);
  // The state for a write (created when there is none yet: reconcile's start records); the same
  // handle then serves the reads.
  orchkit::Result<orchkit::state::State*> writable();
  // The state as it stands, nullptr when there is none (a dry run reads, never creates).
  orchkit::Result<orchkit::state::State*> readable();

 private:
  const orchkit::Workspace& ws_;
  std::optional<orchkit::state::State> state_ = {};
};

}  // namespace orchkit::records

// Reporting a task's stage: the one writer of 00-stage.md (records/stage) and of the board's
// state for it. `plane-status set` and the stop (lib/orchkit/stop) call report_stage(); the
// board is an indication, so its failures come back in the outcome, never as an error.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "orchkit/plane/board.hpp"
#include "orchkit/plane/dispatch.hpp"
#include "orchkit/records/stage.hpp"
#include "orchkit/result.hpp"
#include "orchkit/workspace.hpp"

namespace orchkit::plane {

// The generation a report records. The live generation, unless it is tombstoned: then
// `to_analyse` starts the next one that is not (a cancelled task re-created), `cancelled` shows
// the cancel that happened (a person repairing the board), and any other stage is refused.
struct Generation {
  int64_t value = 1;
  bool refused = false;  // the live generation is cancelled and the stage is not to_analyse
  bool renewed = false;  // a new generation starts
};
Generation decide_generation(int64_t live, std::string_view stage, const std::function<bool(int64_t)>& tombstoned);

// The stage 00-stage.md records: the one given, except that a post-deploy health report
// (monitoring + a health) never moves a task that reached `done` back to `monitoring`.
std::string recorded_stage(const std::optional<std::string>& previous, std::string_view stage, Health health);

struct StageRequest {
  std::string task = {};
  std::string stage = {};
  std::optional<std::string> issue = {};    // default: the one recorded
  std::optional<std::string> project = {};  // default: the recorded one, else from the task key
  Health health = Health::none;
  // The stop: the generation it has just cancelled (recorded as it is, no generation rule).
  std::optional<int64_t> cancelled_generation = {};
  // A board already open (reconcile's) and the item's state as just listed; default: a board
  // opened with the options given to report_stage.
  Board* board = nullptr;
  std::optional<std::string> known_state = {};
  // 00-stage.md as the caller already read it (the stop); default: read here.
  std::optional<records::PreviousStage> previous = {};
};

struct StageOutcome {
  records::StageRecord record = {};
  Indication indication = {};
  std::string path = {};  // the 00-stage.md written
};

// Exit 2 for an unknown stage or project, 4 for a cancelled generation, 3 when the state file or
// the record cannot be read or written; the board's warning is in outcome.indication.warning.
Result<StageOutcome> report_stage(Workspace& ws, const StageRequest& req, BoardOptions options);

}  // namespace orchkit::plane

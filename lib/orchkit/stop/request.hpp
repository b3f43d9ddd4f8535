// What a stop is asked to do: the task, the generation it was asked for, why, and how. Built by
// stop-task from its flags, by the deferred-stop runner (merge-verify, guard) and by
// plane-status reconcile; run by stop::run_stop (sequence.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace orchkit::plane {
class Board;
}

namespace orchkit::stop {

struct StopRequest {
  std::string task = {};
  std::optional<int64_t> generation = {};  // act only if this is the live generation
  std::string reason = "STOP";
  bool dry_run = false;
  bool wait = false;                      // when deferred, block until the window's owner ran it
  std::optional<std::string> issue = {};  // the Plane work item (default: the one in 00-stage.md)
  // The board to show Cancelled on, and the item's state as just listed (reconcile: one board
  // for its pass, no GET); default: a board opened for this stop.
  plane::Board* board = nullptr;
  std::optional<std::string> known_state = {};
};

}  // namespace orchkit::stop

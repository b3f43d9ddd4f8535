// The decisions plane-status reconcile makes, as pure functions: what it does with an item in
// STOP or To Analyse, and the start command (the generation and stage `set` records are
// orchkit/plane/stage.hpp's).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/plane/dispatch.hpp"

namespace plane_status {

// Why reconcile looks at an item: the two declarative statuses people set on purpose.
enum class Trigger { stop, to_analyse };
std::string_view trigger_name(Trigger t);

enum class Action {
  stop,            // the stop of generation N, in-process (lib/orchkit/stop)
  mark_cancelled,  // the generation is already tombstoned: show Cancelled
  start,           // run plane.start_command (a new task, or a new generation after a cancel)
  relaunch,        // run plane.start_command again: the task is live in its analysis stage
  skip,
};
std::string_view action_name(Action a);

// What the repository knows about the task an item stands for.
struct TaskFacts {
  bool has_stage_file = false;  // <artefacts>/<KEY>/00-stage.md exists
  std::string stage = {};       // its stage
  int64_t generation = 1;       // the live generation
  bool tombstoned = false;      // that generation is cancelled
};

struct Decision {
  Action action = Action::skip;
  std::string reason = {};
};

// STOP: stop-task for the live generation (or show Cancelled when it is already tombstoned).
// To Analyse: start unless the task is live; a live task is relaunched only from `analysis`;
// a terminal (done) task is never restarted.
Decision decide(Trigger trigger, const TaskFacts& facts);

// argv with every {name} in `vars` substituted ({task}, {issue}, {project}, {generation});
// other braces are left as they are.
std::vector<std::string> expand_command(const std::vector<std::string>& argv,
                                        const std::map<std::string, std::string>& vars);

}  // namespace plane_status

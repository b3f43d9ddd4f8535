#include "plane-status/plan.hpp"

namespace plane_status {

using orchkit::plane::is_terminal_stage;

std::string_view trigger_name(Trigger t) { return t == Trigger::stop ? "stop" : "to_analyse"; }

std::string_view action_name(Action a) {
  switch (a) {
    case Action::stop: return "stop";
    case Action::mark_cancelled: return "mark_cancelled";
    case Action::start: return "start";
    case Action::relaunch: return "relaunch";
    case Action::skip: break;
  }
  return "skip";
}

Decision decide(Trigger trigger, const TaskFacts& f) {
  const std::string gen = std::to_string(f.generation);
  if (trigger == Trigger::stop) {
    if (f.tombstoned) return {Action::mark_cancelled, "generation " + gen + " is already cancelled: show Cancelled"};
    return {Action::stop, "STOP on the board: stop generation " + gen};
  }
  if (!f.has_stage_file) return {Action::start, "To Analyse and no pipeline yet: start generation " + gen};
  if (f.tombstoned)
    return {Action::start,
            "generation " + gen + " was cancelled: start generation " + std::to_string(f.generation + 1)};
  if (is_terminal_stage(f.stage))
    return {Action::skip,
            "the task is " + f.stage + " (terminal): nothing restarts it (a new work item starts new work)"};
  if (f.stage == "analysis") return {Action::relaunch, "live in analysis: relaunch"};
  return {Action::skip, "live in stage " + f.stage + ": a relaunch only from analysis"};
}

std::vector<std::string> expand_command(const std::vector<std::string>& argv,
                                        const std::map<std::string, std::string>& vars) {
  std::vector<std::string> out;
  out.reserve(argv.size());
  for (const std::string& arg : argv) {
    std::string s;
    for (size_t i = 0; i < arg.size();) {
      if (arg[i] == '{') {
        const size_t close = arg.find('}', i + 1);
        if (close != std::string::npos) {
          auto it = vars.find(arg.substr(i + 1, close - i - 1));
          if (it != vars.end()) {
            s += it->second;
            i = close + 1;
            continue;
          }
        }
      }
      s += arg[i++];
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace plane_status

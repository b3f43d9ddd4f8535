#include "coverage-gate/run.hpp"

namespace coverage_gate {

orchkit::Result<orchkit::Exit> run(const Options& opts) {
  switch (opts.command) {
    case Command::measure: return run_measure(opts);
    case Command::check: return run_check(opts);
    case Command::baseline_show:
    case Command::baseline_history:
    case Command::baseline_set: return run_baseline(opts);
    case Command::state_export:
    case Command::state_import: return run_state(opts);
  }
  return orchkit::fail(orchkit::Exit::usage, "unknown command");
}

}  // namespace coverage_gate

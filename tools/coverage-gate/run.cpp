#include "coverage-gate/run.hpp"

namespace coverage_gate {

orchkit::Result<orchkit::Exit> run(const Options& opts) {
  switch (opts.command) {
    case Command::measure: return run_measure(opts);
    default:
      return orchkit::fail(orchkit::Exit::error, "this command is not implemented yet (only `measure` is)");
  }
}

}  // namespace coverage_gate

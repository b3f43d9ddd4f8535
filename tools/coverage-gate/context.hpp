// coverage-gate's workspace: the shared one with this invocation's flags applied.
#pragma once

#include "coverage-gate/options.hpp"
#include "orchkit/result.hpp"
#include "orchkit/workspace.hpp"

namespace coverage_gate {

struct Context : orchkit::Workspace {
  std::string target = {};
};

orchkit::Result<Context> make_context(const Options& opts);

}  // namespace coverage_gate

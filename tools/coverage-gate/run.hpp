// coverage-gate's subcommands, one entry each: measure, check (check.cpp), baseline, state.
#pragma once

#include "coverage-gate/options.hpp"
#include "orchkit/result.hpp"

namespace coverage_gate {
orchkit::Result<orchkit::Exit> run(const Options& opts);
orchkit::Result<orchkit::Exit> run_measure(const Options& opts);
orchkit::Result<orchkit::Exit> run_check(const Options& opts);
orchkit::Result<orchkit::Exit> run_baseline(const Options& opts);
orchkit::Result<orchkit::Exit> run_state(const Options& opts);
}  // namespace coverage_gate

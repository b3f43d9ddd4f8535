// coverage-gate's command line (CLI11, cli.cpp): the subcommands and flags of SPEC §2 into Options.
#pragma once

#include <optional>

#include "coverage-gate/options.hpp"
#include "orchkit/exit.hpp"

namespace coverage_gate {
// nullopt: go on and run; otherwise stop with this code (--help = 0, bad flag = 2).
std::optional<orchkit::Exit> parse_cli(int argc, char** argv, Options& opts);
}  // namespace coverage_gate

// plane-status's command line (CLI11, cli.cpp): set, states, resolve, reconcile into Options.
#pragma once

#include <optional>

#include "orchkit/exit.hpp"
#include "plane-status/options.hpp"

namespace plane_status {
std::optional<orchkit::Exit> parse_cli(int argc, char** argv, Options& opts);
}  // namespace plane_status

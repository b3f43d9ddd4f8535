// stop-task's command line (CLI11, cli.cpp): the stop, guard and register into Options.
#pragma once

#include <optional>

#include "orchkit/exit.hpp"
#include "stop-task/options.hpp"

namespace stop_task {
std::optional<orchkit::Exit> parse_cli(int argc, char** argv, Options& opts);
}  // namespace stop_task

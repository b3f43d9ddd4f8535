#pragma once

#include <optional>

#include "orchkit/exit.hpp"
#include "stop-task/options.hpp"

namespace stop_task {
std::optional<orchkit::Exit> parse_cli(int argc, char** argv, Options& opts);
}  // namespace stop_task

// queue-report's command line (CLI11, cli.cpp) into Options; --help is 0, a bad flag 2.
#pragma once

#include <optional>

#include "orchkit/exit.hpp"
#include "queue-report/options.hpp"

namespace queue_report {
std::optional<orchkit::Exit> parse_cli(int argc, char** argv, Options& opts);
}  // namespace queue_report

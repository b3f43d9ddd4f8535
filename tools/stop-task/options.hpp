// Everything stop-task was asked to do, as parsed from the command line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "orchkit/cli.hpp"

namespace stop_task {

enum class Command { stop, guard, register_agent };

struct Options {
  Command command = Command::stop;
  orchkit::cli::Common common = {};
  std::string task = {};
  std::optional<int64_t> generation = {};
  std::optional<std::string> grace = {};
  std::string reason = "STOP";
  bool dry_run = false;
  bool wait = false;
  std::string dir = ".";
  std::string kind = "deploy";         // guard --kind
  std::vector<std::string> argv = {};  // guard -- COMMAND ARGS...
  std::optional<int> pid = {};         // register --pid
};

}  // namespace stop_task

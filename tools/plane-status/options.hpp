// Everything plane-status was asked to do, as parsed from the command line.
#pragma once

#include <optional>
#include <string>

#include "orchkit/cli.hpp"

namespace plane_status {

enum class Command { none, set, resolve, states, reconcile };

struct Options {
  Command command = Command::none;
  orchkit::cli::Common common = {};
  std::string dir = ".";  // -C: the repository (artefacts, state file, cache)
  // set
  std::string task = {};
  std::string stage = {};
  std::optional<std::string> issue = {};
  std::optional<std::string> project = {};
  std::optional<std::string> health = {};
  bool strict = false;
  // resolve
  std::string key = {};
  // reconcile
  bool dry_run = false;
  int per_page = 100;
  // every call to Plane
  std::string timeout = "10s";             // per attempt
  std::optional<std::string> budget = {};  // all calls together (default 30s; reconcile 5m)
};

}  // namespace plane_status

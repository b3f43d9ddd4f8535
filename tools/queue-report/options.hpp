// Everything queue-report was asked to do, as parsed from the command line.
#pragma once

#include <optional>
#include <string>

#include "orchkit/cli.hpp"

namespace queue_report {

struct Options {
  orchkit::cli::Common common = {};           // --config, --show-config, --json (= --format json)
  std::string dir = ".";                      // -C: the repository; relative paths below are relative to it
  std::optional<std::string> artefacts = {};  // default: <main worktree>/<task.artefacts_dir>
  std::string format = "md";                  // md | json
  std::optional<std::string> out = {};        // default: stdout
  std::optional<std::string> svg = {};
  std::optional<std::string> now = {};  // ISO-8601 UTC; the report never reads the clock
};

}  // namespace queue_report

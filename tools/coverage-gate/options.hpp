// Everything coverage-gate was asked to do, as parsed from the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "orchkit/cli.hpp"

namespace coverage_gate {

enum class Command { check, measure, baseline_show, baseline_history, baseline_set, state_export, state_import };

struct Options {
  Command command = Command::check;
  orchkit::cli::Common common = {};
  std::string dir = ".";  // -C: the worktree
  std::optional<std::string> task = {};
  std::vector<std::string> reports = {};  // FILE[@FORMAT]
  std::optional<std::string> mode = {};
  std::optional<std::string> rule = {};
  std::optional<std::string> min = {};
  std::optional<std::string> epsilon = {};
  std::optional<std::string> patch_min = {};
  std::optional<std::string> target = {};
  std::optional<int64_t> pr = {};  // --pr N: the pull request of [gitea] pr_comment
  bool fail_closed = false;
  std::optional<std::string> artefact = {};
  bool no_artefact = false;
  std::string set_value = {};  // baseline set PCT_OR_COVERED/TOTAL
  std::optional<std::string> reason = {};
  std::optional<std::string> out = {};  // state export --out FILE
  std::string import_file = {};         // state import FILE
  bool replace = false;                 // state import --replace
};

}  // namespace coverage_gate

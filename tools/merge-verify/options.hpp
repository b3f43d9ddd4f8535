// Everything merge-verify was asked to do, as parsed from the command line.
#pragma once

#include <optional>
#include <string>

#include "orchkit/cli.hpp"

namespace merge_verify {

struct Options {
  orchkit::cli::Common common = {};
  std::optional<std::string> commit = {};
  std::optional<std::string> artefact = {};
  std::optional<std::string> target = {};
  std::optional<std::string> task = {};
  std::string dir = ".";
  bool no_fetch = false;
  std::optional<int> merge_pr = {};
  std::string lease_wait = "60s";
};

}  // namespace merge_verify

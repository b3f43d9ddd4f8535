// merge-verify's command line (CLI11, cli.cpp) into Options; --help is 0, a bad flag 2.
#pragma once

#include <optional>

#include "merge-verify/options.hpp"
#include "orchkit/exit.hpp"

namespace merge_verify {
std::optional<orchkit::Exit> parse_cli(int argc, char** argv, Options& opts);
}  // namespace merge_verify

#pragma once

#include <optional>

#include "merge-verify/options.hpp"
#include "orchkit/exit.hpp"

namespace merge_verify {
std::optional<orchkit::Exit> parse_cli(int argc, char** argv, Options& opts);
}  // namespace merge_verify

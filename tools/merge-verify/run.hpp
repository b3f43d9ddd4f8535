#pragma once

#include "merge-verify/options.hpp"
#include "orchkit/result.hpp"

namespace merge_verify {
orchkit::Result<orchkit::Exit> run(const Options& opts);
}  // namespace merge_verify

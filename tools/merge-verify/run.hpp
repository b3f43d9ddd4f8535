// merge-verify after a landing: find the gate, verify it, ratchet or refuse, merge a PR (run.cpp).
#pragma once

#include "merge-verify/options.hpp"
#include "orchkit/result.hpp"

namespace merge_verify {
orchkit::Result<orchkit::Exit> run(const Options& opts);
}  // namespace merge_verify

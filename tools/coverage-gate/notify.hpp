// Best-effort notifications of a verdict: Telegram on FAIL (the commit status is status.hpp's).
// Never changes the verdict or the exit code; failures are warnings.
#pragma once

#include "coverage-gate/context.hpp"
#include "coverage-gate/outcome.hpp"

namespace coverage_gate {
void notify_outcome(const Context& ctx, const Outcome& out);
}  // namespace coverage_gate

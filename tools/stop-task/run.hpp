// stop-task's entry points: the stop (the library's sequence, in-process), guard, register.
#pragma once

#include "orchkit/result.hpp"
#include "stop-task/options.hpp"

namespace stop_task {
orchkit::Result<orchkit::Exit> run(const Options& opts);
orchkit::Result<orchkit::Exit> run_guard(const Options& opts);
orchkit::Result<orchkit::Exit> run_register(const Options& opts);
}  // namespace stop_task

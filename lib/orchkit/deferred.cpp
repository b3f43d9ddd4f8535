#include "orchkit/deferred.hpp"

#include <unistd.h>

#include <filesystem>

#include "orchkit/log.hpp"
#include "orchkit/proc.hpp"
#include "orchkit/state.hpp"

namespace orchkit {

std::string self_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

Result<int> run_deferred_stops(const std::string& state_path, const std::string& task,
                               const std::optional<std::string>& config_flag, const std::string& dir) {
  if (task.empty()) return 0;
  std::error_code ec;
  if (!std::filesystem::exists(state_path, ec)) return 0;
  ORCHKIT_TRY(st, state::State::open(state_path, false));
  ORCHKIT_TRY(reqs, st.stop_requests(task));
  int ran = 0;
  for (const auto& r : reqs) {
    if (r.status != "deferred") continue;
    std::vector<std::string> argv = {self_dir() + "/stop-task", "--task", r.task, "--generation",
                                     std::to_string(r.generation)};
    if (config_flag) argv.insert(argv.end(), {"--config", *config_flag});
    log::info("running the stop of " + r.task + " deferred during " + r.window);
    auto out = proc::run(argv, dir, Duration(10 * 60 * 1000));
    if (!out) {
      log::warning("deferred stop of " + r.task + ": " + out.error().message);
      continue;
    }
    if (out->exit_code != 0) {
      log::warning("deferred stop of " + r.task + " exited with status " + std::to_string(out->exit_code) +
                   " (run `stop-task --task " + r.task + "` again)");
      continue;
    }
    ++ran;
  }
  return ran;
}

}  // namespace orchkit

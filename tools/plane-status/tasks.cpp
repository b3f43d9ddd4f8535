#include "plane-status/tasks.hpp"

#include <filesystem>

#include "orchkit/file.hpp"

namespace plane_status {

using namespace orchkit;

std::optional<PreviousStage> Tasks::stage_file(const std::string& task) const {
  const std::string path = stage_path(task);
  auto text = read_file(path);
  if (!text) return std::nullopt;
  return parse_stage_file(*text, path);
}

Result<bool> Tasks::tombstoned(const std::string& task, int64_t gen) {
  if (!opened_) {
    opened_ = true;
    std::error_code ec;
    if (std::filesystem::exists(ws_.state_path, ec)) {
      ORCHKIT_TRY(st, state::State::open(ws_.state_path, false));
      state_.emplace(std::move(st));
    }
  }
  if (!state_) return false;
  return state_->tombstoned("task", task, gen);
}

}  // namespace plane_status

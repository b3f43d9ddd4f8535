// <artefacts_dir>/<KEY>/00-stage.md: the pipeline's stage as last reported (plane::report_stage,
// called by `plane-status set` and by the stop), read by queue-report, reconcile, the stop and
// live_generation(). Front matter: task, stage, key, state_id, generation, updated_at,
// issue, project (+ resolved_via, health, board, board_warning).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "orchkit/result.hpp"

namespace orchkit {
struct Workspace;
}

namespace orchkit::records {

inline constexpr const char* stage_record_name = "00-stage.md";

struct StageRecord {
  std::string task = {};
  std::string stage = {};
  std::string key = {};
  std::optional<std::string> state_id = {};
  int64_t generation = 1;
  std::string updated_at = {};
  std::optional<std::string> issue = {};
  std::optional<std::string> project = {};
  std::string resolved_via = "none";  // direct | fallback | none
  std::optional<std::string> health = {};
  std::string board = "skipped";  // updated | unchanged | failed | skipped
  std::optional<std::string> board_warning = {};
};

// The whole file: front matter, then a few lines for people.
std::string render_stage_file(const StageRecord& r);

// What an existing 00-stage.md says (nullopt when absent or unreadable).
struct PreviousStage {
  std::optional<std::string> stage = {};
  int64_t generation = 1;
  std::optional<std::string> issue = {};
  std::optional<std::string> project = {};
  std::optional<std::string> state_id = {};
};
std::optional<PreviousStage> parse_stage_file(std::string_view text, std::string_view name);

// The task's 00-stage.md in the artefacts directory (nullopt when absent or unreadable).
std::optional<PreviousStage> read_stage(const Workspace& ws, const std::string& task);

}  // namespace orchkit::records

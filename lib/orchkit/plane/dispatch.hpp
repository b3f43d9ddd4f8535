// Which status key the board shows for a pipeline stage (SPEC §8's dispatch table). Pure.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "orchkit/result.hpp"

namespace orchkit::plane {

// The pipeline's stages (SPEC §1) plus the two off-path ones `set` accepts (blocked, cancelled).
inline constexpr std::array<std::string_view, 12> kStages = {
    "to_analyse",      "analysis",  "architecture", "development", "code_review", "merge",
    "awaiting_deploy", "deploying", "monitoring",   "done",        "blocked",     "cancelled"};

bool is_known_stage(std::string_view stage);
// done and cancelled: nothing restarts a terminal task.
bool is_terminal_stage(std::string_view stage);

// Post-deploy health, as the monitor reports it.
enum class Health { none, healthy, degraded };
std::optional<Health> parse_health(std::string_view text);  // "healthy" | "degraded"
std::string_view health_name(Health h);

// The key for `stage`:
//   to_analyse, analysis, code_review, awaiting_deploy, deploying, blocked, cancelled -> the same key
//   architecture, development -> in_progress; merge -> code_review
//   done (the terminal sync) -> monitoring for a self-hosting project, done for the others
//   monitoring -> monitoring; with health healthy -> done, degraded -> blocked
// An unknown stage, or a health with a stage other than monitoring, is Exit::usage.
Result<std::string> key_for_stage(std::string_view stage, bool self_hosting, Health health = Health::none);

}  // namespace orchkit::plane

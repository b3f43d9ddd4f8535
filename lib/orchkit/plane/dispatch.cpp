#include "orchkit/plane/dispatch.hpp"

#include <algorithm>

namespace orchkit::plane {

bool is_known_stage(std::string_view stage) {
  return std::find(kStages.begin(), kStages.end(), stage) != kStages.end();
}

bool is_terminal_stage(std::string_view stage) { return stage == "done" || stage == "cancelled"; }

std::optional<Health> parse_health(std::string_view text) {
  if (text == "healthy") return Health::healthy;
  if (text == "degraded") return Health::degraded;
  return std::nullopt;
}

std::string_view health_name(Health h) {
  switch (h) {
    case Health::healthy: return "healthy";
    case Health::degraded: return "degraded";
    case Health::none: break;
  }
  return "none";
}

Result<std::string> key_for_stage(std::string_view stage, bool self_hosting, Health health) {
  if (!is_known_stage(stage)) {
    std::string known;
    for (std::string_view s : kStages) known += (known.empty() ? "" : ", ") + std::string(s);
    return fail(Exit::usage, "unknown stage '" + std::string(stage) + "' (known: " + known + ")");
  }
  if (health != Health::none && stage != "monitoring")
    return fail(Exit::usage, "--health is the post-deploy monitor's report: it goes with --stage monitoring, not " +
                                 std::string(stage));
  if (stage == "architecture" || stage == "development") return std::string("in_progress");
  if (stage == "merge") return std::string("code_review");
  if (stage == "done") return std::string(self_hosting ? "monitoring" : "done");
  if (stage == "monitoring") {
    if (health == Health::healthy) return std::string("done");
    if (health == Health::degraded) return std::string("blocked");
    return std::string("monitoring");
  }
  return std::string(stage);  // to_analyse, analysis, code_review, awaiting_deploy, deploying, blocked, cancelled
}

}  // namespace orchkit::plane

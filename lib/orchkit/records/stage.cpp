#include "orchkit/records/stage.hpp"

#include "orchkit/frontmatter.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/log.hpp"
#include "orchkit/workspace.hpp"

namespace orchkit::records {

std::string render_stage_file(const StageRecord& r) {
  FrontMatterWriter fm;
  fm.raw("task", yaml_scalar(r.task))
      .raw("stage", yaml_scalar(r.stage))
      .raw("key", yaml_scalar(r.key))
      .opt_raw("state_id", r.state_id ? std::optional<std::string>(yaml_scalar(*r.state_id)) : std::nullopt)
      .raw("generation", std::to_string(r.generation))
      .quoted("updated_at", r.updated_at)
      .opt_raw("issue", r.issue ? std::optional<std::string>(yaml_scalar(*r.issue)) : std::nullopt)
      .opt_raw("project", r.project ? std::optional<std::string>(yaml_scalar(*r.project)) : std::nullopt)
      .raw("resolved_via", r.resolved_via);
  if (r.health) fm.raw("health", yaml_scalar(*r.health));
  fm.raw("board", r.board);
  if (r.board_warning) fm.quoted("board_warning", log::redact(*r.board_warning));

  std::string body = "\n# " + r.task + ": " + r.stage + "\n\n";
  body += "The pipeline reported stage `" + r.stage + "` (generation " + std::to_string(r.generation) + ") at " +
          r.updated_at + ".\n";
  if (r.health) body += "Post-deploy health: " + *r.health + ".\n";
  body += "\nBoard (an indication, never control): key `" + r.key + "`";
  if (r.state_id) body += " -> state `" + *r.state_id + "` (" + r.resolved_via + ")";
  body += ", " + r.board;
  if (r.board_warning) body += ": " + log::redact(*r.board_warning);
  body += ".\n";
  return fm.text() + body;
}

std::optional<PreviousStage> parse_stage_file(std::string_view text, std::string_view name) {
  auto fm = parse_front_matter(text, name);
  if (!fm) return std::nullopt;
  PreviousStage p;
  p.stage = fm->get("stage");
  p.generation = fm->get_int("generation").value_or(1);
  p.issue = fm->get("issue");
  p.project = fm->get("project");
  p.state_id = fm->get("state_id");
  return p;
}

std::optional<PreviousStage> read_stage(const Workspace& ws, const std::string& task) {
  const std::string path = ws.task_dir(task) + "/" + stage_record_name;
  auto text = read_file(path);
  if (!text) return std::nullopt;
  return parse_stage_file(*text, path);
}

}  // namespace orchkit::records

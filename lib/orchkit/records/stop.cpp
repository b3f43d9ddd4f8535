#include "orchkit/records/stop.hpp"

#include "orchkit/frontmatter.hpp"
#include "orchkit/json_writer.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/workspace.hpp"

namespace orchkit::records {

std::string saved_file_stem(int64_t generation) { return "90-stop-generation-" + std::to_string(generation); }

Saved load_saved(const Workspace& ws, const std::string& task) {
  auto text = read_file(ws.task_dir(task) + "/" + stop_record_name);
  if (!text) return {};
  auto fm = parse_front_matter(*text, stop_record_name);
  if (!fm) return {};
  return read_saved(*fm);
}

std::string render_json(const StopReport& r) {
  JsonWriter w;
  w.object().field("status", r.status).field("task", r.task).key("generation").num_signed(r.generation);
  w.field("signalled", static_cast<uint64_t>(r.signalled)).field("survivors", static_cast<uint64_t>(r.survivors));
  w.key("saved_patch").opt_str(r.saved_patch);
  w.key("saved_bundle").opt_str(r.saved_bundle);
  w.field("worktree_removed", r.worktree_removed).field("branch_deleted", r.branch_deleted).field("message", r.message);
  w.key("steps").array();
  for (const auto& s : r.steps)
    w.object().field("step", s.step).field("result", s.result).field("detail", s.detail).end();
  w.end().end();
  return w.text() + "\n";
}

std::string render_text(const StopReport& r) {
  std::string out = r.task + " generation " + std::to_string(r.generation) + ": " + r.status;
  if (!r.message.empty()) out += " — " + r.message;
  out += "\n";
  for (const auto& s : r.steps)
    out += "  " + s.step + ": " + s.result + (s.detail.empty() ? "" : " (" + s.detail + ")") + "\n";
  return out;
}

std::string render_artefact(const StopReport& r, const std::string& reason, const std::string& updated_at) {
  FrontMatterWriter fm;
  fm.raw("task", yaml_scalar(r.task)).raw("generation", std::to_string(r.generation)).raw("status", r.status);
  write_saved(fm, r.saved);
  fm.raw("worktree_removed", r.worktree_removed ? "true" : "false")
      .raw("branch_deleted", r.branch_deleted ? "true" : "false")
      .raw("signalled", std::to_string(r.signalled))
      .raw("survivors", std::to_string(r.survivors))
      .raw("reason", yaml_scalar(reason))
      .raw("updated_at", updated_at);
  std::string md =
      fm.text() + "\n# Stop: " + r.task + " generation " + std::to_string(r.generation) + " — " + r.status + "\n\n";
  if (!r.message.empty()) md += r.message + "\n\n";
  md += "| step | result | detail |\n| --- | --- | --- |\n";
  for (const auto& s : r.steps) md += "| " + s.step + " | " + s.result + " | " + s.detail + " |\n";
  return md + render_restore(r.saved);
}

}  // namespace orchkit::records

// queue-report: scan the task folders, read the state file (read-only), build the report,
// write the Markdown or JSON and, when asked, the SVG chart.
#include "queue-report/run.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "orchkit/state/open.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/log.hpp"
#include "orchkit/workspace.hpp"
#include "queue-report/json_report.hpp"
#include "queue-report/markdown.hpp"
#include "queue-report/report.hpp"
#include "queue-report/scan.hpp"
#include "queue-report/state_facts.hpp"
#include "queue-report/svg.hpp"

namespace queue_report {

using namespace orchkit;
namespace fs = std::filesystem;

namespace {

std::string strip_slash(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

Result<Exit> run(const Options& o) {
  std::error_code ec;
  if (!fs::is_directory(o.dir, ec)) return fail(Exit::error, o.dir + ": no such directory (-C)");
  ORCHKIT_TRY(ws, open_workspace(o.dir, o.common.config, false));
  if (o.common.show_config) return print_config(ws.cfg, {"project.", "task.", "state."});
  ORCHKIT_CHECK(require_valid_config(ws.cfg, {"project.", "task.", "state."}));
  if (o.now && !ms_from_iso(*o.now))
    return fail(Exit::usage, "--now '" + *o.now + "' is not an ISO-8601 UTC time (e.g. 2025-06-01T12:00:00Z)");

  const fs::path base = fs::absolute(o.dir, ec).lexically_normal();
  auto resolve = [&](const std::string& p) {
    return fs::path(p).is_absolute() ? p : (base / p).lexically_normal().string();
  };

  ScanOptions scan;
  scan.dir = o.artefacts ? resolve(*o.artefacts) : ws.artefacts_dir();
  scan.shown = strip_slash(o.artefacts ? *o.artefacts : ws.cfg.task.artefacts_dir);
  scan.key_pattern = ws.cfg.task.key_pattern;
  scan.coverage_name = coverage_file_name(ws.cfg.coverage.artefact);
  scan.must_exist = o.artefacts.has_value();
  ORCHKIT_TRY(tasks, scan_tasks(scan));
  ORCHKIT_TRY(state, read_state(ws));
  add_gate_records(tasks, state.gates, state::state_location(ws), ws.cfg.task.key_pattern);

  Inputs in;
  in.repo = ws.repo_id;
  in.artefacts = scan.shown;
  in.floor = ws.cfg.coverage.min;
  in.now = o.now;
  in.tasks = std::move(tasks);
  in.state = std::move(state);
  if (o.svg) {
    // Linked from where the Markdown lands, so the link works beside it.
    in.chart =
        o.out ? fs::path(resolve(*o.svg)).lexically_relative(fs::path(resolve(*o.out)).parent_path()).string() : *o.svg;
  }
  const Report report = build_report(in);
  const std::string text = o.format == "json" ? render_json(report) : render_markdown(report);

  if (o.svg) ORCHKIT_CHECK(write_file_atomic(resolve(*o.svg), render_svg(report)));
  // Inside Actions the Markdown also goes to the job's summary page (GitHub caps it at 1 MiB).
  if (std::getenv("GITHUB_STEP_SUMMARY")) {
    std::string md = o.format == "md" ? text : render_markdown(report);
    if (md.size() > (1u << 20) - 1024)
      md = "# Queue report: " + report.repo + "\n\nToo large for the step summary (" +
           std::to_string(report.tasks.size()) + " tasks): see the report artefact.\n";
    if (!log::step_summary(md)) log::warning("GITHUB_STEP_SUMMARY: cannot append the report");
  }
  if (o.out) {
    ORCHKIT_CHECK(write_file_atomic(resolve(*o.out), text));
  } else if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    return fail(Exit::error, "stdout: cannot write the report");
  }
  return Exit::ok;
}

}  // namespace queue_report

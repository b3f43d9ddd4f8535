#include "coverage-gate/outcome.hpp"

#include "orchkit/frontmatter.hpp"
#include "orchkit/json_writer.hpp"
#include "orchkit/records/gate.hpp"
#include "orchkit/util/units.hpp"

namespace coverage_gate {

using namespace orchkit;

namespace {

bool has(const Verdict& v, Reason r) {
  for (Reason x : v.reasons)
    if (x == r) return true;
  return false;
}

std::string reasons_flow(const Verdict& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.reasons.size(); ++i) out += (i ? ", " : "") + std::string(reason_name(v.reasons[i]));
  return out + "]";
}

std::string lines_of(Ratio r) { return std::to_string(r.covered) + " of " + std::to_string(r.total) + " lines"; }

// Both values of every policy key the tree under test changes: the target's decided.
std::string policy_section(const Outcome& o) {
  if (o.policy_changes.empty()) return "";
  std::string md = "\n## Policy changed by this tree (not applied)\n\n" + o.policy_origin +
                   " decided. A policy change takes effect once it has landed under the current one.\n\n"
                   "| key | target (applied) | this tree |\n| --- | --- | --- |\n";
  for (const auto& c : o.policy_changes) md += "| `" + c.key + "` | `" + c.before + "` | `" + c.after + "` |\n";
  return md;
}

std::string paths_section(const Outcome& o) {
  if (!o.paths || (o.paths->unmatched.empty() && o.paths->remapped.empty())) return "";
  std::string md = "\n## Report paths\n\n";
  for (const auto& [from, to] : o.paths->remapped) md += "- `" + from + "` mapped to `" + to + "` (unique suffix)\n";
  size_t n = o.paths->unmatched.size();
  for (size_t i = 0; i < n && i < 20; ++i) md += "- `" + o.paths->unmatched[i] + "` matches no tracked file\n";
  if (n > 20) md += "- and " + std::to_string(n - 20) + " more that match no tracked file\n";
  if (o.paths->strip_hint)
    md += "\nSet `coverage.path_strip = [\"" + *o.paths->strip_hint + "\"]` to name them directly.\n";
  return md;
}

}  // namespace

std::optional<std::string> line_pct(const Outcome& o) {
  if (o.facts.line.total == 0) return std::nullopt;
  return format_ratio_pct(o.facts.line.covered, o.facts.line.total);
}

std::optional<std::string> baseline_pct(const Outcome& o) {
  if (!o.facts.baseline) return std::nullopt;
  return format_ratio_pct(o.facts.baseline->covered, o.facts.baseline->total);
}

std::optional<std::string> patch_pct(const Outcome& o) {
  if (!o.facts.patch || o.facts.patch->total == 0) return std::nullopt;
  return format_ratio_pct(o.facts.patch->covered, o.facts.patch->total);
}

namespace {

std::string problem_text(const Outcome& o) {
  std::string names;
  for (Reason r : o.facts.problems) names += (names.empty() ? "" : ", ") + std::string(reason_name(r));
  return "(" + names + "): " + o.problem;
}

std::string not_caught_up_text(const Outcome& o) {
  return "The measured commit does not contain the tip of " + o.target + " (" +
         o.target_tip.value_or("?").substr(0, 12) +
         "): the tree measured is not what would land (catch up: git fetch origin " + o.target +
         " && git merge origin/" + o.target + ", then run the gate again)";
}

}  // namespace

std::string sentence(const Outcome& o) {
  const Verdict& v = o.verdict;
  std::string pct = line_pct(o).value_or("0.00") + "% (" + lines_of(o.facts.line) + ")";
  std::string tail;
  if (!o.facts.problems.empty() && v.status == Status::fail) tail = " Also: " + problem_text(o) + ".";
  if (has(v, Reason::policy_changed)) tail += " This tree changes the policy; " + o.policy_origin + " decided.";
  switch (v.status) {
    case Status::skipped:
      return has(v, Reason::disabled) ? "Skipped: the coverage gate is switched off (coverage.enabled = false)."
                                      : "Skipped: this repository is outside coverage.scope.";
    case Status::warn:
      return "Could not measure coverage " + problem_text(o) + "; the gate fails open, so the merge may go on." + tail;
    case Status::error:
      return "Could not measure coverage " + problem_text(o) + "; the gate fails closed, so the merge is blocked." +
             tail;
    case Status::fail: {
      if (has(v, Reason::not_caught_up)) return not_caught_up_text(o) + ": the merge is blocked." + tail;
      std::string s = "Line coverage " + pct;
      std::string sep = " is ";
      if (has(v, Reason::below_min))
        s += sep + "below the floor of " + format_percent(o.policy.min) + "%", sep = " and ";
      if (has(v, Reason::below_baseline))
        s += sep + "more than " + format_percent(o.policy.epsilon) + " points below the baseline " + *baseline_pct(o) +
             "%",
            sep = " and ";
      if (has(v, Reason::patch_below_min)) {
        if (sep == " is ") s += " is fine, but";
        else s += ", and";
        s += " the changed lines are only " + *patch_pct(o) + "% covered (floor " + format_percent(o.policy.patch_min) +
             "%)";
        sep = " and ";
      }
      std::string more = diff_failures(o);
      if (!more.empty()) s += (sep == " is " ? ", but " : "; and ") + more;
      return s + ": the merge is blocked." + tail;
    }
    case Status::pass: {
      std::string s = "Line coverage " + pct;
      if (o.policy.rule == Rule::differential && o.diff) return "Line coverage " + pct + diff_passes(o) + "." + tail;
      if (o.policy.mode != Mode::baseline || has(v, Reason::bootstrap))
        s += " meets the floor of " + format_percent(o.policy.min) + "%";
      if (has(v, Reason::bootstrap)) s += " (no baseline yet: bootstrap, the floor alone decides)";
      else if (o.facts.baseline && o.policy.mode != Mode::absolute)
        s += std::string(o.policy.mode == Mode::both ? " and" : "") +
             (has(v, Reason::within_epsilon) ? " stays within " + format_percent(o.policy.epsilon) + " points of"
                                             : " holds") +
             " the baseline " + *baseline_pct(o) + "%";
      s += diff_passes(o);
      if (o.policy.patch_min.micro > 0) {
        if (has(v, Reason::patch_no_lines)) s += "; no changed line is measurable, so the patch check passes";
        else if (patch_pct(o)) s += "; changed lines " + *patch_pct(o) + "% covered";
      }
      return s + "." + tail;
    }
  }
  return "";
}

records::GateRecord gate_record_of(const Outcome& o) {
  records::GateRecord r;
  r.status = *records::gate_status_from(status_name(o.verdict.status));
  r.task = o.task;
  if (o.commit) {
    r.commit = o.commit->sha;
    r.tree = o.commit->tree;
  }
  r.target = o.target;
  r.target_commit = o.target_tip;
  r.head_commit = o.head_commit ? o.head_commit : (o.commit ? std::optional<std::string>(o.commit->sha) : std::nullopt);
  r.mode = std::string(mode_name(o.policy.mode));
  r.line_covered = o.facts.line.covered;
  r.line_total = o.facts.line.total;
  r.line_pct = line_pct(o);
  r.baseline_pct = baseline_pct(o);
  r.baseline_commit = o.baseline_commit;
  if (o.facts.baseline) {
    r.baseline_covered = o.facts.baseline->covered;
    r.baseline_total = o.facts.baseline->total;
  }
  r.min_pct = format_percent(o.policy.min);
  r.epsilon_pp = format_percent(o.policy.epsilon);
  if (o.policy.patch_min.micro > 0) r.patch_min_pct = format_percent(o.policy.patch_min);
  if (o.facts.patch) {
    r.patch_covered = o.facts.patch->covered;
    r.patch_total = o.facts.patch->total;
    r.patch_pct = patch_pct(o);
  }
  for (Reason x : o.verdict.reasons) r.reasons.emplace_back(reason_name(x));
  r.policy = o.policy_origin;
  for (const auto& c : o.policy_changes) r.policy_changed.push_back(c.key);
  if (o.paths && !o.paths->unmatched.empty()) r.unmatched_paths = o.paths->unmatched.size();
  for (const auto& rep : o.reports) r.reports.push_back({rep.path, rep.format, rep.sha256});
  r.generated_by = "coverage-gate " + o.version;
  if (o.policy.rule != Rule::percent) r.rule = std::string(rule_name(o.policy.rule));
  if (o.diff)
    for (auto k : differential::kAllCategories) r.diff.emplace_back(differential::category_name(k), o.diff->total[k]);
  for (const auto& b : o.below) r.files_below_min.push_back(b.path);
  r.line_data_sha256 = o.line_data_sha256;
  return r;
}

std::string render_artefact(const Outcome& o) {
  std::string md = records::render_gate(gate_record_of(o));
  md += "\n# Coverage gate: " + std::string(status_name(o.verdict.status)) + (o.task ? " — " + *o.task : "") + "\n\n";
  md += sentence(o) + "\n\n";
  md += "| measure | value |\n| --- | --- |\n";
  md += "| line coverage | " + (line_pct(o) ? *line_pct(o) + "% (" + lines_of(o.facts.line) + ")" : "not measured") +
        " |\n";
  md += "| baseline (" + o.target + ") | " + (baseline_pct(o) ? *baseline_pct(o) + "%" : std::string("none yet")) +
        " |\n";
  md += "| floor | " + format_percent(o.policy.min) + "% |\n";
  md += "| allowed drop | " + format_percent(o.policy.epsilon) + " points |\n";
  if (o.facts.patch)
    md += "| changed lines | " + (patch_pct(o) ? *patch_pct(o) + "%" : std::string("none measurable")) + " (" +
          lines_of(*o.facts.patch) + ") |\n";
  md += "| mode | " + std::string(mode_name(o.policy.mode)) + " |\n";
  if (o.commit) md += "| commit | `" + o.commit->sha + "` |\n";

  if (o.patch && !o.patch->files.empty()) {
    md +=
        "\n## Changed files\n\n| file | changed lines covered | file coverage | uncovered changed lines |\n| --- | --- | --- | --- |\n";
    for (const auto& f : o.patch->files)
      md += "| `" + f.path + "` | " + std::to_string(f.lines.covered) + "/" + std::to_string(f.lines.total) + " | " +
            format_ratio_pct(f.file.covered, f.file.total) + "% | " +
            (f.uncovered.empty() ? "—" : format_ranges(f.uncovered)) + " |\n";
  }
  if (o.patch && !o.patch->unmeasured.empty()) {
    md += "\nChanged files with no coverage record: ";
    for (size_t i = 0; i < o.patch->unmeasured.size() && i < 20; ++i)
      md += (i ? ", `" : "`") + o.patch->unmeasured[i] + "`";
    if (o.patch->unmeasured.size() > 20) md += " and " + std::to_string(o.patch->unmeasured.size() - 20) + " more";
    md += ".\n";
  }
  md += diff_section(o) + policy_section(o) + paths_section(o);
  if (!o.worst.empty()) {
    md += "\n## Worst files\n\n| file | coverage |\n| --- | --- |\n";
    for (const auto& w : o.worst)
      md += "| `" + w.path + "` | " + format_ratio_pct(w.ratio.covered, w.ratio.total) + "% (" + lines_of(w.ratio) +
            ") |\n";
  }
  if (!o.notes.empty()) {
    md += "\n## Notes\n\n";
    for (const auto& n : o.notes) md += "- " + n + "\n";
  }
  md += "\n## What to do next\n\n";
  switch (o.verdict.status) {
    case Status::pass:
      md += "Nothing: the gate passes. The baseline is raised by `merge-verify` once this commit lands.\n";
      break;
    case Status::fail:
      if (has(o.verdict, Reason::not_caught_up)) md += not_caught_up_text(o) + ".\n\n";
      if (has(o.verdict, Reason::lost_coverage))
        md += "An unchanged line lost its coverage (LBC, listed above): a test stopped reaching it. ";
      md +=
          "Add tests for the uncovered changed lines above (or the worst files), push, and the gate runs again. "
          "If the drop is intended, an operator can lower the baseline with "
          "`coverage-gate baseline set PCT --reason TEXT` (audited).\n";
      break;
    case Status::warn:
    case Status::error:
      md +=
          "Fix the measurement: run `coverage.command` by hand in the worktree and check that it writes `coverage.reports` "
          "(every run must write them anew), and that report paths name repository files (`coverage.path_strip`).\n";
      break;
    case Status::skipped: md += "Nothing: the gate is not active here.\n"; break;
  }
  return md;
}

std::string render_json(const Outcome& o) {
  JsonWriter w;
  w.object().field("status", status_name(o.verdict.status));
  w.key("reasons").array();
  for (Reason r : o.verdict.reasons) w.str(reason_name(r));
  w.end();
  w.key("task").opt_str(o.task);
  w.key("commit").opt_str(o.commit ? std::optional<std::string>(o.commit->sha) : std::nullopt);
  w.field("target", o.target).field("mode", mode_name(o.policy.mode));
  w.field("line_covered", o.facts.line.covered).field("line_total", o.facts.line.total);
  w.key("line_pct").opt_str(line_pct(o));
  w.key("target_commit").opt_str(o.target_tip);
  w.key("head_commit")
      .opt_str(o.head_commit ? o.head_commit : (o.commit ? std::optional<std::string>(o.commit->sha) : std::nullopt));
  w.field("policy", o.policy_origin);
  w.key("policy_changes").array();
  for (const auto& c : o.policy_changes)
    w.object().field("key", c.key).field("target", c.before).field("tree", c.after).end();
  w.end();
  w.key("unmatched_paths").array();
  if (o.paths)
    for (const auto& u : o.paths->unmatched) w.str(u);
  w.end();
  w.key("remapped_paths").array();
  if (o.paths)
    for (const auto& [from, to] : o.paths->remapped) w.object().field("from", from).field("to", to).end();
  w.end();
  w.key("baseline_pct").opt_str(baseline_pct(o));
  w.key("baseline_commit").opt_str(o.baseline_commit);
  w.field("min_pct", format_percent(o.policy.min)).field("epsilon_pp", format_percent(o.policy.epsilon));
  w.key("patch_covered");
  o.facts.patch ? w.num(o.facts.patch->covered) : w.null();
  w.key("patch_total");
  o.facts.patch ? w.num(o.facts.patch->total) : w.null();
  w.key("patch_pct").opt_str(patch_pct(o));
  w.key("artefact").opt_str(o.artefact);
  diff_json(w, o);
  w.field("message", sentence(o));
  w.key("reports").array();
  for (const auto& r : o.reports)
    w.object().field("path", r.path).field("format", r.format).field("sha256", r.sha256).end();
  w.end();
  w.end();
  return w.text();
}

std::string render_text(const Outcome& o) {
  std::string s = std::string(status_name(o.verdict.status)) + ": " + sentence(o) + "\n";
  if (!o.verdict.reasons.empty()) s += "reasons: " + reasons_flow(o.verdict) + "\n";
  if (o.patch)
    for (const auto& f : o.patch->files)
      if (!f.uncovered.empty())
        s += "  uncovered changed lines in " + f.path + ": " + format_ranges(f.uncovered) + "\n";
  s += diff_text(o);
  if (o.artefact) s += "artefact: " + *o.artefact + "\n";
  return s;
}

}  // namespace coverage_gate

#include "queue-report/markdown.hpp"

#include <algorithm>
#include <array>

#include "orchkit/util/units.hpp"

namespace queue_report {

using namespace orchkit;

namespace {

constexpr size_t kLastChanges = 10;
constexpr size_t kRecentCancellations = 10;
constexpr size_t kRecentStale = 10;
constexpr size_t kSparkPoints = 20;

std::string code(std::string_view s) {
  if (s.empty()) return "—";
  if (s.find('`') != std::string_view::npos) return md_cell(s);
  return "`" + md_cell(s) + "`";
}

std::string opt(const std::optional<std::string>& s) { return s ? md_cell(*s) : "—"; }

std::string yes_no(const std::optional<std::string>& s) {
  if (!s) return "—";
  if (*s == "true") return "yes";
  if (*s == "false") return "no";
  return md_cell(*s);
}

std::string short_sha(const std::string& s) {
  bool hex = s.size() >= 12 &&
             std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  return code(hex ? s.substr(0, 12) : s);
}

std::string ratio_pct(const std::optional<state::Baseline>& b) {
  return b ? format_ratio_pct(b->covered, b->total) : std::string("—");
}

std::string plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string coverage_cell(const TaskRow& t) {
  if (!t.coverage) return "—";
  const std::string& s = t.coverage->status;
  if (s.empty()) return "**broken**";
  std::string diff;
  if (t.coverage->unc || t.coverage->lbc)
    diff = " (UNC " + std::to_string(t.coverage->unc.value_or(0)) + ", LBC " +
           std::to_string(t.coverage->lbc.value_or(0)) + ")";
  if (s == "FAIL" || s == "ERROR" || s == "WARN") return "**" + s + "**" + diff;
  return s + diff;
}

std::string stage_cell(const TaskRow& t) {
  std::string s = t.stage.empty() ? (t.stage_file.empty() ? "—" : "unreadable") : md_cell(t.stage);
  if (t.generation > 1) s += " (gen " + std::to_string(t.generation) + ")";
  return s;
}

std::string stop_cell(const TaskRow& t) {
  if (t.stop.empty()) return "—";
  if (t.stop == "deferred" || t.stop == "running") return "**" + md_cell(t.stop) + "**";
  return md_cell(t.stop);
}

std::string summary(const Report& r) {
  std::array<size_t, 6> n{};
  for (const auto& t : r.tasks) ++n[static_cast<size_t>(t.group)];
  size_t attention = n[0] + n[1] + n[2] + n[3];
  std::string s = plural(r.tasks.size(), "task", "tasks") + " in " + code(r.artefacts);
  if (r.tasks.empty()) return s + ".";
  if (attention == 0) return s + ", none needs attention.";
  s += ", " + std::to_string(attention) + " " + (attention == 1 ? "needs" : "need") + " attention: ";
  std::vector<std::string> parts;
  if (n[0]) parts.push_back(std::to_string(n[0]) + " FAIL or ERROR");
  if (n[1]) parts.push_back(plural(n[1], "deferred stop", "deferred stops"));
  if (n[2]) parts.push_back(std::to_string(n[2]) + " WARN");
  if (n[3]) parts.push_back(std::to_string(n[3]) + " with broken artefacts");
  for (size_t i = 0; i < parts.size(); ++i) s += (i ? ", " : "") + parts[i];
  return s + ".";
}

void tasks_block(std::string& md, const Report& r) {
  md += "## Tasks\n\n";
  if (r.tasks.empty()) {
    md += "No task folder yet.\n\n";
    return;
  }
  md +=
      "What needs attention comes first: FAIL or ERROR, deferred stops, WARN, broken artefacts; then live tasks "
      "by key, then done and cancelled ones. Δ is line coverage minus the target's baseline now, in points.\n\n";
  md += "| key | stage | coverage | line % | Δ baseline (pp) | patch % | stop | updated |\n";
  md += "| --- | --- | --- | ---: | ---: | ---: | --- | --- |\n";
  for (const auto& t : r.tasks) {
    const CoverageFacts* c = t.coverage ? &*t.coverage : nullptr;
    md += "| " + md_cell(t.key) + " | " + stage_cell(t) + " | " + coverage_cell(t) + " | " +
          (c ? opt(c->line_pct) : "—") + " | " + (c ? opt(c->delta_pp) : "—") + " | " + (c ? opt(c->patch_pct) : "—") +
          " | " + stop_cell(t) + " | " + md_cell(t.updated_at) + " |\n";
  }
  md += "\n";
  std::vector<const Problem*> problems;
  for (const auto& t : r.tasks)
    for (const auto& p : t.problems) problems.push_back(&p);
  if (problems.empty()) return;
  std::sort(problems.begin(), problems.end(), [](const Problem* a, const Problem* b) {
    if (a->file != b->file) return key_less(a->file, b->file);
    return a->message < b->message;
  });
  md +=
      "### Broken artefacts\n\nRead as far as possible and listed as they are; fix the file or run again the step "
      "that writes it.\n\n";
  for (const auto* p : problems) md += "- " + code(p->file) + ": " + md_cell(p->message) + "\n";
  md += "\n";
}

std::vector<int64_t> points_of(const BranchReport& b) {
  std::vector<int64_t> pts;
  for (const auto& h : b.history)
    if (h.after) pts.push_back(hundredths(h.after->covered, h.after->total));
  return pts;
}

std::string target_name(const Report& r, const BranchReport& b) {
  return b.repo == r.repo ? b.branch : b.repo + " " + b.branch;
}

void coverage_block(std::string& md, const Report& r) {
  md += "## Coverage\n\n";
  md += "Floor (`coverage.min`): " + format_percent(r.floor) + " %.\n\n";
  if (!r.state_present) {
    md +=
        "No baseline yet: there is no state file (the first merge verified by `merge-verify` bootstraps the baseline).\n\n";
    return;
  }
  if (r.branches.empty()) {
    md += "No baseline yet (the first merge verified by `merge-verify` bootstraps it).\n\n";
    return;
  }
  md += "| target | baseline | commit | updated | changes | trend |\n";
  md += "| --- | ---: | --- | --- | ---: | --- |\n";
  for (const auto& b : r.branches) {
    const Trend& t = b.trend;
    std::string changes = std::to_string(t.changes);
    if (t.overrides) changes += " (" + plural(t.overrides, "override", "overrides") + ")";
    std::string spark = sparkline(points_of(b), kSparkPoints);
    std::string trend = (spark.empty() ? "" : spark + " ") + t.first_pct + " → " + t.last_pct + " (" + t.change_pp +
                        " pp, " + t.direction + ")";
    md += "| " + md_cell(target_name(r, b)) + " | " + b.pct + " % | " + short_sha(b.baseline.commit) + " | " +
          md_cell(b.baseline.updated_at) + " | " + changes + " | " + trend + " |\n";
  }
  md += "\n";
  if (r.chart) md += "![Baseline history per target branch](" + *r.chart + ")\n\n";
  for (const auto& b : r.branches) {
    md += "### " + md_cell(target_name(r, b)) + ": last changes\n\n";
    if (b.history.empty()) {
      md += "No recorded change.\n\n";
      continue;
    }
    md += "| when | event | before | after | commit | task | by | why |\n";
    md += "| --- | --- | ---: | ---: | --- | --- | --- | --- |\n";
    size_t shown = 0;
    for (auto it = b.history.rbegin(); it != b.history.rend() && shown < kLastChanges; ++it, ++shown) {
      const auto& h = *it;
      std::string event = h.is(state::HistoryEvent::override_) ? "**override**" : md_cell(h.event);
      md += "| " + md_cell(h.at) + " | " + event + " | " + ratio_pct(h.before) + " | " + ratio_pct(h.after) + " | " +
            short_sha(h.commit) + " | " + md_cell(h.task) + " | " + md_cell(h.actor) + " | " + md_cell(h.reason) +
            " |\n";
    }
    if (b.history.size() > kLastChanges)
      md += "\n" + plural(b.history.size() - kLastChanges, "earlier change is", "earlier changes are") +
            " in the JSON report and in `coverage-gate baseline history`.\n";
    md += "\n";
  }
}

std::string window_cell(const DeferredStop& d) {
  if (d.window_state == "held")
    return "held by " + md_cell(d.lease->holder) + " until " + iso_from_ms(d.lease->expires_at_ms);
  if (d.window_state == "expired")
    return "**expired** " + iso_from_ms(d.lease->expires_at_ms) + " (its holder " + md_cell(d.lease->holder) +
           " is gone; the next run takes it over)";
  if (d.window_state == "closed")
    return "**closed**, the stop has not run (run `stop-task --task " + md_cell(d.task) + "`)";
  return "**not in the state file** (from " + code(d.source) + "): nobody will run it (run `stop-task --task " +
         md_cell(d.task) + "`)";
}

void stop_block(std::string& md, const Report& r) {
  md += "## Stop\n\n### Deferred stops\n\n";
  if (r.deferred.empty()) {
    md += "None.\n\n";
  } else {
    md += "| task | gen | window | window state | requested | reason |\n| --- | ---: | --- | --- | --- | --- |\n";
    for (const auto& d : r.deferred)
      md += "| " + md_cell(d.task) + " | " + std::to_string(d.generation) + " | " + code(d.window) + " | " +
            window_cell(d) + " | " + md_cell(d.requested_at) + " | " + md_cell(d.reason) + " |\n";
    md += "\n";
  }
  if (!r.running.empty()) {
    md += "### Stops in progress\n\n| task | gen | steps done | updated |\n| --- | ---: | --- | --- |\n";
    for (const auto& s : r.running)
      md += "| " + md_cell(s.task) + " | " + std::to_string(s.generation) + " | " + md_cell(s.steps) + " | " +
            md_cell(s.updated_at) + " |\n";
    md += "\n";
  }
  md += "### Recent cancellations\n\n";
  if (r.cancelled.empty()) {
    md += "None.\n\n";
  } else {
    md += "| task | gen | when | saved patch | worktree removed | branch deleted | signalled | survivors | reason |\n";
    md += "| --- | ---: | --- | --- | --- | --- | ---: | ---: | --- |\n";
    for (size_t i = 0; i < r.cancelled.size() && i < kRecentCancellations; ++i) {
      const auto& c = r.cancelled[i];
      std::string patch = c.saved_patch ? code(*c.saved_patch) : (c.file.empty() ? "—" : "none");
      md += "| " + md_cell(c.task) + " | " + std::to_string(c.generation) + " | " + md_cell(c.at) + " | " + patch +
            " | " + yes_no(c.worktree_removed) + " | " + yes_no(c.branch_deleted) + " | " + opt(c.signalled) + " | " +
            opt(c.survivors) + " | " + md_cell(c.reason) + " |\n";
    }
    if (r.cancelled.size() > kRecentCancellations)
      md += "\n" +
            plural(r.cancelled.size() - kRecentCancellations, "earlier cancellation is", "earlier cancellations are") +
            " in the JSON report.\n";
    md += "\n";
  }
  md += "### Stale stops refused\n\n";
  if (r.stale.empty()) {
    md += "None.\n\n";
  } else {
    md += "| task | gen asked | live gen | when | reason |\n| --- | ---: | ---: | --- | --- |\n";
    for (size_t i = 0; i < r.stale.size() && i < kRecentStale; ++i) {
      const auto& s = r.stale[i];
      md += "| " + md_cell(s.task) + " | " + std::to_string(s.generation) + " | " +
            (s.live_generation ? std::to_string(*s.live_generation) : std::string("—")) + " | " + md_cell(s.at) +
            " | " + md_cell(s.reason) + " |\n";
    }
    if (r.stale.size() > kRecentStale)
      md += "\n" + plural(r.stale.size() - kRecentStale, "earlier stale stop is", "earlier stale stops are") +
            " in the JSON report.\n";
    md += "\n";
  }
  md += "### Critical windows\n\n";
  if (r.windows.empty()) {
    md += "None open.\n";
  } else {
    md += "| window | holder | task | acquired | expires |\n| --- | --- | --- | --- | --- |\n";
    for (const auto& l : r.windows)
      md += "| " + code(l.name) + " | " + md_cell(l.holder) + " | " + md_cell(l.task) + " | " + md_cell(l.acquired_at) +
            " | " + iso_from_ms(l.expires_at_ms) + " |\n";
  }
}

}  // namespace

std::string md_cell(std::string_view s) {
  if (s.empty()) return "—";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) out += ' ';  // line breaks, escapes: never raw
    else out += c;
  }
  return out;
}

std::string sparkline(const std::vector<int64_t>& values, size_t n) {
  static constexpr const char* kBars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (values.size() < 2) return "";
  size_t from = values.size() > n ? values.size() - n : 0;
  auto [lo, hi] = std::minmax_element(values.begin() + static_cast<std::ptrdiff_t>(from), values.end());
  std::string out;
  for (size_t i = from; i < values.size(); ++i) {
    size_t level = *hi == *lo ? 3 : static_cast<size_t>((values[i] - *lo) * 7 / (*hi - *lo));
    out += kBars[level];
  }
  return out;
}

std::string render_markdown(const Report& r) {
  std::string md = "# Queue report: " + md_cell(r.repo) + "\n\n";
  md += summary(r) + "\n";
  if (r.now) md += "As of " + *r.now + ".\n";
  md += "\n";
  tasks_block(md, r);
  coverage_block(md, r);
  stop_block(md, r);
  return md;
}

}  // namespace queue_report

// The differential parts of every place the verdict shows: the artefact's section (categories per
// file, uncovered new lines and lost lines as ranges, files below their floor), --json, the text
// and the Actions annotations on UNC and LBC lines.
#include "coverage-gate/outcome.hpp"
#include "orchkit/util/log.hpp"
#include "orchkit/util/units.hpp"

namespace coverage_gate {

using namespace orchkit;
using differential::Category;
using differential::kAllCategories;

namespace {

std::string ranges_or_dash(const differential::Ranges& r) { return r.empty() ? "—" : format_ranges(r); }

std::string counts_row(const differential::Counts& c) {
  std::string s;
  for (Category k : kAllCategories) s += " " + std::to_string(c[k]) + " |";
  return s;
}

constexpr size_t kMaxRows = 200;        // files in the artefact's table
constexpr size_t kMaxAnnotations = 50;  // Actions shows only a few per step anyway

}  // namespace

std::string diff_section(const Outcome& o) {
  std::string md;
  if (!o.below.empty()) {
    md +=
        "\n## Files below their floor ([coverage.files])\n\n| file | coverage | floor | glob |\n| --- | --- | --- | --- |\n";
    for (const auto& b : o.below)
      md += "| `" + b.path + "` | " + format_ratio_pct(b.ratio.covered, b.ratio.total) + "% (" +
            std::to_string(b.ratio.covered) + "/" + std::to_string(b.ratio.total) + ") | " + format_percent(b.floor) +
            "% | `" + b.glob + "` |\n";
  }
  if (o.policy.rule == Rule::percent) return md;
  md += "\n## Differential coverage (rule: " + std::string(rule_name(o.policy.rule)) + ")\n\n";
  if (!o.diff) return md + "Not computed: " + o.diff_unavailable + ". The percent rule decided.\n";
  const auto& t = o.diff->total;
  md += "Against the baseline " + o.baseline_commit.value_or("?").substr(0, 12) + ": " + std::to_string(t.budgeted()) +
        " line(s) newly uncovered or lost (UNC + LBC + UIC; allowed " + std::to_string(o.policy.max_new_uncovered) +
        "). Categories are lcov's (see docs/differential.md).\n\n";
  md += "| file |";
  for (Category k : kAllCategories) md += " " + std::string(differential::category_name(k)) + " |";
  md += " uncovered new lines (UNC) | lost coverage (LBC) | UIC |\n| --- |";
  for (size_t i = 0; i < kAllCategories.size() + 3; ++i) md += " --- |";
  md += "\n| **total** |" + counts_row(t) + " | | |\n";
  size_t rows = 0;
  for (const auto& f : o.diff->files) {
    if (++rows > kMaxRows) {
      md += "\n… and " + std::to_string(o.diff->files.size() - kMaxRows) + " more files (see --json).\n";
      break;
    }
    std::string name = "`" + f.path + "`";
    if (!f.baseline_path.empty() && f.baseline_path != f.path) name += " (was `" + f.baseline_path + "`)";
    md += "| " + name + " |" + counts_row(f.counts) + " " + ranges_or_dash(f.unc) + " | " + ranges_or_dash(f.lbc) +
          " | " + ranges_or_dash(f.uic) + " |\n";
  }
  return md;
}

void diff_json(JsonWriter& w, const Outcome& o) {
  w.field("rule", rule_name(o.policy.rule));
  w.key("diff");
  if (!o.diff) w.null();
  else {
    w.object();
    for (Category k : kAllCategories) w.field(differential::category_name(k), o.diff->total[k]);
    w.end();
  }
  w.key("diff_unavailable")
      .opt_str(o.diff_unavailable.empty() ? std::nullopt : std::optional<std::string>(o.diff_unavailable));
  w.key("diff_files").array();
  if (o.diff)
    for (const auto& f : o.diff->files) {
      w.object()
          .field("path", f.path)
          .key("baseline_path")
          .opt_str(f.baseline_path.empty() ? std::nullopt : std::optional<std::string>(f.baseline_path));
      for (Category k : kAllCategories) w.field(differential::category_name(k), f.counts[k]);
      w.field("unc_lines", format_ranges(f.unc)).field("lbc_lines", format_ranges(f.lbc));
      w.field("uic_lines", format_ranges(f.uic)).end();
    }
  w.end();
  w.key("files_below_min").array();
  for (const auto& b : o.below)
    w.object()
        .field("path", b.path)
        .field("glob", b.glob)
        .field("floor", format_percent(b.floor))
        .field("covered", b.ratio.covered)
        .field("total", b.ratio.total)
        .end();
  w.end();
  w.key("line_data_sha256").opt_str(o.line_data_sha256);
}

std::string diff_text(const Outcome& o) {
  std::string s;
  for (const auto& b : o.below)
    s += "  below its floor: " + b.path + " " + format_ratio_pct(b.ratio.covered, b.ratio.total) + "% < " +
         format_percent(b.floor) + "% (" + b.glob + ")\n";
  if (o.policy.rule == Rule::percent) return s;
  if (!o.diff) return s + "  differential: not computed (" + o.diff_unavailable + ")\n";
  std::string counts;
  for (Category k : kAllCategories)
    if (o.diff->total[k])
      counts += " " + std::string(differential::category_name(k)) + "=" + std::to_string(o.diff->total[k]);
  s += "  differential:" + (counts.empty() ? std::string(" no measured line") : counts) + "\n";
  for (const auto& f : o.diff->files) {
    if (!f.unc.empty()) s += "  uncovered new lines (UNC) in " + f.path + ": " + format_ranges(f.unc) + "\n";
    if (!f.lbc.empty()) s += "  lost coverage (LBC) in " + f.path + ": " + format_ranges(f.lbc) + "\n";
  }
  return s;
}

std::string diff_failures(const Outcome& o) {
  auto has = [&](Reason r) {
    for (Reason x : o.verdict.reasons)
      if (x == r) return true;
    return false;
  };
  std::vector<std::string> parts;
  if (o.diff && (has(Reason::new_uncovered) || has(Reason::lost_coverage))) {
    const auto& t = o.diff->total;
    std::string p;
    if (t[Category::UNC] + t[Category::UIC])
      p = std::to_string(t[Category::UNC] + t[Category::UIC]) + " new line(s) not covered (UNC " +
          std::to_string(t[Category::UNC]) + ", UIC " + std::to_string(t[Category::UIC]) + ")";
    if (t[Category::LBC])
      p += (p.empty() ? "" : " and ") + std::to_string(t[Category::LBC]) + " unchanged line(s) lost coverage (LBC)";
    parts.push_back(p + ": " + std::to_string(t.budgeted()) + " > max_new_uncovered " +
                    std::to_string(o.policy.max_new_uncovered));
  }
  if (has(Reason::file_below_min)) {
    std::string p = std::to_string(o.below.size()) + " file(s) below their floor (";
    for (size_t i = 0; i < o.below.size() && i < 3; ++i)
      p += (i ? ", " : "") + o.below[i].path + " " +
           format_ratio_pct(o.below[i].ratio.covered, o.below[i].ratio.total) + "% < " +
           format_percent(o.below[i].floor) + "%";
    parts.push_back(p + (o.below.size() > 3 ? ", ...)" : ")"));
  }
  if (has(Reason::patch_uncovered_budget) && o.facts.patch)
    parts.push_back(std::to_string(o.facts.patch->total - o.facts.patch->covered) +
                    " changed line(s) not covered > patch_max_uncovered " +
                    std::to_string(o.policy.patch_max_uncovered));
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string diff_passes(const Outcome& o) {
  if (o.policy.rule == Rule::percent) return "";
  if (!o.diff) return " (differential not computed: " + o.diff_unavailable + "; the percent rule decided)";
  const auto& t = o.diff->total;
  return "; differential: " + std::to_string(t.budgeted()) + " line(s) newly uncovered or lost (allowed " +
         std::to_string(o.policy.max_new_uncovered) + "), " + std::to_string(t[Category::DCB] + t[Category::DUB]) +
         " deleted";
}

void annotate_diff(const Outcome& o) {
  // Inside Actions each uncovered changed range is a warning on its lines (issue 15, item 10):
  // the differential categories when that rule ran, else the patch's uncovered changed lines;
  // at most kMaxAnnotations, the rest summed up in one line.
  size_t n = 0, left = 0;
  auto one = [&](const std::string& path, uint32_t a, uint32_t b, const char* what) {
    if (n < kMaxAnnotations) {
      log::annotate_at("warning", path, a, b, what);
      ++n;
    } else {
      ++left;
    }
  };
  if (o.diff) {
    for (const auto& f : o.diff->files) {
      for (const auto& [a, b] : f.unc) one(f.path, a, b, "uncovered new line(s) (UNC)");
      for (const auto& [a, b] : f.lbc) one(f.path, a, b, "unchanged line(s) that lost coverage (LBC)");
    }
  } else if (o.patch) {
    for (const auto& f : o.patch->files)
      for (const auto& [a, b] : f.uncovered) one(f.path, a, b, "changed line(s) not covered by the tests");
  }
  if (left > 0)
    log::annotate("warning",
                  std::to_string(left) + " more uncovered range(s) not annotated (the artefact lists them all)");
}

}  // namespace coverage_gate

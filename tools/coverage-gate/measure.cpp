// `coverage-gate measure`: totals per report and merged; no verdict, no state.
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "coverage-gate/run.hpp"
#include "orchkit/coverage/reader.hpp"
#include "orchkit/json_writer.hpp"
#include "orchkit/util/log.hpp"
#include "orchkit/util/units.hpp"

namespace coverage_gate {

using namespace orchkit;

Result<Exit> run_measure(const Options& opts) {
  std::vector<coverage::ReportSpec> specs;
  for (const auto& arg : opts.reports) {
    ORCHKIT_TRY(spec, coverage::parse_report_arg(arg));
    specs.push_back(std::move(spec));
  }
  std::error_code ec;
  coverage::PathRules rules;
  rules.root = std::filesystem::weakly_canonical(std::filesystem::absolute(opts.dir, ec), ec).string();
  auto merged = coverage::read_reports(specs, rules);
  if (!merged) return fail(std::move(merged).error());
  coverage::Tally t = merged->merged.totals();
  if (opts.common.json) {
    JsonWriter w;
    w.object()
        .field("line_covered", t.covered)
        .field("line_total", t.total)
        .field("line_pct", format_ratio_pct(t.covered, t.total))
        .field("files", static_cast<uint64_t>(merged->merged.files.size()));
    w.key("reports").array();
    for (const auto& r : merged->reports) {
      w.object()
          .field("path", r.path)
          .field("format", coverage::format_name(r.format))
          .field("line_covered", r.totals.covered)
          .field("line_total", r.totals.total)
          .field("files", static_cast<uint64_t>(r.files))
          .end();
    }
    w.end().end();
    std::printf("%s\n", w.text().c_str());
    return Exit::ok;
  }
  for (const auto& r : merged->reports) {
    std::printf("%s (%s): %llu of %llu lines covered, %s%% in %zu files\n", r.path.c_str(),
                std::string(coverage::format_name(r.format)).c_str(), static_cast<unsigned long long>(r.totals.covered),
                static_cast<unsigned long long>(r.totals.total),
                format_ratio_pct(r.totals.covered, r.totals.total).c_str(), r.files);
  }
  if (merged->reports.size() > 1 || t.total == 0) {
    std::printf("total: %llu of %llu lines covered, %s%% in %zu files%s\n", static_cast<unsigned long long>(t.covered),
                static_cast<unsigned long long>(t.total), format_ratio_pct(t.covered, t.total).c_str(),
                merged->merged.files.size(), t.total == 0 ? " (nothing measured)" : "");
  }
  return Exit::ok;
}

}  // namespace coverage_gate

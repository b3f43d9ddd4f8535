// gather_lines: run coverage.command, keep only reports this run wrote, read, map paths.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "coverage-gate/gather.hpp"
#include "coverage-gate/path_match.hpp"
#include "orchkit/coverage/reader.hpp"
#include "orchkit/process/proc.hpp"
#include "orchkit/util/log.hpp"

namespace coverage_gate {

using namespace orchkit;
namespace fs = std::filesystem;

namespace {

// A file's identity and last change: equal stamps before and after the command mean the
// command did not write it (no wall clock involved).
struct Stamp {
  bool exists = false;
  dev_t dev = 0;
  ino_t ino = 0;
  off_t size = 0;
  timespec mtime = {};
  timespec ctime = {};
};

Stamp stamp_of(const std::string& path) {
  struct stat st {};
  Stamp s;
  if (::stat(path.c_str(), &st) != 0) return s;
  s = {true, st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim};
  return s;
}

bool same(const Stamp& a, const Stamp& b) {
  return a.exists && b.exists && a.dev == b.dev && a.ino == b.ino && a.size == b.size &&
         a.mtime.tv_sec == b.mtime.tv_sec && a.mtime.tv_nsec == b.mtime.tv_nsec && a.ctime.tv_sec == b.ctime.tv_sec &&
         a.ctime.tv_nsec == b.ctime.tv_nsec;
}

std::string resolve(const std::string& base, const std::string& p) {
  return fs::path(p).is_absolute() ? p : base + "/" + p;
}

void problem(LinesFacts& out, Reason r, const std::string& what, bool whole) {
  out.problems.push_back({r, what, whole});
}

bool measured(const LinesFacts& out) {
  return std::all_of(out.problems.begin(), out.problems.end(), [](const Finding& f) { return f.whole; });
}

// Runs the command; false when no report of this run can be trusted.
bool run_command(const Context& ctx, const std::vector<coverage::ReportSpec>& specs, LinesFacts& out) {
  std::vector<Stamp> before;
  for (const auto& s : specs) before.push_back(stamp_of(s.path));
  bool tty = isatty(STDERR_FILENO) == 1;
  log::info("running coverage.command in " + ctx.workdir);
  auto run = proc::run(
      ctx.cfg.coverage.command, ctx.workdir, ctx.cfg.coverage.timeout,
      [&](Duration d) {
        log::info("still measuring (" + std::to_string(d.count() / 1000) + " s of " +
                  format_duration(ctx.cfg.coverage.timeout) + ")");
      },
      Duration(tty ? 2'000 : 10'000));
  if (!run) {
    problem(out, Reason::tool_error, run.error().message, false);
    return false;
  }
  if (run->interrupted) {
    out.interrupted = run->interrupted;
    return false;
  }
  if (run->timed_out) {
    problem(out, Reason::tool_error,
            "coverage.command timed out after " + format_duration(ctx.cfg.coverage.timeout) + " and was killed", false);
    return false;
  }
  if (run->exit_code != 0)
    problem(out, Reason::command_failed, "coverage.command exited with status " + std::to_string(run->exit_code), true);
  for (size_t i = 0; i < specs.size(); ++i)
    if (same(before[i], stamp_of(specs[i].path)))
      problem(out, Reason::report_stale,
              specs[i].path + " was not written by this run of coverage.command (a report left from an earlier run)",
              false);
  return measured(out);
}

Reason reason_of(const Error& e) {
  if (e.kind == ErrorKind::not_found) return Reason::report_missing;
  return Reason::report_invalid;
}

void fill_worst(const coverage::Coverage& cov, LinesFacts& out) {
  std::vector<FileRatio> all;
  for (const auto& [path, fc] : cov.files) {
    auto t = fc.totals();
    if (t.total > t.covered) all.push_back({path, Ratio{t.covered, t.total}});
  }
  std::sort(all.begin(), all.end(), [](const FileRatio& a, const FileRatio& b) {
    if (less_than(a.ratio, b.ratio)) return true;
    if (less_than(b.ratio, a.ratio)) return false;
    return a.path < b.path;
  });
  if (all.size() > 10) all.resize(10);
  out.worst = std::move(all);
}

void map_paths(git::Repository& repo, const std::string& measured, coverage::Coverage& cov, LinesFacts& out) {
  auto tracked = repo.tracked_files(measured);
  if (!tracked) {
    out.notes.push_back("report paths not checked against tracked files: " + tracked.error().message);
    return;
  }
  PathMatch m = match_paths(cov, *tracked);
  for (const auto& [from, to] : m.remapped) out.notes.push_back("report path " + from + " mapped to " + to);
  if (!m.unmatched.empty())
    log::warning(std::to_string(m.unmatched.size()) + " report path(s) match no tracked file, e.g. " +
                 m.unmatched.front() + " (fix coverage.path_strip)");
  out.paths = std::move(m);
}

}  // namespace

LinesFacts gather_lines(const Context& ctx, git::Repository& repo, const Options& opts, const std::string& measured) {
  LinesFacts out;
  bool from_command = opts.reports.empty();
  std::vector<coverage::ReportSpec> specs;
  for (const auto& a : from_command ? ctx.cfg.coverage.reports : opts.reports) {
    auto spec = coverage::parse_report_arg(a);
    if (!spec) {
      problem(out, Reason::report_invalid, spec.error().message, false);
      return out;
    }
    spec->path = resolve(from_command ? ctx.workdir : fs::current_path().string(), spec->path);
    specs.push_back(std::move(*spec));
  }
  if (from_command && !run_command(ctx, specs, out)) return out;
  coverage::PathRules rules{ctx.workdir, ctx.cfg.coverage.path_strip};
  auto merged = coverage::read_reports(specs, rules, /*sha256=*/true);
  if (!merged) {
    problem(out, reason_of(merged.error()), merged.error().message, false);
    return out;
  }
  for (const auto& r : merged->reports) {
    std::error_code ec;
    std::string rel = fs::relative(r.path, ctx.workdir, ec).string();
    out.reports.push_back(
        {ec || rel.rfind("..", 0) == 0 ? r.path : rel, std::string(coverage::format_name(r.format)), r.sha256});
  }
  map_paths(repo, measured, merged->merged, out);
  auto t = merged->merged.totals();
  out.line = Ratio{t.covered, t.total};
  if (t.total == 0) problem(out, Reason::nothing_measured, "the reports measure no line at all", false);
  fill_worst(merged->merged, out);
  out.coverage = std::move(merged->merged);
  return out;
}

}  // namespace coverage_gate

#include "queue-report/report.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <utility>

#include "orchkit/records/gate.hpp"
#include "orchkit/util/int128.hpp"
#include "queue-report/report_parts.hpp"

namespace queue_report {

using namespace orchkit;
using state::Lease;
using state::StopRequest;
using state::StopStatus;

namespace {

// The gate record's statuses are the records module's (one vocabulary).
bool known_status(std::string_view s) { return records::gate_status_from(s).has_value(); }

// A pair of counts read from the front matter (line_covered/line_total, patch_...). A pair that is
// present but not two integers with covered <= total is a problem; a missing pair is not.
struct CountPair {
  std::optional<uint64_t> covered = {};
  std::optional<uint64_t> total = {};
  bool valid() const { return covered && total && *covered <= *total; }
};

CountPair read_pair(const FrontMatter& fm, const std::string& prefix, std::vector<std::string>& problems) {
  auto c = fm.get(prefix + "_covered");
  auto t = fm.get(prefix + "_total");
  CountPair p{records::parse_u64(c), records::parse_u64(t)};
  if (!c && !t) return p;
  if (!p.covered || !p.total) problems.push_back(prefix + "_covered/" + prefix + "_total are not two whole numbers");
  else if (*p.covered > *p.total) problems.push_back(prefix + "_covered is larger than " + prefix + "_total");
  return p;
}

std::string pct_of(uint64_t covered, uint64_t total) { return format_ratio_pct(covered, total); }

// The displayed percentage in hundredths: from the counts when they are valid, else from the
// written percentage.
std::optional<int64_t> shown_hundredths(const CountPair& p, const std::optional<std::string>& written) {
  if (p.valid()) return hundredths(*p.covered, *p.total);
  if (written) return parse_hundredths(*written);
  return std::nullopt;
}

std::string fmt_hundredths(int64_t h) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(h / 100), static_cast<long long>(h % 100));
  return buf;
}

// Reads one task folder into a row; stop files are handed back for the stop block.
TaskRow read_row(const TaskFolder& f, std::vector<StopFile>& stop_files) {
  TaskRow row;
  row.key = f.key;
  auto problem = [&](const std::string& file, const std::string& message) {
    row.problems.push_back(Problem{file, message});
  };
  auto check_task = [&](const ArtefactFile& a) {
    auto t = a.fm->get("task");
    if (t && *t != f.key) problem(a.file, "task is '" + *t + "', but the folder is " + f.key);
  };
  std::vector<std::string> updated;

  if (f.stage) {
    row.stage_file = f.stage->file;
    if (!f.stage->fm) {
      problem(f.stage->file, f.stage->problem);
    } else {
      const FrontMatter& fm = *f.stage->fm;
      check_task(*f.stage);
      row.stage = fm.get("stage").value_or("");
      if (row.stage.empty()) problem(f.stage->file, "no stage");
      if (auto g = fm.get("generation")) {
        auto n = fm.get_int("generation");
        if (!n || *n < 1) problem(f.stage->file, "generation '" + *g + "' is not a positive whole number");
        else row.generation = *n;
      }
      if (auto u = fm.get("updated_at")) updated.push_back(*u);
    }
  }

  if (f.coverage) {
    row.coverage_file = f.coverage->file;
    CoverageFacts c;
    if (!f.coverage->fm) {
      problem(f.coverage->file, f.coverage->problem);
    } else {
      const FrontMatter& fm = *f.coverage->fm;
      check_task(*f.coverage);
      std::vector<std::string> bad;
      c.status = fm.get("coverage_status").value_or("");
      if (c.status.empty()) bad.push_back("no coverage_status");
      else if (!known_status(c.status)) {
        bad.push_back("coverage_status '" + c.status + "' is not one of PASS, FAIL, WARN, SKIPPED, ERROR");
        c.status.clear();
      }
      c.target = fm.get("target").value_or("");
      c.commit = fm.get("commit").value_or("");
      CountPair line = read_pair(fm, "line", bad);
      if (line.valid()) {
        c.line_covered = line.covered;
        c.line_total = line.total;
      }
      if (auto h = shown_hundredths(line, fm.get("line_pct"))) c.line_pct = fmt_hundredths(*h);
      CountPair patch = read_pair(fm, "patch", bad);
      if (auto h = shown_hundredths(patch, fm.get("patch_pct"))) c.patch_pct = fmt_hundredths(*h);
      CountPair base = read_pair(fm, "baseline", bad);
      if (auto h = shown_hundredths(base, fm.get("baseline_pct"))) c.gate_baseline_pct = fmt_hundredths(*h);
      for (const auto& [k, n] : records::gate_from(fm).record.diff) {
        if (k == "UNC") c.unc = n;
        if (k == "LBC") c.lbc = n;
      }
      // WARN, ERROR and SKIPPED measured nothing: their zeros are not coverage.
      if (auto st = records::gate_status_from(c.status); st && records::measured_nothing(*st)) {
        c.line_covered.reset();
        c.line_total.reset();
        c.line_pct.reset();
        c.patch_pct.reset();
      }
      for (const auto& b : bad) problem(f.coverage->file, b);
    }
    row.coverage = std::move(c);
  }

  if (f.stop) {
    row.stop_file = f.stop->file;
    if (!f.stop->fm) {
      problem(f.stop->file, f.stop->problem);
    } else {
      const FrontMatter& fm = *f.stop->fm;
      check_task(*f.stop);
      StopFile s{f.key, row.generation, fm.get("status").value_or(""), &fm, f.stop->file, row.generation};
      if (s.status.empty()) problem(f.stop->file, "no status");
      if (auto g = fm.get("generation")) {
        auto n = fm.get_int("generation");
        if (!n || *n < 1) problem(f.stop->file, "generation '" + *g + "' is not a positive whole number");
        else s.generation = *n;
      }
      if (auto u = fm.get("updated_at")) updated.push_back(*u);
      if (!s.status.empty()) stop_files.push_back(std::move(s));
    }
  }
  for (const auto& u : updated) row.updated_at = std::max(row.updated_at, u);
  return row;
}

Trend trend_of(const BranchFacts& b) {
  Trend t;
  t.changes = b.history.size();
  std::vector<int64_t> pts;
  for (const auto& h : b.history) {
    if (h.is(state::HistoryEvent::override_)) ++t.overrides;
    if (h.after) pts.push_back(hundredths(h.after->covered, h.after->total));
  }
  if (pts.empty()) pts.push_back(hundredths(b.baseline.covered, b.baseline.total));
  t.first_pct = fmt_hundredths(pts.front());
  t.last_pct = fmt_hundredths(pts.back());
  int64_t d = pts.back() - pts.front();
  t.change_pp = signed_points(d);
  t.direction = d > 0 ? "up" : d < 0 ? "down" : "flat";
  return t;
}

}  // namespace

std::string_view group_name(Group g) {
  switch (g) {
    case Group::fail: return "fail";
    case Group::deferred_stop: return "deferred_stop";
    case Group::warn: return "warn";
    case Group::broken: return "broken";
    case Group::live: return "live";
    case Group::terminal: return "terminal";
  }
  return "live";
}

int64_t hundredths(uint64_t covered, uint64_t total) {
  if (total == 0) return 10000;  // nothing measurable is fully covered (format_ratio_pct agrees)
  return static_cast<int64_t>(static_cast<u128>(covered) * 10000u / total);
}

std::string signed_points(int64_t h) {
  const char* sign = h > 0 ? "+" : h < 0 ? "-" : "";
  uint64_t a = h < 0 ? static_cast<uint64_t>(-(h + 1)) + 1 : static_cast<uint64_t>(h);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%llu.%02llu", sign, static_cast<unsigned long long>(a / 100),
                static_cast<unsigned long long>(a % 100));
  return buf;
}

std::optional<int64_t> parse_hundredths(std::string_view pct) {
  size_t i = 0;
  int64_t whole = 0;
  for (; i < pct.size() && pct[i] >= '0' && pct[i] <= '9'; ++i) {
    if (i >= 3) return std::nullopt;
    whole = whole * 10 + (pct[i] - '0');
  }
  if (i == 0) return std::nullopt;
  int64_t frac = 0;
  if (i < pct.size()) {
    if (pct[i] != '.' || pct.size() - i - 1 < 1 || pct.size() - i - 1 > 2) return std::nullopt;
    for (size_t j = i + 1; j < pct.size(); ++j) {
      if (pct[j] < '0' || pct[j] > '9') return std::nullopt;
      frac = frac * 10 + (pct[j] - '0');
    }
    if (pct.size() - i - 1 == 1) frac *= 10;
  }
  int64_t h = whole * 100 + frac;
  if (h > 10000) return std::nullopt;
  return h;
}

bool key_less(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      size_t ie = i, je = j;
      while (ie < a.size() && digit(a[ie])) ++ie;
      while (je < b.size() && digit(b[je])) ++je;
      std::string_view na = a.substr(i, ie - i), nb = b.substr(j, je - j);
      while (na.size() > 1 && na.front() == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb.front() == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = ie;
      j = je;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i;
    ++j;
  }
  if ((a.size() - i) != (b.size() - j)) return (a.size() - i) < (b.size() - j);
  return a < b;  // equal naturally ("T-01" and "T-1"): plain order decides
}

std::string iso_from_ms(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<int64_t> ms_from_iso(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SSZ, with optional fractional seconds.
  auto num = [&](size_t pos, size_t len) -> std::optional<int64_t> {
    if (pos + len > s.size()) return std::nullopt;
    int64_t v = 0;
    for (size_t k = pos; k < pos + len; ++k) {
      if (s[k] < '0' || s[k] > '9') return std::nullopt;
      v = v * 10 + (s[k] - '0');
    }
    return v;
  };
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
  auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), se = num(17, 2);
  if (!y || !mo || !d || !h || !mi || !se) return std::nullopt;
  if (*mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *se > 60) return std::nullopt;
  size_t k = 19;
  int64_t frac_ms = 0;
  if (s[k] == '.') {
    size_t digits = 0;
    for (++k; k < s.size() && s[k] >= '0' && s[k] <= '9'; ++k, ++digits)
      if (digits < 3) frac_ms = frac_ms * 10 + (s[k] - '0');
    if (digits == 0) return std::nullopt;
    for (; digits < 3; ++digits) frac_ms *= 10;
  }
  if (k + 1 != s.size() || s[k] != 'Z') return std::nullopt;
  // Days from the civil date (Howard Hinnant's algorithm): no time zone, no clock.
  int64_t yy = *y - (*mo <= 2 ? 1 : 0);
  int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  int64_t yoe = yy - era * 400;
  int64_t doy = (153 * (*mo + (*mo > 2 ? -3 : 9)) + 2) / 5 + *d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = era * 146097 + doe - 719468;
  return ((days * 24 + *h) * 60 + *mi) * 60'000 + *se * 1000 + frac_ms;
}

namespace {

// Stop status and group of one row, from the state's request and tombstone of its live generation.
void classify(TaskRow& row, const StateIndex& idx, const StopFile* sf) {
  TaskGen live{row.key, row.generation};
  auto req = idx.requests.find(live);
  const StopRequest* rq = req == idx.requests.end() ? nullptr : req->second;
  bool tombstoned = idx.task_tombs.count(live) > 0;
  if (rq && (rq->is(StopStatus::deferred) || rq->is(StopStatus::running))) row.stop = rq->status;
  else if (tombstoned) row.stop = "cancelled";
  else if (sf && (sf->generation == row.generation || sf->status == "stale")) row.stop = sf->status;
  else if (sf) row.stop = sf->status + " (generation " + std::to_string(sf->generation) + ")";
  else if (rq) row.stop = rq->status;
  if (rq && rq->updated_at > row.updated_at) row.updated_at = rq->updated_at;
  row.terminal = row.stage == "done" || row.stage == "cancelled" || tombstoned || row.stop == "cancelled";

  if (row.coverage) {
    CoverageFacts& c = *row.coverage;
    auto b = idx.baseline_of.find(c.target);
    if (b != idx.baseline_of.end()) {
      int64_t base = hundredths(b->second->baseline.covered, b->second->baseline.total);
      c.baseline_pct = fmt_hundredths(base);
      if (c.line_pct) c.delta_pp = signed_points(*parse_hundredths(*c.line_pct) - base);
    }
  }
  const std::string status = row.coverage ? row.coverage->status : std::string();
  if ((status == "FAIL" || status == "ERROR") && !row.terminal) row.group = Group::fail;
  else if (row.stop == "deferred") row.group = Group::deferred_stop;
  else if (status == "WARN" && !row.terminal) row.group = Group::warn;
  else if (!row.problems.empty()) row.group = Group::broken;
  else if (!row.terminal) row.group = Group::live;
  else row.group = Group::terminal;
}

void add_branches(const Inputs& in, Report& r) {
  for (const auto& b : in.state.branches) {
    BranchReport br{b.repo, b.branch, b.baseline, pct_of(b.baseline.covered, b.baseline.total), b.history, trend_of(b)};
    std::sort(br.history.begin(), br.history.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
    r.branches.push_back(std::move(br));
  }
  std::sort(r.branches.begin(), r.branches.end(), [&](const BranchReport& a, const BranchReport& b) {
    bool ours_a = a.repo == in.repo, ours_b = b.repo == in.repo;
    if (ours_a != ours_b) return ours_a;
    if (a.repo != b.repo) return a.repo < b.repo;
    return a.branch < b.branch;
  });
}

}  // namespace

StateIndex index_state(const Inputs& in) {
  StateIndex idx;
  for (const auto& b : in.state.branches)
    if (b.repo == in.repo) idx.baseline_of[b.branch] = &b;
  for (const auto& t : in.state.tombstones)
    if (t.kind == state::tombstone_kind_name(state::TombstoneKind::task)) idx.task_tombs[{t.key, t.generation}] = &t;
  for (const auto& s : in.state.stops) idx.requests[{s.task, s.generation}] = &s;
  for (const auto& l : in.state.leases) idx.lease_of[l.name] = &l;
  return idx;
}

Report build_report(const Inputs& in) {
  Report r;
  r.repo = in.repo;
  r.artefacts = in.artefacts;
  r.now = in.now;
  r.chart = in.chart;
  r.floor = in.floor;
  r.state_present = in.state.present;
  const StateIndex idx = index_state(in);

  std::vector<StopFile> stop_files;
  std::map<std::string, int64_t> live_generation;
  for (const auto& f : in.tasks) {
    size_t stops_before = stop_files.size();
    TaskRow row = read_row(f, stop_files);
    live_generation[row.key] = row.generation;
    classify(row, idx, stop_files.size() > stops_before ? &stop_files.back() : nullptr);
    r.tasks.push_back(std::move(row));
  }
  std::sort(r.tasks.begin(), r.tasks.end(), [](const TaskRow& a, const TaskRow& b) {
    if (a.group != b.group) return a.group < b.group;
    if (a.key != b.key) return key_less(a.key, b.key);
    return a.generation < b.generation;
  });
  add_branches(in, r);
  add_stops(in, idx, stop_files, live_generation, r);
  return r;
}

}  // namespace queue_report

// coverage.py JSON (`coverage json`), read with the JSON walker (json_walker.hpp).
//
// Rules (docs/formats.md):
// - coverage.py: per file, executed_lines are covered and missing_lines are not, except executed
//   lines that are also in excluded_lines (a "# pragma: no cover" def runs when its class is
//   defined; coverage.py lists it as executed). Branches, contexts, "functions"/"classes"
//   (coverage.py 7) and percent_covered (which mixes in branches) are ignored. The totals are
//   coverage.py's covered_lines / num_statements, which those records give, with one exception:
//   coverage.py also lists executed docstrings as executed lines although they are not statements
//   (issues #1900, #2105; true of Debian's 6.5), and only the source could tell them apart. When
//   the file's summary agrees with missing_lines (num_statements - covered_lines = their count)
//   but counts fewer covered lines than the records, its {covered_lines, num_statements} is the
//   file's tally; the line records (for patch coverage) keep the docstring lines as covered. A
//   file entry without executed_lines or missing_lines is an error even when it has a summary:
//   coverage is counted from per-line records (SPEC §5), and every coverage.py since 5.0 writes
//   both, so such an entry was not written by `coverage json`.

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "orchkit/coverage/hits.hpp"
#include "orchkit/coverage/json_walker.hpp"
#include "orchkit/coverage/parser.hpp"

namespace orchkit::coverage {
namespace {

using namespace json_walk;  // NOLINT: the walker's vocabulary, internal to the JSON formats

constexpr Flavour kCoveragePy{"coverage.py JSON", "coverage json"};

// for_each_token and parse_line_number in one pass, calling line(n) for each: this loop is where a
// coverage.py report spends most of its time.
template <class F>
void for_each_line_number(std::string_view raw, std::string_view field, const std::string& path, F&& line) {
  auto what = [&] { return "\"" + std::string(field) + "\" of " + in_quotes(path); };
  const char* p = raw.data() + 1;
  while (is_space(*p)) ++p;
  if (*p == ']') return;
  for (;;) {
    const char* start = p;
    uint64_t n = 0;  // wraps on a very long token, which the length check rejects
    while (static_cast<unsigned char>(*p - '0') < 10) n = n * 10 + static_cast<unsigned>(*p++ - '0');
    if (p == start || p - start > 10 || is_token_char(*p) || n > 0xFFFFFFFFull) {
      if (p == start && !is_token_char(*p)) throw Invalid{what() + ": expected a line number", p};
      while (is_token_char(*p)) ++p;
      std::string_view token(start, static_cast<size_t>(p - start));
      throw Invalid{what() + " holds " + in_quotes(token) + ", not a line number", start};
    }
    line(static_cast<uint32_t>(n));
    if (p[0] == ',' && p[1] == ' ' && p[2] != ' ') {  // json.dump's separator, the common case
      p += 2;
      continue;
    }
    while (is_space(*p)) ++p;
    if (*p == ']') return;
    if (*p != ',') throw Invalid{what() + ": expected ',' or ']'", p};
    ++p;
    while (is_space(*p)) ++p;
  }
}

// coverage.py's own counts for a file, when its summary has them.
struct PySummary {
  uint64_t covered = 0;     // covered_lines
  uint64_t statements = 0;  // num_statements
};

std::optional<PySummary> coveragepy_summary(value v) {
  od::object o;
  if (v.get_object().get(o) != simdjson::SUCCESS) return std::nullopt;
  std::optional<uint64_t> covered, statements;
  for (auto member : o) {
    od::field f = take(std::move(member));
    uint64_t n = 0;
    if (f.key() == "covered_lines" && f.value().get_uint64().get(n) == simdjson::SUCCESS) covered = n;
    else if (f.key() == "num_statements" && f.value().get_uint64().get(n) == simdjson::SUCCESS) statements = n;
  }
  if (!covered || !statements) return std::nullopt;
  return PySummary{*covered, *statements};
}

// One file entry into `lines`; returns the file's tally when its line records cannot give
// coverage.py's totals (see the rules at the top).
std::optional<Tally> coveragepy_file(od::object file, const std::string& path, LineSet& lines) {
  std::optional<std::string_view> executed, missing;
  std::string_view excluded_raw = "[]";
  std::optional<PySummary> summary;
  for (auto member : file) {
    od::field f = take(std::move(member));
    std::string_view field;
    if (f.key() == "executed_lines") field = "executed_lines";
    else if (f.key() == "missing_lines") field = "missing_lines";
    else if (f.key() == "excluded_lines") field = "excluded_lines";
    else if (f.key() == "summary") summary = coveragepy_summary(f.value());
    if (field.empty()) continue;
    value v = f.value();
    od::json_type type = od::json_type::null;
    check(v.type().get(type), v, "a line array");
    if (type != od::json_type::array)
      throw Invalid{"\"" + std::string(field) + "\" of " + in_quotes(path) + " is not an array",
                    v.raw_json_token().data()};
    std::string_view raw = flat_array_text(v, "a line array");
    if (field == "executed_lines") executed = raw;
    else if (field == "missing_lines") missing = raw;
    else excluded_raw = raw;
  }
  if (!executed || !missing)
    throw Invalid{in_quotes(path) + " has no \"" + (executed ? "missing_lines" : "executed_lines") + "\"", nullptr,
                  "line coverage is counted from executed_lines and missing_lines, never from a summary; "
                  "re-create the report with `coverage json`"};

  // coverage.py lists executed lines that are not statements when they are excluded ("# pragma:
  // no cover" on a def that runs) or docstrings; excluded ones are dropped here.
  std::vector<uint32_t> excluded;
  for_each_line_number(excluded_raw, "excluded_lines", path, [&](uint32_t n) { excluded.push_back(n); });
  std::sort(excluded.begin(), excluded.end());
  auto is_excluded = [&](uint32_t n) {
    return !excluded.empty() && std::binary_search(excluded.begin(), excluded.end(), n);
  };

  // coverage.py writes the arrays sorted: adding the largest line first sizes the bitset once
  // (LineSet grows by doubling, and peak memory counts). It is a real record, so adding it as
  // not covered is undone below if it is covered.
  std::optional<uint32_t> top = last_line(*missing), last_executed = last_line(*executed);
  if (last_executed && !is_excluded(*last_executed)) top = std::max(top, last_executed);
  if (top) lines.add(*top, false);

  uint64_t covered = 0, not_covered = 0;
  for_each_line_number(*executed, "executed_lines", path, [&](uint32_t n) {
    if (is_excluded(n)) return;
    lines.add(n, true);
    ++covered;
  });
  for_each_line_number(*missing, "missing_lines", path, [&](uint32_t n) {
    lines.add(n, false);
    ++not_covered;
  });
  // Executed docstrings cannot be told from statements without the source: when the summary
  // agrees with missing_lines but counts fewer covered lines, its counts are coverage.py's totals.
  if (summary && summary->statements >= summary->covered && summary->statements - summary->covered == not_covered &&
      summary->covered < covered)
    return Tally{summary->covered, summary->statements};
  return std::nullopt;
}

}  // namespace

// A large report on every core: the outline walk (the one a single pass makes, entries skipped)
// hands each file entry to the workers as it finds it (ParallelEntries, json_walker.hpp).
std::optional<Coverage> parse_coveragepy_in_parallel(std::string_view text, std::string_view name) noexcept try {
  ParallelEntries entries(text, name, kCoveragePy, [](od::object file, Entry& e, LineBuffer&) {
    e.tally = coveragepy_file(file, e.path, e.lines);
  });
  Doc outline(text, name, kCoveragePy);
  bool has_files = false;
  auto walked = outline.root([&](std::string_view key, size_t) -> Result<void> {
    if (key != "files") return outline.skip_value();
    has_files = true;
    return outline.object("files", [&](std::string_view raw, size_t at) -> Result<void> {
      ORCHKIT_TRY(path, outline.file_name(raw, at));
      return entries.push_object(outline, std::move(path));
    });
  });
  return entries.joined(walked && has_files);
} catch (...) {
  return std::nullopt;
}

Result<Coverage> parse_coveragepy_json(std::string_view text, std::string_view name) {
  return parallel_or_one_pass(text, name, parse_coveragepy_in_parallel, parse_coveragepy_json_one_pass);
}

Result<Coverage> parse_coveragepy_json_one_pass(std::string_view text, std::string_view name) {
  return guarded(name, [&]() -> Result<Coverage> {
    Doc doc(text, name, kCoveragePy);
    Coverage cov;
    bool has_files = false;
    Result<void> walked = (doc.root([&](std::string_view key, size_t) -> Result<void> {
      if (key != "files") return doc.skip_value();
      has_files = true;
      return doc.object("an object of files after \"files\"", [&](std::string_view raw, size_t at) -> Result<void> {
        ORCHKIT_TRY(path, doc.file_name(raw, at));
        bool named_before = cov.files.count(path) != 0;
        FileCoverage& fc = cov.file(path);
        std::optional<Tally> tally;
        ORCHKIT_CHECK(doc.parse_object([&] { return "the entry of " + in_quotes(path); },
                                       [&](od::object file) { tally = coveragepy_file(file, path, fc.lines); }));
        if (named_before) fc.tally.reset();  // a file named twice merges: lines count
        else fc.tally = tally;
        return {};
      });
    }));
    if (!walked) return fail(std::move(walked).error());
    if (!has_files) return doc.error_at(0, "no \"files\" in the report", doc.not_this_format());
    return cov;
  });
}

}  // namespace orchkit::coverage

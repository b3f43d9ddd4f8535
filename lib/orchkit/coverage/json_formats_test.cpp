#include <catch2/catch.hpp>

#include "orchkit/coverage/parser.hpp"

using namespace orchkit::coverage;

namespace {

Coverage parsed(Format f, std::string_view text) {
  auto r = parse_text(f, text, "t.json");
  if (!r) FAIL(r.error().message);
  return std::move(r).value();
}
Tally totals_of(Format f, std::string_view text) { return parsed(f, text).totals(); }

std::string error_of(Format f, std::string_view text) {
  auto r = parse_text(f, text, "t.json");
  REQUIRE_FALSE(r.has_value());
  const std::string& m = r.error().message;
  // Every error is one line: "<name>:<line>: <what> (<what to do>)".
  CHECK(m.rfind("t.json:", 0) == 0);
  CHECK(m.find('\n') == std::string::npos);
  CHECK(m.back() == ')');
  return m;
}
bool starts(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }
bool has(const std::string& s, std::string_view needle) { return s.find(needle) != std::string::npos; }

constexpr Format kPy = Format::coveragepy_json;
constexpr Format kGcovr = Format::gcovr_json;
constexpr Format kLlvm = Format::llvm_cov_json;

}  // namespace

// ---- coverage.py ----

TEST_CASE("coveragepy-json: executed and missing lines make the totals, a summary that disagrees is not used") {
  std::string_view t = R"({"meta": {"version": "6.5.0", "branch_coverage": false},
    "files": {
      "a.py": {"executed_lines": [1, 2, 3], "summary": {"covered_lines": 99, "num_statements": 99},
               "missing_lines": [5], "excluded_lines": [4, 6]},
      "b.py": {"executed_lines": [], "summary": {}, "missing_lines": [1, 2], "excluded_lines": []}
    },
    "totals": {"covered_lines": 1000, "num_statements": 1000}})";
  Coverage cov = parsed(kPy, t);
  CHECK(cov.files.size() == 2);
  CHECK(cov.files.at("a.py").totals() == Tally{3, 4});
  CHECK(cov.files.at("b.py").totals() == Tally{0, 2});
  CHECK_FALSE(cov.files.at("a.py").lines.is_measured(4));  // excluded
  CHECK(cov.files.at("a.py").lines.is_covered(2));
  CHECK_FALSE(cov.files.at("a.py").lines.is_covered(5));
  CHECK(cov.totals() == Tally{3, 6});
}

TEST_CASE("coveragepy-json: executed lines that are excluded are not counted") {
  // coverage.py 6.5's own output: the def line under "# pragma: no cover" (20) runs when the
  // class is defined, and is listed as executed although it is excluded; coverage.py's totals
  // (and `coverage report`) say 9 of 14.
  std::string_view t = R"({"files": {"mod.py": {"executed_lines": [1, 2, 3, 4, 6, 9, 16, 17, 18, 20],
    "summary": {"covered_lines": 9, "num_statements": 14, "percent_covered": 64.28571428571429,
                "percent_covered_display": "64", "missing_lines": 5, "excluded_lines": 2},
    "missing_lines": [5, 10, 11, 12, 13], "excluded_lines": [20, 21]}}})";
  Coverage cov = parsed(kPy, t);
  CHECK(cov.totals() == Tally{9, 14});
  CHECK_FALSE(cov.files.at("mod.py").lines.is_measured(20));
  CHECK_FALSE(cov.files.at("mod.py").tally.has_value());
}

TEST_CASE("coveragepy-json: executed docstrings make the summary the file's tally") {
  // coverage.py 6.5's own output for a module whose module and class docstrings (1, 15) run:
  // they are listed as executed but are not statements (coverage.py issues #1900, #2105), and
  // only the summary knows. It agrees with missing_lines, so its counts are the totals.
  std::string_view t = R"({"files": {"doc.py": {"executed_lines": [1, 5, 8, 10, 14, 15, 17, 22, 23, 27, 30, 33],
    "summary": {"covered_lines": 8, "num_statements": 8, "percent_covered": 100.0, "missing_lines": 0, "excluded_lines": 4},
    "missing_lines": [], "excluded_lines": [23, 24, 27, 28]}}})";
  Coverage cov = parsed(kPy, t);
  const FileCoverage& f = cov.files.at("doc.py");
  CHECK(f.tally == Tally{8, 8});
  CHECK(f.lines.measured() == 10);  // the line records keep the docstrings: nothing tells them apart
  CHECK(cov.totals() == Tally{8, 8});
  // A summary that does not match missing_lines, or counts more covered lines than listed, is
  // not coverage.py's: the line records count.
  CHECK(totals_of(kPy, R"({"files": {"a.py": {"executed_lines": [1, 2], "missing_lines": [3],
                           "summary": {"covered_lines": 1, "num_statements": 3}}}})") == Tally{2, 3});
  CHECK(totals_of(kPy, R"({"files": {"a.py": {"executed_lines": [1, 2], "missing_lines": [3],
                           "summary": {"covered_lines": 1, "num_statements": 2}}}})") == Tally{1, 2});
  CHECK(totals_of(kPy, R"({"files": {"a.py": {"executed_lines": [1], "missing_lines": [3],
                           "summary": {"covered_lines": 5, "num_statements": 6}}}})") == Tally{1, 2});
  CHECK(totals_of(kPy, R"({"files": {"a.py": {"executed_lines": [1, 2], "missing_lines": [3],
                           "summary": {"covered_lines": "1", "num_statements": 2}}}})") == Tally{2, 3});
  // Named twice, the file merges by lines.
  CHECK(totals_of(kPy, R"({"files": {"a.py": {"executed_lines": [1, 2], "missing_lines": [3],
                           "summary": {"covered_lines": 1, "num_statements": 2}},
                           "a.py": {"executed_lines": [], "missing_lines": [4]}}})") == Tally{2, 4});
}

TEST_CASE(
    "coveragepy-json: with branch coverage, totals are lines (covered_lines/num_statements), not percent_covered") {
  // coverage.py's own output for a module with a partial branch: percent_covered is 62.5
  // ((4 lines + 1 branch) / (6 + 2)), line coverage is 4 of 6.
  std::string_view t = R"({"meta": {"version": "6.5.0", "branch_coverage": true, "show_contexts": false},
    "files": {"mod.py": {"executed_lines": [1, 2, 3, 7],
      "summary": {"covered_lines": 4, "num_statements": 6, "percent_covered": 62.5, "percent_covered_display": "62",
                  "missing_lines": 2, "excluded_lines": 0, "num_branches": 2, "num_partial_branches": 1,
                  "covered_branches": 1, "missing_branches": 1},
      "missing_lines": [5, 8], "excluded_lines": [], "executed_branches": [[2, 3]], "missing_branches": [[2, 5]]}},
    "totals": {"covered_lines": 4, "num_statements": 6, "percent_covered": 62.5}})";
  CHECK(totals_of(kPy, t) == Tally{4, 6});
}

TEST_CASE("coveragepy-json: coverage.py 7 contexts, functions and classes are ignored") {
  std::string_view t = R"({"meta": {"format": 3}, "files": {"m.py": {
      "executed_lines": [1, 2], "summary": {}, "missing_lines": [3], "excluded_lines": [],
      "contexts": {"1": [""], "2": ["test_x"]},
      "functions": {"f": {"executed_lines": [10, 11], "missing_lines": [12], "summary": {}}},
      "classes": {"": {"executed_lines": [1], "missing_lines": [99], "summary": {}}}}}})";
  Coverage cov = parsed(kPy, t);
  CHECK(cov.totals() == Tally{2, 3});
  CHECK_FALSE(cov.files.at("m.py").lines.is_measured(99));
}

TEST_CASE("coveragepy-json: pretty-printed, CRLF, unsorted and repeated lines") {
  std::string_view t =
      "{\r\n    \"files\": {\r\n        \"a.py\": {\r\n            \"executed_lines\": [\r\n                9,\r\n"
      "                3\r\n            ],\r\n            \"missing_lines\": [ 3 , 4 ,4 ]\r\n        }\r\n    }\r\n}\r\n";
  CHECK(totals_of(kPy, t) == Tally{2, 3});  // 3 is executed and missing: covered
}

TEST_CASE("coveragepy-json: escaped file names are unescaped, a file named twice merges") {
  std::string_view t = R"({"files": {"caf\u00e9/\"q\".py": {"executed_lines": [1], "missing_lines": []},
                                      "x.py": {"executed_lines": [1], "missing_lines": [2]},
                                      "x.py": {"executed_lines": [2], "missing_lines": [3]}}})";
  Coverage cov = parsed(kPy, t);
  CHECK(cov.files.count("caf\xC3\xA9/\"q\".py") == 1);
  CHECK(cov.files.at("x.py").totals() == Tally{2, 3});
}

TEST_CASE("coveragepy-json: absurd line numbers are kept sparse") {
  CHECK(totals_of(kPy, R"({"files": {"a.py": {"executed_lines": [4294967295], "missing_lines": [0, 4000000000]}}})") ==
        Tally{1, 3});
}

TEST_CASE("coveragepy-json: a file without executed_lines or missing_lines is an error, even with a summary") {
  // The summary cannot be checked against anything: coverage is recomputed from per-line
  // records (SPEC 5), and coverage.py has always written both arrays.
  auto e = error_of(kPy, "{\"files\": {\n\"a.py\": {\"summary\": {\"covered_lines\": 3, \"num_statements\": 4}}}}");
  CHECK(starts(e, "t.json:2: 'a.py' has no \"executed_lines\" ("));
  CHECK(has(e, "never from a summary"));
  CHECK(has(error_of(kPy, R"({"files": {"a.py": {"executed_lines": [1]}}})"), "'a.py' has no \"missing_lines\""));
}

TEST_CASE("coveragepy-json: values that are not line numbers name the file and the value") {
  CHECK(has(error_of(kPy, R"({"files": {"a.py": {"executed_lines": [1, -2], "missing_lines": []}}})"),
            "\"executed_lines\" of 'a.py' holds '-2', not a line number"));
  CHECK(has(error_of(kPy, R"({"files": {"a.py": {"executed_lines": [1.5], "missing_lines": []}}})"), "holds '1.5'"));
  CHECK(has(error_of(kPy, R"({"files": {"a.py": {"executed_lines": [], "missing_lines": [99999999999]}}})"),
            "\"missing_lines\" of 'a.py' holds '99999999999'"));
  CHECK(has(error_of(kPy, R"({"files": {"a.py": {"executed_lines": ["3"], "missing_lines": []}}})"),
            "expected a line number"));
  CHECK(has(error_of(kPy, R"({"files": {"a.py": {"executed_lines": [1,,2], "missing_lines": []}}})"),
            "expected a line number"));
  CHECK(has(error_of(kPy, R"({"files": {"a.py": {"executed_lines": [1 2], "missing_lines": []}}})"),
            "expected ',' or ']'"));
  CHECK(has(error_of(kPy, R"({"files": {"a.py": {"executed_lines": [1, ], "missing_lines": []}}})"),
            "expected a line number"));
  CHECK(has(error_of(kPy, R"({"files": {"a.py": {"executed_lines": [[1]], "missing_lines": []}}})"),
            "expected a line number"));
  CHECK(
      has(error_of(kPy, R"({"files": {"a.py": {"executed_lines": [], "missing_lines": [], "excluded_lines": ["x"]}}})"),
          "\"excluded_lines\" of 'a.py': expected a line number"));
  CHECK(has(error_of(kPy, R"({"files": {"a.py": {"executed_lines": [], "missing_lines": [], "excluded_lines": 3}}})"),
            "\"excluded_lines\" of 'a.py' is not an array"));
}

TEST_CASE("coveragepy-json: a string where an array is expected") {
  auto e = error_of(kPy, "{\"files\": {\"a.py\": {\n\"executed_lines\": \"1,2\", \"missing_lines\": []}}}");
  CHECK(starts(
      e,
      "t.json:2: \"executed_lines\" of 'a.py' is not an array (the report is malformed; re-create it with `coverage json`)"));
  CHECK(has(error_of(kPy, R"({"files": ["a.py"]})"), "expected an object of files after \"files\""));
  CHECK(has(error_of(kPy, R"({"files": {"a.py": [1, 2]}})"), "expected an object for the entry of 'a.py'"));
}

TEST_CASE("coveragepy-json: a valid report with no files is 0 of 0") {
  Coverage cov = parsed(
      kPy, R"({"meta": {"version": "7.4.0"}, "files": {}, "totals": {"covered_lines": 0, "num_statements": 0}})");
  CHECK(cov.files.empty());
  CHECK(cov.totals() == Tally{0, 0});
}

TEST_CASE("coveragepy-json: a UTF-8 byte order mark is skipped") {
  // RFC 8259 forbids it in JSON, but Windows tools write one and it means nothing; the reader
  // passes the text as-is (format sniffing already skips it), so the parser skips it too.
  CHECK(totals_of(kPy, "\xEF\xBB\xBF{\"files\": {\"a.py\": {\"executed_lines\": [1], \"missing_lines\": [2]}}}") ==
        Tally{1, 2});
}

// ---- bad documents, whatever the format ----

TEST_CASE("json reports: truncated documents say so, with the line") {
  std::string_view t = "{\"meta\": {},\n\"files\": {\n\"a.py\": {\"executed_lines\": [1, 2";
  auto e = error_of(kPy, t);
  CHECK(starts(e, "t.json:3: the report ends inside brackets (the report is truncated; re-run the coverage command)"));
  CHECK(has(error_of(kPy, "{\"files\": {\"a.py"), "the report ends inside a string (the report is truncated"));
  CHECK(has(error_of(kPy, "{\"files\": {}"), "expected ',' or '}' (the report is truncated"));
  CHECK(has(error_of(kPy, "{\"files\": {},"), "expected a key in quotes (the report is truncated"));
  CHECK(has(error_of(kGcovr, "{\"files\": [{\"file\": \"a.c\", \"lines\": []}"), "(the report is truncated"));
  CHECK(has(error_of(kLlvm, "{\"data\": [{\"files\": [{\"filename\": \"a.c\""), "(the report is truncated"));
}

TEST_CASE("json reports: garbage, empty input and trailing text") {
  CHECK(has(error_of(kPy, "hello"),
            "t.json:1: expected a JSON object (is this a coverage.py JSON report? force the format"));
  CHECK(has(error_of(kGcovr, "[1, 2]"), "expected a JSON object (is this a gcovr JSON report?"));
  CHECK(has(error_of(kPy, ""), "t.json:1: the report is empty (re-run the coverage command)"));
  CHECK(has(error_of(kPy, " \n\t "), "the report is empty"));
  CHECK(has(error_of(kPy, "{\"files\": {}} {}"), "unexpected text after the report"));
  CHECK(has(error_of(kPy, "{\"meta\": nope, \"files\": {}}"), "'nope' is not a JSON value"));
  CHECK(has(error_of(kPy, "{\"files\" {}}"), "expected ':'"));
  CHECK(has(error_of(kPy, "{\"files\": {}]"), "expected ',' or '}'"));
  CHECK(has(error_of(kPy, "{\"meta\": [1, 2}, \"files\": {}}"), "expected ']' but found '}'"));
  CHECK(has(error_of(kPy, std::string_view("{\"files\": {\"a\0b\": 1}}", 22)), "a file name with a control character"));
  CHECK(has(error_of(kPy, R"({"files": {"a\u0001": {}}})"), "a file name with a control character"));
  CHECK(has(error_of(kPy, "{\"files\": {\"\xFF.py\": {\"executed_lines\": [], \"missing_lines\": []}}}"),
            "is not valid UTF-8"));
  CHECK(has(error_of(kPy, "{\"files\": {\"\": {\"executed_lines\": [], \"missing_lines\": []}}}"),
            "a file with an empty name"));
}

TEST_CASE("json reports: JSON errors inside a file entry come from simdjson, with the line") {
  auto e = error_of(kPy, "{\"files\": {\"a.py\": {\n\"executed_lines\": [1],\n\"missing_lines\" [2]}}}");
  CHECK(starts(e, "t.json:3: "));
  CHECK(has(e, "(the report is malformed; re-create it with `coverage json`)"));
  e = error_of(kGcovr, "{\"files\": [{\"file\": \"a.c\", \"lines\": [\n{\"line_number\": 1 \"count\": 2}]}]}");
  CHECK(starts(e, "t.json:2: "));
}

TEST_CASE("json reports: the empty object is not a report") {
  CHECK(has(error_of(kPy, "{}"), "no \"files\" in the report (is this a coverage.py JSON report?"));
  CHECK(has(error_of(kGcovr, "{}"), "no \"files\" in the report (is this a gcovr JSON report?"));
  CHECK(has(error_of(kLlvm, "{}"), "no \"data\" in the report (is this a llvm-cov export JSON report?"));
}

TEST_CASE("json reports: absurd nesting is an error, not a crash") {
  std::string deep(10000, '[');
  CHECK(has(error_of(kPy, "{\"files\": {\"a.py\": {\"executed_lines\": " + deep), "nested deeper than 1024 levels"));
  std::string balanced = "{\"meta\": " + deep + std::string(10000, ']') + ", \"files\": {}}";
  CHECK(has(error_of(kPy, balanced), "nested deeper than 1024 levels"));
  CHECK(has(error_of(kLlvm, "{\"data\": [{\"functions\": " + deep), "nested deeper than 1024 levels"));
  CHECK(has(error_of(kLlvm, "{\"data\": " + deep), "expected an object in \"data\""));
  CHECK(has(error_of(kGcovr, deep), "expected a JSON object"));
  // Deep but within the limit, in a part nobody reads: fine.
  std::string ok = "{\"meta\": " + std::string(1000, '[') + std::string(1000, ']') + ", \"files\": {}}";
  CHECK(totals_of(kPy, ok) == Tally{0, 0});
}

// ---- gcovr ----

TEST_CASE("gcovr-json: noncode lines are skipped, a line is covered if its count > 0") {
  // gcovr 5.2's own output for a small C file; `gcovr --print-summary` says lines: 9 out of 11.
  std::string_view t = R"({"files": [{"file": "prog.c", "functions": [{"execution_count": 3, "lineno": 2, "name": "f"}],
    "lines": [
      {"branches": [], "count": 3, "gcovr/excluded": false, "gcovr/noncode": false, "line_number": 2},
      {"branches": [{"count": 3, "fallthrough": true, "throw": false}], "count": 3, "gcovr/excluded": false, "gcovr/noncode": false, "line_number": 3},
      {"branches": [], "count": 3, "gcovr/excluded": false, "gcovr/noncode": false, "line_number": 4},
      {"branches": [], "count": 0, "gcovr/excluded": false, "gcovr/noncode": true, "line_number": 5},
      {"branches": [], "count": 0, "gcovr/excluded": false, "gcovr/noncode": false, "line_number": 6},
      {"branches": [], "count": 0, "gcovr/excluded": false, "gcovr/noncode": true, "line_number": 7},
      {"branches": [], "count": 0, "gcovr/excluded": false, "gcovr/noncode": false, "line_number": 8},
      {"branches": [], "count": 1, "gcovr/excluded": false, "gcovr/noncode": false, "line_number": 9},
      {"branches": [], "count": 1, "gcovr/excluded": false, "gcovr/noncode": false, "line_number": 11},
      {"branches": [], "count": 4, "gcovr/excluded": false, "gcovr/noncode": false, "line_number": 12},
      {"branches": [], "count": 1, "gcovr/excluded": false, "gcovr/noncode": false, "line_number": 13},
      {"branches": [], "count": 1, "gcovr/excluded": false, "gcovr/noncode": false, "line_number": 14},
      {"branches": [], "count": 1, "gcovr/excluded": false, "gcovr/noncode": false, "line_number": 15},
      {"branches": [], "count": 0, "gcovr/excluded": true, "gcovr/noncode": true, "line_number": 16}
    ]}], "gcovr/format_version": "0.3"})";
  Coverage cov = parsed(kGcovr, t);
  CHECK(cov.totals() == Tally{9, 11});
  CHECK_FALSE(cov.files.at("prog.c").lines.is_measured(5));
  CHECK_FALSE(cov.files.at("prog.c").tally.has_value());
}

TEST_CASE("gcovr-json: duplicated line numbers merge, covered if any record is") {
  std::string_view t = R"({"gcovr/format_version": "0.3", "files": [
    {"file": "a.c", "lines": [{"line_number": 1, "count": 0}, {"line_number": 1, "count": 2},
                              {"line_number": 2, "count": 0}, {"line_number": 2, "count": 0},
                              {"line_number": 3, "count": 0, "gcovr/noncode": true}, {"line_number": 3, "count": 0}]},
    {"file": "a.c", "lines": [{"line_number": 2, "count": 5}, {"line_number": 4, "count": 0}]}]})";
  Coverage cov = parsed(kGcovr, t);
  CHECK(cov.files.size() == 1);
  CHECK(cov.totals() == Tally{2, 4});
}

TEST_CASE("gcovr-json: huge, negative and float counts read as hit or not hit") {
  std::string_view t = R"({"files": [{"file": "a.c", "lines": [
    {"line_number": 1, "count": 18446744073709551616}, {"line_number": 2, "count": 99999999999999999999999999},
    {"line_number": 3, "count": -1}, {"line_number": 4, "count": 1e300}, {"line_number": 5, "count": 0.0},
    {"line_number": 6, "count": 0}]}]})";
  CHECK(totals_of(kGcovr, t) == Tally{3, 6});
}

TEST_CASE("gcovr-json: malformed entries name what is wrong") {
  CHECK(has(error_of(kGcovr, R"({"files": [{"lines": []}]})"), "a file entry without \"file\""));
  CHECK(has(error_of(kGcovr, R"({"files": [{"file": 3, "lines": []}]})"), "\"file\" is not a string"));
  CHECK(has(error_of(kGcovr, R"({"files": [{"file": "a.c", "lines": "none"}]})"), "\"lines\" is not an array"));
  CHECK(has(error_of(kGcovr, R"({"files": [{"file": "a.c", "lines": [{"line_number": 1, "count": "5"}]}]})"),
            "\"count\" '\"5\"' is not a number"));
  CHECK(has(error_of(kGcovr, R"({"files": [{"file": "a.c", "lines": [{"count": 5}]}]})"),
            "a line without \"line_number\""));
  CHECK(has(error_of(kGcovr, R"({"files": [{"file": "a.c", "lines": [{"line_number": 1}]}]})"),
            "a line without \"count\""));
  CHECK(has(error_of(kGcovr, R"({"files": [{"file": "a.c", "lines": [{"line_number": -1, "count": 1}]}]})"),
            "\"line_number\" holds '-1', not a line number"));
  CHECK(has(error_of(kGcovr, R"({"files": {"a.c": {}}})"), "expected an array of files after \"files\""));
  CHECK(totals_of(kGcovr, R"({"files": []})") == Tally{0, 0});
}

// ---- llvm-cov ----

namespace {
// `llvm-cov-14 export` of a small C file: 15 lines mapped (2..16), 12 covered (5, 6, 8 not).
constexpr std::string_view kLlvmProg =
    R"({"data": [{"files": [{"branches": [[12, 19, 12, 24, 3, 1, 0, 0, 4]], "expansions": [],
  "filename": "/src/prog.c",
  "segments": [[2, 21, 3, true, true, false], [3, 7, 3, true, true, false], [3, 12, 3, true, false, false],
    [4, 5, 3, true, true, false], [4, 13, 3, true, false, false], [4, 14, 0, true, false, true],
    [6, 5, 0, true, true, false], [6, 13, 3, true, false, false], [7, 2, 0, false, false, false],
    [8, 25, 0, true, true, false], [8, 38, 0, false, false, false], [9, 33, 1, true, true, false],
    [12, 19, 4, true, true, false], [12, 24, 1, true, false, false], [12, 26, 3, true, true, false],
    [12, 29, 1, true, false, false], [12, 30, 3, true, false, true], [12, 31, 3, true, true, false],
    [12, 43, 1, true, false, false], [13, 7, 1, true, true, false], [13, 15, 1, true, false, false],
    [13, 16, 0, true, false, true], [13, 17, 0, true, true, false], [13, 35, 1, true, false, false],
    [16, 2, 0, false, false, false]],
  "summary": {"branches": {"count": 6, "covered": 4}, "functions": {"count": 3, "covered": 2},
              "lines": {"count": 15, "covered": 12, "percent": 80}, "regions": {"count": 11, "covered": 8}}}],
  "functions": [{"count": 3, "filenames": ["/src/prog.c"], "name": "f", "regions": [[2, 21, 7, 2, 3, 0, 0, 0]]}],
  "totals": {"lines": {"count": 15, "covered": 12}}}],
  "type": "llvm.coverage.json.export", "version": "2.0.1"})";
}  // namespace

TEST_CASE("llvm-cov-json: totals from the summary, lines derived from the segments") {
  Coverage cov = parsed(kLlvm, kLlvmProg);
  const FileCoverage& f = cov.files.at("/src/prog.c");
  CHECK(f.tally == Tally{12, 15});
  CHECK(f.lines.measured() == 15);
  CHECK(f.lines.covered() == 12);
  for (uint32_t line : {5u, 6u, 8u}) {
    CHECK(f.lines.is_measured(line));
    CHECK_FALSE(f.lines.is_covered(line));
  }
  CHECK(f.lines.is_covered(7));  // no region starts there, the wrapped one (count 3) covers it
  CHECK_FALSE(f.lines.is_measured(1));
  CHECK_FALSE(f.lines.is_measured(17));
}

TEST_CASE("llvm-cov-json: the summary wins over the derived lines for the totals") {
  // llvm-cov counts a line once per function that maps it: two functions on one line are 2 lines.
  std::string_view t = R"({"data": [{"files": [{"filename": "a.c",
    "segments": [[1, 1, 1, true, true, false], [1, 10, 0, false, false, false], [1, 11, 0, true, true, false], [1, 20, 0, false, false, false]],
    "summary": {"lines": {"count": 2, "covered": 1}}}]}], "type": "llvm.coverage.json.export"})";
  Coverage cov = parsed(kLlvm, t);
  CHECK(cov.totals() == Tally{1, 2});
  CHECK(cov.files.at("a.c").lines.measured() == 1);
  CHECK(cov.files.at("a.c").lines.is_covered(1));
}

TEST_CASE("llvm-cov-json: without a summary the derived lines count") {
  std::string_view t = R"({"data": [{"files": [{"filename": "a.c", "segments": [
    [1, 1, 5, true, true, false], [3, 1, 0, true, true, false], [4, 1, 0, true, false, true],
    [5, 1, 0, false, true, false], [6, 1, 2, true, true, false], [6, 9, 0, false, false, false]]}]}]})";
  // 1: counted region start; 2: no segment, the wrapped count (5); 3: a region with count 0
  // starts, but LLVM takes the larger of it and the wrapped count (5): covered; 4: a gap region
  // only, measured through the wrapped segment (count 0); 5: starts a skipped region (no count):
  // not measured; 6: counted region start.
  Coverage cov = parsed(kLlvm, t);
  const FileCoverage& f = cov.files.at("a.c");
  CHECK_FALSE(f.tally.has_value());
  CHECK(f.totals() == Tally{4, 5});
  CHECK(f.lines.is_covered(2));
  CHECK(f.lines.is_covered(3));
  CHECK(f.lines.is_measured(4));
  CHECK_FALSE(f.lines.is_covered(4));
  CHECK_FALSE(f.lines.is_measured(5));
  CHECK(f.lines.is_covered(6));
}

TEST_CASE("llvm-cov-json: a gap region alone does not map a line after an uncounted segment") {
  std::string_view t = R"({"data": [{"files": [{"filename": "a.c", "segments": [
    [1, 1, 1, true, true, false], [1, 5, 0, false, false, false], [2, 1, 7, true, true, true], [2, 9, 0, false, false, false]]}]}]})";
  Coverage cov = parsed(kLlvm, t);
  CHECK(cov.files.at("a.c").lines.measured() == 1);  // line 2 only starts a gap region
}

TEST_CASE("llvm-cov-json: several data entries merge, the tally of a file named twice is dropped") {
  std::string_view t = R"({"data": [
    {"files": [{"filename": "a.c", "segments": [[1, 1, 1, true, true, false], [1, 9, 0, false, false, false]], "summary": {"lines": {"count": 1, "covered": 1}}},
               {"filename": "b.c", "segments": [[1, 1, 0, true, true, false], [1, 9, 0, false, false, false]], "summary": {"lines": {"count": 1, "covered": 0}}}]},
    {"files": [{"filename": "a.c", "segments": [[5, 1, 0, true, true, false], [5, 9, 0, false, false, false]], "summary": {"lines": {"count": 1, "covered": 0}}}]}]})";
  Coverage cov = parsed(kLlvm, t);
  CHECK_FALSE(cov.files.at("a.c").tally.has_value());
  CHECK(cov.files.at("a.c").totals() == Tally{1, 2});
  CHECK(cov.files.at("b.c").tally == Tally{0, 1});
  CHECK(cov.totals() == Tally{1, 3});
}

TEST_CASE("llvm-cov-json: old 5-field segments, huge counts, numeric flags") {
  std::string_view t = R"({"data": [{"files": [{"filename": "a.c", "segments": [
    [1, 1, 18446744073709551615, true, true], [1, 9, 0, false, false], [2, 1, 0, 1, 1, 0], [2, 5, 0, 0, 0, 0],
    [3, 1, 9223372036854775807, 1, 1, 0], [3, 5, 0, 0, 0, 0]]}]}]})";
  CHECK(totals_of(kLlvm, t) == Tally{2, 3});
}

TEST_CASE("llvm-cov-json: a hostile gap between segment lines is bounded") {
  std::string_view t = R"({"data": [{"files": [{"filename": "a.c", "segments": [
    [1, 1, 1, true, true, false], [4000000000, 1, 1, true, true, false]]}]}]})";
  Coverage cov = parsed(kLlvm, t);
  CHECK(cov.totals() == Tally{LineSet::kDenseLimit, LineSet::kDenseLimit});  // 1 .. 4Mi-1, and 4000000000
}

TEST_CASE("llvm-cov-json: malformed entries name what is wrong") {
  auto files = [](std::string_view file) { return "{\"data\": [{\"files\": [" + std::string(file) + "]}]}"; };
  CHECK(has(error_of(kLlvm, files(R"({"segments": []})")), "a file entry without \"filename\""));
  CHECK(
      has(error_of(kLlvm, files(R"({"filename": "a.c", "segments": [[1, 1, 1, true]]})")), "a segment with 4 fields"));
  CHECK(has(
      error_of(
          kLlvm,
          files(R"({"filename": "a.c", "segments": [[2, 1, 1, true, true, false], [1, 1, 1, true, true, false]]})")),
      "the segments are not in line order"));
  CHECK(has(error_of(kLlvm, files(R"({"filename": "a.c", "segments": [["1", 1, 1, true, true, false]]})")),
            "expected a number or true/false"));
  CHECK(has(error_of(kLlvm, files(R"({"filename": "a.c", "segments": [[1, 1, 1, "yes", true, false]]})")),
            "expected a number or true/false"));
  CHECK(has(error_of(kLlvm, files(R"({"filename": "a.c", "segments": [[1, 1, 1, maybe, true, false]]})")),
            "hasCount 'maybe' is not true or false"));
  CHECK(has(error_of(kLlvm, files(R"({"filename": "a.c", "segments": {}})")), "\"segments\" is not an array"));
  // The segments are scanned by hand: every way the list of arrays can go wrong is still said.
  CHECK(has(error_of(kLlvm, files(R"({"filename": "a.c", "segments": [5]})")), "a segment is not an array"));
  CHECK(has(error_of(kLlvm, files(R"({"filename": "a.c", "segments": [[1, 1, 1, true, true, false], {"a": 1}]})")),
            "a segment is not an array"));
  CHECK(has(error_of(kLlvm, files(R"({"filename": "a.c", "segments": [[1, 1, 1, true, true, false], ]})")),
            "a segment is not an array"));
  CHECK(has(
      error_of(
          kLlvm,
          files(R"({"filename": "a.c", "segments": [[1, 1, 1, true, true, false] [1, 9, 0, false, false, false]]})")),
      "\"segments\": expected ',' or ']'"));
  CHECK(has(error_of(kLlvm, files(R"({"filename": "a.c", "segments": [[1, 1, 1, true, true, [false]]]})")),
            "expected a number or true/false"));
  CHECK(
      totals_of(
          kLlvm,
          files(
              "{\"filename\": \"a.c\", \"segments\": [ [1, 1, 1, true, true, false] ,\n\t[1, 9, 0, false, false, false] ]}")) ==
      Tally{1, 1});
  CHECK(has(error_of(kLlvm, files(R"({"filename": "a.c", "summary": {"lines": {"count": 1, "covered": 2}}})")),
            "more lines covered than counted"));
  CHECK(has(error_of(kLlvm, files(R"({"filename": "a.c", "summary": {"lines": {"count": "1", "covered": 0}}})")),
            "\"count\" is not a count"));
  CHECK(has(error_of(kLlvm, R"({"data": {"files": []}})"), "expected an array after \"data\""));
  CHECK(totals_of(kLlvm, R"({"data": [], "type": "llvm.coverage.json.export", "version": "2.0.1"})") == Tally{0, 0});
}

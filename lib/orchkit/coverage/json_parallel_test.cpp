// JSON reports past 16 MiB are read on every core (coverage.py, gcovr, llvm-cov): the same
// coverage, tallies and errors as the one-pass walk, and the parallel read taken (or declining).
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "orchkit/coverage/parser.hpp"
#include "support/coverage.hpp"

using namespace orchkit;
using namespace orchkit::coverage;

namespace {

// A coverage.py report of about `size` bytes: random line arrays, excluded lines and summaries,
// some summaries giving the file's tally (executed docstrings), one file named twice.
std::string big_coveragepy(size_t size) {
  std::mt19937 rng(9);
  std::string s = "{\"meta\": {\"version\": \"7.4.0\"}, \"files\": {";
  auto array = [&](const std::vector<uint32_t>& v) {
    std::string a = "[";
    for (size_t i = 0; i < v.size(); ++i) a += (i ? ", " : "") + std::to_string(v[i]);
    return a + "]";
  };
  for (size_t f = 0; s.size() < size; ++f) {
    std::vector<uint32_t> executed, missing, excluded;
    for (uint32_t l = 1; l < 600; ++l) {
      const auto r = rng() % 10;
      if (r < 5) executed.push_back(l);
      else if (r < 8) missing.push_back(l);
      else if (r == 8 && f % 3 == 0) excluded.push_back(l);
    }
    if (f % 5 == 0 && !executed.empty()) excluded.push_back(executed[0]);  // an executed excluded line
    uint64_t covered = executed.size() - (f % 7 == 0 ? 1 : 0);             // every 7th: a docstring among them
    s += std::string(f ? ", " : "") + "\"src/m" + std::to_string(f) + ".py\": {\"executed_lines\": " + array(executed) +
         ", \"summary\": {\"covered_lines\": " + std::to_string(covered) +
         ", \"num_statements\": " + std::to_string(covered + missing.size()) +
         "}, \"missing_lines\": " + array(missing) + ", \"excluded_lines\": " + array(excluded) + "}";
  }
  s += ", \"src/m1.py\": {\"executed_lines\": [700, 701], \"missing_lines\": [702]}";  // named twice
  s += "}, \"totals\": {\"covered_lines\": 0}}\n";
  return s;
}

// `parse` over `text` followed by simdjson's padding, as the reader maps a report.
template <class Parse>
auto padded(Parse&& parse, const std::string& text, std::string_view name) {
  std::string bytes = text + std::string(kJsonPadding, '\0');
  return parse(std::string_view(bytes.data(), text.size()), name);
}

Result<Coverage> one_pass(const std::string& text) { return padded(parse_coveragepy_json_one_pass, text, "big.json"); }

// `bad` read whole (as the reader does), by the one-pass walk and in parallel: the first two fail
// with the same message, the parallel read declines. Returns the message.
template <class OnePass, class Parallel>
std::string same_error(Format f, OnePass&& one_pass_of, Parallel&& parallel_of, const std::string& bad,
                       const std::string& name) {
  auto whole = parse_text(f, bad, name);
  auto one = one_pass_of(bad);
  REQUIRE_FALSE(whole);
  REQUIRE_FALSE(one);
  CHECK_FALSE(parallel_of(bad));
  CHECK(whole.error().message == one.error().message);
  return whole.error().message;
}

}  // namespace

TEST_CASE("coveragepy-json past 16 MiB: every core reads what one pass reads", "[json]") {
  const std::string text = big_coveragepy(size_t{20} << 20);
  auto whole = parse_text(Format::coveragepy_json, text, "big.json");
  auto once = one_pass(text);
  REQUIRE(whole);
  REQUIRE(once);
  REQUIRE(padded(parse_coveragepy_in_parallel, text, "big.json"));  // taken
  testing::require_same_coverage(*once, *whole);
  CHECK(whole->totals() == once->totals());
  CHECK_FALSE(whole->files.at("src/m1.py").tally);  // named twice: lines count
  CHECK(whole->files.at("src/m7.py").tally);        // the summary's counts (a docstring)
}

TEST_CASE("coveragepy-json past 16 MiB: an error anywhere is the one-pass message", "[json]") {
  const std::string good = big_coveragepy(size_t{17} << 20);
  auto same = [&](const std::string& text) {
    return same_error(
        Format::coveragepy_json, one_pass,
        [](const std::string& t) { return padded(parse_coveragepy_in_parallel, t, "big.json"); }, text, "big.json");
  };
  std::string late = good;
  late.insert(late.rfind("[700, 701]") + 1, "\"x\", ");
  CHECK_THAT(same(late), Catch::Contains("big.json:1:"));
  std::string unclosed = good;
  unclosed.erase(unclosed.rfind(']'), 1);  // the last array of the last entry never closes
  same(unclosed);
  std::string not_object = good;
  not_object.replace(not_object.rfind("{\"executed_lines\": [700"), 1, "[");
  same(not_object);
  same(good + "trailing");
  std::string no_missing = good;
  no_missing.replace(no_missing.rfind("\"missing_lines\": [702]"), 15, "\"missing_linez\"");
  CHECK_THAT(same(no_missing), Catch::Contains("has no \"missing_lines\""));
}

namespace {

// A gcovr report of about `size` bytes: random counts, noncode lines, a line twice, a file twice.
std::string big_gcovr(size_t size) {
  std::mt19937 rng(4);
  std::string s = "{\"gcovr/format_version\": \"0.6\", \"files\": [";
  for (size_t f = 0; s.size() < size; ++f) {
    s += std::string(f ? ", " : "") + "{\"file\": \"src/g" + std::to_string(f % 5000) + ".c\", \"lines\": [";
    for (uint32_t l = 1; l < 120; ++l) {
      if (l > 1) s += ", ";
      s += "{\"line_number\": " + std::to_string(l == 7 ? 6 : l) + ", \"count\": " + std::to_string(rng() % 3) +
           (rng() % 9 == 0 ? ", \"gcovr/noncode\": true" : "") + ", \"branches\": []}";
    }
    s += "], \"functions\": []}";
  }
  return s + "]}\n";
}

Result<Coverage> gcovr_one_pass(const std::string& text) { return padded(parse_gcovr_json_one_pass, text, "g.json"); }
std::optional<Coverage> gcovr_parallel(const std::string& text) {
  return padded(parse_gcovr_in_parallel, text, "g.json");
}

}  // namespace

TEST_CASE("gcovr JSON past 16 MiB: every core reads what one pass reads, errors are one pass's", "[json]") {
  const std::string text = big_gcovr(size_t{18} << 20);
  auto once = gcovr_one_pass(text);
  auto par = gcovr_parallel(text);
  REQUIRE(once);
  REQUIRE(par);  // taken
  testing::require_same_coverage(*once, *par);
  CHECK(parse_text(Format::gcovr_json, text, "g.json")->totals() == once->totals());

  auto same = [&](const std::string& bad) {
    return same_error(Format::gcovr_json, gcovr_one_pass, gcovr_parallel, bad, "g.json");
  };
  std::string no_count = text;
  no_count.replace(no_count.rfind("\"count\""), 7, "\"cuont\"");
  CHECK_THAT(same(no_count), Catch::Contains("a line without \"count\""));
  std::string not_object = text;
  not_object.replace(not_object.rfind("{\"file\""), 1, "[");
  same(not_object);
  std::string unnamed = text;
  unnamed.replace(unnamed.rfind("\"file\""), 6, "\"fiel\"");
  CHECK_THAT(same(unnamed), Catch::Contains("without \"file\""));
}

namespace {

// An llvm-cov export of about `size` bytes over two "data" entries: one real file entry (from
// llvm-cov-14) under many names, every third without its summary, one name in both entries.
std::string big_llvm_cov(size_t size) {
  const std::string segments =
      R"("segments": [[2, 21, 3, true, true, false], [3, 7, 3, true, true, false], [4, 14, 0, true, false, true],
        [6, 5, 0, true, true, false], [6, 13, 3, true, false, false], [7, 2, 0, false, false, false],
        [8, 25, 0, true, true, false], [9, 33, 1, true, true, false], [13, 17, 0, true, true, false],
        [16, 2, 0, false, false, false]])";
  std::string s = R"({"data": [{"files": [)";
  for (size_t f = 0; s.size() < size; ++f) {
    if (f == 4000) s += R"(]}, {"functions": [], "files": [)";
    else if (f) s += ", ";
    s += R"({"filename": "/src/p)" + std::to_string(f == 4001 ? 3 : f) + R"(.c", "branches": [], )" + segments +
         (f % 3 ? R"(, "summary": {"lines": {"count": 15, "covered": 12}}})" : "}");
  }
  return s + R"(]}], "type": "llvm.coverage.json.export", "version": "2.0.1"})" + "\n";
}

Result<Coverage> llvm_one_pass(const std::string& text) { return padded(parse_llvm_cov_json_one_pass, text, "l.json"); }
std::optional<Coverage> llvm_parallel(const std::string& text) {
  return padded(parse_llvm_cov_in_parallel, text, "l.json");
}

}  // namespace

TEST_CASE("llvm-cov JSON past 16 MiB: every core reads what one pass reads, errors are one pass's", "[json]") {
  const std::string text = big_llvm_cov(size_t{17} << 20);
  auto once = llvm_one_pass(text);
  auto par = llvm_parallel(text);
  REQUIRE(once);
  REQUIRE(par);  // taken
  testing::require_same_coverage(*once, *par);
  CHECK_FALSE(par->files.at("/src/p3.c").tally);  // named in both "data" entries: lines count
  CHECK(par->files.at("/src/p4.c").tally);
  auto bad = text;
  bad.replace(bad.rfind("[16, 2, 0"), 1, "{");
  same_error(Format::llvm_cov_json, llvm_one_pass, llvm_parallel, bad, "l.json");
}

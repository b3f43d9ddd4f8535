// coverage.py JSON past 16 MiB is read on every core: the same coverage, tallies and errors as
// the one-pass walk.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "orchkit/coverage/parser.hpp"

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

Result<Coverage> one_pass(const std::string& text) {
  std::string padded = text + std::string(kJsonPadding, '\0');
  return parse_coveragepy_json_one_pass(std::string_view(padded.data(), text.size()), "big.json");
}

std::vector<std::pair<uint32_t, bool>> lines_of(const FileCoverage& fc) {
  std::vector<std::pair<uint32_t, bool>> v;
  fc.lines.for_each([&](uint32_t l, bool c) { v.emplace_back(l, c); });
  return v;
}

}  // namespace

TEST_CASE("coveragepy-json past 16 MiB: every core reads what one pass reads", "[json]") {
  const std::string text = big_coveragepy(size_t{20} << 20);
  auto whole = parse_text(Format::coveragepy_json, text, "big.json");
  auto once = one_pass(text);
  REQUIRE(whole);
  REQUIRE(once);
  std::string padded = text + std::string(kJsonPadding, '\0');
  REQUIRE(parse_coveragepy_in_parallel(std::string_view(padded.data(), text.size()), "big.json"));  // taken
  REQUIRE(whole->files.size() == once->files.size());
  for (const auto& [path, fc] : once->files) {
    REQUIRE(whole->files.count(path) == 1);
    const FileCoverage& got = whole->files.at(path);
    CHECK(lines_of(got) == lines_of(fc));
    CHECK(got.tally == fc.tally);
  }
  CHECK(whole->totals() == once->totals());
  CHECK_FALSE(whole->files.at("src/m1.py").tally);  // named twice: lines count
  CHECK(whole->files.at("src/m7.py").tally);        // the summary's counts (a docstring)
}

TEST_CASE("coveragepy-json past 16 MiB: an error anywhere is the one-pass message", "[json]") {
  const std::string good = big_coveragepy(size_t{17} << 20);
  auto same = [&](const std::string& text) {
    auto whole = parse_text(Format::coveragepy_json, text, "big.json");
    auto once = one_pass(text);
    REQUIRE_FALSE(whole);
    REQUIRE_FALSE(once);
    std::string padded = text + std::string(kJsonPadding, '\0');
    CHECK_FALSE(parse_coveragepy_in_parallel(std::string_view(padded.data(), text.size()), "big.json"));
    CHECK(whole.error().message == once.error().message);
    return whole.error().message;
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

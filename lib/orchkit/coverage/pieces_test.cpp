#include "orchkit/coverage/pieces.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "orchkit/coverage/parser.hpp"
#include "orchkit/coverage/reader.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/sha256.hpp"
#include "support/coverage.hpp"
#include "support/temp_dir.hpp"

using namespace orchkit;
using namespace orchkit::coverage;

namespace {

// An LCOV report of about `size` bytes: random hit counts and line numbers, every tenth file split over
// two SF records far apart (in different pieces), CRLF records and checksums here and there.
std::string big_random_lcov(size_t size = kPiecesMin + (size_t{2} << 20)) {
  std::mt19937 rng(7);
  std::string s = "TN:\n";
  size_t f = 0;
  while (s.size() < size) {
    std::string path = "src/f" + std::to_string(f % 10 == 0 ? f / 10 : f) + ".c";
    s += "SF:" + path + "\n";
    for (int i = 0; i < 300; ++i) {
      std::string da = "DA:" + std::to_string(1 + rng() % 2000) + "," + std::to_string(rng() % 4 == 0 ? 0 : rng() % 99);
      if (i % 97 == 5) da += ",abcdef";
      s += da + (i % 89 == 3 ? "\r\n" : "\n");
    }
    s += "LF:300\nLH:1\nend_of_record\n";
    ++f;
  }
  return s;
}

struct Files : testing::TempDir {
  Files() : testing::TempDir("pieces-test") {}
};

}  // namespace

TEST_CASE("record_start_after finds the first line that opens a record") {
  CHECK(record_start_after("SF:a\nDA:1,1\n", 0) == 0u);
  CHECK(record_start_after("DA:1,1\nSF:a\n", 0) == 7u);
  CHECK(record_start_after("DA:1,1\nSF:a\nSF:b\n", 8) == 12u);
  CHECK(record_start_after("DA:1,1\nSF:a\n", 7) == 7u);  // a line starting exactly at `from`
  CHECK_FALSE(record_start_after("TN:SF:a\nDA:1,1\n", 0));
  CHECK_FALSE(record_start_after("DA:1,1\nSF", 0));
}

TEST_CASE("a large LCOV file read in pieces gives what one pass gives, and the file's digest") {
  Files dir;
  const std::string text = big_random_lcov(size_t{36} << 20);
  const std::string path = dir.write("big.info", text);
  auto one_pass = parse_text(Format::lcov, text, path);
  REQUIRE(one_pass);

  auto pieces = read_pieces(path, Format::lcov, true);
  REQUIRE(pieces.has_value());  // taken: the file is over kPiecesMin and has records everywhere
  CHECK(pieces->pieces == 9);   // 36 MiB in pieces of at least 4 MiB
  testing::require_same_coverage(*one_pass, pieces->coverage);
  CHECK(pieces->sha256 == sha256_hex(text));
  CHECK(read_pieces(path, Format::lcov, false)->sha256.empty());

  PathRules rules{dir.path.string(), {}};
  auto rep = read_report(ReportSpec{path, std::nullopt}, rules, true);
  REQUIRE(rep);
  CHECK(rep->sha256 == sha256_hex(text));
  CHECK(rep->coverage.totals() == one_pass->totals());
}

TEST_CASE("a large LCOV file with an error in any piece gets one pass's error, line number and all") {
  Files dir;
  const std::string good = big_random_lcov();  // 18 MiB: four pieces, one cut past the middle
  const size_t cut = *record_start_after(good, good.size() / 2);
  PathRules rules{dir.path.string(), {}};
  auto same_error = [&](const std::string& name, const std::string& text) {
    const std::string path = dir.write(name, text);
    CHECK_FALSE(read_pieces(path, Format::lcov, true).has_value());
    auto rep = read_report(ReportSpec{path, std::nullopt}, rules, true);
    auto one_pass = parse_text(Format::lcov, text, path);
    REQUIRE_FALSE(rep);
    REQUIRE_FALSE(one_pass);
    CHECK(rep.error().message == one_pass.error().message);
    return rep.error().message;
  };
  SECTION("a bad DA record near the end") {
    std::string text = good;
    text.insert(text.rfind("end_of_record"), "DA:x,1\n");
    CHECK_THAT(same_error("late.info", text), Catch::Matchers::Contains("DA line number 'x'"));
  }
  SECTION("the record just before the cut lost its end_of_record") {
    std::string text = good;
    const size_t end = text.rfind("end_of_record\n", cut);
    REQUIRE(end + 14 == cut);
    text.erase(end, 14);
    CHECK_THAT(same_error("open.info", text), Catch::Matchers::Contains("SF before end_of_record"));
  }
  SECTION("a truncated file") {
    std::string text = good.substr(0, good.size() - 20);
    CHECK_THAT(same_error("cut.info", text), Catch::Matchers::Contains("has no end_of_record"));
  }
}

TEST_CASE("LCOV files the pieces reader declines are read in one pass") {
  Files dir;
  PathRules rules{dir.path.string(), {}};
  SECTION("small") {
    const std::string path = dir.write("small.info", "SF:a.c\nDA:1,1\nDA:2,0\nend_of_record\n");
    CHECK_FALSE(read_pieces(path, Format::lcov, false).has_value());
    auto rep = read_report(ReportSpec{path, std::nullopt}, rules);
    REQUIRE(rep);
    CHECK(rep->coverage.totals() == Tally{1, 2});
  }
  SECTION("one record larger than the look-ahead past the middle") {
    std::string text = "SF:a.c\n";
    for (uint32_t l = 1; text.size() < kPiecesMin + 1000; ++l) text += "DA:" + std::to_string(l % 4'000'000) + ",1\n";
    text += "end_of_record\n";
    const std::string path = dir.write("one.info", text);
    CHECK_FALSE(read_pieces(path, Format::lcov, false).has_value());
    auto rep = read_report(ReportSpec{path, std::nullopt}, rules);
    REQUIRE(rep);
    CHECK(rep->coverage.totals() == parse_text(Format::lcov, text, path)->totals());
  }
}

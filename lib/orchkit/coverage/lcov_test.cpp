#include <catch2/catch.hpp>

#include "orchkit/coverage/parser.hpp"

using namespace orchkit::coverage;

namespace {
Tally totals_of(std::string_view text) {
  auto r = parse_text(Format::lcov, text, "t.info");
  REQUIRE(r.has_value());
  return r->totals();
}
std::string error_of(std::string_view text) {
  auto r = parse_text(Format::lcov, text, "t.info");
  REQUIRE_FALSE(r.has_value());
  return r.error().message;
}
// Feeds the text one byte at a time, so every record is split across chunks.
Tally totals_bytewise(std::string_view text) {
  auto p = make_lcov_parser("t.info");
  for (char c : text) REQUIRE(p->feed(std::string_view(&c, 1)));
  auto r = p->finish();
  REQUIRE(r.has_value());
  return r->totals();
}
}  // namespace

TEST_CASE("lcov: totals come from DA records, not LF/LH") {
  std::string_view t = "TN:\nSF:a.c\nDA:1,1\nDA:2,0\nDA:3,5\nLF:99\nLH:98\nend_of_record\n";
  CHECK(totals_of(t) == Tally{2, 3});
  CHECK(totals_bytewise(t) == Tally{2, 3});
}

TEST_CASE("lcov: one file split over several SF records merges by line") {
  std::string_view t =
      "SF:a.c\nDA:1,0\nDA:2,0\nend_of_record\n"
      "SF:b.c\nDA:1,1\nend_of_record\n"
      "SF:a.c\nDA:2,3\nDA:4,0\nend_of_record\n";
  auto r = parse_text(Format::lcov, t, "t.info");
  REQUIRE(r);
  CHECK(r->files.size() == 2);
  CHECK(r->files.at("a.c").totals() == Tally{1, 3});
  CHECK(r->totals() == Tally{2, 4});
}

TEST_CASE("lcov: checksums, CRLF and a BOM are accepted") {
  CHECK(totals_of("\xEF\xBB\xBFSF:a.c\r\nDA:1,1,abcdef\r\nDA:2,0,Zm9v\r\nend_of_record\r\n") == Tally{1, 2});
}

TEST_CASE("lcov: odd hit counts read as covered / not covered") {
  CHECK(totals_of("SF:a\nDA:1,18446744073709551616\nDA:2,-1\nDA:3,1.5\nDA:4,2e3\nDA:5,0.0\nDA:6,0e9\n"
                  "DA:7,1e-300\nend_of_record\n") == Tally{4, 7});
}

TEST_CASE("lcov: a record without DA lines is 0 of 0") {
  CHECK(totals_of("TN:x\nSF:a.c\nFN:1,main\nFNDA:1,main\nend_of_record\n") == Tally{0, 0});
}

TEST_CASE("lcov: bad input names the line and says what to do") {
  CHECK(error_of("SF:a.c\nDA:1,1\n") ==
        "t.info:2: the record for 'a.c' has no end_of_record (the report is truncated; re-run the coverage command)");
  CHECK(error_of("SF:a.c\nDA:x,1\nend_of_record\n").rfind("t.info:2: DA line number 'x'", 0) == 0);
  CHECK(error_of("SF:a.c\nDA:1,lots\nend_of_record\n").rfind("t.info:2: DA hit count 'lots'", 0) == 0);
  CHECK(error_of("DA:1,1\n").rfind("t.info:1: DA record outside", 0) == 0);
  CHECK(error_of("SF:a\nhello world\n").rfind("t.info:2: not an LCOV record", 0) == 0);
  CHECK(error_of("SF:a\nDA:99999999999,1\nend_of_record\n").find("not a line number") != std::string::npos);
}

TEST_CASE("lcov: absurd line numbers do not allocate a dense bitset") {
  CHECK(totals_of("SF:a\nDA:4294967295,1\nDA:4000000000,0\nend_of_record\n") == Tally{1, 2});
}

TEST_CASE("lcov: the DA fast path agrees with the general record reader") {
  // Line numbers and counts of every length from 1 to 10 digits, leading zeros, zero counts, a
  // sparse line number: the same totals whole (fast_da takes each DA line) and byte by byte
  // (every line arrives split, so record() reads it).
  std::string text = "SF:a.c\n";
  uint64_t n = 1;
  for (int digits = 1; digits <= 10; ++digits, n = n * 10 + static_cast<uint64_t>(digits)) {
    std::string line = std::to_string(n % 4000000);
    for (const char* count : {"0", "1", "00", "007", "1234567", "12345678", "0000000", "99999999999"}) {
      text += "DA:" + line + "," + count + "\n";
      text += "DA:0" + line + "," + count + "\n";
    }
  }
  text += "DA:12345678,1\nDA:4194303,0\nDA:7,1\nend_of_record\n";
  Tally whole = totals_of(text);
  Tally bytes = totals_bytewise(text);
  CHECK(whole.covered == bytes.covered);
  CHECK(whole.total == bytes.total);
  CHECK(whole.total == 13);  // ten distinct line numbers of the loop, 12345678, 4194303 and 7
}

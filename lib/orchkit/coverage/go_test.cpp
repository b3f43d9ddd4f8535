#include <catch2/catch.hpp>

#include "orchkit/coverage/parser.hpp"
#include "orchkit/coverage/parser_test_support.hpp"

using namespace orchkit::coverage;

namespace {

Coverage parse_go(std::string_view text) { return testing::parse_both_ways(Format::go_coverprofile, text, "c.out"); }

std::string error_of(std::string_view text) { return testing::parse_error(Format::go_coverprofile, text, "c.out"); }

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

TEST_CASE("go: totals count statements, as go test -cover does; lines come from the blocks") {
  auto cov = parse_go(
      "mode: set\n"
      "example.com/m/a.go:3.14,5.2 2 1\n"
      "example.com/m/a.go:5.2,7.3 1 0\n"
      "example.com/m/a.go:9.10,9.20 0 1\n"
      "example.com/m/b.go:1.1,1.10 3 0\n");
  CHECK(cov.totals() == Tally{2, 6});  // "coverage: 33.3% of statements"
  const auto& a = cov.files.at("example.com/m/a.go");
  CHECK(a.totals() == Tally{2, 3});
  CHECK(a.lines.measured() == 5);  // 3..7; the 0-statement block on line 9 measures nothing
  CHECK(a.lines.covered() == 3);   // 3, 4, 5 (line 5 shared with a block that did not run)
  CHECK(a.lines.is_covered(5));
  CHECK_FALSE(a.lines.is_covered(6));
  CHECK_FALSE(a.lines.is_measured(9));
  CHECK(cov.files.at("example.com/m/b.go").totals() == Tally{0, 3});
}

TEST_CASE("go: a block repeated by -coverpkg across packages counts once, covered if any repeat ran") {
  auto cov = parse_go(
      "mode: atomic\n"
      "m/lib/x.go:3.14,5.2 2 0\n"
      "m/lib/x.go:6.1,6.9 1 0\n"
      "m/app/main.go:10.1,12.2 4 1\n"
      // the next test binary writes every -coverpkg block again
      "m/lib/x.go:3.14,5.2 2 7\n"
      "m/lib/x.go:6.1,6.9 1 0\n"
      "m/app/main.go:10.1,12.2 4 0\n");
  CHECK(cov.files.at("m/lib/x.go").totals() == Tally{2, 3});
  CHECK(cov.files.at("m/app/main.go").totals() == Tally{4, 4});
  CHECK(cov.totals() == Tally{6, 7});
}

TEST_CASE("go: a block spanning lines measures each line; CRLF, count mode and concatenated profiles are fine") {
  auto cov =
      parse_go("mode: count\r\nm/a.go:10.5,14.3 5 12\r\nm/a.go:20.1,20.30 1 0\r\nmode: count\r\nm/a.go:20.1,20.30 1 3");
  const auto& a = cov.files.at("m/a.go");
  CHECK(a.totals() == Tally{6, 6});
  CHECK(a.lines.measured() == 6);
  CHECK(a.lines.covered() == 6);
  CHECK(parse_go("mode: set\n").totals() == Tally{0, 0});
  CHECK(parse_go("\xEF\xBB\xBFmode: set\nC:/src/m/a.go:1.1,2.2 1 1\n").files.count("C:/src/m/a.go") == 1);
}

TEST_CASE("go: huge counts read as covered") {
  CHECK(parse_go("mode: count\nm/a.go:1.1,1.5 1 99999999999999999999999\nm/a.go:2.1,2.5 1 000\n").totals() ==
        Tally{1, 2});
}

TEST_CASE("go: a missing or bad mode line and malformed blocks name the line") {
  CHECK(error_of("m/a.go:1.1,2.2 1 1\n") ==
        "c.out:1: expected 'mode: set', 'mode: count' or 'mode: atomic' first, found 'm/a.go:1.1,2.2 1 1' "
        "(is this a Go coverprofile? force the format with FILE@FORMAT)");
  CHECK(starts_with(error_of("mode: sometimes\n"), "c.out:1: unknown mode 'sometimes'"));
  CHECK(starts_with(error_of("mode: set\nm/a.go:1.1,2.2 1 1\nm/a.go:1.1-2.2 1 1\n"),
                    "c.out:3: not a coverprofile block: 'm/a.go:1.1-2.2 1 1'"));
  CHECK(starts_with(error_of("mode: set\nm/a.go:1.1,2.2 1\n"), "c.out:2: not a coverprofile block"));
  CHECK(starts_with(error_of("mode: set\nm/a.go:1.1,2.2 one 1\n"), "c.out:2: not a coverprofile block"));
  CHECK(starts_with(error_of("mode: set\nm/a.go:1.1,2.2 1 -1\n"), "c.out:2: not a coverprofile block"));
  CHECK(starts_with(error_of("mode: set\n\nm/a.go:9.1,2.2 1 1\n"), "c.out:3: block '9.1,2.2' ends before it starts"));
  CHECK(starts_with(error_of("mode: set\nm/a.go:1.1,99999999.2 1 1\n"),
                    "c.out:2: block '1.1,99999999.2' ends past line"));
  CHECK(starts_with(error_of("mode: set\nm/a.go:1.1,2.2 1 1\nm/a.go:1.1,2.2 2 1\n"),
                    "c.out:3: block '1.1,2.2' of m/a.go has 2 statements here and 1 before"));
  CHECK(starts_with(error_of("mode: set\nmode: count\n"), "c.out:2: mode count after mode set"));
  constexpr char kBinary[] = "mode: set\n\x01\x02\xff\x00 zz";
  CHECK(starts_with(error_of(std::string_view(kBinary, sizeof kBinary - 1)),
                    "c.out:2: not a coverprofile block: '???? zz'"));
  CHECK(starts_with(error_of(""), "c.out:1: the profile is empty"));
}

TEST_CASE("go: a line longer than 1 MiB (binary junk without newlines) is an error, not a growing buffer") {
  std::string junk = "mode: set\n" + std::string(2 << 20, 'x');
  auto p = make_go_parser("c.out");
  orchkit::Result<void> r;
  for (size_t i = 0; i < junk.size() && r; i += 4096) r = p->feed(std::string_view(junk).substr(i, 4096));
  REQUIRE_FALSE(r);
  CHECK(starts_with(r.error().message, "c.out:2: a line longer than 1 MiB"));
  CHECK(starts_with(error_of(junk), "c.out:2: a line longer than 1 MiB"));
}

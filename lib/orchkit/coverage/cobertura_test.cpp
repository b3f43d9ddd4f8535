#include <catch2/catch.hpp>

#include "orchkit/coverage/parser.hpp"
#include "orchkit/coverage/parser_test_support.hpp"

using namespace orchkit::coverage;

namespace {

Coverage parse_cob(std::string_view text) { return testing::parse_both_ways(Format::cobertura, text, "c.xml"); }

std::string error_of(std::string_view text) { return testing::parse_error(Format::cobertura, text, "c.xml"); }

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

std::string doc(std::string_view sources, std::string_view classes) {
  return "<?xml version=\"1.0\" ?>\n"
         "<!DOCTYPE coverage SYSTEM 'http://cobertura.sourceforge.net/xml/coverage-04.dtd'>\n"
         "<coverage line-rate=\"0.99\" lines-valid=\"1000\" lines-covered=\"999\" version=\"5.2\">\n"
         "<sources>" +
         std::string(sources) + "</sources>\n<packages><package name=\"p\" line-rate=\"1\">\n<classes>\n" +
         std::string(classes) + "</classes></package></packages></coverage>\n";
}

}  // namespace

TEST_CASE("cobertura: totals come from <line> hits, never from line-rate or lines-valid") {
  auto cov = parse_cob(doc("<source>/repo</source>",
                           "<class name=\"a\" filename=\"src/a.py\" line-rate=\"1\"><methods/><lines>\n"
                           "<line number=\"1\" hits=\"3\"/>\n<line number=\"2\" hits=\"0\"/>\n"
                           "<line number=\"4\" hits=\"1\" branch=\"true\" condition-coverage=\"50% (1/2)\">"
                           "<conditions><condition number=\"0\" type=\"jump\" coverage=\"50%\"/></conditions></line>\n"
                           "</lines></class>\n"));
  CHECK(cov.totals() == Tally{2, 3});
  REQUIRE(cov.files.count("/repo/src/a.py") == 1);
  CHECK(cov.files.at("/repo/src/a.py").lines.is_covered(4));
  CHECK_FALSE(cov.files.at("/repo/src/a.py").lines.is_covered(2));
}

TEST_CASE("cobertura: one file split over several <class> elements merges by line") {
  auto cov = parse_cob(doc("",
                           "<class name=\"A\" filename=\"a.c\"><lines><line number=\"1\" hits=\"0\"/>"
                           "<line number=\"2\" hits=\"0\"/></lines></class>\n"
                           "<class name=\"B\" filename=\"b.c\"><lines><line number=\"1\" hits=\"1\"/></lines></class>\n"
                           "<class name=\"A$Inner\" filename=\"a.c\"><lines><line number=\"2\" hits=\"5\"/>"
                           "<line number=\"3\" hits=\"0\"/></lines></class>\n"));
  REQUIRE(cov.files.size() == 2);
  CHECK(cov.files.at("a.c").totals() == Tally{1, 3});
  CHECK(cov.totals() == Tally{2, 4});
}

TEST_CASE("cobertura: <line>s under <methods> repeat class lines and are not counted") {
  auto cov =
      parse_cob(doc("",
                    "<class name=\"A\" filename=\"A.java\"><methods>"
                    "<method name=\"f\" signature=\"()V\"><lines><line number=\"10\" hits=\"1\"/>"
                    "<line number=\"11\" hits=\"1\"/><line number=\"99\" hits=\"1\"/></lines></method></methods>"
                    "<lines><line number=\"10\" hits=\"1\"/><line number=\"11\" hits=\"0\"/></lines></class>\n"));
  CHECK(cov.totals() == Tally{1, 2});
  CHECK_FALSE(cov.files.at("A.java").lines.is_measured(99));
  CHECK_FALSE(cov.files.at("A.java").lines.is_covered(11));
}

TEST_CASE("cobertura: relative filenames join the first <source>; absolute ones stay") {
  std::string_view classes =
      "<class filename=\"src/a.py\"><lines><line number=\"1\" hits=\"1\"/></lines></class>"
      "<class filename=\"/elsewhere/b.py\"><lines><line number=\"1\" hits=\"1\"/></lines></class>";
  auto one = parse_cob(doc("\n  <source>\n  /home/ci/repo/  \n</source>\n", classes));
  CHECK(one.files.count("/home/ci/repo/src/a.py") == 1);
  CHECK(one.files.count("/elsewhere/b.py") == 1);
  auto several = parse_cob(doc("<source>/r/lib</source><source>/r/tests</source>", classes));
  REQUIRE(several.files.count("/r/lib/src/a.py") == 1);
  CHECK(several.files.at("/r/lib/src/a.py").alternatives == std::vector<std::string>{"/r/tests/src/a.py"});
  CHECK(several.files.at("/elsewhere/b.py").alternatives.empty());
  auto none = parse_cob(doc("", classes));
  CHECK(none.files.count("src/a.py") == 1);
  auto no_sources_element = parse_cob(
      "<coverage><packages><package><classes>"
      "<class filename=\"x.go\"><lines><line number=\"7\" hits=\"0\"/></lines></class>"
      "</classes></package></packages></coverage>");
  CHECK(no_sources_element.files.count("x.go") == 1);
  // "a.py" under source /r and "/r/a.py" are one file: merged by line.
  auto same = parse_cob(doc("<source>/r</source>",
                            "<class filename=\"a.py\"><lines><line number=\"1\" hits=\"0\"/></lines></class>"
                            "<class filename=\"/r/a.py\"><lines><line number=\"1\" hits=\"2\"/>"
                            "<line number=\"2\" hits=\"0\"/></lines></class>"));
  REQUIRE(same.files.size() == 1);
  CHECK(same.totals() == Tally{1, 2});
}

TEST_CASE("cobertura: huge, float and negative hits read as covered or not") {
  auto cov = parse_cob(doc("",
                           "<class filename=\"a\"><lines>"
                           "<line number=\"1\" hits=\"18446744073709551616\"/><line number=\"2\" hits=\"1.5\"/>"
                           "<line number=\"3\" hits=\"2e3\"/><line number=\"4\" hits=\"0.0\"/>"
                           "<line number=\"5\" hits=\"-1\"/><line number=\"6\" hits=\"0\"/></lines></class>"));
  CHECK(cov.totals() == Tally{3, 6});
}

TEST_CASE("cobertura: a BOM and CRLF are fine; an empty report is 0 of 0") {
  CHECK(parse_cob("\xEF\xBB\xBF<coverage>\r\n<packages>\r\n<package><classes><class filename=\"a\">\r\n<lines>"
                  "<line number=\"1\" hits=\"1\"/>\r\n</lines></class></classes></package></packages></coverage>\r\n")
            .totals() == Tally{1, 1});
  CHECK(parse_cob("<coverage/>").totals() == Tally{0, 0});
}

TEST_CASE("cobertura: bad input is an error naming the place and what to do") {
  CHECK(error_of("<report name=\"x\"/>") ==
        "c.xml:1: the root element is <report>, expected <coverage> (is this a Cobertura XML report? force the format "
        "with FILE@FORMAT)");
  CHECK(contains(error_of(doc("", "<class filename=\"a\"><lines><line hits=\"1\"/></lines></class>")),
                 "c.xml:7: a <line> without a number attribute"));
  CHECK(contains(error_of(doc("", "<class filename=\"a\"><lines><line number=\"1\" hits=\"lots\"/></lines></class>")),
                 "hits 'lots' is not a number"));
  CHECK(contains(error_of(doc("", "<class filename=\"a\"><lines><line number=\"-3\" hits=\"1\"/></lines></class>")),
                 "line number '-3' is not a line number"));
  CHECK(contains(error_of(doc("", "<class name=\"a\"><lines/></class>")), "a <class> without a filename attribute"));
  std::string full = doc("", "<class filename=\"a\"><lines><line number=\"1\" hits=\"1\"/></lines></class>");
  CHECK(contains(error_of(full.substr(0, full.size() / 2 + 10)),
                 "(the report is truncated; re-run the coverage command)"));
  CHECK(contains(error_of("TN:\nSF:a.c\n"), "c.xml:1: XML error: syntax error"));
  CHECK(contains(error_of(std::string_view("\x00\x01\x02\xff", 4)), "c.xml:1: XML error:"));
  std::string nested = "<coverage>";
  for (int i = 0; i < 10000; ++i) nested += "<x>";
  CHECK(contains(error_of(nested), "nested deeper than 256"));
}

TEST_CASE("cobertura: entity tricks are refused, not expanded or fetched") {
  std::string bomb =
      "<!DOCTYPE coverage [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
      "<coverage><sources><source>&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;</source></sources></coverage>";
  CHECK(contains(error_of(bomb), "internal subset, refused"));
  CHECK(contains(error_of("<!DOCTYPE coverage [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                          "<coverage><sources><source>&x;</source></sources></coverage>"),
                 "internal subset, refused"));
}

TEST_CASE("cobertura: a relative filename keeps every other <source> as an alternative, in order") {
  // coverage.py 6.5 with `source = pkg, tests`: each filename is relative to the root that holds it.
  auto cov =
      parse_cob(doc("<source>/p/pkg</source><source>/p/tests</source><source>/p/pkg/</source>"
                    "<source>/p/tools</source>",
                    "<class filename=\"test_calc.py\"><lines><line number=\"1\" hits=\"1\"/></lines></class>"));
  REQUIRE(cov.files.count("/p/pkg/test_calc.py") == 1);
  // "/p/pkg/" repeats "/p/pkg" once joined: tried once.
  CHECK(cov.files.at("/p/pkg/test_calc.py").alternatives ==
        std::vector<std::string>{"/p/tests/test_calc.py", "/p/tools/test_calc.py"});
  // The absolute spelling of the first join pins the file to the first source.
  auto pinned =
      parse_cob(doc("<source>/p/pkg</source><source>/p/tests</source>",
                    "<class filename=\"a.py\"><lines><line number=\"1\" hits=\"1\"/></lines></class>"
                    "<class filename=\"/p/pkg/a.py\"><lines><line number=\"2\" hits=\"0\"/></lines></class>"));
  REQUIRE(pinned.files.size() == 1);
  CHECK(pinned.files.at("/p/pkg/a.py").alternatives.empty());
  CHECK(pinned.totals() == Tally{1, 2});
}

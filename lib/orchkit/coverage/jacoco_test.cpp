#include <catch2/catch.hpp>

#include "orchkit/coverage/parser.hpp"
#include "orchkit/coverage/parser_test_support.hpp"

using namespace orchkit::coverage;

namespace {

Coverage parse_jacoco(std::string_view text) { return testing::parse_both_ways(Format::jacoco, text, "j.xml"); }

std::string error_of(std::string_view text) { return testing::parse_error(Format::jacoco, text, "j.xml"); }

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

constexpr std::string_view kHead =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<!DOCTYPE report PUBLIC \"-//JACOCO//DTD Report 1.1//EN\" \"report.dtd\">";

// The shape JaCoCo 0.8's XMLFormatter writes: sessioninfo, packages holding classes (methods,
// counters) then sourcefiles (lines, counters), counters at every level. The report-level LINE
// counter is 4 missed, 5 covered.
constexpr std::string_view kReal =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<!DOCTYPE report PUBLIC \"-//JACOCO//DTD Report 1.1//EN\" \"report.dtd\">"
    "<report name=\"demo\"><sessioninfo id=\"host-1\" start=\"1\" dump=\"2\"/>"
    "<package name=\"com/x\">"
    "<class name=\"com/x/A\" sourcefilename=\"A.java\">"
    "<method name=\"&lt;init&gt;\" desc=\"()V\" line=\"3\"><counter type=\"INSTRUCTION\" missed=\"0\" covered=\"3\"/>"
    "<counter type=\"LINE\" missed=\"0\" covered=\"1\"/></method>"
    "<counter type=\"LINE\" missed=\"2\" covered=\"4\"/></class>"
    "<sourcefile name=\"A.java\">"
    "<line nr=\"3\" mi=\"0\" ci=\"3\" mb=\"0\" cb=\"0\"/>"
    "<line nr=\"5\" mi=\"2\" ci=\"4\" mb=\"1\" cb=\"1\"/>"  // partly covered: covered
    "<line nr=\"6\" mi=\"5\" ci=\"0\" mb=\"0\" cb=\"0\"/>"
    "<line nr=\"7\" mi=\"0\" ci=\"1\" mb=\"0\" cb=\"0\"/>"
    "<line nr=\"9\" mi=\"3\" ci=\"0\" mb=\"2\" cb=\"0\"/>"
    "<line nr=\"10\" mi=\"0\" ci=\"2\" mb=\"0\" cb=\"0\"/>"
    "<counter type=\"INSTRUCTION\" missed=\"10\" covered=\"10\"/><counter type=\"LINE\" missed=\"2\" covered=\"4\"/>"
    "</sourcefile>"
    "<counter type=\"LINE\" missed=\"2\" covered=\"4\"/></package>"
    "<package name=\"com/y\"><class name=\"com/y/B\" sourcefilename=\"B.kt\"/>"
    "<sourcefile name=\"B.kt\"><line nr=\"1\" mi=\"1\" ci=\"0\"/><line nr=\"2\" mi=\"4\" ci=\"0\"/>"
    "<line nr=\"4\" mi=\"0\" ci=\"9\"/><counter type=\"LINE\" missed=\"2\" covered=\"1\"/></sourcefile>"
    "<counter type=\"LINE\" missed=\"2\" covered=\"1\"/></package>"
    "<counter type=\"LINE\" missed=\"4\" covered=\"5\"/></report>";

}  // namespace

TEST_CASE("jacoco: totals equal the report's LINE counter; partly covered lines are covered") {
  auto cov = parse_jacoco(kReal);
  CHECK(cov.totals() == Tally{5, 9});
  REQUIRE(cov.files.size() == 2);
  const auto& a = cov.files.at("com/x/A.java");
  CHECK(a.totals() == Tally{4, 6});
  CHECK(a.lines.is_covered(5));
  CHECK_FALSE(a.lines.is_covered(6));
  CHECK_FALSE(a.lines.is_measured(4));
  CHECK(cov.files.at("com/y/B.kt").totals() == Tally{1, 3});
}

TEST_CASE("jacoco: the default package names the file alone; lines without instructions do not count") {
  auto cov = parse_jacoco(std::string(kHead) +
                          "<report name=\"r\"><package name=\"\"><sourcefile name=\"Main.java\">"
                          "<line nr=\"1\" mi=\"0\" ci=\"0\" mb=\"0\" cb=\"0\"/><line nr=\"2\" mi=\"1\" ci=\"0\"/>"
                          "</sourcefile></package></report>");
  REQUIRE(cov.files.count("Main.java") == 1);
  CHECK(cov.totals() == Tally{0, 1});
}

TEST_CASE("jacoco: lines without mi/ci are measured and the sourcefile's LINE counter is the tally") {
  auto cov = parse_jacoco(
      std::string(kHead) +
      "<report name=\"r\"><package name=\"p\"><sourcefile name=\"S.java\">"
      "<line nr=\"4\"/><line nr=\"5\"/><line nr=\"8\"/>"
      "<counter type=\"METHOD\" missed=\"0\" covered=\"1\"/><counter type=\"LINE\" missed=\"1\" covered=\"2\"/>"
      "</sourcefile><counter type=\"LINE\" missed=\"100\" covered=\"100\"/></package>"
      "<counter type=\"LINE\" missed=\"100\" covered=\"100\"/></report>");
  const auto& s = cov.files.at("p/S.java");
  CHECK(s.totals() == Tally{2, 3});
  CHECK(s.lines.is_measured(4));
  CHECK(s.lines.is_measured(8));
  CHECK(cov.totals() == Tally{2, 3});
  CHECK(contains(error_of(std::string(kHead) +
                          "<report name=\"r\"><package name=\"p\"><sourcefile name=\"S.java\"><line nr=\"4\"/>"
                          "</sourcefile></package></report>"),
                 "j.xml:1: sourcefile 'p/S.java' has lines without mi/ci and no LINE counter"));
}

TEST_CASE("jacoco: the same package path in two groups (modules) sums, as JaCoCo's report counter does") {
  auto cov =
      parse_jacoco(std::string(kHead) +
                   "<report name=\"r\">"
                   "<group name=\"mod-a\"><package name=\"com/x\"><sourcefile name=\"U.java\">"
                   "<line nr=\"1\" mi=\"0\" ci=\"2\"/><line nr=\"2\" mi=\"1\" ci=\"0\"/></sourcefile></package></group>"
                   "<group name=\"mod-b\"><package name=\"com/x\"><sourcefile name=\"U.java\">"
                   "<line nr=\"1\" mi=\"3\" ci=\"0\"/></sourcefile></package></group>"
                   "<counter type=\"LINE\" missed=\"2\" covered=\"1\"/></report>");
  REQUIRE(cov.files.size() == 1);
  CHECK(cov.totals() == Tally{1, 3});
}

TEST_CASE("jacoco: bad input is an error naming the place and what to do") {
  CHECK(error_of("<coverage/>") ==
        "j.xml:1: the root element is <coverage>, expected <report> (is this a JaCoCo XML report? force the format "
        "with FILE@FORMAT)");
  CHECK(contains(error_of("<report>\n<package name=\"p\">\n<sourcefile name=\"A.java\">\n<line mi=\"1\" ci=\"0\"/>"),
                 "j.xml:4: a <line> without an nr attribute"));
  CHECK(contains(error_of("<report><package name=\"p\"><sourcefile name=\"A.java\"><line nr=\"1\" mi=\"x\" ci=\"0\"/>"),
                 "mi 'x' is not a count"));
  CHECK(contains(error_of("<report><package name=\"p\"><sourcefile><line nr=\"1\" mi=\"1\" ci=\"0\"/>"),
                 "a <sourcefile> without a name attribute"));
  std::string real(kReal);
  CHECK(contains(error_of(real.substr(0, real.size() - 40)), "(the report is truncated; re-run the coverage command)"));
  CHECK(contains(error_of("garbage"), "j.xml:1: XML error:"));
  CHECK(contains(error_of(std::string(kHead).substr(0, 60)), "truncated"));
  std::string nested = "<report>";
  for (int i = 0; i < 10000; ++i) nested += "<group>";
  CHECK(contains(error_of(nested), "nested deeper than 256"));
  CHECK(contains(error_of("<!DOCTYPE report [<!ENTITY x SYSTEM \"http://example.com/x\">]><report name=\"&x;\"/>"),
                 "internal subset, refused"));
}

TEST_CASE("jacoco: a sourcefile nested inside another is an error, not a crash (fuzz regression)", "[jacoco]") {
  // Found by fuzz_jacoco: the inner <sourcefile> used to clear the outer one's state.
  std::string_view t =
      "<report><package><sourcefile name=\"a\"><g><package><sourcefile name=\"b\"/></package></g>"
      "<line nr=\"1\"/></sourcefile></package></report>";
  auto r = orchkit::coverage::parse_text(orchkit::coverage::Format::jacoco, t, "j.xml");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message.find("inside <sourcefile>") != std::string::npos);
}

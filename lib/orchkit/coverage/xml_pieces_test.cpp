// Cobertura and JaCoCo read in pieces (pieces.hpp): the same coverage as one pass on every valid
// document, and a decline (then one pass, with its error and line number) wherever a cut is not
// provably between two packages.
#include <catch2/catch.hpp>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "orchkit/coverage/parser.hpp"
#include "orchkit/coverage/pieces.hpp"
#include "orchkit/coverage/reader.hpp"
#include "orchkit/util/sha256.hpp"
#include "support/coverage.hpp"
#include "support/temp_dir.hpp"

using namespace orchkit;
using namespace orchkit::coverage;

namespace {

constexpr size_t kBig = kPiecesMin + (size_t{3} << 20);  // 19 MiB: four pieces

// A Cobertura report of about `size` bytes: two <source>s, packages of a few classes, a filename
// repeated in a later package (its lines merge), class lines and method lines (skipped), escaped
// filenames, comments and CRLF line ends here and there. `filler(p)` is written after package p.
std::string big_cobertura(size_t size, const std::function<std::string(size_t)>& filler = {}) {
  std::mt19937 rng(11);
  std::string s =
      "<?xml version=\"1.0\" ?>\n<coverage version=\"7\" line-rate=\"0.5\">\n\t<sources>\n\t\t<source>/r/a</source>\n"
      "\t\t<source>/r/b</source>\n\t</sources>\n\t<packages>\n";
  for (size_t p = 0; s.size() < size; ++p) {
    s += "\t\t<package name=\"p" + std::to_string(p) + "\" line-rate=\"0.5\">\n\t\t\t<classes>\n";
    for (int c = 0; c < 5; ++c) {
      size_t file = p % 13 == 7 ? p / 13 : p * 5 + static_cast<size_t>(c);  // some repeat an earlier one
      std::string name =
          "src/d" + std::to_string(file % 17) + "/f" + std::to_string(file) + (file % 23 == 0 ? "&amp;x" : "") + ".py";
      s += "\t\t\t\t<class name=\"c\" filename=\"" + name + "\" line-rate=\"1\">\n\t\t\t\t\t<methods>";
      s += "<method name=\"m\"><lines><line number=\"" + std::to_string(1 + rng() % 400) +
           "\" hits=\"5\"/></lines></method></methods>\n\t\t\t\t\t<lines>\n";
      for (int l = 0; l < 60; ++l) {
        s += "\t\t\t\t\t\t<line number=\"" + std::to_string(1 + rng() % 400) + "\" hits=\"" +
             std::to_string(rng() % 3 == 0 ? 0 : rng() % 50) + "\"" + (l % 17 == 3 ? " branch=\"true\"" : "") + "/>" +
             (l % 29 == 5 ? "\r\n" : "\n");
      }
      s += "\t\t\t\t\t</lines>\n\t\t\t\t</class>\n";
    }
    s += "\t\t\t</classes>\n\t\t</package>\n";
    if (p % 31 == 4) s += "\t\t<!-- between packages -->\n";
    if (filler) s += filler(p);
  }
  return s + "\t</packages>\n</coverage>\n";
}

// A JaCoCo report of about `size` bytes on one line, as JaCoCo writes it: DOCTYPE, packages of
// classes and sourcefiles, a package name repeated later (its sourcefiles sum), some sourcefiles
// with lines without mi/ci and their LINE counter.
std::string big_jacoco(size_t size) {
  std::mt19937 rng(5);
  std::string s =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><!DOCTYPE report PUBLIC \"-//JACOCO//DTD Report "
      "1.1//EN\" \"report.dtd\"><report name=\"r\"><sessioninfo id=\"x\" start=\"1\" dump=\"2\"/>";
  for (size_t p = 0; s.size() < size; ++p) {
    std::string pkg = "com/x/p" + std::to_string(p % 11 == 3 ? p / 11 : p);
    s += "<package name=\"" + pkg + "\"><class name=\"" + pkg +
         "/A\" sourcefilename=\"A.java\"><counter type=\"LINE\" "
         "missed=\"1\" covered=\"1\"/></class>";
    for (int f = 0; f < 4; ++f) {
      s += "<sourcefile name=\"S" + std::to_string(f) + ".java\">";
      bool bare = (p + static_cast<size_t>(f)) % 19 == 2;
      for (int l = 0; l < 80; ++l) {
        std::string nr = std::to_string(1 + rng() % 500);
        if (bare) s += "<line nr=\"" + nr + "\"/>";
        else
          s += "<line nr=\"" + nr + "\" mi=\"" + std::to_string(rng() % 3) + "\" ci=\"" + std::to_string(rng() % 3) +
               "\" mb=\"0\" cb=\"0\"/>";
      }
      s += "<counter type=\"LINE\" missed=\"" + std::to_string(10 + f) + "\" covered=\"30\"/></sourcefile>";
    }
    s += "<counter type=\"LINE\" missed=\"1\" covered=\"1\"/></package>";
  }
  return s + "<counter type=\"LINE\" missed=\"1\" covered=\"1\"/></report>";
}

struct Files : testing::TempDir {
  Files() : testing::TempDir("xml-pieces-test") {}
};

}  // namespace

TEST_CASE("piece_start_after finds a <package start tag, and never <packages") {
  CHECK(piece_start_after(Format::cobertura, "<packages>\n<package name=\"a\">", 1) == 11u);
  CHECK(piece_start_after(Format::jacoco, "x<package name", 1) == 1u);
  CHECK_FALSE(piece_start_after(Format::cobertura, "<packages><package>", 1));  // no attribute: not a cut
  CHECK_FALSE(reads_in_pieces(Format::go_coverprofile));
  CHECK(reads_in_pieces(Format::cobertura));
}

TEST_CASE("a large Cobertura or JaCoCo report read in pieces gives what one pass gives, and its digest") {
  Files dir;
  for (Format f : {Format::cobertura, Format::jacoco}) {
    INFO(format_name(f));
    const std::string text = f == Format::cobertura ? big_cobertura(kBig) : big_jacoco(kBig);
    const std::string path = dir.write(f == Format::cobertura ? "big.xml" : "jacoco.xml", text);
    auto one_pass = parse_text(f, text, path);
    REQUIRE(one_pass);
    auto pieces = read_pieces(path, f, true);
    REQUIRE(pieces.has_value());  // taken: over kPiecesMin, packages everywhere
    CHECK(pieces->pieces == 4);
    testing::require_same_coverage(*one_pass, pieces->coverage);
    CHECK(pieces->sha256 == sha256_hex(text));

    auto rep = read_report(ReportSpec{path, std::nullopt}, PathRules{dir.path.string(), {}}, true);
    REQUIRE(rep);
    CHECK(rep->sha256 == sha256_hex(text));
    CHECK(rep->coverage.totals() == normalize_paths(Coverage(*one_pass), PathRules{dir.path.string(), {}}).totals());
  }
}

TEST_CASE("a cut inside a comment, a CDATA section or a <group> declines: one pass reads the report") {
  Files dir;
  auto declines_but_reads = [&](const std::string& name, Format f, const std::string& text) {
    INFO(name);
    const std::string path = dir.write(name, text);
    CHECK_FALSE(read_pieces(path, f, false).has_value());
    auto one_pass = parse_text(f, text, path);
    REQUIRE(one_pass);
    auto rep = read_report(ReportSpec{path, std::nullopt}, PathRules{}, false);
    REQUIRE(rep);
    CHECK(rep->coverage.totals() == normalize_paths(Coverage(*one_pass), PathRules{}).totals());
  };
  // Every package followed by a comment that ends in a whole fake package: wherever a cut is
  // looked for, the first "<package " after it is inside a comment, so the piece before ends
  // inside it. Read as a package, it would add lines to a file no package names.
  const std::string fake =
      "<package name=\"fake\"><classes><class filename=\"fake.py\"><lines>"
      "<line number=\"1\" hits=\"1\"/></lines></class></classes></package>";
  auto comment = [&](size_t) { return "\t\t<!-- " + std::string(120000, ' ') + fake + " -->\n"; };
  std::string commented = big_cobertura(kBig, comment);
  declines_but_reads("comments.xml", Format::cobertura, commented);
  CHECK(parse_text(Format::cobertura, commented, "c")->files.count("fake.py") == 0);

  // CDATA is outside the fast path: the first piece hands over, which a piece may not.
  auto cdata = [&](size_t p) { return p == 2 ? "\t\t<x><![CDATA[" + fake + "]]></x>\n" : std::string(); };
  declines_but_reads("cdata.xml", Format::cobertura, big_cobertura(kBig, cdata));

  // JaCoCo packages inside <group>s: not the context a later piece starts in.
  std::string grouped = big_jacoco(kBig);
  size_t first = grouped.find("<package ");
  grouped.insert(first, "<group name=\"g\">");
  grouped.insert(grouped.rfind("<counter"), "</group>");
  declines_but_reads("grouped.xml", Format::jacoco, grouped);
}

TEST_CASE("an error in any piece of an XML report gets one pass's error, line number and all") {
  Files dir;
  const std::string good = big_cobertura(kBig);
  auto same_error = [&](const std::string& name, Format f, const std::string& text) {
    INFO(name);
    const std::string path = dir.write(name, text);
    CHECK_FALSE(read_pieces(path, f, true).has_value());
    auto rep = read_report(ReportSpec{path, std::nullopt}, PathRules{}, true);
    auto one_pass = parse_text(f, text, path);
    REQUIRE_FALSE(rep);
    REQUIRE_FALSE(one_pass);
    CHECK(rep.error().message == one_pass.error().message);
  };
  std::string late = good;  // a bad line number in the last package
  late.replace(late.rfind("number=\"") + 8, 1, "x");
  same_error("late.xml", Format::cobertura, late);
  std::string middle = good;  // a class <line> without hits, just after the middle
  size_t at = middle.find("hits=\"", middle.find("\t<line number=", middle.size() / 2));
  middle.replace(at, 4, "hots");
  same_error("middle.xml", Format::cobertura, middle);
  same_error("truncated.xml", Format::cobertura, good.substr(0, good.size() - 30));
  std::string unclosed = good;  // a piece's </package> lost: the next piece starts inside it
  unclosed.erase(unclosed.find("</package>", unclosed.size() / 2), 10);
  same_error("unclosed.xml", Format::cobertura, unclosed);
  std::string jacoco = big_jacoco(kBig);
  jacoco.replace(jacoco.rfind(" ci=\"") + 5, 1, "-");
  same_error("jacoco-late.xml", Format::jacoco, jacoco);
}

#include "orchkit/xml.hpp"

#include <catch2/catch.hpp>

using namespace orchkit;

namespace {

// Writes the events back as a compact string: "<a x=1>text</a>".
class Recorder final : public xml::Handler {
 public:
  std::string out;
  std::string fail_on;  // an element name whose start the handler refuses

  Result<void> start(std::string_view name, std::span<const xml::Attr> attrs) override {
    if (name == fail_on) return fail(Exit::error, "no <" + std::string(name) + "> here (remove it)");
    out += "<" + std::string(name);
    for (const auto& a : attrs) out += " " + std::string(a.name) + "=" + std::string(a.value);
    out += ">";
    return {};
  }
  Result<void> end(std::string_view name) override {
    out += "</" + std::string(name) + ">";
    return {};
  }
  Result<void> text(std::string_view s) override {
    for (char c : s)
      if (c != '\n' && c != ' ' && c != '\r') out += c;
    return {};
  }
};

struct Outcome {
  bool ok = false;
  std::string events = {};
  std::string error = {};
};

Outcome run(std::string_view doc, bool bytewise, std::string fail_on = "") {
  Recorder rec;
  rec.fail_on = std::move(fail_on);
  xml::Reader reader("r.xml", rec);
  Result<void> r;
  if (bytewise) {
    for (char c : doc) {
      r = reader.feed(std::string_view(&c, 1));
      if (!r) break;
    }
  } else {
    r = reader.feed(doc);
  }
  if (r) r = reader.finish();
  Outcome o;
  o.ok = r.has_value();
  o.events = rec.out;
  if (!r) o.error = r.error().message;
  return o;
}

// The same outcome whether the document arrives whole or one byte at a time.
Outcome run_both(std::string_view doc, std::string fail_on = "") {
  Outcome whole = run(doc, false, fail_on);
  Outcome bytes = run(doc, true, fail_on);
  CHECK(whole.ok == bytes.ok);
  if (whole.ok) CHECK(whole.events == bytes.events);
  return whole;
}

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }
bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("xml: elements, attributes and text arrive in order, whole or byte by byte") {
  auto o = run_both("<?xml version=\"1.0\"?>\n<a x=\"1\" y='&lt;&#65;&amp;'>\n  <b/>hi<c z=\"\"></c>\n</a>\n");
  REQUIRE(o.ok);
  CHECK(o.events == "<a x=1 y=<A&><b></b>hi<c z=></c></a>");
}

TEST_CASE("xml: a UTF-8 BOM and CRLF line ends are accepted; lines are counted across CRLF") {
  auto o = run_both("\xEF\xBB\xBF<a>\r\n<b/>\r\n</a>\r\n");
  REQUIRE(o.ok);
  CHECK(o.events == "<a><b></b></a>");
  auto bad = run_both("<a>\r\n<b/>\r\n<oops>\r\n</a>\r\n");
  REQUIRE_FALSE(bad.ok);
  CHECK(starts_with(bad.error, "r.xml:4: XML error: mismatched tag"));
}

TEST_CASE("xml: JaCoCo's external DTD is accepted and not fetched") {
  auto o = run_both(
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
      "<!DOCTYPE report PUBLIC \"-//JACOCO//DTD Report 1.1//EN\" \"report.dtd\"><report name=\"x\"/>");
  REQUIRE(o.ok);
  CHECK(o.events == "<report name=x></report>");
  // coverage.py's Cobertura DOCTYPE names an http URL: never fetched either.
  CHECK(run_both("<!DOCTYPE coverage SYSTEM 'http://cobertura.sourceforge.net/xml/coverage-04.dtd'><coverage/>").ok);
}

TEST_CASE("xml: an entity bomb is refused at once, not expanded") {
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n";
  for (int i = 1; i < 10; ++i) {
    bomb += " <!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) bomb += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    bomb += "\">\n";
  }
  bomb += "]>\n<lolz>&lol9;</lolz>\n";
  auto o = run_both(bomb);
  REQUIRE_FALSE(o.ok);
  CHECK(starts_with(o.error, "r.xml:2: the DOCTYPE has an internal subset, refused"));
  CHECK(o.events.empty());
}

TEST_CASE("xml: external and undefined entities are refused") {
  auto ext = run_both("<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>");
  REQUIRE_FALSE(ext.ok);
  CHECK(contains(ext.error, "internal subset"));
  // With an external DTD expat cannot know the entity is undefined; the reader refuses it.
  auto skipped = run_both("<!DOCTYPE a SYSTEM \"a.dtd\"><a>&e;</a>");
  REQUIRE_FALSE(skipped.ok);
  CHECK(starts_with(skipped.error, "r.xml:1: reference to the undefined entity '&e;'"));
  auto undefined = run_both("<a>&e;</a>");
  REQUIRE_FALSE(undefined.ok);
  CHECK(starts_with(undefined.error, "r.xml:1: XML error: undefined entity"));
}

TEST_CASE("xml: deep nesting is an error, not a stack overflow") {
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "<a>";
  for (int i = 0; i < 10000; ++i) deep += "</a>";
  auto o = run(deep, false);
  REQUIRE_FALSE(o.ok);
  CHECK(o.error ==
        "r.xml:1: elements nested deeper than 256 (coverage reports are shallow; the file is malformed or hostile)");
  std::string ok_depth;
  for (int i = 0; i < 256; ++i) ok_depth += "<a>";
  for (int i = 0; i < 256; ++i) ok_depth += "</a>";
  CHECK(run(ok_depth, false).ok);
}

TEST_CASE("xml: truncated, empty, garbage and binary input name the line and what to do") {
  auto truncated = run_both("<a>\n<b>\n<c/>\n");
  REQUIRE_FALSE(truncated.ok);
  CHECK(
      truncated.error ==
      "r.xml:4: the document ends with 2 element(s) still open (the report is truncated; re-run the coverage command)");
  auto mid_tag = run_both("<a>\n<b x=\"1");
  REQUIRE_FALSE(mid_tag.ok);
  CHECK(contains(mid_tag.error, "truncated"));
  auto empty = run_both("  \n");
  REQUIRE_FALSE(empty.ok);
  CHECK(contains(empty.error, "no XML element found (the report is empty or truncated"));
  auto garbage = run_both("hello world\n");
  REQUIRE_FALSE(garbage.ok);
  CHECK(starts_with(garbage.error, "r.xml:1: XML error: syntax error (the report is damaged or is not XML"));
  auto binary = run_both(std::string_view("\x1f\x8b\x08\x00\x00\x00\xff", 7));
  REQUIRE_FALSE(binary.ok);
  CHECK(starts_with(binary.error, "r.xml:1: XML error:"));
  auto junk_after = run_both("<a/>\n<b/>");
  REQUIRE_FALSE(junk_after.ok);
  CHECK(starts_with(junk_after.error, "r.xml:2: XML error: junk after document element"));
}

TEST_CASE("xml: a handler's error stops the parse, gets the place, and sticks") {
  Recorder rec;
  rec.fail_on = "bad";
  xml::Reader reader("r.xml", rec);
  auto r = reader.feed("<a>\n<ok/>\n<bad/>\n<never/>");
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "r.xml:3: no <bad> here (remove it)");
  CHECK(rec.out == "<a><ok></ok>");
  auto again = reader.feed("</a>");
  REQUIRE_FALSE(again);
  CHECK(again.error().message == "r.xml:3: no <bad> here (remove it)");
  CHECK_FALSE(reader.finish());
}

TEST_CASE("xml: a part read from a cut starts inside its context and ends between tags, or fails") {
  const std::vector<std::string> context = {"coverage", "packages"};
  {
    // The handler sees the context's start tags first; the part stands between tags at its end.
    Recorder rec;
    xml::Reader reader("r.xml", rec);
    REQUIRE(reader.resume(context));
    REQUIRE(reader.feed("<package name=\"a\"><class/></package>\n  "));
    CHECK(reader.between(context));
    CHECK_FALSE(reader.between({"coverage"}));
    CHECK(rec.out == "<coverage><packages><package name=a><class></class></package>");
    REQUIRE(reader.feed("<package name=\"b\"/></packages></coverage>\n"));
    CHECK(reader.finish());  // the last part ends the document
  }
  {
    // Cut inside a tag or a comment: something is carried, so not between.
    Recorder rec;
    xml::Reader reader("r.xml", rec);
    REQUIRE(reader.resume(context));
    REQUIRE(reader.feed("<package name=\"a\"/><!-- <package "));
    CHECK_FALSE(reader.between(context));
  }
  {
    // What the fast path hands to expat is an error in a part (expat cannot start mid-document).
    Recorder rec;
    xml::Reader reader("r.xml", rec);
    REQUIRE(reader.resume(context));
    auto r = reader.feed("<package name=\"a\"><![CDATA[x]]></package>");
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("a part read from a cut needs the full parser"));
    CHECK_FALSE(reader.between(context));
  }
  {
    // A part that does not reach the document's end is not a finished document.
    Recorder rec;
    xml::Reader reader("r.xml", rec);
    REQUIRE(reader.resume(context));
    REQUIRE(reader.feed("<package name=\"a\"/>"));
    CHECK_FALSE(reader.finish());
  }
  {
    // Only the fast path resumes; a handler refusing the context fails the part.
    Recorder rec;
    xml::Reader expat_only("r.xml", rec, xml::Limits{256, false});
    CHECK_FALSE(expat_only.resume(context));
    Recorder refusing;
    refusing.fail_on = "packages";
    xml::Reader reader("r.xml", refusing);
    auto r = reader.resume(context);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("no <packages> here"));
    CHECK_FALSE(reader.feed("<package/>"));
  }
}

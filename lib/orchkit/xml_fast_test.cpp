// The fast path against expat alone: the same events and the same verdict for every document,
// whole and cut into pieces (tests the hand-over at every kind of construct it refuses).
#include <catch2/catch.hpp>
#include <random>

#include "orchkit/xml.hpp"

using namespace orchkit;

namespace {

class Recorder final : public xml::Handler {
 public:
  std::string out;
  Result<void> start(std::string_view name, std::span<const xml::Attr> attrs) override {
    out += "<" + std::string(name);
    for (const auto& a : attrs) out += " " + std::string(a.name) + "=[" + std::string(a.value) + "]";
    out += ">";
    return {};
  }
  Result<void> end(std::string_view name) override {
    out += "</" + std::string(name) + ">";
    return {};
  }
  Result<void> text(std::string_view s) override {
    out += "{" + std::string(s) + "}";
    return {};
  }
};

struct Outcome {
  bool ok = false;
  std::string events = {};
  std::string error = {};
};

// Text may arrive in pieces; compare it merged.
std::string merged(std::string s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '}' && i + 1 < s.size() && s[i + 1] == '{') {
      ++i;
      continue;
    }
    out += s[i];
  }
  return out;
}

Outcome run(std::string_view doc, bool fast, size_t piece) {
  Recorder rec;
  xml::Limits limits;
  limits.fast_path = fast;
  xml::Reader reader("r.xml", rec, limits);
  Result<void> r;
  for (size_t at = 0; at < doc.size() && r; at += piece) r = reader.feed(doc.substr(at, piece));
  if (r) r = reader.finish();
  return Outcome{r.has_value(), merged(rec.out), r ? std::string() : r.error().message};
}

void same_as_expat(const std::string& doc) {
  for (size_t piece : {doc.size() + 1, size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{64}}) {
    Outcome oracle = run(doc, false, piece);  // expat's message may depend on the cut: like with like
    Outcome fast = run(doc, true, piece);
    INFO(doc << "\npiece " << piece << "\nexpat: " << oracle.events << " " << oracle.error << "\nfast:  " << fast.events
             << " " << fast.error);
    CHECK(fast.ok == oracle.ok);
    if (oracle.ok) CHECK(fast.events == oracle.events);
    // The same words whole; cut into pieces expat's own words for a broken token may depend on
    // where the cut falls, and a hand-over regroups the bytes around it: both refuse.
    if (!oracle.ok && piece > doc.size()) CHECK(fast.error == oracle.error);
  }
}

}  // namespace

TEST_CASE("xml fast path: the documents coverage tools write read as expat reads them", "[xml]") {
  for (const char* doc : {
           "<?xml version=\"1.0\" ?>\n<coverage line-rate=\"0.5\"><sources><source>/src</source></sources>\n"
           "<packages><package name=\"a\"><classes><class filename=\"a.py\"><lines>\n"
           "<line number=\"1\" hits=\"3\"/><line number=\"2\" hits='0' branch=\"false\" />\n"
           "</lines></class></classes></package></packages></coverage>\n",
           "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
           "<!DOCTYPE report PUBLIC \"-//JACOCO//DTD Report 1.1//EN\" \"report.dtd\"><report name=\"x\">"
           "<sessioninfo id=\"h\" start=\"1\" dump=\"2\"/><package name=\"p\"><sourcefile name=\"A.java\">"
           "<line nr=\"3\" mi=\"0\" ci=\"4\" mb=\"0\" cb=\"0\"/></sourcefile></package></report>",
           "<a x=\"&lt;&gt;&amp;&quot;&apos; &#65;&#x42; caf\xC3\xA9 \xF0\x9F\x98\x80\">t&amp;x &#x10FFFF;</a>",
           "<a\r\n x=\"1\r\n2\t3\n4\">line\r\nend\rx</a>\r\n<!-- after -->\n<?pi after?>\n",
           "<a><!-- c --><?pi x?><b/> <c></c ></a>",
           "<a x='\"' y=\"'\" z=\"a>b\"/>",
       })
    same_as_expat(doc);
}

TEST_CASE("xml fast path: every construct it does not read is handed over, not guessed", "[xml]") {
  for (const char* doc : {
           "<a><![CDATA[x<y]]></a>",                                         // CDATA
           "<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>",                     // an internal subset
           "<!DOCTYPE a SYSTEM \"a.dtd\"><a>&e;</a>",                        // skipped entity
           "<a>&e;</a>",                                                     // undefined entity
           "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xE9</a>",  // another encoding
           "<a><b></a>",                                                     // mismatched tag
           "<a x=\"1\" x=\"2\"/>",                                           // duplicate attribute
           "<a x=1/>",                                                       // unquoted value
           "<a>x]]>y</a>",                                                   // ]]> in text
           "<a>\xC3</a>",                                                    // bad UTF-8
           "<a>\x01</a>",                                                    // a control character
           "<a>&#0;</a>",                                                    // not a character
           "<a/><b/>",                                                       // junk after the root
           "<a/>text",                                                       // text after the root
           "text<a/>",                                                       // text before the root
           "<a><b>",                                                         // truncated
           "<a>x\r\r\r",               // truncated after CRs (a last CR is not a line end yet)
           "",                         // empty
           "<!-- only a comment -->",  // no element
           "<!DOCTYPE a SYSTEM \"x\"><!DOCTYPE a SYSTEM \"y\"><a/>",  // two DOCTYPEs
           " <?xml version=\"1.0\"?><a/>",                            // declaration not first
           "<?xmL version=\"1.0\"?><a/>",                             // a reserved target, not the declaration
           "<?xml version=\"1.0\" encoding=\"UTF\r8\"?><a/>",         // not UTF-8: only letters compare case-blind
           "<a><?XML x?></a>",                                        // a reserved target inside
           "<a><!-- a -- b --></a>",                                  // -- in a comment
           "<a x=\"<\"/>",                                            // < in a value
           "<a b:c=\"1\" ><é/></a>",                                  // a non-ASCII name
       })
    same_as_expat(doc);
}

TEST_CASE("xml fast path: nesting deeper than the limit is refused with expat's words", "[xml]") {
  std::string doc;
  for (int i = 0; i < 300; ++i) doc += "<a>";
  for (int i = 0; i < 300; ++i) doc += "</a>";
  same_as_expat(doc);
}

TEST_CASE("xml fast path: random mutations of a report agree with expat", "[xml]") {
  const std::string base =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE coverage SYSTEM \"x.dtd\">\n<coverage><sources><source>/s</source>"
      "</sources><packages><package><classes><class filename=\"a&amp;b.py\"><lines>\n"
      "<line number=\"1\" hits=\"1\"/>\n<line number=\"2\" hits=\"0\"/>\n</lines></class></classes></package>"
      "</packages></coverage>\n";
  const char alphabet[] =
      "<>/=\"'&;#x![]-? \n\r\t\xC3\xA9\x01"
      "abc";
  std::mt19937 rng(7);
  for (int n = 0; n < 3000; ++n) {
    std::string doc = base;
    for (int k = 0; k < 1 + n % 3; ++k) {
      size_t at = rng() % doc.size();
      switch (rng() % 3) {
        case 0: doc[at] = alphabet[rng() % (sizeof alphabet - 1)]; break;
        case 1: doc.erase(at, 1 + rng() % 4); break;
        default: doc.insert(at, 1, alphabet[rng() % (sizeof alphabet - 1)]); break;
      }
    }
    same_as_expat(doc);
  }
}

TEST_CASE("xml fast path: a first chunk over 1 MiB that opens the root stays on the fast path", "[xml]") {
  // A mapped report arrives in windows of several MiB: the prolog cap (1 MiB before the root
  // element) must be measured after the chunk, or every such report went to expat (4 × slower).
  std::string doc = "<?xml version=\"1.0\"?>\n<coverage>";
  while (doc.size() < (size_t{3} << 20)) doc += "<line number=\"1\" hits=\"0\"/>\n";
  doc += "</coverage>\n";
  Recorder rec;
  xml::Reader reader("r.xml", rec);
  REQUIRE(reader.feed(doc));
  REQUIRE(reader.finish());
  CHECK(reader.fast());

  // A prolog of more than 1 MiB (a huge comment) is still expat's, whatever the chunk size.
  std::string big = "<!--" + std::string(size_t{2} << 20, 'x') + "--><a/>";
  Recorder rec2;
  xml::Reader whole("r.xml", rec2);
  REQUIRE(whole.feed(big.substr(0, size_t{3} << 19)));
  CHECK_FALSE(whole.fast());
  REQUIRE(whole.feed(big.substr(size_t{3} << 19)));
  REQUIRE(whole.finish());
  CHECK(rec2.out == "<a></a>");
}

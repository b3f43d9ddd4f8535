// libFuzzer target: the XML fast path against expat alone (xml_fast.hpp). For every input, fed
// whole and in pieces cut at points taken from the data, the fast path must end the same way
// as expat fed the same pieces (both accept with the same events, or both refuse; fed whole,
// with the same message): it may hand over, never decide differently. Aborts on a difference.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "orchkit/xml.hpp"

namespace {

class Recorder final : public orchkit::xml::Handler {
 public:
  std::string out;
  orchkit::Result<void> start(std::string_view name, std::span<const orchkit::xml::Attr> attrs) override {
    out += "<" + std::string(name);
    for (const auto& a : attrs) out += " " + std::string(a.name) + "=[" + std::string(a.value) + "]";
    out += ">";
    return {};
  }
  orchkit::Result<void> end(std::string_view name) override {
    out += "</" + std::string(name) + ">";
    return {};
  }
  orchkit::Result<void> text(std::string_view s) override {
    out += s;  // pieces merge: the same text however it was cut
    return {};
  }
};

struct Outcome {
  bool ok;
  std::string events, error;
};

Outcome run(std::string_view doc, bool fast, size_t piece) {
  Recorder rec;
  orchkit::xml::Limits limits;
  limits.fast_path = fast;
  orchkit::xml::Reader reader("fuzz.xml", rec, limits);
  orchkit::Result<void> r;
  for (size_t at = 0; at < doc.size() && r; at += piece) r = reader.feed(doc.substr(at, piece));
  if (r) r = reader.finish();
  return Outcome{r.has_value(), rec.out, r ? std::string() : r.error().message};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view doc(reinterpret_cast<const char*>(data), size);
  size_t cut = size ? 1 + data[0] % 97 : 1;
  for (size_t piece : {size + 1, cut, size_t{1}}) {
    // expat's own message may depend on where the input was cut: compare like with like
    Outcome oracle = run(doc, false, piece);
    Outcome fast = run(doc, true, piece);
    // Cut into pieces, expat's own words for a broken token may depend on where the cut falls and
    // a hand-over regroups the bytes around it: then both must refuse; whole, with the same words.
    bool words = piece > size;
    if (fast.ok != oracle.ok || (oracle.ok && fast.events != oracle.events) ||
        (!oracle.ok && words && fast.error != oracle.error))
      std::abort();
  }
  return 0;
}

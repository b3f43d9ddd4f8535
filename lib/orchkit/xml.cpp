#include "orchkit/xml.hpp"

#include <expat.h>

#include <algorithm>
#include <exception>
#include <vector>

#include "orchkit/handle.hpp"

namespace orchkit::xml {

namespace {

// The parse state the expat callbacks see (their user data).
struct State {
  State(std::string n, Handler& h, Limits l)
      : name(std::move(n)), handler(h), limits(l), parser(XML_ParserCreate(nullptr)) {}

  std::string name;
  Handler& handler;
  Limits limits;
  Handle<XML_ParserStruct, XML_ParserFree> parser;
  unsigned depth = 0;
  std::vector<Attr> attrs;
  std::optional<Error> error;  // sticky: the first failure wins

  std::string where() const { return name + ":" + std::to_string(XML_GetCurrentLineNumber(parser.get())) + ": "; }

  // Called from inside a callback: remember the first error and stop expat.
  void stop(const std::string& message) {
    if (!error) error = Error{Exit::error, where() + message};
    XML_StopParser(parser.get(), XML_FALSE);
  }

  // Runs a handler call; exceptions must not unwind through expat's C frames.
  template <class F>
  void guarded(F&& f) {
    try {
      Result<void> r = f();
      if (!r) stop(r.error().message);
    } catch (const std::exception& e) {
      stop(std::string("internal error: ") + e.what() + " (report this as a bug)");
    }
  }
};

State& self(void* ud) { return *static_cast<State*>(ud); }

void on_start(void* ud, const XML_Char* name, const XML_Char** atts) {
  State& im = self(ud);
  if (im.error) return;  // expat may deliver a few events after a stop
  if (++im.depth > im.limits.max_depth) {
    im.stop("elements nested deeper than " + std::to_string(im.limits.max_depth) +
            " (coverage reports are shallow; the file is malformed or hostile)");
    return;
  }
  im.attrs.clear();
  for (size_t i = 0; atts[i] != nullptr; i += 2) im.attrs.push_back(Attr{atts[i], atts[i + 1]});
  im.guarded([&] { return im.handler.start(name, im.attrs); });
}

void on_end(void* ud, const XML_Char* name) {
  State& im = self(ud);
  if (im.error) return;
  --im.depth;
  im.guarded([&] { return im.handler.end(name); });
}

void on_text(void* ud, const XML_Char* s, int len) {
  State& im = self(ud);
  if (im.error) return;
  im.guarded([&] { return im.handler.text(std::string_view(s, static_cast<size_t>(len))); });
}

void on_doctype(void* ud, const XML_Char*, const XML_Char*, const XML_Char*, int has_internal_subset) {
  State& im = self(ud);
  if (im.error || !has_internal_subset) return;
  im.stop(
      "the DOCTYPE has an internal subset, refused: it can declare entities that expand without bound "
      "(coverage tools never write one; regenerate the report)");
}

void on_entity_decl(void* ud, const XML_Char* entity, int, const XML_Char*, int, const XML_Char*, const XML_Char*,
                    const XML_Char*, const XML_Char*) {
  State& im = self(ud);
  if (im.error) return;
  im.stop(std::string("entity declaration '") + entity +
          "' refused (coverage tools never declare entities; regenerate the report)");
}

void on_skipped_entity(void* ud, const XML_Char* entity, int) {
  State& im = self(ud);
  if (im.error) return;
  im.stop(std::string("reference to the undefined entity '&") + entity +
          ";' (only &lt; &gt; &amp; &quot; &apos; and character references are read; regenerate the report)");
}

}  // namespace

struct Reader::Impl : State {
  using State::State;
};

Reader::Reader(std::string name, Handler& handler, Limits limits)
    : impl_(std::make_unique<Impl>(std::move(name), handler, limits)) {
  XML_Parser p = impl_->parser.get();
  if (!p) return;
  XML_SetUserData(p, static_cast<State*>(impl_.get()));
  XML_SetElementHandler(p, on_start, on_end);
  XML_SetCharacterDataHandler(p, on_text);
  XML_SetDoctypeDeclHandler(p, on_doctype, nullptr);
  XML_SetEntityDeclHandler(p, on_entity_decl);
  XML_SetSkippedEntityHandler(p, on_skipped_entity);
  // Never read the external DTD subset nor any parameter entity: nothing is ever fetched.
  XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
}

Reader::~Reader() = default;

namespace {

Result<void> parse(State& im, const char* data, int len, bool final) {
  if (im.error) return fail(*im.error);
  XML_Parser p = im.parser.get();
  if (!p) {
    im.error = Error{Exit::error, im.name + ": cannot create an XML parser (out of memory?)"};
    return fail(*im.error);
  }
  if (XML_Parse(p, data, len, final ? XML_TRUE : XML_FALSE) == XML_STATUS_OK) return {};
  if (im.error) return fail(*im.error);  // a callback stopped the parse and said why

  XML_Error code = XML_GetErrorCode(p);
  std::string what = std::string("XML error: ") + XML_ErrorString(code);
  std::string hint =
      "the report is damaged or is not XML; re-run the coverage command, or check a format forced with FILE@FORMAT";
  switch (code) {
    case XML_ERROR_NO_ELEMENTS:
      if (im.depth > 0) {
        what = "the document ends with " + std::to_string(im.depth) + " element(s) still open";
        hint = "the report is truncated; re-run the coverage command";
      } else {
        what = "no XML element found";
        hint = "the report is empty or truncated; re-run the coverage command";
      }
      break;
    case XML_ERROR_UNCLOSED_TOKEN:
    case XML_ERROR_UNCLOSED_CDATA_SECTION:
    case XML_ERROR_PARTIAL_CHAR: hint = "the report is truncated; re-run the coverage command"; break;
    case XML_ERROR_UNDEFINED_ENTITY:
    case XML_ERROR_RECURSIVE_ENTITY_REF:
    case XML_ERROR_EXTERNAL_ENTITY_HANDLING:
    case XML_ERROR_AMPLIFICATION_LIMIT_BREACH:
      hint = "only &lt; &gt; &amp; &quot; &apos; and character references are read; regenerate the report";
      break;
    default: break;
  }
  im.error = Error{Exit::error, im.where() + what + " (" + hint + ")"};
  return fail(*im.error);
}

}  // namespace

Result<void> Reader::feed(std::string_view chunk) {
  constexpr size_t kMaxPiece = size_t{1} << 30;  // XML_Parse takes an int length
  do {
    size_t n = std::min(chunk.size(), kMaxPiece);
    ORCHKIT_CHECK(parse(*impl_, chunk.data(), static_cast<int>(n), false));
    chunk.remove_prefix(n);
  } while (!chunk.empty());
  return {};
}

Result<void> Reader::finish() { return parse(*impl_, "", 0, true); }

uint64_t Reader::line() const {
  return impl_->parser ? static_cast<uint64_t>(XML_GetCurrentLineNumber(impl_->parser.get())) : 0;
}

}  // namespace orchkit::xml

#include "orchkit/xml.hpp"

#include <expat.h>

#include <algorithm>
#include <exception>
#include <vector>

#include "orchkit/util/handle.hpp"
#include "orchkit/xml_fast.hpp"

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
  bool suppress = false;       // the context of a hand-over: elements the handler already saw
  uint64_t line_offset = 0;    // lines the fast path read before it handed over
  bool resumed = false;        // a part from a cut (Reader::resume): no hand-over

  uint64_t line() const { return XML_GetCurrentLineNumber(parser.get()) + line_offset; }
  std::string where() const { return name + ":" + std::to_string(line()) + ": "; }

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
  if (im.suppress) {
    ++im.depth;
    return;
  }
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
  if (im.suppress) return;
  im.guarded([&] { return im.handler.end(name); });
}

void on_text(void* ud, const XML_Char* s, int len) {
  State& im = self(ud);
  if (im.error || im.suppress) return;
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
  Impl(std::string n, Handler& h, Limits l) : State(std::move(n), h, l), scanner(h, l) {}
  detail::FastScanner scanner;
  bool fast = limits.fast_path;  // until the fast path hands over
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

namespace {

Result<void> expat_feed(State& im, std::string_view chunk) {
  constexpr size_t kMaxPiece = size_t{1} << 30;  // XML_Parse takes an int length
  do {
    size_t n = std::min(chunk.size(), kMaxPiece);
    ORCHKIT_CHECK(parse(im, chunk.data(), static_cast<int>(n), false));
    chunk.remove_prefix(n);
  } while (!chunk.empty());
  return {};
}

// The fast path stopped before a construct it does not read: expat takes over from there, first
// given the elements still open (or a finished root) as context the handler does not see again.
Result<void> hand_over(State& im, detail::FastScanner& sc, bool& fast) {
  fast = false;
  std::vector<std::string> rest = sc.take_pending();
  std::string context;
  if (!sc.open().empty() || sc.done()) context = sc.prolog_markup();  // else `rest` starts the document
  uint64_t context_lines = 0;                                         // XML's line ends: "\n", "\r\n", a lone "\r"
  for (size_t i = 0; i < context.size(); ++i)
    if (context[i] == '\n' || (context[i] == '\r' && (i + 1 == context.size() || context[i + 1] != '\n')))
      ++context_lines;
  if (sc.done()) context += "<r/>";
  for (const auto& el : sc.open()) context += "<" + el + ">";
  im.line_offset = sc.line() - 1 - context_lines;
  im.suppress = true;
  auto ok = parse(im, context.data(), static_cast<int>(context.size()), false);
  im.suppress = false;
  ORCHKIT_CHECK(ok);
  for (const auto& piece : rest) ORCHKIT_CHECK(expat_feed(im, piece));
  return {};
}

Result<void> fast_status(State& im, detail::FastScanner& sc, bool& fast, detail::FastScanner::Status st) {
  using S = detail::FastScanner::Status;
  if (st == S::ok) return {};
  if (st == S::handover && im.resumed) {
    im.error = Error{Exit::error, im.name + ": a part read from a cut needs the full parser"};
    return fail(*im.error);
  }
  if (st == S::handover) return hand_over(im, sc, fast);
  im.error = Error{Exit::error, im.name + ":" + std::to_string(sc.line()) + ": " + sc.error().message};
  return fail(*im.error);
}

}  // namespace

Result<void> Reader::feed(std::string_view chunk) {
  if (impl_->error) return fail(*impl_->error);
  if (impl_->fast) return fast_status(*impl_, impl_->scanner, impl_->fast, impl_->scanner.feed(chunk));
  return expat_feed(*impl_, chunk);
}

Result<void> Reader::finish() {
  if (impl_->error) return fail(*impl_->error);
  if (impl_->fast) {
    ORCHKIT_CHECK(fast_status(*impl_, impl_->scanner, impl_->fast, impl_->scanner.finish()));
    if (impl_->fast) return {};
  }
  return parse(*impl_, "", 0, true);
}

bool Reader::fast() const { return impl_->fast; }

Result<void> Reader::resume(std::vector<std::string> open) {
  Impl& im = *impl_;
  if (!im.fast) return fail(Exit::error, im.name + ": a part read from a cut needs the fast path");
  im.resumed = true;
  for (const std::string& name : open) {
    auto r = im.handler.start(name, {});
    if (!r) {
      im.error = Error{Exit::error, im.name + ": " + r.error().message};
      return fail(*im.error);
    }
  }
  im.scanner.resume(std::move(open));
  return {};
}

bool Reader::between(const std::vector<std::string>& open) const {
  return impl_->fast && !impl_->error && impl_->scanner.between(open);
}

uint64_t Reader::line() const {
  if (impl_->fast) return impl_->scanner.line();
  return impl_->parser ? impl_->line() : 0;
}

}  // namespace orchkit::xml

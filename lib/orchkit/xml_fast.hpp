// The strict fast path of xml::Reader (xml.cpp): a scanner for the XML coverage tools actually
// write — UTF-8, elements and attributes, the five predefined entities and character
// references, comments, processing instructions, an external DOCTYPE — that delivers the same
// events expat would. Anything outside it (a CDATA section, a DOCTYPE internal subset, another
// encoding, an entity it does not know, anything malformed) is not guessed at: the scanner
// stops before that construct and hands over, and expat parses from there (docs/performance.md,
// "XML"). Private to xml.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/result.hpp"
#include "orchkit/xml.hpp"

namespace orchkit::xml::detail {

class FastScanner {
 public:
  FastScanner(Handler& h, Limits limits) : handler_(h), limits_(limits) { attrs_.reserve(32); }

  enum class Status { ok, handover, failed };
  // Scans `chunk` (after what an earlier call left over). On handover, pending() is the input
  // from the construct it would not take, to be given to expat after open() as context.
  Status feed(std::string_view chunk);
  // End of input: ok only when the document was complete and well formed (else handover, so
  // that expat says what is wrong).
  Status finish();

  // The handler's error when Status::failed (its message without a location).
  const Error& error() const { return error_; }
  // The input from the hand-over on, in the pieces expat is to be fed (a replayed prolog keeps
  // the caller's chunks: expat's words for a broken token can depend on where input was cut).
  std::vector<std::string> take_pending();
  // The elements open at the hand-over, outermost first.
  const std::vector<std::string>& open() const { return stack_; }
  // The root element closed before the hand-over (expat must see a finished root).
  bool done() const { return done_; }
  // The XML declaration and DOCTYPE as read: expat's context must have them too (with an
  // external DTD an unknown entity is "skipped", without one it is an error).
  const std::string& prolog_markup() const { return prolog_markup_; }
  uint64_t line() const { return line_; }

  // Reading a part that starts at a cut (a start tag) inside `open`, outermost first: past the
  // prolog and the root's start tag, as the scanner of the whole document stood there.
  void resume(std::vector<std::string> open) {
    stack_ = std::move(open);
    prolog_ = false;
    started_ = true;
  }
  // All input so far read, nothing unfinished carried, and exactly `open` open (a part's end at
  // the next cut).
  bool between(const std::vector<std::string>& open) const { return carry_.empty() && !done_ && stack_ == open; }

 private:
  Status feed_chunk(std::string_view chunk);
  Status replay_prolog();
  Status scan(std::string_view buf, bool at_eof, size_t& used);
  Status tag(std::string_view buf, size_t at, bool at_eof, size_t& next);
  Status markup(std::string_view buf, size_t at, bool at_eof, size_t& next);
  bool decode(std::string_view raw, bool attr, std::string& out);
  Status deliver(Result<void> r);
  void count_lines(std::string_view buf, size_t from, size_t to);

  Handler& handler_;
  Limits limits_;
  std::vector<std::string> stack_;
  std::vector<Attr> attrs_;
  std::vector<std::string> values_;  // decoded attribute values that differ from the raw text
  std::string scratch_;
  std::string carry_;    // an unfinished token from the previous chunk
  std::string pending_;  // on handover
  std::string prolog_markup_;
  std::string prolog_text_;
  std::vector<size_t> prolog_cuts_;  // the sizes of the chunks prolog_text_ was fed in
  bool replayed_ = false;            // every byte before the root element: a hand-over there replays it all
  Error error_ = {};
  uint64_t line_ = 1;
  bool started_ = false;  // any byte seen (the XML declaration must come first)
  bool prolog_ = true;    // before the root element
  bool done_ = false;     // the root element closed
};

}  // namespace orchkit::xml::detail

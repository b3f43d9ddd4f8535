// Streaming XML (SAX) over expat — the only file that includes <expat.h> — with a strict fast
// path of our own in front (xml_fast.hpp) for the XML coverage tools write; expat takes over
// wherever the fast path will not decide. Fed in chunks of any size, no DOM: memory stays flat
// however large the document.
//
// Refuses what a coverage report never needs and a hostile file would use: a DOCTYPE internal
// subset, entity declarations ("billion laughs", external entities), references to undefined
// entities, and nesting deeper than Limits::max_depth. An external DTD named by DOCTYPE (JaCoCo
// writes `<!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">`) is accepted
// and never read or fetched.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/result.hpp"

namespace orchkit::xml {

// One attribute of a start tag; the views live until the handler returns.
struct Attr {
  std::string_view name = {};
  std::string_view value = {};
};

// The value of attribute `name`, or nullopt when the tag does not carry it.
inline std::optional<std::string_view> find_attr(std::span<const Attr> attrs, std::string_view name) {
  for (const Attr& a : attrs)
    if (a.name == name) return a.value;
  return std::nullopt;
}

// Receives the events of one document. An error returned stops the parse; its message is
// "what (what to do)" and the Reader prefixes "<name>:<line>: ".
class Handler {
 public:
  virtual ~Handler() = default;
  virtual Result<void> start(std::string_view name, std::span<const Attr> attrs) = 0;
  virtual Result<void> end(std::string_view name) = 0;
  // Character data, possibly in several pieces for one run of text.
  virtual Result<void> text(std::string_view) { return {}; }
};

struct Limits {
  unsigned max_depth = 256;  // coverage reports nest < 10 deep
  // The strict fast path (xml_fast.hpp) first, expat from where it hands over; false: expat
  // alone (the oracle of the differential test and fuzz target).
  bool fast_path = true;
};

// One document: feed() it in order, then finish(). Errors are "<name>:<line>: what (what to do)"
// and sticky: once failed, every later call returns the same error.
class Reader {
 public:
  Reader(std::string name, Handler& handler, Limits limits = {});
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  Result<void> feed(std::string_view chunk);
  // The document must be complete: a truncated one is an error.
  Result<void> finish();
  // The line being parsed (after finish(): the last line), for the handler's own messages.
  uint64_t line() const;
  // Is the fast path still reading (false once expat took over, or with fast_path off)?
  bool fast() const;

  // Parts of one document read apart (coverage/pieces.hpp): this reader starts at a cut, a start
  // tag inside the elements `open` (outermost first), and the handler is given their start tags
  // first, without attributes. Call before any feed(). Only the fast path reads such a part:
  // anything it would hand over to expat is an error here (the caller reads the whole document).
  Result<void> resume(std::vector<std::string> open);
  // Whether the input so far was read to its last byte by the fast path, standing between tags
  // with exactly `open` still open: where the next part may start.
  bool between(const std::vector<std::string>& open) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace orchkit::xml

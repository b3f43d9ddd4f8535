// The body of every report fuzzer: parse the input whole (parse_text copies and pads JSON); for the
// streamed formats parse it again fed in two chunks cut at a point taken from the data, and abort
// when the two disagree (a record split across chunks must read the same). Sniffing and path
// normalisation run on the same input, as the reader would run them.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "orchkit/coverage/format.hpp"
#include "orchkit/coverage/parser.hpp"
#include "orchkit/coverage/paths.hpp"

namespace orchkit_fuzz {

inline orchkit::Result<orchkit::coverage::Coverage> parse_in_two(orchkit::coverage::Format f, std::string_view text,
                                                                 size_t cut) {
  auto parser = orchkit::coverage::make_stream_parser(f, "fuzz");
  ORCHKIT_CHECK(parser->feed(text.substr(0, cut)));
  ORCHKIT_CHECK(parser->feed(text.substr(cut)));
  return parser->finish();
}

inline bool same(const orchkit::coverage::Coverage& a, const orchkit::coverage::Coverage& b) {
  if (a.files.size() != b.files.size()) return false;
  for (auto ia = a.files.begin(), ib = b.files.begin(); ia != a.files.end(); ++ia, ++ib)
    if (ia->first != ib->first || ia->second.totals() != ib->second.totals()) return false;
  return true;
}

inline int report(orchkit::coverage::Format f, const uint8_t* data, size_t size) {
  using namespace orchkit::coverage;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)sniff(text.substr(0, 64 * 1024));
  auto whole = parse_text(f, text, "fuzz");
  if (whole) {
    (void)whole->totals();
    PathRules rules;
    rules.root = "/home/ci/proj";
    rules.strip = {"/build/", "C:\\src\\"};
    (void)normalize_paths(Coverage(*whole), rules).totals();
  }
  if (is_json(f) || size == 0) return 0;
  size_t cut = (size_t{data[size / 2]} * 257u + data[0] + size) % (size + 1);
  auto split = parse_in_two(f, text, cut);
  if (whole.has_value() != split.has_value()) std::abort();  // chunking changed the verdict
  if (whole && !same(*whole, *split)) std::abort();          // ... or the numbers
  return 0;
}

}  // namespace orchkit_fuzz

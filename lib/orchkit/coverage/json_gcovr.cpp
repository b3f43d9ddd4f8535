// gcovr JSON (`gcovr --json`), read with the JSON walker (json_walker.hpp).
//
// Rules (docs/formats.md):
// - gcovr: per file, every "lines" record except "gcovr/noncode": true ones (gcovr's own rule for
//   line totals; excluded lines are written as noncode); covered if its count > 0. A line number
//   that appears twice is one line, covered if any record is (gcovr's merge sums the counts).

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "orchkit/coverage/hits.hpp"
#include "orchkit/coverage/json_walker.hpp"
#include "orchkit/coverage/parser.hpp"

namespace orchkit::coverage {
namespace {

using namespace json_walk;  // NOLINT: the walker's vocabulary, internal to the JSON formats

constexpr Flavour kGcovr{"gcovr JSON", "gcovr --json"};

void gcovr_lines(value v, LineBuffer& lines) {
  for (auto element : array_of(v, "\"lines\" is not an array")) {
    value entry = take(std::move(element));
    const char* at = entry.raw_json_token().data();
    std::optional<uint32_t> number;
    std::optional<bool> covered;
    bool noncode = false;
    for (auto member : object_of(entry, "an entry of \"lines\" is not an object")) {
      od::field f = take(std::move(member));
      if (f.key() == "line_number") number = line_of(f.value(), "\"line_number\"");
      else if (f.key() == "count") covered = hit_of(f.value(), "\"count\"");
      else if (f.key() == "gcovr/noncode") noncode = flag_of(f.value(), "\"gcovr/noncode\" is not true or false");
    }
    if (!number) throw Invalid{"a line without \"line_number\"", at};
    if (!covered) throw Invalid{"a line without \"count\"", at};
    if (!noncode) lines.add(*number, *covered);
  }
}

void gcovr_file(od::object file, std::string& path, LineBuffer& lines) {
  bool named = false;
  for (auto member : file) {
    od::field f = take(std::move(member));
    if (f.key() == "file") {
      value v = f.value();
      path = string_of(v, "\"file\" is not a string");
      if (path.empty()) throw Invalid{"a file with an empty name", v.raw_json_token().data()};
      named = true;
    } else if (f.key() == "lines") {
      gcovr_lines(f.value(), lines);
    }
  }
  if (!named) throw Invalid{"a file entry without \"file\"", nullptr};
}

}  // namespace

// A large report on every core: the outline walk hands each entry of "files" to the workers as it
// finds it (ParallelEntries, json_walker.hpp); an entry's name is inside it, found by the parse.
std::optional<Coverage> parse_gcovr_in_parallel(std::string_view text, std::string_view name) noexcept try {
  ParallelEntries entries(text, name, kGcovr,
                          [](od::object file, Entry& e, LineBuffer& buf) { gcovr_file(file, e.path, buf); });
  Doc outline(text, name, kGcovr);
  bool has_files = false;
  auto walked = outline.root([&](std::string_view key, size_t) -> Result<void> {
    if (key != "files") return outline.skip_value();
    has_files = true;
    return outline.array("files", [&]() { return entries.push_object(outline); });
  });
  return entries.joined(walked && has_files);
} catch (...) {
  return std::nullopt;
}

Result<Coverage> parse_gcovr_json(std::string_view text, std::string_view name) {
  return parallel_or_one_pass(text, name, parse_gcovr_in_parallel, parse_gcovr_json_one_pass);
}

Result<Coverage> parse_gcovr_json_one_pass(std::string_view text, std::string_view name) {
  return guarded(name, [&]() -> Result<Coverage> {
    Doc doc(text, name, kGcovr);
    Coverage cov;
    LineBuffer buf;
    bool has_files = false;
    Result<void> walked = (doc.root([&](std::string_view key, size_t) -> Result<void> {
      if (key != "files") return doc.skip_value();
      has_files = true;
      return doc.array("an array of files after \"files\"", [&]() -> Result<void> {
        std::string path;
        ORCHKIT_CHECK(doc.parse_object([] { return std::string("an entry of \"files\""); },
                                       [&](od::object file) { gcovr_file(file, path, buf); }));
        LineSet lines;
        buf.flush_into(lines);
        add_file(cov, std::move(path), std::move(lines), std::nullopt);
        return {};
      });
    }));
    if (!walked) return fail(std::move(walked).error());
    if (!has_files) return doc.error_at(0, "no \"files\" in the report", doc.not_this_format());
    return cov;
  });
}

}  // namespace orchkit::coverage

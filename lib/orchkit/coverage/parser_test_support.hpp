// Test support for the report parsers (Catch2): parse a text whole and one byte at a time (so
// every record is split across chunks) and require both to agree.
#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "orchkit/coverage/parser.hpp"

namespace orchkit::coverage::testing {

inline Coverage parse_both_ways(Format f, std::string_view text, const std::string& name) {
  auto whole = parse_text(f, text, name);
  REQUIRE(whole.has_value());
  auto p = make_stream_parser(f, name);
  REQUIRE(p != nullptr);
  for (char c : text) REQUIRE(p->feed(std::string_view(&c, 1)));
  auto bytes = p->finish();
  REQUIRE(bytes.has_value());
  REQUIRE(whole->files.size() == bytes->files.size());
  for (const auto& [path, fc] : whole->files) {
    REQUIRE(bytes->files.count(path) == 1);
    CHECK(bytes->files.at(path).totals() == fc.totals());
    CHECK(bytes->files.at(path).lines.measured() == fc.lines.measured());
    CHECK(bytes->files.at(path).lines.covered() == fc.lines.covered());
  }
  return std::move(*whole);
}

inline std::string parse_error(Format f, std::string_view text, const std::string& name) {
  auto r = parse_text(f, text, name);
  REQUIRE_FALSE(r.has_value());
  return r.error().message;
}

}  // namespace orchkit::coverage::testing

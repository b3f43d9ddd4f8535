#include "orchkit/coverage/format.hpp"

#include <array>
#include <utility>

namespace orchkit::coverage {
namespace {

constexpr std::array<std::pair<Format, std::string_view>, 7> kNames{{
    {Format::coveragepy_json, "coveragepy-json"},
    {Format::cobertura, "cobertura"},
    {Format::lcov, "lcov"},
    {Format::gcovr_json, "gcovr-json"},
    {Format::llvm_cov_json, "llvm-cov-json"},
    {Format::go_coverprofile, "go-coverprofile"},
    {Format::jacoco, "jacoco"},
}};

std::string_view skip_bom_and_space(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) s.remove_prefix(1);
  return s;
}

bool has(std::string_view s, std::string_view needle) { return s.find(needle) != std::string_view::npos; }

// A key of the top-level JSON object and what follows its ':' (the value, then the rest).
struct TopKey {
  std::string_view name = {};
  std::string_view value = {};  // never empty
};

// Calls `f` for each top-level key of the JSON object that `s` starts with, in order, until `f`
// returns true or `s` ends (a sniff head is a prefix: the document may go on for gigabytes).
// Nested values are skipped by depth, strings by their quotes and escapes; no validation.
template <class F>
void top_level_keys(std::string_view s, F&& f) {
  int depth = 0;
  bool key_next = false;  // at depth 1, the next string is a key
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') {
      size_t start = i + 1;
      for (++i; i < s.size() && s[i] != '"'; ++i)
        if (s[i] == '\\') ++i;
      if (i >= s.size()) return;
      if (depth != 1 || !key_next) continue;
      key_next = false;
      size_t v = s.find_first_not_of(" \t\r\n:", i + 1);
      if (v == std::string_view::npos) return;
      if (f(TopKey{s.substr(start, i - start), s.substr(v)})) return;
    } else if (c == '{' || c == '[') {
      if (++depth == 1) key_next = true;
    } else if (c == '}' || c == ']') {
      if (--depth <= 0) return;
    } else if (c == ',' && depth == 1) {
      key_next = true;
    }
  }
}

// The JSON formats by the shape of their top-level object, wherever their identifying key sits:
// llvm-cov's "type" comes after megabytes of "data", gcovr's format key may follow its "files".
std::optional<Format> sniff_json(std::string_view s) {
  std::optional<Format> found;
  top_level_keys(s, [&](const TopKey& k) {
    char v = k.value[0];
    if (k.name == "data" && v == '[') found = Format::llvm_cov_json;          // llvm-cov export
    else if (k.name == "files" && v == '[') found = Format::gcovr_json;       // a list of files
    else if (k.name == "files" && v == '{') found = Format::coveragepy_json;  // keyed by path
    else if (k.name == "meta" && v == '{') found = Format::coveragepy_json;   // coverage.py's meta
    else if (k.name == "gcovr/format_version") found = Format::gcovr_json;
    else if (k.name == "type" && k.value.starts_with("\"llvm.coverage.json.export\"")) found = Format::llvm_cov_json;
    return found.has_value();
  });
  return found;
}

}  // namespace

std::string_view format_name(Format f) {
  for (const auto& [fmt, name] : kNames)
    if (fmt == f) return name;
  return "unknown";
}

std::optional<Format> format_from_name(std::string_view name) {
  for (const auto& [fmt, n] : kNames)
    if (n == name) return fmt;
  return std::nullopt;
}

std::string_view format_names() {
  return "coveragepy-json, cobertura, lcov, gcovr-json, llvm-cov-json, go-coverprofile, jacoco";
}

bool is_json(Format f) { return f == Format::coveragepy_json || f == Format::gcovr_json || f == Format::llvm_cov_json; }

std::optional<Format> sniff(std::string_view head) {
  std::string_view s = skip_bom_and_space(head);
  if (s.empty()) return std::nullopt;
  if (s[0] == '{') return sniff_json(s);
  if (s[0] == '<') {
    if (has(s, "<report") || has(s, "JACOCO") || has(s, "jacoco")) return Format::jacoco;
    if (has(s, "<coverage")) return Format::cobertura;
    return std::nullopt;
  }
  if (s.substr(0, 5) == "mode:") return Format::go_coverprofile;
  for (std::string_view tag : {"TN:", "SF:", "DA:", "FN:", "VER:"})
    if (s.substr(0, tag.size()) == tag) return Format::lcov;
  return std::nullopt;
}

}  // namespace orchkit::coverage

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
  if (s[0] == '{') {
    if (has(s, "\"llvm.coverage.json.export\"")) return Format::llvm_cov_json;
    if (has(s, "\"gcovr/format_version\"")) return Format::gcovr_json;
    if (has(s, "\"meta\"") || has(s, "\"files\"")) {
      // gcovr JSON also has "files"; its format key usually comes first, but not always.
      if (has(s, "\"file\":") && has(s, "\"lines\":") && has(s, "\"line_number\"")) return Format::gcovr_json;
      if (has(s, "\"data\"") && has(s, "\"segments\"")) return Format::llvm_cov_json;
      return Format::coveragepy_json;
    }
    if (has(s, "\"data\"")) return Format::llvm_cov_json;
    return std::nullopt;
  }
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

// YAML front matter as orchkit's artefacts write it: `---`, flat `key: value` lines, `---`.
// The front matter is the contract between binaries; the Markdown body is for people.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "orchkit/result.hpp"

namespace orchkit {

struct FrontMatter {
  // Values as written, quotes removed; flow lists ([a, b]) kept as text. null → absent.
  std::map<std::string, std::string, std::less<>> values = {};

  std::optional<std::string> get(std::string_view key) const;
  std::optional<int64_t> get_int(std::string_view key) const;
};

// Errors name `<name>:<line>`. Unknown keys are kept; a missing closing `---` is an error.
Result<FrontMatter> parse_front_matter(std::string_view text, std::string_view name);

// Writes an ordered front matter block. A value of nullopt is written as `null`; `quoted`
// values get double quotes (numbers that must stay strings, like "84.17").
class FrontMatterWriter {
 public:
  FrontMatterWriter& raw(std::string_view key, std::string_view value);
  FrontMatterWriter& quoted(std::string_view key, std::string_view value);
  FrontMatterWriter& opt_quoted(std::string_view key, const std::optional<std::string>& value);
  FrontMatterWriter& opt_raw(std::string_view key, const std::optional<std::string>& value);
  std::string text() const { return "---\n" + out_ + "---\n"; }

 private:
  std::string out_;
};

// A YAML scalar that needs no quotes (plain words, paths, numbers); otherwise a quoted form.
std::string yaml_scalar(std::string_view s);

}  // namespace orchkit

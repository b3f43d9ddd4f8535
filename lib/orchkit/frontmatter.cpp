#include "orchkit/frontmatter.hpp"

#include <cctype>
#include <charconv>

#include "orchkit/util/text.hpp"

namespace orchkit {
namespace {

std::string unquote(std::string_view v) {
  if (v.size() >= 2 && ((v.front() == '"' && v.back() == '"') || (v.front() == '\'' && v.back() == '\''))) {
    std::string out;
    for (size_t i = 1; i + 1 < v.size(); ++i) {
      if (v.front() == '"' && v[i] == '\\' && i + 2 < v.size()) ++i;
      out += v[i];
    }
    return out;
  }
  // A trailing comment (" # ...") is not part of a plain value.
  size_t hash = v.find(" #");
  if (hash != std::string_view::npos) v = trim(v.substr(0, hash));
  return std::string(v);
}

}  // namespace

std::optional<std::string> FrontMatter::get(std::string_view key) const {
  auto it = values.find(key);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

std::optional<int64_t> FrontMatter::get_int(std::string_view key) const {
  auto v = get(key);
  if (!v || v->empty()) return std::nullopt;
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size()) return std::nullopt;
  return n;
}

Result<FrontMatter> parse_front_matter(std::string_view text, std::string_view name) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  auto bad = [&](size_t line, const std::string& what) {
    return fail(Exit::error, std::string(name) + ":" + std::to_string(line) + ": " + what);
  };
  size_t pos = 0, line_no = 0;
  auto next_line = [&](std::string_view& line) {
    if (pos >= text.size()) return false;
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = nl + 1;
    ++line_no;
    return true;
  };
  std::string_view line;
  if (!next_line(line) || trim(line) != "---") return bad(1, "no front matter (the file must start with ---)");
  FrontMatter fm;
  while (next_line(line)) {
    if (trim(line) == "---") return fm;
    std::string_view t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (line[0] == ' ' || line[0] == '\t' || line[0] == '-') continue;  // nested YAML: not ours, kept out
    size_t colon = t.find(':');
    if (colon == std::string_view::npos || colon == 0) return bad(line_no, "expected 'key: value'");
    std::string key(trim(t.substr(0, colon)));
    std::string_view v = trim(t.substr(colon + 1));
    if (v == "null" || v == "~" || v.empty()) {
      fm.values.erase(key);
      continue;
    }
    fm.values[key] = unquote(v);
  }
  return bad(line_no, "the front matter has no closing --- (the file is truncated)");
}

std::string yaml_scalar(std::string_view s) {
  bool plain = !s.empty();
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '_' || c == '-' || c == '+'))
      plain = false;
  if (plain && (s == "null" || s == "true" || s == "false" || s == "yes" || s == "no" || s == "~")) plain = false;
  if (plain) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out + "\"";
}

FrontMatterWriter& FrontMatterWriter::raw(std::string_view key, std::string_view value) {
  out_ += std::string(key) + ": " + std::string(value) + "\n";
  return *this;
}
FrontMatterWriter& FrontMatterWriter::quoted(std::string_view key, std::string_view value) {
  std::string q = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') q += '\\';
    q += c == '\n' ? ' ' : c;
  }
  return raw(key, q + "\"");
}
FrontMatterWriter& FrontMatterWriter::opt_quoted(std::string_view key, const std::optional<std::string>& value) {
  return value ? quoted(key, *value) : raw(key, "null");
}
FrontMatterWriter& FrontMatterWriter::opt_raw(std::string_view key, const std::optional<std::string>& value) {
  return value ? raw(key, *value) : raw(key, "null");
}

}  // namespace orchkit

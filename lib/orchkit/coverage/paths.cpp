#include "orchkit/coverage/paths.hpp"

#include <vector>

namespace orchkit::coverage {
namespace {

std::string lexical_normal(std::string_view p) {
  bool absolute = !p.empty() && p[0] == '/';
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    std::string_view seg = p.substr(i, j - i);
    if (seg.empty() || seg == ".") {
    } else if (seg == ".." && !parts.empty() && parts.back() != "..") {
      parts.pop_back();
    } else if (seg == ".." && absolute) {
      // "/.." is "/"
    } else {
      parts.push_back(seg);
    }
    i = j + 1;
  }
  std::string out = absolute ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k) out += '/';
    out += parts[k];
  }
  return out;
}

}  // namespace

std::string normalize_path(std::string_view raw, const PathRules& rules) {
  std::string p(raw);
  for (char& c : p)
    if (c == '\\') c = '/';
  if (p.rfind("file://", 0) == 0) p.erase(0, 7);
  for (const auto& prefix : rules.strip) {
    if (!prefix.empty() && p.rfind(prefix, 0) == 0) {
      p.erase(0, prefix.size());
      break;
    }
  }
  p = lexical_normal(p);
  if (!rules.root.empty() && !p.empty() && p[0] == '/') {
    std::string root = lexical_normal(rules.root);
    if (p.size() > root.size() && p.rfind(root, 0) == 0 && p[root.size()] == '/') p.erase(0, root.size() + 1);
  }
  return p;
}

Coverage normalize_paths(Coverage&& cov, const PathRules& rules) {
  Coverage out;
  for (auto& [path, fc] : cov.files) {
    std::string n = normalize_path(path, rules);
    auto it = out.files.find(n);
    if (it == out.files.end()) {
      out.files.emplace(std::move(n), std::move(fc));
    } else {
      // Two spellings of one file in one report: same tool, same unit; union the lines.
      it->second.lines.merge(fc.lines);
      if (it->second.tally && fc.tally) {
        it->second.tally->covered += fc.tally->covered;
        it->second.tally->total += fc.tally->total;
      } else {
        it->second.tally.reset();
      }
    }
  }
  return out;
}

}  // namespace orchkit::coverage

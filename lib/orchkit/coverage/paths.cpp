#include "orchkit/coverage/paths.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>
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

// Whether lexical_normal(p) is p: no empty, "." or ".." segment and no trailing '/'. Most report
// paths are, and then normalising them copies nothing more.
bool is_lexically_normal(std::string_view p) {
  if (p.empty() || p == "/") return true;
  for (size_t i = p[0] == '/' ? 1 : 0;;) {
    size_t j = std::min(p.find('/', i), p.size());
    std::string_view seg = p.substr(i, j - i);
    if (seg.empty() || seg == "." || seg == "..") return false;
    if (j == p.size()) return true;
    i = j + 1;
  }
}

// normalize_path with the root already in its lexical normal form (one per report, not per path).
std::string normalize_under(std::string_view raw, const PathRules& rules, std::string_view root) {
  std::string p(raw);
  if (p.find('\\') != std::string::npos) std::replace(p.begin(), p.end(), '\\', '/');
  if (p.rfind("file://", 0) == 0) p.erase(0, 7);
  for (const auto& prefix : rules.strip) {
    if (!prefix.empty() && p.rfind(prefix, 0) == 0) {
      p.erase(0, prefix.size());
      break;
    }
  }
  if (!is_lexically_normal(p)) p = lexical_normal(p);
  if (!root.empty() && !p.empty() && p[0] == '/') {
    if (p.size() > root.size() && p.compare(0, root.size(), root) == 0 && p[root.size()] == '/')
      p.erase(0, root.size() + 1);
  }
  return p;
}

}  // namespace

std::string normalize_path(std::string_view raw, const PathRules& rules) {
  return normalize_under(raw, rules, rules.root.empty() ? std::string() : lexical_normal(rules.root));
}

namespace {

// The file's key normalised, or the first alternative that exists when the key does not: a stat
// only for the files a report names ambiguously.
std::string resolve(const std::string& key, const FileCoverage& fc, const PathRules& rules, std::string_view root,
                    const PathExists& exists) {
  std::string first = normalize_under(key, rules, root);
  if (fc.alternatives.empty() || exists(first)) return first;
  for (const std::string& alt : fc.alternatives) {
    std::string n = normalize_under(alt, rules, root);
    if (exists(n)) return n;
  }
  return first;
}

}  // namespace

PathExists files_under_root(const PathRules& rules) {
  return [root = rules.root](const std::string& n) {
    // Normalised, a path under the root is relative: an absolute one lies outside the repository.
    if (n.empty() || (!root.empty() && n[0] == '/')) return false;
    std::error_code ec;
    return std::filesystem::is_regular_file(root.empty() ? std::filesystem::path(n) : std::filesystem::path(root) / n,
                                            ec);
  };
}

Coverage normalize_paths(Coverage&& cov, const PathRules& rules) {
  return normalize_paths(std::move(cov), rules, files_under_root(rules));
}

Coverage normalize_paths(Coverage&& cov, const PathRules& rules, const PathExists& exists) {
  Coverage out;
  const std::string root = rules.root.empty() ? std::string() : lexical_normal(rules.root);
  while (!cov.files.empty()) {
    // Each entry moves as a node (no copy of its path or lines); a name that sorts after all
    // before it (most names normalise to themselves, in order) goes in at the end, unsearched.
    auto node = cov.files.extract(cov.files.begin());
    FileCoverage& fc = node.mapped();
    std::string n = resolve(node.key(), fc, rules, root, exists);
    fc.alternatives.clear();
    if (out.files.empty() || out.files.rbegin()->first < n) {
      node.key() = std::move(n);
      out.files.insert(out.files.end(), std::move(node));
      continue;
    }
    auto it = out.files.find(n);
    if (it == out.files.end()) {
      node.key() = std::move(n);
      out.files.insert(std::move(node));
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

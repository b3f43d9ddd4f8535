#include "coverage-gate/path_match.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace coverage_gate {

using orchkit::coverage::Coverage;

namespace {

std::string_view basename_of(std::string_view p) {
  size_t slash = p.rfind('/');
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

std::string_view extension_of(std::string_view p) {
  std::string_view b = basename_of(p);
  size_t dot = b.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? std::string_view() : b.substr(dot);
}

// `longer` ends with "/" + `shorter`.
bool ends_with_component(std::string_view longer, std::string_view shorter) {
  return longer.size() > shorter.size() && longer.substr(longer.size() - shorter.size()) == shorter &&
         longer[longer.size() - shorter.size() - 1] == '/';
}

}  // namespace

PathMatch match_paths(Coverage& cov, const std::vector<std::string>& tracked) {
  PathMatch m;
  std::unordered_set<std::string_view> known(tracked.begin(), tracked.end());
  std::unordered_map<std::string_view, std::vector<std::string_view>> by_name;
  for (const auto& t : tracked) by_name[basename_of(t)].push_back(t);

  std::vector<std::string> foreign;
  for (const auto& [path, fc] : cov.files)
    if (!known.count(path)) foreign.push_back(path);
  for (const auto& path : foreign) {
    std::vector<std::string_view> hits;
    if (auto it = by_name.find(basename_of(path)); it != by_name.end())
      for (auto t : it->second)
        if (ends_with_component(path, t) || ends_with_component(t, path)) hits.push_back(t);
    if (hits.size() != 1) {
      m.unmatched.push_back(path);
      continue;
    }
    std::string to(hits.front());
    if (ends_with_component(path, to) && !m.strip_hint) m.strip_hint = path.substr(0, path.size() - to.size());
    auto node = cov.files.extract(path);
    Coverage one;
    one.files.emplace(to, std::move(node.mapped()));
    cov.merge(std::move(one));
    m.remapped.emplace_back(path, to);
  }
  std::sort(m.unmatched.begin(), m.unmatched.end());
  return m;
}

std::vector<std::string> unmatched_sources(const std::vector<std::string>& unmeasured_changed,
                                           const std::vector<std::string>& unmatched) {
  std::set<std::string_view> exts;
  for (const auto& u : unmatched) exts.insert(extension_of(u));
  std::vector<std::string> out;
  for (const auto& c : unmeasured_changed)
    if (exts.count(extension_of(c))) out.push_back(c);
  return out;
}

}  // namespace coverage_gate

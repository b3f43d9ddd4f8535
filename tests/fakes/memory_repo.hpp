// An in-memory git::Repository for unit tests: commits with parents and files, refs, the head
// branch, a shallow flag and canned diffs. It answers from what a test put in it, the way Repo
// answers from a real repository (tests/fakes/README.md).
#pragma once

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "orchkit/git/repo.hpp"

namespace orchkit::fakes {

class MemoryRepo final : public git::Repository {
 public:
  struct Node {
    std::vector<std::string> parents = {};
    std::vector<std::string> files = {};
  };

  // A commit `sha` with these parents (first parent first) and tracked files.
  MemoryRepo& commit(const std::string& sha, std::vector<std::string> parents, std::vector<std::string> files = {}) {
    nodes[sha] = Node{std::move(parents), std::move(files)};
    return *this;
  }
  MemoryRepo& ref(const std::string& name, const std::string& sha) {
    refs[name] = sha;
    return *this;
  }

  std::map<std::string, Node> nodes = {};
  std::map<std::string, std::string> refs = {};  // "refs/heads/main", "refs/remotes/origin/main"
  std::optional<std::string> branch = {};
  bool shallow = false;
  std::map<std::pair<std::string, std::string>, git::ChangedLines> diffs = {};  // (base, head)

  bool is_shallow() const override { return shallow; }
  std::optional<std::string> head_branch() override { return branch; }

  Result<git::Commit> resolve(const std::string& rev) override {
    for (const std::string& name : {rev, "refs/heads/" + rev, "refs/remotes/" + rev})
      if (auto r = refs.find(name); r != refs.end()) return git::Commit{r->second, "tree-" + r->second};
    if (nodes.count(rev)) return git::Commit{rev, "tree-" + rev};
    return fail(Exit::error, ErrorKind::not_found, "cannot resolve " + rev);
  }

  Result<git::Commit> target_tip(const std::string& b, bool prefer_local) override {
    std::string remote = "refs/remotes/origin/" + b, local = "refs/heads/" + b;
    for (const std::string& name : prefer_local ? std::vector{local, remote} : std::vector{remote, local})
      if (auto r = refs.find(name); r != refs.end()) return git::Commit{r->second, "tree-" + r->second};
    return fail(Exit::error, ErrorKind::not_found, "no branch " + b);
  }

  Result<bool> contains(const std::string& descendant, const std::string& ancestor) override {
    return ancestors(descendant).count(ancestor) > 0;
  }

  Result<std::string> merge_base(const std::string& a, const std::string& b) override {
    std::set<std::string> of_a = ancestors(a);
    std::deque<std::string> todo{b};
    std::set<std::string> seen;
    while (!todo.empty()) {
      std::string c = todo.front();
      todo.pop_front();
      if (of_a.count(c)) return c;
      if (!seen.insert(c).second || !nodes.count(c)) continue;
      for (const auto& p : nodes[c].parents) todo.push_back(p);
    }
    return fail(Exit::error, ErrorKind::not_found, "no merge base of " + a + " and " + b);
  }

  Result<git::ChangedLines> changed_lines(const std::string& base, const std::string& head) override {
    if (auto d = diffs.find({base, head}); d != diffs.end()) return d->second;
    return fail(Exit::error, "no diff " + base + ".." + head + " in the fake");
  }

  Result<linemap::LineMap> line_map(const std::string& base, const std::string& head) override {
    return fail(Exit::error, "no line map " + base + ".." + head + " in the fake");
  }

  Result<std::vector<std::string>> tracked_files(const std::string& sha) override {
    if (!nodes.count(sha)) return fail(Exit::error, ErrorKind::not_found, "no commit " + sha);
    return nodes[sha].files;
  }

  Result<std::vector<git::ChainCommit>> first_parent_chain(const std::string& tip, size_t limit) override {
    std::vector<git::ChainCommit> out;
    for (std::string c = tip; out.size() < limit && nodes.count(c);) {
      out.push_back({c, "tree-" + c, nodes[c].parents, ""});
      if (nodes[c].parents.empty()) break;
      c = nodes[c].parents.front();
    }
    return out;
  }

  bool has_object(const std::string& sha) override { return nodes.count(sha) > 0; }

 private:
  std::set<std::string> ancestors(const std::string& sha) {
    std::set<std::string> out;
    std::vector<std::string> todo{sha};
    while (!todo.empty()) {
      std::string c = todo.back();
      todo.pop_back();
      if (!out.insert(c).second || !nodes.count(c)) continue;
      for (const auto& p : nodes[c].parents) todo.push_back(p);
    }
    return out;
  }
};

}  // namespace orchkit::fakes

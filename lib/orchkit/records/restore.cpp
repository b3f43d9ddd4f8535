#include "orchkit/records/restore.hpp"

#include <sstream>

namespace orchkit::records {

namespace {

std::string sh(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool carries(const Saved& s, const std::string& ref) {
  for (const auto& r : s.refs)
    if (r.ref == ref) return true;
  return false;
}

std::optional<std::string> opt(const FrontMatter& fm, const char* key) {
  auto v = fm.get(key);
  if (v && v->empty()) return std::nullopt;
  return v;
}

}  // namespace

std::string restore_refspec(const Saved& s, const Saved::Ref& r) {
  const std::string heads = "refs/heads/", remotes = "refs/remotes/origin/";
  if (r.ref.rfind(heads, 0) == 0) return r.ref + ":" + r.ref;
  if (r.ref.rfind(remotes, 0) == 0) {
    std::string b = r.ref.substr(remotes.size());
    return r.ref + ":" + heads + b + (carries(s, heads + b) ? "-origin" : "");
  }
  return "";
}

std::vector<std::string> restore_commands(const Saved& s) {
  std::vector<std::string> out;
  if (s.bundle) {
    std::string fetch = "git fetch " + sh(*s.bundle);
    for (const auto& r : s.refs) {
      std::string spec = restore_refspec(s, r);
      fetch += " " + sh(spec.empty() ? r.ref : spec);
    }
    out.push_back(fetch);
  }
  if (!s.head.empty()) {
    if (s.head_branch) out.push_back("git checkout -B " + sh(*s.head_branch) + " " + s.head);
    else out.push_back("git checkout --detach " + s.head);
  }
  if (s.patch) out.push_back("git apply " + sh(*s.patch));
  return out;
}

std::string render_restore(const Saved& s) {
  std::string md = "\n## Getting the work back\n\n";
  if (s.bundle)
    md += "Commits not on `" + s.target + "` (at " + s.target_oid.substr(0, 12) + ") were saved to `" + *s.bundle +
          "`:\n\n| ref | tip | base (merge-base with " + s.target + ") |\n| --- | --- | --- |\n";
  for (const auto& r : s.refs) md += "| " + r.ref + " | " + r.tip + " | " + (r.base.empty() ? "none" : r.base) + " |\n";
  if (!s.bundle) md += "No commit of the task was off `" + s.target + "`: no bundle was needed.\n";
  if (s.patch) md += "\nUncommitted and untracked work was saved to `" + *s.patch + "` (binary-safe).\n";
  else if (!s.head.empty()) md += "\nThe worktree was clean: no patch.\n";
  md += "\nFiles ignored by git (`.gitignore`, `info/exclude`) were not saved.\n";
  auto cmds = restore_commands(s);
  if (cmds.empty()) return md;
  md +=
      "\nOn a fresh clone of the repository (the branch is gone from origin), these commands restore the "
      "branches and the worktree as it was stopped:\n\n```sh\n";
  for (const auto& c : cmds) md += c + "\n";
  return md + "```\n";
}

void write_saved(FrontMatterWriter& w, const Saved& s) {
  std::string refs;
  for (const auto& r : s.refs)
    refs += (refs.empty() ? "" : " ") + r.ref + " " + r.tip + " " + (r.base.empty() ? "-" : r.base);
  auto scalar = [](const std::optional<std::string>& v) {
    return v ? std::optional<std::string>(yaml_scalar(*v)) : std::nullopt;
  };
  w.opt_raw("saved_patch", scalar(s.patch)).opt_raw("saved_bundle", scalar(s.bundle));
  w.raw("worktree_head", yaml_scalar(s.head)).opt_raw("worktree_branch", scalar(s.head_branch));
  w.raw("target", yaml_scalar(s.target)).raw("target_commit", yaml_scalar(s.target_oid));
  w.raw("bundle_refs", yaml_scalar(refs));
}

Saved read_saved(const FrontMatter& fm) {
  Saved s;
  s.patch = opt(fm, "saved_patch");
  s.bundle = opt(fm, "saved_bundle");
  s.head = fm.get("worktree_head").value_or("");
  s.head_branch = opt(fm, "worktree_branch");
  s.target = fm.get("target").value_or("");
  s.target_oid = fm.get("target_commit").value_or("");
  std::istringstream in(fm.get("bundle_refs").value_or(""));
  for (Saved::Ref r; in >> r.ref >> r.tip >> r.base;) {
    if (r.base == "-") r.base.clear();
    s.refs.push_back(r);
  }
  return s;
}

}  // namespace orchkit::records

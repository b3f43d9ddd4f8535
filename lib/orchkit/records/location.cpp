#include "orchkit/records/location.hpp"

#include <climits>
#include <filesystem>

namespace orchkit::records {

namespace fs = std::filesystem;

namespace {

std::string normal(const fs::path& p) {
  std::string s = p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

// Resolves the symlinks of the parts of `path` that exist (weakly_canonical), so a link inside
// the artefacts directory that points out of it is seen for what it is.
std::string resolved(const std::string& path) {
  std::error_code ec;
  fs::path r = fs::weakly_canonical(path, ec);
  return ec ? path : normal(r);
}

Unexpected outside(const std::string& path, const std::string& root) {
  return fail(Exit::refused, ErrorKind::refused,
              path + " lies outside the artefacts directory " + root +
                  " (check task.artefacts_dir, coverage.artefact and task.key_pattern; nothing was written)");
}

Result<std::string> contained(const std::string& path, const std::string& root) {
  std::string p = normal(path);
  if (!lies_inside(p, root)) return outside(p, root);
  std::string real_root = resolved(root);
  if (!lies_inside(resolved(p), real_root)) return outside(p + " (through a symlink)", root);
  return p;
}

}  // namespace

std::string artefacts_root(const Config& cfg, const std::string& main_worktree) {
  fs::path dir(cfg.task.artefacts_dir);
  return normal(dir.is_absolute() ? dir : fs::path(main_worktree) / dir);
}

bool lies_inside(std::string_view path, std::string_view root) {
  if (root == "/") return path.size() > 1 && path[0] == '/';
  return path.size() > root.size() + 1 && path.substr(0, root.size()) == root && path[root.size()] == '/';
}

Result<void> check_key_as_name(std::string_view key) {
  auto refuse = [&](const std::string& why) {
    return fail(Exit::refused, ErrorKind::refused, "task key '" + std::string(key) + "' " + why);
  };
  if (key.empty()) return refuse("is empty");
  if (key == "." || key == "..") return refuse("is not a directory name");
  if (key.find('/') != std::string_view::npos) return refuse("contains '/' (tighten task.key_pattern)");
  for (char c : key)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return refuse("contains a control character");
  if (key.size() > NAME_MAX)
    return refuse("is " + std::to_string(key.size()) + " bytes: longer than a file name may be (" +
                  std::to_string(NAME_MAX) + "); nothing was written");
  return {};
}

Result<std::string> task_record(const Config& cfg, const std::string& main_worktree, const std::string& task,
                                std::string_view file) {
  ORCHKIT_CHECK(check_key_as_name(task));
  std::string root = artefacts_root(cfg, main_worktree);
  return contained(root + "/" + task + "/" + std::string(file), root);
}

Result<std::string> gate_record(const Config& cfg, const std::string& main_worktree, const std::string& task) {
  ORCHKIT_CHECK(check_key_as_name(task));
  std::string t = cfg.coverage.artefact;
  auto subst = [&](const std::string& key, const std::string& value) {
    for (size_t p = t.find(key); p != std::string::npos; p = t.find(key, p + value.size()))
      t.replace(p, key.size(), value);
  };
  subst("{artefacts_dir}", cfg.task.artefacts_dir);
  subst("{task}", task);
  fs::path p(t);
  std::string root = artefacts_root(cfg, main_worktree);
  return contained(p.is_absolute() ? t : main_worktree + "/" + t, root);
}

}  // namespace orchkit::records

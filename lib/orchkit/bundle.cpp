#include "orchkit/bundle.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "orchkit/process/proc.hpp"
#include "orchkit/util/file.hpp"

namespace orchkit::bundle {

Result<std::vector<Head>> parse_heads(std::string_view header, const std::string& name) {
  std::vector<Head> out;
  size_t pos = 0, line_no = 0;
  while (pos < header.size()) {
    size_t nl = header.find('\n', pos);
    if (nl == std::string_view::npos) return fail(Exit::error, name + ": the bundle header is truncated");
    std::string_view line = header.substr(pos, nl - pos);
    pos = nl + 1;
    if (++line_no == 1) {
      if (line != "# v2 git bundle" && line != "# v3 git bundle")
        return fail(Exit::error, name + ": not a git bundle (v2 or v3)");
      continue;
    }
    if (line.empty()) return out;                    // the pack follows
    if (line[0] == '-' || line[0] == '@') continue;  // a prerequisite, a capability
    size_t sp = line.find(' ');
    if (sp != 40 || line.size() < 42)
      return fail(Exit::error, name + ":" + std::to_string(line_no) + ": not '<oid> <ref>' in the bundle header");
    out.push_back({std::string(line.substr(0, sp)), std::string(line.substr(sp + 1))});
  }
  return fail(Exit::error, name + ": the bundle header is truncated");
}

Result<std::vector<Head>> read_heads(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.fd < 0) return fail(Exit::error, errno_text(path));
  std::string head(64 * 1024, '\0');  // a header of 1000 refs fits
  ssize_t n = ::read(fd.fd, head.data(), head.size());
  if (n < 0) return fail(Exit::error, errno_text(path));
  head.resize(static_cast<size_t>(n));
  return parse_heads(head, path);
}

Result<void> create(const std::string& git_dir, const std::string& path, const std::vector<std::string>& refs,
                    const std::vector<std::string>& exclude) {
  ORCHKIT_TRY(kind, output_kind(path));
  if (kind == OutputKind::char_device) return fail(Exit::refused, path + ": a bundle is not written to a device");
  // git writes "<file>.lock" and renames it to <file>: our own temporary name keeps a stop killed
  // meanwhile from leaving a half bundle, or a lock, under the real name.
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return fail(Exit::error, path + ": cannot create its directory: " + ec.message());
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  std::remove(tmp.c_str());
  std::remove((tmp + ".lock").c_str());
  std::vector<std::string> argv = {"git", "--git-dir=" + git_dir, "bundle", "create", "-q", tmp};
  argv.insert(argv.end(), refs.begin(), refs.end());
  for (const auto& oid : exclude) argv.push_back("^" + oid);
  ORCHKIT_TRY(out, proc::run(argv, "/", Duration(600'000)));
  if (out.exit_code != 0 || out.timed_out) {
    std::remove(tmp.c_str());
    return fail(Exit::error, "git bundle create " + path + ": exit " + std::to_string(out.exit_code) +
                                 (out.timed_out ? " (timed out)" : "") + " (see git's message above)");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    auto err = fail(Exit::error, errno_text(path) + " (cannot move the bundle into place)");
    std::remove(tmp.c_str());
    return err;
  }
  return {};
}

}  // namespace orchkit::bundle

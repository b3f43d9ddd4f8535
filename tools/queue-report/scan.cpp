#include "queue-report/scan.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <regex>

#include "orchkit/frontmatter.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/text.hpp"

namespace queue_report {

using namespace orchkit;

namespace {

constexpr size_t kMaxHead = 1 << 20;  // a front matter block longer than this is not one

bool is_dir(const std::string& dir, const dirent* e) {
  if (e->d_type == DT_DIR) return true;
  if (e->d_type != DT_UNKNOWN && e->d_type != DT_LNK) return false;
  struct stat st {};
  return ::stat((dir + "/" + e->d_name).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

Head scan_head(std::string_view text, bool at_eof, size_t& resume, size_t& end) {
  size_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  if (resume < start) resume = start;
  // Not front matter at all: the first line is all the parser needs to say so.
  std::string_view lead = text.substr(start, 3);
  if (lead != std::string_view("---").substr(0, lead.size())) {
    size_t nl = text.find('\n', start);
    end = nl == std::string_view::npos ? text.size() : nl + 1;
    return Head::complete;
  }
  while (resume < text.size()) {
    size_t nl = text.find('\n', resume);
    if (nl == std::string_view::npos) break;
    std::string_view line = trim(text.substr(resume, nl - resume));
    bool first = resume == start;
    resume = nl + 1;
    if (!first && line == "---") {
      end = resume;
      return Head::complete;
    }
  }
  if (at_eof) {
    end = text.size();
    return Head::complete;
  }
  return Head::need_more;
}

Result<std::optional<std::string>> read_head(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>{};
    return fail(Exit::error, std::string("cannot open: ") + std::strerror(errno));
  }
  std::string text;
  size_t resume = 0, end = 0;
  char buf[4096];
  bool eof = false;
  for (;;) {
    ssize_t n = ::read(fd.fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(Exit::error, std::string("cannot read: ") + std::strerror(errno));
    }
    eof = n == 0;
    text.append(buf, static_cast<size_t>(n));
    if (scan_head(text, eof, resume, end) == Head::complete) break;
    if (text.size() > kMaxHead)
      return fail(Exit::error, "no closing --- within the first " + std::to_string(kMaxHead >> 20) + " MiB");
  }
  text.resize(end);
  return std::optional<std::string>{std::move(text)};
}

std::optional<ArtefactFile> read_artefact(const std::string& path, const std::string& shown) {
  auto head = read_head(path);
  if (!head) return ArtefactFile{shown, std::nullopt, head.error().message};
  if (!*head) return std::nullopt;
  return artefact_from_text(**head, shown);
}

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size() && !(len == 2 && c < 0xC2) && !(len == 4 && c > 0xF4);
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && len == 3) {
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);  // overlong, surrogates
    }
    if (ok && len == 4) {
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    if (!ok) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    out.append(s.substr(i, len));
    i += len;
  }
  return out;
}

ArtefactFile artefact_from_text(std::string_view raw, const std::string& shown) {
  // Whatever a file holds, the report stays valid UTF-8 (JSON requires it).
  bool ascii = std::all_of(raw.begin(), raw.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  std::string fixed = ascii ? std::string() : valid_utf8(raw);
  std::string_view text = ascii ? raw : std::string_view(fixed);
  auto fm = parse_front_matter(text, shown);
  if (fm) return ArtefactFile{shown, std::move(*fm), {}};
  // "<shown>:<line>: <what>" → "line <line>: <what>": the file is named beside it.
  std::string msg = fm.error().message;
  if (msg.compare(0, shown.size() + 1, shown + ":") == 0) msg = "line " + msg.substr(shown.size() + 1);
  return ArtefactFile{shown, std::nullopt, msg};
}

void add_gate_records(std::vector<TaskFolder>& tasks, const std::vector<state::GateRecord>& gates,
                      const std::string& location, const std::string& key_pattern) {
  std::regex key_re;
  try {
    key_re = std::regex(key_pattern);
  } catch (const std::regex_error&) {
    return;  // scan_tasks already refused it
  }
  for (const auto& g : gates) {
    if (!std::regex_match(g.task, key_re)) continue;
    auto it = std::find_if(tasks.begin(), tasks.end(), [&](const TaskFolder& t) { return t.key == g.task; });
    if (it == tasks.end()) {
      tasks.push_back(TaskFolder{g.task, std::nullopt, std::nullopt, std::nullopt});
      it = tasks.end() - 1;
    }
    if (!it->coverage) it->coverage = artefact_from_text(g.text, location + ":gates/" + g.task + ".md");
  }
}

std::string coverage_file_name(std::string_view t) {
  constexpr std::string_view prefix = "{artefacts_dir}/{task}/";
  if (t.substr(0, prefix.size()) == prefix) {
    std::string_view rest = t.substr(prefix.size());
    if (!rest.empty() && rest.find('/') == std::string_view::npos && rest.find('{') == std::string_view::npos)
      return std::string(rest);
  }
  return "18-coverage-report.md";
}

Result<std::vector<TaskFolder>> scan_tasks(const ScanOptions& o) {
  std::regex key_re;
  try {
    key_re = std::regex(o.key_pattern, std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& e) {
    return fail(Exit::usage, "task.key_pattern '" + o.key_pattern + "' is not a valid regular expression: " + e.what());
  }
  std::vector<TaskFolder> out;
  DIR* d = ::opendir(o.dir.c_str());
  if (!d) {
    if (errno == ENOENT && !o.must_exist) return out;  // no task has written an artefact yet
    return fail(Exit::error, o.dir + ": cannot list the artefacts directory: " + std::strerror(errno) +
                                 " (check --artefacts or task.artefacts_dir)");
  }
  std::unique_ptr<DIR, int (*)(DIR*)> guard(d, ::closedir);
  std::vector<std::string> keys;
  errno = 0;
  while (const dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::string name = e->d_name;
    if (!std::regex_match(name, key_re) || !is_dir(o.dir, e)) continue;
    keys.push_back(std::move(name));
  }
  if (errno != 0) return fail(Exit::error, o.dir + ": cannot list the artefacts directory: " + std::strerror(errno));
  out.reserve(keys.size());
  for (auto& key : keys) {
    std::string dir = o.dir + "/" + key + "/";
    std::string shown = o.shown + "/" + key + "/";
    TaskFolder f;
    f.stage = read_artefact(dir + "00-stage.md", shown + "00-stage.md");
    f.coverage = read_artefact(dir + o.coverage_name, shown + o.coverage_name);
    f.stop = read_artefact(dir + "90-stop.md", shown + "90-stop.md");
    f.key = std::move(key);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace queue_report

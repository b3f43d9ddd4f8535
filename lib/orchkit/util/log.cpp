#include "orchkit/util/log.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace orchkit::log {
namespace {

std::string g_program = "orchkit";
bool g_stdout_reserved = false;
bool g_stdout_used = false;

bool env_true(const char* name) {
  const char* v = std::getenv(name);
  return v && std::strcmp(v, "true") == 0;
}

// Annotation text must stay on one line: Actions ends a command at the newline.
std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\n') out += "%0A";
    else if (c == '\r') out += "%0D";
    else if (c == '%') out += "%25";
    else out += c;
  }
  return out;
}

// The stderr line stays one line too: a newline or control character in a value (a task key,
// a path) is shown escaped, never split into a second line.
std::string printable(std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) out += std::string("\\x") + kHex[c >> 4] + kHex[c & 15];
    else out += ch;
  }
  return out;
}

void emit(const char* level, std::string_view message) {
  std::string text = printable(redact(message));
  std::string line = g_program + ": " + (level ? std::string(level) + ": " : std::string()) + text + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  if (level && in_actions()) {
    std::string ann = "::" + std::string(level) + "::" + g_program + ": " + one_line(text) + "\n";
    FILE* out = g_stdout_reserved ? stderr : stdout;
    std::fflush(stderr);
    std::fwrite(ann.data(), 1, ann.size(), out);
    std::fflush(out);
  }
}

}  // namespace

void set_program(std::string_view name) { g_program = std::string(name); }
std::string_view program() { return g_program; }

void error(std::string_view message) { emit("error", message); }
void annotate(std::string_view level, std::string_view message) {
  if (!in_actions()) return;
  std::string ann = "::" + std::string(level) + "::" + g_program + ": " + one_line(redact(message)) + "\n";
  FILE* out = g_stdout_reserved ? stderr : stdout;
  std::fflush(stderr);
  std::fwrite(ann.data(), 1, ann.size(), out);
  std::fflush(out);
}
void annotate_at(std::string_view level, std::string_view file, uint32_t line, uint32_t end_line,
                 std::string_view message) {
  if (!in_actions()) return;
  // Workflow-command properties end at ',' and '::': escape them as the toolkit does (%2C, %3A).
  std::string f;
  for (char c : file) {
    if (c == '%') f += "%25";
    else if (c == ',') f += "%2C";
    else if (c == ':') f += "%3A";
    else if (c == '\r' || c == '\n') f += ' ';
    else f += c;
  }
  std::string ann = "::" + std::string(level) + " file=" + f + ",line=" + std::to_string(line) +
                    ",endLine=" + std::to_string(end_line) + "::" + g_program + ": " + one_line(redact(message)) + "\n";
  FILE* out = g_stdout_reserved ? stderr : stdout;
  std::fflush(stderr);
  std::fwrite(ann.data(), 1, ann.size(), out);
  std::fflush(out);
}
void warning(std::string_view message) { emit("warning", message); }
void info(std::string_view message) { emit(nullptr, message); }

void reserve_stdout(bool reserved) { g_stdout_reserved = reserved; }
bool stdout_reserved() { return g_stdout_reserved; }
void mark_stdout_used() { g_stdout_used = true; }
bool stdout_used() { return g_stdout_used; }

bool in_actions() { return env_true("GITEA_ACTIONS") || env_true("GITHUB_ACTIONS"); }

bool color_stdout() {
  const char* nc = std::getenv("NO_COLOR");
  if (nc && *nc) return false;
  return isatty(STDOUT_FILENO) == 1;
}

bool step_summary(std::string_view markdown) {
  const char* path = std::getenv("GITHUB_STEP_SUMMARY");
  if (!path || !*path) return true;
  FILE* f = std::fopen(path, "a");
  if (!f) return false;
  std::string text = redact(markdown);
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = (std::fclose(f) == 0) && ok;
  return ok;
}

std::string redact(std::string_view text) {
  std::string out(text);
  for (const char* name : {"PLANE_API_KEY", "TELEGRAM_BOT_TOKEN", "GITEA_TOKEN"}) {
    const char* secret = std::getenv(name);
    if (!secret || std::strlen(secret) < 4) continue;
    std::string s(secret);
    for (size_t pos = out.find(s); pos != std::string::npos; pos = out.find(s, pos)) {
      out.replace(pos, s.size(), "***");
      pos += 3;
    }
  }
  return out;
}

}  // namespace orchkit::log

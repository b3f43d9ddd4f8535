// The git store's layout (docs/state.md): where each record lives in the tree. Keys are
// percent-encoded so that no key can name another folder ("..", "/") or a hidden file.
#include <cstdio>

#include "orchkit/state/git.hpp"
#include "orchkit/state/json.hpp"

namespace orchkit::state::git_layout {
namespace {

bool plain(char c, bool first) {
  if (c == '.') return !first;  // no "." or ".." and no hidden names
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

std::string encode(const std::string& key) {
  if (key.empty()) return "%";
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    if (plain(c, i == 0)) {
      out += c;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      out += buf;
    }
  }
  return out;
}

std::string decode(const std::string& name) {
  if (name == "%") return {};
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '%' && i + 2 < name.size()) {
      unsigned v = 0;
      if (std::sscanf(name.c_str() + i + 1, "%2x", &v) == 1) {
        out += static_cast<char>(v);
        i += 2;
        continue;
      }
    }
    out += name[i];
  }
  return out;
}

std::string baseline_path(const std::string& repo, const std::string& branch) {
  return "baselines/" + encode(repo) + "/" + encode(branch) + ".json";
}
std::string lines_path(const std::string& repo, const std::string& branch, const char* ext) {
  return "lines/" + encode(repo) + "/" + encode(branch) + ext;
}
std::string tombstone_path(const std::string& kind, const std::string& key, int64_t generation) {
  return "tombstones/" + encode(kind) + "/" + encode(key) + "/" + std::to_string(generation) + ".json";
}
std::string lease_path(const std::string& name) { return "leases/" + encode(name) + ".json"; }
std::string stop_path(const std::string& task, int64_t generation) {
  return "stops/" + encode(task) + "/" + std::to_string(generation) + ".json";
}
std::string gate_path(const std::string& task, const char* ext) { return "gates/" + encode(task) + ext; }
std::string start_path(const std::string& task, int64_t generation) {
  return "starts/" + encode(task) + "/" + std::to_string(generation) + ".json";
}

std::string baseline_file(const Baseline& b) { return codec::baseline(b) + "\n"; }
Result<Baseline> parse_baseline(const std::string& text, const std::string& where) {
  ORCHKIT_TRY(j, codec::object(text, where));
  return codec::baseline(j, where);
}
std::string lines_file(const BaselineLines& l) { return codec::lines_meta(l) + "\n"; }
Result<BaselineLines> parse_lines(const std::string& text, const std::string& where) {
  ORCHKIT_TRY(j, codec::object(text, where));
  return codec::lines_meta(j);
}
std::string tombstone_file(const Tombstone& t) { return codec::tombstone(t) + "\n"; }
Result<Tombstone> parse_tombstone(const std::string& text, const std::string& where) {
  ORCHKIT_TRY(j, codec::object(text, where));
  return codec::tombstone(j, where);
}
std::string lease_file(const Lease& l) { return codec::lease(l) + "\n"; }
Result<Lease> parse_lease(const std::string& text, const std::string& where) {
  ORCHKIT_TRY(j, codec::object(text, where));
  return codec::lease(j, where);
}
std::string stop_file(const StopRequest& r) { return codec::stop(r) + "\n"; }
Result<StopRequest> parse_stop(const std::string& text, const std::string& where) {
  ORCHKIT_TRY(j, codec::object(text, where));
  return codec::stop(j, where);
}

std::string start_file(const StartRecord& r) { return codec::start(r) + "\n"; }
Result<StartRecord> parse_start(const std::string& text, const std::string& where) {
  ORCHKIT_TRY(j, codec::object(text, where));
  return codec::start(j, where);
}

namespace {
constexpr std::string_view kHistoryTag = "Orchkit-History: ";
}  // namespace

std::string history_line(const HistoryRow& h) { return std::string(kHistoryTag) + codec::history(h); }

std::optional<HistoryRow> parse_history_line(const std::string& message) {
  size_t at = message.find(std::string("\n") + std::string(kHistoryTag));
  if (at == std::string::npos) return std::nullopt;
  at += 1 + kHistoryTag.size();
  size_t end = message.find('\n', at);
  auto j = codec::object(message.substr(at, end == std::string::npos ? std::string::npos : end - at), "history");
  if (!j) return std::nullopt;
  auto h = codec::history(*j, "history");
  if (!h) return std::nullopt;
  return std::move(*h);
}

}  // namespace orchkit::state::git_layout

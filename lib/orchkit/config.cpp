// The only file that includes toml++.
#include "orchkit/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <regex>
#include <sstream>
#include <variant>

#include "orchkit/util/file.hpp"

namespace orchkit {
namespace {

using Ref = std::variant<bool*, std::string*, std::vector<std::string>*, Percent*, Duration*, int64_t*>;

struct Key {
  std::string_view name;
  std::function<Ref(Config&)> ref;
  std::vector<std::string_view> choices = {};
  bool scope = false;  // coverage.scope: a string or a list of repository names
};

const std::vector<Key>& keys() {
  static const std::vector<Key> k = {
      {"project.name", [](Config& c) -> Ref { return &c.project.name; }},
      {"project.self_hosting", [](Config& c) -> Ref { return &c.project.self_hosting; }},
      {"project.target_branch", [](Config& c) -> Ref { return &c.project.target_branch; }},
      {"project.protected_branches", [](Config& c) -> Ref { return &c.project.protected_branches; }},
      {"task.branch_prefix", [](Config& c) -> Ref { return &c.task.branch_prefix; }},
      {"task.key_pattern", [](Config& c) -> Ref { return &c.task.key_pattern; }},
      {"task.worktrees_root", [](Config& c) -> Ref { return &c.task.worktrees_root; }},
      {"task.artefacts_dir", [](Config& c) -> Ref { return &c.task.artefacts_dir; }},
      {"coverage.enabled", [](Config& c) -> Ref { return &c.coverage.enabled; }},
      {"coverage.scope", [](Config& c) -> Ref { return &c.coverage.scope; }, {}, true},
      {"coverage.mode", [](Config& c) -> Ref { return &c.coverage.mode; }, {"absolute", "baseline", "both"}},
      {"coverage.min", [](Config& c) -> Ref { return &c.coverage.min; }},
      {"coverage.epsilon", [](Config& c) -> Ref { return &c.coverage.epsilon; }},
      {"coverage.patch_min", [](Config& c) -> Ref { return &c.coverage.patch_min; }},
      {"coverage.on_tool_error", [](Config& c) -> Ref { return &c.coverage.on_tool_error; }, {"warn", "fail"}},
      {"coverage.command", [](Config& c) -> Ref { return &c.coverage.command; }},
      {"coverage.reports", [](Config& c) -> Ref { return &c.coverage.reports; }},
      {"coverage.timeout", [](Config& c) -> Ref { return &c.coverage.timeout; }},
      {"coverage.path_strip", [](Config& c) -> Ref { return &c.coverage.path_strip; }},
      {"coverage.artefact", [](Config& c) -> Ref { return &c.coverage.artefact; }},
      {"coverage.rule", [](Config& c) -> Ref { return &c.coverage.rule; }, {"percent", "differential", "both"}},
      {"coverage.max_new_uncovered", [](Config& c) -> Ref { return &c.coverage.max_new_uncovered; }},
      {"coverage.patch_max_uncovered", [](Config& c) -> Ref { return &c.coverage.patch_max_uncovered; }},
      {"state.backend", [](Config& c) -> Ref { return &c.state.backend; }, {"sqlite", "git"}},
      {"state.path", [](Config& c) -> Ref { return &c.state.path; }},
      {"state.remote", [](Config& c) -> Ref { return &c.state.remote; }},
      {"state.branch", [](Config& c) -> Ref { return &c.state.branch; }},
      {"state.lease_ttl", [](Config& c) -> Ref { return &c.state.lease_ttl; }},
      {"stop.enabled", [](Config& c) -> Ref { return &c.stop.enabled; }},
      {"stop.grace", [](Config& c) -> Ref { return &c.stop.grace; }},
      {"plane.base_url", [](Config& c) -> Ref { return &c.plane.base_url; }},
      {"plane.workspace", [](Config& c) -> Ref { return &c.plane.workspace; }},
      {"plane.states_cache_ttl", [](Config& c) -> Ref { return &c.plane.states_cache_ttl; }},
      {"plane.start_command", [](Config& c) -> Ref { return &c.plane.start_command; }},
      {"plane.start_timeout", [](Config& c) -> Ref { return &c.plane.start_timeout; }},
      {"plane.start_retry", [](Config& c) -> Ref { return &c.plane.start_retry; }},
      {"plane.start_retry_max", [](Config& c) -> Ref { return &c.plane.start_retry_max; }},
      {"notify.telegram.chat_id", [](Config& c) -> Ref { return &c.telegram.chat_id; }},
      {"notify.telegram.api_url", [](Config& c) -> Ref { return &c.telegram.api_url; }},
      {"gitea.api_url", [](Config& c) -> Ref { return &c.gitea.api_url; }},
      {"gitea.commit_status_context", [](Config& c) -> Ref { return &c.gitea.commit_status_context; }},
      {"gitea.status_url", [](Config& c) -> Ref { return &c.gitea.status_url; }},
      {"gitea.pr_comment", [](Config& c) -> Ref { return &c.gitea.pr_comment; }},
      {"gitea.merge_style",
       [](Config& c) -> Ref { return &c.gitea.merge_style; },
       {"merge", "rebase", "rebase-merge", "squash", "fast-forward-only"}},
      {"gitea.merge_timeout", [](Config& c) -> Ref { return &c.gitea.merge_timeout; }},
  };
  return k;
}

const std::vector<std::string_view> kPlaneStateKeys = {
    "todo",       "in_progress", "done",        "blocked",         "cancelled", "stop",
    "to_analyse", "analysis",    "code_review", "awaiting_deploy", "deploying", "monitoring"};

const Key* find_key(std::string_view name) {
  for (const auto& k : keys())
    if (k.name == name) return &k;
  return nullptr;
}

bool is_section(std::string_view dotted) {
  for (const auto& k : keys())
    if (k.name.size() > dotted.size() && k.name.substr(0, dotted.size()) == dotted && k.name[dotted.size()] == '.')
      return true;
  return false;
}

std::string join(const std::vector<std::string_view>& v) {
  std::string out;
  for (auto s : v) out += (out.empty() ? "" : ", ") + std::string(s);
  return out;
}

std::string where_of(std::string_view file, const toml::node& n) {
  return std::string(file) + ":" + std::to_string(n.source().begin.line);
}

Unexpected bad(std::string_view where, std::string_view key, const std::string& what) {
  return fail(Exit::usage, std::string(where) + ": " + std::string(key) + ": " + what);
}

// Text form (environment, flags, and TOML strings) of every kind of value.
Result<void> set_text(const Key& key, Ref ref, std::string_view text, std::string_view where) {
  return std::visit(
      [&](auto* field) -> Result<void> {
        using T = std::remove_pointer_t<decltype(field)>;
        if constexpr (std::is_same_v<T, bool>) {
          std::string t(text);
          std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
          if (t == "1" || t == "true" || t == "yes" || t == "on") *field = true;
          else if (t == "0" || t == "false" || t == "no" || t == "off") *field = false;
          else return bad(where, key.name, "'" + std::string(text) + "' is not a boolean (use true or false)");
        } else if constexpr (std::is_same_v<T, std::string>) {
          if (!key.choices.empty() && std::find(key.choices.begin(), key.choices.end(), text) == key.choices.end())
            return bad(where, key.name, "'" + std::string(text) + "' is not one of " + join(key.choices));
          *field = std::string(text);
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          field->clear();
          size_t i = 0;
          while (i <= text.size()) {
            size_t j = text.find(',', i);
            if (j == std::string_view::npos) j = text.size();
            if (j > i) field->emplace_back(text.substr(i, j - i));
            i = j + 1;
          }
        } else if constexpr (std::is_same_v<T, Percent>) {
          auto p = parse_percent(text);
          if (!p)
            return bad(where, key.name,
                       "'" + std::string(text) + "' is not a percentage from 0 to 100 (e.g. \"80\" or \"0.1\")");
          *field = *p;
        } else if constexpr (std::is_same_v<T, int64_t>) {
          int64_t v = 0;
          auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
          if (ec != std::errc() || p != text.data() + text.size())
            return bad(where, key.name, "'" + std::string(text) + "' is not a whole number");
          *field = v;
        } else if constexpr (std::is_same_v<T, Duration>) {
          auto d = parse_duration(text);
          if (!d)
            return bad(where, key.name,
                       "'" + std::string(text) + "' is not a duration (e.g. \"30m\", \"10s\", \"500ms\")");
          *field = *d;
        }
        return {};
      },
      ref);
}

Result<void> set_node(const Key& key, Config& cfg, const toml::node& node, std::string_view where) {
  Ref ref = key.ref(cfg);
  if (key.scope && node.is_string()) {
    std::string s = *node.value<std::string>();
    std::get<std::vector<std::string>*>(ref)->assign({s});
    if (s != "self-hosting" && s != "all" && s.find('/') == std::string::npos)
      return bad(where, key.name, "'" + s + "' is not \"self-hosting\", \"all\" or a list of \"owner/name\"");
    return {};
  }
  return std::visit(
      [&](auto* field) -> Result<void> {
        using T = std::remove_pointer_t<decltype(field)>;
        if constexpr (std::is_same_v<T, bool>) {
          if (!node.is_boolean()) return bad(where, key.name, "expected true or false");
          *field = *node.value<bool>();
          return {};
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          const toml::array* arr = node.as_array();
          if (!arr) return bad(where, key.name, "expected an array of strings");
          field->clear();
          for (const auto& el : *arr) {
            if (!el.is_string())
              return bad(where_of(where.substr(0, where.rfind(':')), el), key.name, "expected an array of strings");
            field->push_back(*el.value<std::string>());
          }
          return {};
        } else {
          if (node.is_string()) return set_text(key, ref, *node.value<std::string>(), where);
          if constexpr (std::is_same_v<T, int64_t>) {
            if (node.is_integer()) {
              *field = *node.value<int64_t>();
              return {};
            }
            return bad(where, key.name, "expected a whole number");
          }
          if constexpr (std::is_same_v<T, Percent> || std::is_same_v<T, Duration>) {
            if (node.is_integer()) return set_text(key, ref, std::to_string(*node.value<int64_t>()), where);
            if (node.is_floating_point() && std::is_same_v<T, Percent>) {
              char buf[64];
              auto res = std::to_chars(buf, buf + sizeof buf, *node.value<double>());
              return set_text(key, ref, std::string_view(buf, static_cast<size_t>(res.ptr - buf)), where);
            }
          }
          return bad(where, key.name, "expected a string");
        }
      },
      ref);
}

Result<void> parse_plane_projects(Config& cfg, const toml::table& projects, std::string_view file) {
  for (const auto& [ident_key, node] : projects) {
    std::string ident(ident_key.str());
    std::string where = where_of(file, node);
    const toml::table* t = node.as_table();
    if (!t) return bad(where, "plane.projects." + ident, "expected a table");
    PlaneProject p;
    for (const auto& [k, v] : *t) {
      std::string name(k.str());
      std::string w = where_of(file, v);
      std::string dotted = "plane.projects." + ident + "." + name;
      if (name == "id") {
        if (!v.is_string()) return bad(w, dotted, "expected a string");
        p.id = *v.value<std::string>();
      } else if (name == "self_hosting") {
        if (!v.is_boolean()) return bad(w, dotted, "expected true or false");
        p.self_hosting = *v.value<bool>();
      } else if (name == "states") {
        const toml::table* st = v.as_table();
        if (!st) return bad(w, dotted, "expected a table of key = \"State name\"");
        for (const auto& [sk, sv] : *st) {
          std::string skey(sk.str());
          std::string sw = where_of(file, sv);
          if (std::find(kPlaneStateKeys.begin(), kPlaneStateKeys.end(), skey) == kPlaneStateKeys.end())
            return bad(sw, dotted + "." + skey, "unknown state key (known: " + join(kPlaneStateKeys) + ")");
          if (!sv.is_string()) return bad(sw, dotted + "." + skey, "expected a state name (string)");
          p.states[skey] = *sv.value<std::string>();
        }
      } else {
        return bad(w, dotted, "unknown key (known: id, self_hosting, states)");
      }
    }
    cfg.plane.projects[ident] = std::move(p);
    cfg.origins["plane.projects." + ident] = Origin::file;
  }
  return {};
}

// [coverage.files]: "glob" = "90" (a percent, string or number), each a per-file floor.
Result<void> parse_file_floors(Config& cfg, const toml::node& node, std::string_view file) {
  const toml::table* t = node.as_table();
  if (!t) return bad(where_of(file, node), "coverage.files", "expected a table of \"glob\" = \"percent\"");
  for (const auto& [k, v] : *t) {
    std::string glob(k.str()), w = where_of(file, v), key = "coverage.files.\"" + glob + "\"";
    std::optional<Percent> p;
    if (v.is_string()) p = parse_percent(*v.value<std::string>());
    else if (v.is_integer() && *v.value<int64_t>() >= 0 && *v.value<int64_t>() <= 100)
      p = Percent{*v.value<int64_t>() * Percent::kScale};
    if (!p) return bad(w, key, "is not a percentage from 0 to 100 (e.g. \"90\")");
    cfg.coverage.files[glob] = *p;
    cfg.wheres[key] = w;
  }
  cfg.origins["coverage.files"] = Origin::file;
  cfg.wheres["coverage.files"] = where_of(file, node);
  return {};
}

Result<void> walk(Config& cfg, const toml::table& table, const std::string& prefix, std::string_view file) {
  for (const auto& [k, node] : table) {
    std::string dotted = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    std::string where = where_of(file, node);
    if (dotted == "plane.projects") {
      const toml::table* t = node.as_table();
      if (!t) return bad(where, dotted, "expected a table of projects");
      ORCHKIT_CHECK(parse_plane_projects(cfg, *t, file));
      continue;
    }
    if (dotted == "coverage.files") {
      ORCHKIT_CHECK(parse_file_floors(cfg, node, file));
      continue;
    }
    if (const Key* key = find_key(dotted)) {
      ORCHKIT_CHECK(set_node(*key, cfg, node, where));
      cfg.origins[std::string(key->name)] = Origin::file;
      cfg.wheres[std::string(key->name)] = where;
      continue;
    }
    if (is_section(dotted) && node.is_table()) {
      ORCHKIT_CHECK(walk(cfg, *node.as_table(), dotted, file));
      continue;
    }
    return bad(where, dotted, "unknown key (see docs/config.md for the keys)");
  }
  return {};
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string show_value(Ref ref) {
  return std::visit(
      [](auto* field) -> std::string {
        using T = std::remove_pointer_t<decltype(field)>;
        if constexpr (std::is_same_v<T, bool>) return *field ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::string>) return quote(*field);
        else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          std::string out = "[";
          for (size_t i = 0; i < field->size(); ++i) out += (i ? ", " : "") + quote((*field)[i]);
          return out + "]";
        } else if constexpr (std::is_same_v<T, Percent>) return quote(format_percent(*field));
        else if constexpr (std::is_same_v<T, int64_t>) return std::to_string(*field);
        else return quote(format_duration(*field));
      },
      ref);
}

// {"src/core/**" = "90", ...}: the per-file floors as one TOML inline table.
std::string file_floors(const Config& cfg) {
  std::string out = "{";
  for (const auto& [glob, p] : cfg.coverage.files)
    out += (out.size() > 1 ? ", " : "") + quote(glob) + " = " + quote(format_percent(p));
  return out + "}";
}

}  // namespace

std::string_view origin_name(Origin o) {
  switch (o) {
    case Origin::builtin: return "default";
    case Origin::file: return "file";
    case Origin::env: return "env";
    case Origin::flag: return "flag";
  }
  return "?";
}

Result<Config> parse_config(std::string_view text, std::string_view name) {
  Config cfg;
  cfg.source = std::string(name);
  toml::table root;
  try {
    root = toml::parse(text, std::string(name));
  } catch (const toml::parse_error& e) {
    return fail(Exit::usage, std::string(name) + ":" + std::to_string(e.source().begin.line) + ": " +
                                 std::string(e.description()) + " (fix the TOML syntax)");
  }
  ORCHKIT_CHECK(walk(cfg, root, "", name));
  return cfg;
}

Result<void> set_config_value(Config& cfg, std::string_view key, std::string_view value, Origin origin,
                              std::string_view where) {
  const Key* k = find_key(key);
  if (!k) return fail(Exit::usage, std::string(where) + ": unknown config key " + std::string(key));
  if (k->scope) {
    auto* v = std::get<std::vector<std::string>*>(k->ref(cfg));
    ORCHKIT_CHECK(set_text(*k, v, value, where));
    for (const auto& s : *v)
      if (s != "self-hosting" && s != "all" && s.find('/') == std::string::npos)
        return bad(where, key, "'" + s + "' is not \"self-hosting\", \"all\" or \"owner/name,...\"");
  } else {
    ORCHKIT_CHECK(set_text(*k, k->ref(cfg), value, where));
  }
  cfg.origins[std::string(k->name)] = origin;
  cfg.wheres[std::string(k->name)] = std::string(where);
  return {};
}

Result<void> apply_env(Config& cfg) {
  static const std::pair<const char*, const char*> kEnv[] = {
      {"ORCH_COVERAGE_ENABLED", "coverage.enabled"},
      {"ORCH_COVERAGE_SCOPE", "coverage.scope"},
      {"ORCH_COVERAGE_MODE", "coverage.mode"},
      {"ORCH_COVERAGE_MIN", "coverage.min"},
      {"ORCH_COVERAGE_EPSILON", "coverage.epsilon"},
      {"ORCH_COVERAGE_PATCH_MIN", "coverage.patch_min"},
      {"ORCH_COVERAGE_ON_TOOL_ERROR", "coverage.on_tool_error"},
      {"ORCH_COVERAGE_RULE", "coverage.rule"},
      {"ORCH_STOP_STATUS_ENABLED", "stop.enabled"},
  };
  for (const auto& [var, key] : kEnv) {
    const char* v = std::getenv(var);
    if (!v) continue;
    ORCHKIT_CHECK(set_config_value(cfg, key, v, Origin::env, std::string("environment ") + var));
  }
  return {};
}

Result<Config> load_config(const std::optional<std::string>& flag_path, const std::string& repo_root) {
  std::optional<std::string> path = flag_path;
  if (!path) {
    if (const char* env = std::getenv("ORCHKIT_CONFIG"); env && *env) path = std::string(env);
  }
  bool explicit_path = path.has_value();
  if (!path && !repo_root.empty()) {
    std::string candidate = repo_root + "/orchkit.toml";
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) path = candidate;
  }
  Config cfg;
  if (path) {
    auto text = read_file(*path);
    if (!text)
      return fail(Exit::usage, text.error().message + (explicit_path ? " (check --config / ORCHKIT_CONFIG)" : ""));
    ORCHKIT_TRY(parsed, parse_config(*text, *path));
    cfg = std::move(parsed);
  }
  ORCHKIT_CHECK(apply_env(cfg));
  return cfg;
}

std::string show_config(const Config& cfg) {
  Config copy = cfg;  // key refs take a mutable Config
  std::ostringstream out;
  out << "# source: " << cfg.source << "\n";
  for (const auto& k : keys()) {
    auto it = cfg.origins.find(std::string(k.name));
    Origin o = it == cfg.origins.end() ? Origin::builtin : it->second;
    out << k.name << " = " << show_value(k.ref(copy)) << "  # " << origin_name(o) << "\n";
  }
  out << "coverage.files = " << file_floors(cfg) << "  # "
      << origin_name(cfg.origins.count("coverage.files") ? cfg.origins.at("coverage.files") : Origin::builtin) << "\n";
  for (const auto& [ident, p] : cfg.plane.projects) {
    out << "plane.projects." << ident << ".id = " << quote(p.id) << "  # file\n";
    out << "plane.projects." << ident << ".self_hosting = " << (p.self_hosting ? "true" : "false") << "  # file\n";
    for (const auto& [k, v] : p.states)
      out << "plane.projects." << ident << ".states." << k << " = " << quote(v) << "  # file\n";
  }
  return out.str();
}

namespace {

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

bool any_blank(const std::vector<std::string>& v) {
  return std::any_of(v.begin(), v.end(), [](const std::string& s) { return blank(s); });
}

// Every "{...}" in the artefact template that is not a known placeholder.
std::optional<std::string> unknown_placeholder(const std::string& t) {
  for (size_t open = t.find('{'); open != std::string::npos; open = t.find('{', open + 1)) {
    size_t close = t.find('}', open);
    if (close == std::string::npos) return t.substr(open);
    std::string_view token(t.data() + open, close - open + 1);
    if (std::find(std::begin(kArtefactPlaceholders), std::end(kArtefactPlaceholders), token) ==
        std::end(kArtefactPlaceholders))
      return std::string(token);
  }
  return std::nullopt;
}

}  // namespace

std::vector<ConfigProblem> config_problems(const Config& cfg) {
  std::vector<ConfigProblem> out;
  auto add = [&](const std::string& key, const std::string& what) {
    auto it = cfg.wheres.find(key);
    std::string where = it != cfg.wheres.end() ? it->second : "built-in default";
    out.push_back({key, where + ": " + key + ": " + what});
  };
  const auto& c = cfg.coverage;
  if (c.scope.empty() || any_blank(c.scope))
    add("coverage.scope", "empty or blank (use \"self-hosting\", \"all\" or a list of \"owner/name\")");
  if (c.command.empty() || blank(c.command.front()))
    add("coverage.command", "empty (an argv such as [\"pytest\", \"--cov\"]; or pass --report)");
  if (c.reports.empty() || any_blank(c.reports))
    add("coverage.reports", "empty or blank (the report files coverage.command writes)");
  if (c.timeout.count() <= 0) add("coverage.timeout", "must be longer than 0 (e.g. \"30m\")");
  if (auto bad_token = unknown_placeholder(c.artefact))
    add("coverage.artefact", "unknown placeholder " + *bad_token + " (known: {artefacts_dir}, {task})");
  if (cfg.task.key_pattern.empty()) add("task.key_pattern", "empty (e.g. \"[A-Z]+-[0-9]+\")");
  else {
    try {
      std::regex re(cfg.task.key_pattern);
    } catch (const std::regex_error& e) {
      add("task.key_pattern", "'" + cfg.task.key_pattern + "' is not a valid regular expression (" + e.what() + ")");
    }
  }
  if (blank(cfg.task.artefacts_dir)) add("task.artefacts_dir", "empty (e.g. \"docs/work-items\")");
  if (cfg.state.backend == "git" && blank(cfg.state.remote))
    add("state.remote", "empty (the remote holding the state branch, e.g. \"origin\")");
  if (cfg.state.lease_ttl.count() <= 0) add("state.lease_ttl", "must be longer than 0 (e.g. \"15m\")");
  if (cfg.plane.start_timeout.count() <= 0) add("plane.start_timeout", "must be longer than 0 (e.g. \"10m\")");
  if (cfg.plane.start_retry_max < cfg.plane.start_retry)
    add("plane.start_retry_max",
        "must not be shorter than plane.start_retry (" + format_duration(cfg.plane.start_retry) + ")");
  if (c.max_new_uncovered < 0) add("coverage.max_new_uncovered", "must be 0 or more (lines allowed)");
  if (c.patch_max_uncovered < -1) add("coverage.patch_max_uncovered", "must be -1 (off) or 0 or more");
  for (const auto& [glob, p] : c.files)
    if (blank(glob)) add("coverage.files", "an empty glob (e.g. \"src/core/**\" = \"90\")");
  return out;
}

std::vector<ConfigChange> config_diff(const Config& a, const Config& b, const std::vector<std::string_view>& prefixes) {
  Config ca = a, cb = b;  // key refs take a mutable Config
  std::vector<ConfigChange> out;
  for (const auto& k : keys()) {
    bool wanted = std::any_of(prefixes.begin(), prefixes.end(),
                              [&](std::string_view p) { return k.name.substr(0, p.size()) == p; });
    if (!wanted) continue;
    std::string va = show_value(k.ref(ca)), vb = show_value(k.ref(cb));
    if (va != vb) out.push_back({std::string(k.name), va, vb});
  }
  bool files = std::any_of(prefixes.begin(), prefixes.end(), [](std::string_view p) {
    return std::string_view("coverage.files").substr(0, p.size()) == p;
  });
  if (files && file_floors(a) != file_floors(b)) out.push_back({"coverage.files", file_floors(a), file_floors(b)});
  return out;
}

}  // namespace orchkit

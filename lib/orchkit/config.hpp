// orchkit.toml (SPEC §3): the one configuration every binary reads.
// Precedence, lowest first: built-in defaults, the file, ORCH_* environment, command-line flags.
// parse_config() is pure (text in); load_config() finds the file and applies the environment.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/result.hpp"
#include "orchkit/util/units.hpp"

namespace orchkit {

enum class Origin { builtin, file, env, flag };
std::string_view origin_name(Origin o);

struct PlaneProject {
  std::string id = {};
  bool self_hosting = false;
  std::map<std::string, std::string> states = {};  // logical key -> state name in that project
};

struct Config {
  struct Project {
    std::string name = {};  // empty: derived from the origin remote (owner/name)
    bool self_hosting = true;
    std::string target_branch = "main";
    std::vector<std::string> protected_branches = {"main", "master", "release/*"};
  } project = {};
  struct Task {
    std::string branch_prefix = "task/";
    std::string key_pattern = "[A-Z]+-[0-9]+";
    std::string worktrees_root = "../worktrees";
    std::string artefacts_dir = "docs/work-items";
  } task = {};
  struct Coverage {
    bool enabled = true;
    std::vector<std::string> scope = {"self-hosting"};  // ["self-hosting"], ["all"] or repo names
    std::string mode = "both";                          // absolute | baseline | both
    Percent min = Percent{80 * Percent::kScale};
    Percent epsilon = Percent{Percent::kScale / 10};
    Percent patch_min = {};
    std::string on_tool_error = "warn";  // warn | fail
    // Debian 12's pytest-cov 4.0 has no JSON report: Cobertura XML, which it writes itself.
    std::vector<std::string> command = {"pytest", "--cov=src", "--cov-report=xml:coverage.xml"};
    std::vector<std::string> reports = {"coverage.xml"};
    Duration timeout = Duration(30 * 60 * 1000);
    std::vector<std::string> path_strip = {};
    std::string artefact = "{artefacts_dir}/{task}/18-coverage-report.md";
    std::string rule = "percent";               // percent | differential | both (docs/differential.md)
    int64_t max_new_uncovered = 0;              // differential: UNC + LBC + UIC allowed
    int64_t patch_max_uncovered = -1;           // uncovered changed lines allowed; -1 = off
    std::map<std::string, Percent> files = {};  // [coverage.files]: path glob -> per-file floor
  } coverage = {};
  struct State {
    std::string backend = "sqlite";        // sqlite | git (docs/state.md)
    std::string path = {};                 // sqlite; empty: <git common dir>/orchkit/state.db
    std::string remote = "origin";         // git: the remote holding the state branch
    std::string branch = "orchkit/state";  // git: refs/heads/<branch>
    Duration lease_ttl = Duration(15 * 60 * 1000);
  } state = {};
  struct Stop {
    bool enabled = true;
    Duration grace = Duration(10 * 1000);
  } stop = {};
  struct Plane {
    std::string base_url = "https://plane.example.org";
    std::string workspace = {};
    Duration states_cache_ttl = Duration(10 * 60 * 1000);
    std::vector<std::string> start_command = {};
    Duration start_timeout = Duration(10 * 60 * 1000);  // one run of start_command
    Duration start_retry = Duration(60 * 1000);         // after a failed start; doubles per failure
    Duration start_retry_max = Duration(60 * 60 * 1000);
    std::map<std::string, PlaneProject> projects = {};
  } plane = {};
  struct Telegram {
    std::string chat_id = {};
    std::string api_url = "https://api.telegram.org";
  } telegram = {};
  struct Gitea {
    std::string api_url = {};
    std::string commit_status_context = "orchkit / coverage";
    std::string status_url = {};        // the commit status's link; {commit} and {task} substituted
    bool pr_comment = false;            // one PR comment, edited in place on every check
    std::string merge_style = "merge";  // merge | rebase | rebase-merge | squash | fast-forward-only
    // One POST of the merge, never retried (its answer may be lost after it merged): long.
    Duration merge_timeout = Duration(2 * 60 * 1000);
  } gitea = {};

  std::string source = "(built-in defaults)";      // the file read, if any
  std::map<std::string, Origin> origins = {};      // dotted key -> where its value came from
  std::map<std::string, std::string> wheres = {};  // dotted key -> "file:line", "environment X", "--flag"
};

// A value that parses but cannot work (an empty scope, a command of "", a bad key_pattern...).
struct ConfigProblem {
  std::string key = {};      // dotted key
  std::string message = {};  // "<where>: <key>: <what> (<what to do>)"
};

// One key whose value differs between two configs, both values as TOML text.
struct ConfigChange {
  std::string key = {};
  std::string before = {};  // the first config's value
  std::string after = {};
};

// Parses TOML text. Unknown keys, wrong types and bad values are Exit::usage errors naming
// `<name>:<line>`.
Result<Config> parse_config(std::string_view toml, std::string_view name);

// Sets one dotted key (e.g. "coverage.min") from text, as the environment and flags do.
Result<void> set_config_value(Config& cfg, std::string_view key, std::string_view value, Origin origin,
                              std::string_view where);

// Applies ORCH_COVERAGE_* and ORCH_STOP_STATUS_ENABLED from the environment.
Result<void> apply_env(Config& cfg);

// --config FILE, else $ORCHKIT_CONFIG, else <repo_root>/orchkit.toml if it exists, else defaults;
// then the environment. An explicitly named file that is missing is an error.
Result<Config> load_config(const std::optional<std::string>& flag_path, const std::string& repo_root);

// Every effective value with its origin, one per line: `coverage.min = "80"  # file`.
std::string show_config(const Config& cfg);

// Values that parse but cannot work, for every key (pure: no file, no repository). A valid ref
// name for project.target_branch is checked by the workspace (it needs libgit2's rules).
std::vector<ConfigProblem> config_problems(const Config& cfg);

// The keys under `prefixes` (e.g. "coverage.", "task.") whose values differ between `a` and `b`.
std::vector<ConfigChange> config_diff(const Config& a, const Config& b, const std::vector<std::string_view>& prefixes);

// The placeholders coverage.artefact may use.
inline constexpr std::string_view kArtefactPlaceholders[] = {"{artefacts_dir}", "{task}"};

}  // namespace orchkit

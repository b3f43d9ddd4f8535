#include "orchkit/config.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

using namespace orchkit;

TEST_CASE("config: defaults without a file", "[config]") {
  auto c = parse_config("", "orchkit.toml");
  REQUIRE(c);
  CHECK(c->coverage.mode == "both");
  CHECK(c->coverage.min == Percent{80'000'000});
  CHECK(c->coverage.epsilon == Percent{100'000});
  CHECK(c->coverage.timeout == Duration(30 * 60 * 1000));
  CHECK(c->project.protected_branches == std::vector<std::string>{"main", "master", "release/*"});
}

TEST_CASE("config: every section of the SPEC example parses", "[config]") {
  auto c = parse_config(R"(
[project]
name = "orchestrator"
self_hosting = true
target_branch = "main"
protected_branches = ["main", "master", "release/*"]
[task]
branch_prefix = "task/"
key_pattern = "[A-Z]+-[0-9]+"
worktrees_root = "../worktrees"
artefacts_dir = "docs/work-items"
[coverage]
enabled = true
scope = "self-hosting"
mode = "both"
min = "80"
epsilon = "0.1"
patch_min = "0"
on_tool_error = "warn"
command = ["pytest", "--cov=src", "--cov-report=json:coverage.json"]
reports = ["coverage.json"]
timeout = "30m"
path_strip = []
artefact = "{artefacts_dir}/{task}/18-coverage-report.md"
[state]
path = ""
lease_ttl = "15m"
[stop]
enabled = true
grace = "10s"
[plane]
base_url = "https://plane.example.org"
workspace = "acme"
states_cache_ttl = "10m"
start_command = []
[plane.projects.ORCH]
id = "0000"
self_hosting = true
[plane.projects.ORCH.states]
todo = "Todo"
to_analyse = "To Analyse"
[notify.telegram]
chat_id = ""
api_url = "https://api.telegram.org"
[gitea]
api_url = ""
commit_status_context = "orchkit / coverage"
)",
                        "orchkit.toml");
  REQUIRE(c);
  CHECK(c->project.name == "orchestrator");
  CHECK(c->plane.projects.at("ORCH").states.at("to_analyse") == "To Analyse");
  CHECK(c->stop.grace == Duration(10'000));
  CHECK(c->origins.at("coverage.min") == Origin::file);
}

TEST_CASE("config: errors name file:line and exit 2", "[config]") {
  auto unknown = parse_config("[coverage]\nmin = \"80\"\nminn = \"1\"\n", "o.toml");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().exit == Exit::usage);
  CHECK(unknown.error().message.rfind("o.toml:3: coverage.minn: unknown key", 0) == 0);

  auto type = parse_config("[coverage]\nenabled = \"yes\"\n", "o.toml");
  REQUIRE_FALSE(type);
  CHECK(type.error().message.rfind("o.toml:2: coverage.enabled: expected true or false", 0) == 0);

  auto syntax = parse_config("[coverage\nmin = 1\n", "o.toml");
  REQUIRE_FALSE(syntax);
  CHECK(syntax.error().exit == Exit::usage);
  CHECK(syntax.error().message.rfind("o.toml:1: ", 0) == 0);

  auto choice = parse_config("[coverage]\nmode = \"sometimes\"\n", "o.toml");
  REQUIRE_FALSE(choice);
  CHECK(choice.error().message.find("not one of absolute, baseline, both") != std::string::npos);

  CHECK_FALSE(parse_config("[coverage]\nmin = \"101\"\n", "o.toml"));
  CHECK_FALSE(parse_config("[coverage]\ntimeout = \"soon\"\n", "o.toml"));
  CHECK_FALSE(parse_config("[coverage]\ncommand = [\"a\", 1]\n", "o.toml"));
  CHECK_FALSE(parse_config("[plane.projects.ORCH.states]\ntodoo = \"Todo\"\n", "o.toml"));
  CHECK_FALSE(parse_config("[nope]\nx = 1\n", "o.toml"));
}

TEST_CASE("config: numbers for percentages and durations", "[config]") {
  auto c = parse_config("[coverage]\nmin = 75\nepsilon = 0.25\ntimeout = 90\n", "o.toml");
  REQUIRE(c);
  CHECK(c->coverage.min == Percent{75'000'000});
  CHECK(c->coverage.epsilon == Percent{250'000});
  CHECK(c->coverage.timeout == Duration(90'000));
}

TEST_CASE("config: the environment beats the file, and says so", "[config]") {
  auto c = parse_config("[coverage]\nmin = \"80\"\n", "o.toml");
  REQUIRE(c);
  ::setenv("ORCH_COVERAGE_MIN", "70.5", 1);
  ::setenv("ORCH_COVERAGE_SCOPE", "acme/a,acme/b", 1);
  auto r = apply_env(*c);
  ::unsetenv("ORCH_COVERAGE_MIN");
  ::unsetenv("ORCH_COVERAGE_SCOPE");
  REQUIRE(r);
  CHECK(c->coverage.min == Percent{70'500'000});
  CHECK(c->coverage.scope == std::vector<std::string>{"acme/a", "acme/b"});
  std::string shown = show_config(*c);
  CHECK(shown.find("coverage.min = \"70.5\"  # env") != std::string::npos);
  CHECK(shown.find("coverage.mode = \"both\"  # default") != std::string::npos);

  ::setenv("ORCH_COVERAGE_ENABLED", "maybe", 1);
  auto bad = apply_env(*c);
  ::unsetenv("ORCH_COVERAGE_ENABLED");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().exit == Exit::usage);
  CHECK(bad.error().message.find("ORCH_COVERAGE_ENABLED") != std::string::npos);
}

TEST_CASE("units: percentages and durations", "[config]") {
  CHECK(parse_percent("0.1") == Percent{100'000});
  CHECK(parse_percent("100") == Percent{100'000'000});
  CHECK_FALSE(parse_percent("100.1"));
  CHECK_FALSE(parse_percent("-1"));
  CHECK_FALSE(parse_percent("1.1234567"));
  CHECK_FALSE(parse_percent("abc"));
  CHECK_FALSE(parse_percent("1."));
  CHECK(format_percent(Percent{80'500'000}) == "80.5");
  CHECK(format_percent(Percent{100'000}) == "0.1");
  CHECK(parse_duration("1h30m") == Duration(5'400'000));
  CHECK(parse_duration("500ms") == Duration(500));
  CHECK(parse_duration("45") == Duration(45'000));
  CHECK_FALSE(parse_duration("5 minutes"));
  CHECK_FALSE(parse_duration(std::string(2000, '9').insert(0, "1") + "h"));  // no overflow
  CHECK_FALSE(parse_duration("999999999h999999999h999999999h"));
  CHECK(format_duration(Duration(600'000)) == "10m");
}

TEST_CASE("config: differential keys and per-file floors", "[config][differential]") {
  auto c = parse_config(
      "[coverage]\nrule = \"differential\"\nmax_new_uncovered = 3\npatch_max_uncovered = 0\n"
      "[coverage.files]\n\"src/core/**\" = \"90\"\n\"lib/*.c\" = 75\n",
      "o.toml");
  REQUIRE(c);
  CHECK(c->coverage.rule == "differential");
  CHECK(c->coverage.max_new_uncovered == 3);
  CHECK(c->coverage.patch_max_uncovered == 0);
  REQUIRE(c->coverage.files.size() == 2);
  CHECK(c->coverage.files.at("src/core/**") == *parse_percent("90"));
  CHECK(c->coverage.files.at("lib/*.c") == *parse_percent("75"));
  CHECK(config_problems(*c).empty());
  CHECK_THAT(show_config(*c), Catch::Contains("coverage.files = {\"lib/*.c\" = \"75\", \"src/core/**\" = \"90\"}"));
  auto d = parse_config("", "d.toml");
  REQUIRE(d);
  CHECK(d->coverage.rule == "percent");
  CHECK(d->coverage.max_new_uncovered == 0);
  CHECK(d->coverage.patch_max_uncovered == -1);
  auto diff = config_diff(*d, *c, {"coverage."});
  std::vector<std::string> keys;
  for (const auto& ch : diff) keys.push_back(ch.key);
  CHECK(keys == std::vector<std::string>{"coverage.rule", "coverage.max_new_uncovered", "coverage.patch_max_uncovered",
                                         "coverage.files"});
}

TEST_CASE("config: a bad differential value is exit 2 naming file:line", "[config][differential]") {
  auto bad = [](const std::string& text) {
    auto c = parse_config(text, "o.toml");
    REQUIRE_FALSE(c);
    CHECK(c.error().exit == Exit::usage);
    return c.error().message;
  };
  CHECK_THAT(bad("[coverage]\nrule = \"diff\"\n"), Catch::Contains("o.toml:2: coverage.rule"));
  CHECK_THAT(bad("[coverage]\nmax_new_uncovered = \"x\"\n"), Catch::Contains("coverage.max_new_uncovered"));
  CHECK_THAT(bad("[coverage]\nmax_new_uncovered = 1.5\n"), Catch::Contains("coverage.max_new_uncovered"));
  CHECK_THAT(bad("[coverage.files]\n\"src/**\" = \"101\"\n"), Catch::Contains("o.toml:2: coverage.files.\"src/**\""));
  CHECK_THAT(bad("[coverage.files]\n\"src/**\" = true\n"), Catch::Contains("coverage.files"));
  CHECK_THAT(bad("[coverage]\nfiles = \"x\"\n"), Catch::Contains("coverage.files"));
  CHECK_THAT(bad("[coverage]\nmax_new_uncoverd = 1\n"), Catch::Contains("unknown key"));
  auto neg = parse_config("[coverage]\nmax_new_uncovered = -1\npatch_max_uncovered = -2\n", "o.toml");
  REQUIRE(neg);
  auto problems = config_problems(*neg);
  REQUIRE(problems.size() == 2);
  CHECK_THAT(problems[0].message, Catch::Contains("o.toml:2: coverage.max_new_uncovered"));
  CHECK_THAT(problems[1].message, Catch::Contains("o.toml:3: coverage.patch_max_uncovered"));
}

TEST_CASE("config: gitea.merge_style takes Gitea's five styles, default merge", "[config]") {
  auto def = parse_config("", "o.toml");
  REQUIRE(def);
  CHECK(def->gitea.merge_style == "merge");
  for (std::string style : {"merge", "rebase", "rebase-merge", "squash", "fast-forward-only"}) {
    auto c = parse_config("[gitea]\nmerge_style = \"" + style + "\"\n", "o.toml");
    REQUIRE(c);
    CHECK(c->gitea.merge_style == style);
  }
  auto bad = parse_config("[gitea]\napi_url = \"\"\nmerge_style = \"octopus\"\n", "o.toml");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().exit == Exit::usage);
  CHECK(bad.error().message.rfind("o.toml:3: gitea.merge_style: 'octopus' is not one of merge, rebase", 0) == 0);
  auto timeout = parse_config("[gitea]\nmerge_timeout = \"5s\"\n", "o.toml");
  REQUIRE(timeout);
  CHECK(timeout->gitea.merge_timeout == Duration(5'000));
}

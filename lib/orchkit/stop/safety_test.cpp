#include "orchkit/stop/safety.hpp"

#include <catch2/catch.hpp>

using namespace orchkit::stop;

namespace {
orchkit::Config cfg() {
  orchkit::Config c;
  c.project.protected_branches = {"main", "master", "release/*", "hotfix/*"};
  return c;
}
}  // namespace

TEST_CASE("safety: adversarial task keys are refused with the rule named", "[stop]") {
  const std::vector<std::string> bad = {
      "",
      "main",
      "../x",
      "a/../b",
      "ORCH-1/../../etc",
      "-x",
      ".hidden",
      "ORCH-1 ",
      " ORCH-1",
      "ORCH 1",
      "ORCH-1\n",
      "ORCH-1\t",
      "ORCH-\x01",
      "ORCH-1/x",
      "ORCH-1\\x",
      "orch-1",
      "ORCH-",
      "ORCH-1a",
      "ORCH–1" /* en dash */,
      "ОRCH-1" /* Cyrillic O */,
      "ORCH-１",
      "..",
      ".",
      "ORCH-1..",
      "x.lock",
      "+x",
      ":x",
      "refs/heads/ORCH-1",
      "ORCH-1\x7f",
      "ORCH-1;rm",
      "$(reboot)",
      "ORCH-1*",
      "~ORCH-1",
  };
  for (const auto& k : bad) {
    INFO("key: " << k);
    auto rule = task_key_rule(k, cfg());
    REQUIRE(rule.has_value());
    CHECK_FALSE(rule->empty());
  }
  CHECK_FALSE(task_key_rule("ORCH-027", cfg()));
  CHECK_FALSE(task_key_rule("AB-1", cfg()));
}

TEST_CASE("safety: only the task's own unprotected branches may be deleted", "[stop]") {
  const std::vector<std::string> bad = {
      "main",
      "master",
      "release/x",
      "release/1.0",
      "hotfix/urgent",
      "refs/heads/main",
      "+main",
      ":main",
      "task/ORCH-1:main",
      "task/ORCH-1..x",
      "task/ORCH-1.lock",
      "task/ORCH-1 x",
      "task/ORCH-1\n",
      "task/ORCH-1~1",
      "task/ORCH-1^",
      "task/ORCH-1?",
      "task/ORCH-1*",
      "task/ORCH-1[",
      "task/ORCH-1\\x",
      "task/ORCH-1/",
      "task/ORCH-1//x",
      "/task/ORCH-1",
      "-task/ORCH-1",
      "task/ORCH-2-x",
      "task/ORCH-12",
      "task/ORCH-10-x",
      "feature/ORCH-1",
      "ORCH-1",
      "task/orch-1",
      "tаsk/ORCH-1" /* Cyrillic а */,
      "task/ORCH-1@{1}",
      "task/ORCH-1\x7f",
      "HEAD",
      "",
      "trunk",
  };
  for (const auto& b : bad) {
    INFO("branch: " << b);
    auto rule = branch_rule(b, "ORCH-1", cfg(), std::string("trunk"));
    REQUIRE(rule.has_value());
  }
  CHECK_FALSE(branch_rule("task/ORCH-1", "ORCH-1", cfg(), std::nullopt));
  CHECK_FALSE(branch_rule("task/ORCH-1-fix-login", "ORCH-1", cfg(), std::nullopt));
  CHECK_FALSE(branch_rule("task/ORCH-1/part", "ORCH-1", cfg(), std::nullopt));
  // the default branch is refused even when it looks like a task branch
  CHECK(branch_rule("task/ORCH-1", "ORCH-1", cfg(), std::string("task/ORCH-1")).has_value());
  // a protected pattern wins over the prefix
  auto c = cfg();
  c.project.protected_branches.push_back("task/*");
  CHECK(branch_rule("task/ORCH-1", "ORCH-1", c, std::nullopt).has_value());
}

TEST_CASE("safety: the worktree must be exactly <root>/<key>, inside the root", "[stop]") {
  const std::string root = "/srv/worktrees", main = "/srv/repo";
  CHECK_FALSE(worktree_rule("/srv/worktrees/ORCH-1", root, "ORCH-1", main));
  const std::vector<std::string> bad = {
      "/srv/worktrees",
      "/srv/worktrees2/ORCH-1",
      "/srv/worktreesX",
      "/srv/repo",
      "/srv/worktrees/ORCH-2",
      "/srv/worktrees/ORCH-1/sub",
      "/etc",
      "/",
      "/srv/worktrees/../repo",
      "/srv/worktrees/ORCH-1x",
  };
  for (const auto& p : bad) {
    INFO("path: " << p);
    CHECK(worktree_rule(p, root, "ORCH-1", main).has_value());
  }
  // a main worktree inside the root is never removed either
  CHECK(worktree_rule("/srv/worktrees/ORCH-1", root, "ORCH-1", "/srv/worktrees/ORCH-1").has_value());
  CHECK(worktree_rule("/srv/worktrees/ORCH-1", root, "ORCH-1", "/srv/worktrees/ORCH-1/main").has_value());
}

#include "orchkit/records/restore.hpp"

#include <catch2/catch.hpp>

using namespace orchkit::records;

namespace {
const std::string kTip(40, 'a'), kBase(40, 'b'), kOrigin(40, 'c');

Saved sample() {
  Saved s;
  s.patch = "/repo/docs/work-items/ORCH-1/90-stop-generation-1.patch";
  s.bundle = "/repo/docs/work-items/ORCH-1/90-stop-generation-1.bundle";
  s.head = kTip;
  s.head_branch = "task/ORCH-1-login";
  s.target = "main";
  s.target_oid = kBase;
  s.refs = {{"refs/heads/task/ORCH-1-login", kTip, kBase}, {"refs/remotes/origin/task/ORCH-1-login", kOrigin, ""}};
  return s;
}
}  // namespace

TEST_CASE("restore: the commands fetch every saved ref, check out the worktree's commit, apply the patch",
          "[stop-task]") {
  auto cmds = restore_commands(sample());
  REQUIRE(cmds.size() == 3);
  CHECK(cmds[0] ==
        "git fetch '/repo/docs/work-items/ORCH-1/90-stop-generation-1.bundle' "
        "'refs/heads/task/ORCH-1-login:refs/heads/task/ORCH-1-login' "
        "'refs/remotes/origin/task/ORCH-1-login:refs/heads/task/ORCH-1-login-origin'");
  CHECK(cmds[1] == "git checkout -B 'task/ORCH-1-login' " + kTip);
  CHECK(cmds[2] == "git apply '/repo/docs/work-items/ORCH-1/90-stop-generation-1.patch'");
}

TEST_CASE("restore: a detached HEAD, a path with a quote, nothing to bundle", "[stop-task]") {
  Saved s;
  s.bundle = "/it's/b.bundle";
  s.head = kTip;
  s.refs = {{"HEAD", kTip, kBase}};
  auto cmds = restore_commands(s);
  REQUIRE(cmds.size() == 2);
  CHECK(cmds[0] == "git fetch '/it'\\''s/b.bundle' 'HEAD'");
  CHECK(cmds[1] == "git checkout --detach " + kTip);
  Saved clean;
  clean.head = kTip;
  clean.target = "main";
  CHECK(restore_commands(clean) == std::vector<std::string>{"git checkout --detach " + kTip});
  CHECK_THAT(render_restore(clean), Catch::Contains("no bundle was needed") && Catch::Contains("were not saved"));
}

TEST_CASE("restore: the front matter fields round-trip", "[stop-task]") {
  orchkit::FrontMatterWriter w;
  write_saved(w, sample());
  auto fm = orchkit::parse_front_matter(w.text(), "90-stop.md");
  REQUIRE(fm);
  Saved back = read_saved(*fm);
  CHECK(back.patch == sample().patch);
  CHECK(back.bundle == sample().bundle);
  CHECK(back.head == kTip);
  CHECK(back.head_branch == sample().head_branch);
  CHECK(back.target_oid == kBase);
  REQUIRE(back.refs.size() == 2);
  CHECK(back.refs[1].ref == "refs/remotes/origin/task/ORCH-1-login");
  CHECK(back.refs[1].base.empty());
  CHECK(read_saved(*orchkit::parse_front_matter("---\nsaved_patch: null\n---\n", "x")).empty());
}

// push_ref, the one push orchkit makes: never forced. A '+' refspec is refused before anything
// is sent, and a push that is not a fast-forward leaves the remote's branch where it was.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "orchkit/git/internal.hpp"
#include "support/temp_dir.hpp"

using namespace orchkit;

namespace {

std::string sh(const std::string& cmd) {
  std::string full = "GIT_CONFIG_NOSYSTEM=1 HOME=/nonexistent " + cmd + " 2>/dev/null";
  FILE* p = ::popen(full.c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[256];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  REQUIRE(::pclose(p) == 0);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

TEST_CASE("push_ref: a forced refspec is refused and a rewind never lands", "[git][push]") {
  testing::TempDir d("git-push");
  const std::string bare = d / "remote.git", work = d / "work";
  const std::string g = "git -c user.name=t -c user.email=t@t.invalid -C '" + work + "' ";
  sh("git init -q --bare -b main '" + bare + "'");
  sh("git init -q -b main '" + work + "'");
  sh(g + "commit -q --allow-empty -m A");
  sh(g + "remote add origin 'file://" + bare + "'");
  sh(g + "push -q origin main");
  const std::string a = sh("git --git-dir='" + bare + "' rev-parse main");
  sh(g + "checkout -q --orphan other");
  sh(g + "commit -q --allow-empty -m B");  // not a descendant of A

  git_libgit2_init();
  git_repository* repo = nullptr;
  REQUIRE(git_repository_open(&repo, work.c_str()) == 0);
  auto forced = git::detail::push_ref(repo, "origin", "+refs/heads/other:refs/heads/main", "refs/heads/main", a);
  REQUIRE_FALSE(forced);
  CHECK(forced.error().exit == Exit::refused);
  CHECK(forced.error().message.find("forced push") != std::string::npos);
  // the same rewind without '+': the server says no, the branch stays
  auto plain = git::detail::push_ref(repo, "origin", "refs/heads/other:refs/heads/main", "refs/heads/main", a);
  REQUIRE(plain);
  CHECK(plain->status != git::PushStatus::ok);
  git_repository_free(repo);
  git_libgit2_shutdown();
  CHECK(sh("git --git-dir='" + bare + "' rev-parse main") == a);
}

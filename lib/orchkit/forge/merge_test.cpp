#include "orchkit/forge/merge.hpp"

#include <catch2/catch.hpp>

using namespace orchkit;
using namespace orchkit::forge;

namespace {
MergeFacts answered(std::optional<long> post, std::string message = {}, std::optional<long> check = {}) {
  MergeFacts f;
  f.number = 7;
  f.head = "0123456789abcdef0123456789abcdef01234567";
  f.style = "squash";
  f.post_status = post;
  f.post_message = std::move(message);
  f.check_status = check;
  if (!check) f.check_message = "HTTP 502";
  return f;
}
}  // namespace

TEST_CASE("merge: the GET .../merge check is asked after no answer, a 5xx or a 405 only", "[forge]") {
  CHECK(needs_check(answered(std::nullopt, "timed out")));
  CHECK(needs_check(answered(500)));
  CHECK(needs_check(answered(503)));
  CHECK(needs_check(answered(405)));
  CHECK_FALSE(needs_check(answered(200)));
  CHECK_FALSE(needs_check(answered(409, "head out of date")));
  CHECK_FALSE(needs_check(answered(423)));
  CHECK_FALSE(needs_check(answered(404)));
}

TEST_CASE("merge: every answer is read, never guessed", "[forge]") {
  struct Row {
    const char* name;
    MergeFacts facts;
    MergeOutcome outcome;
    Exit exit;
    const char* says;
  };
  const Row rows[] = {
      {"200 merged", answered(200), MergeOutcome::merged, Exit::ok, "merged (squash)"},
      {"lost answer, then 204: merged", answered(std::nullopt, "reset", 204), MergeOutcome::merged, Exit::ok,
       "Gitea says it is merged"},
      {"lost answer, then 404: not merged", answered(std::nullopt, "reset", 404), MergeOutcome::not_merged, Exit::error,
       "not merged (run again)"},
      {"lost answer, check fails: unknown", answered(std::nullopt, "reset"), MergeOutcome::unknown, Exit::error,
       "outcome unknown"},
      {"500, then 204: merged", answered(500, "boom", 204), MergeOutcome::merged, Exit::ok, "HTTP 500"},
      {"503, then 404: not merged", answered(503, "", 404), MergeOutcome::not_merged, Exit::error, "not merged"},
      {"405, then 204: already merged", answered(405, "", 204), MergeOutcome::merged, Exit::ok, "already merged"},
      {"405 style, then 404", answered(405, "squash is not allowed an allowed merge style for this repository", 404),
       MergeOutcome::not_merged, Exit::no, "the merge style 'squash' is not allowed"},
      {"405 not mergeable, then 404", answered(405, "Please try again later", 404), MergeOutcome::not_merged, Exit::no,
       "not mergeable (405: Please try again later)"},
      {"405, check fails: unknown", answered(405, "x"), MergeOutcome::unknown, Exit::error, "outcome unknown"},
      {"409 head out of date: head moved", answered(409, "head out of date"), MergeOutcome::not_merged, Exit::no,
       "the head moved since 0123456789ab"},
      {"409 conflict: Gitea's message", answered(409, "merge conflict: CONFLICT (content): a.c"),
       MergeOutcome::not_merged, Exit::no, "(409: merge conflict: CONFLICT (content): a.c)"},
      {"409 push rejected: Gitea's message", answered(409, "PushRejected with remote message: hook says no"),
       MergeOutcome::not_merged, Exit::no, "hook says no"},
      {"423 locked", answered(423, "repo is archived"), MergeOutcome::not_merged, Exit::error, "archived"},
      {"401 token", answered(401, "token is required"), MergeOutcome::not_merged, Exit::error, "GITEA_TOKEN"},
      {"404 no such PR", answered(404, "not found"), MergeOutcome::not_merged, Exit::error, "pull request number"},
  };
  for (const auto& row : rows) {
    INFO(row.name);
    MergeVerdict v = decide_merge(row.facts);
    CHECK(v.outcome == row.outcome);
    CHECK(v.exit == row.exit);
    CHECK(v.message.find(row.says) != std::string::npos);
    // A 409 that is not "head out of date" never claims the head moved.
    if (row.facts.post_status == 409 && row.facts.post_message != "head out of date")
      CHECK(v.message.find("head moved") == std::string::npos);
  }
}

TEST_CASE("merge: Gitea's message is read from its error shapes", "[forge]") {
  CHECK(gitea_message(R"({"message":"head out of date","url":"/api/swagger"})") == "head out of date");
  CHECK(gitea_message(R"({"Style":"merge","StdOut":"","StdErr":"CONFLICT (content): a.c\nmore","Err":{}})") ==
        "merge conflict: CONFLICT (content): a.c");
  CHECK(gitea_message(R"({"Style":"merge","StdOut":"","StdErr":"","Err":{}})") == "merge conflict");
  CHECK(gitea_message("<html>\nbad gateway</html>") == "<html> bad gateway</html>");
  CHECK(gitea_message("") == "");
}

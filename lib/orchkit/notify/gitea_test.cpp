#include "orchkit/notify/gitea.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "../../../tests/fakes/fake_server.hpp"
#include "orchkit/json.hpp"

using namespace orchkit;
using namespace orchkit::notify;
using orchkit::testing::FakeHttp;

namespace {
const std::string kSha = "0123456789abcdef0123456789abcdef01234567";
const std::string kToken = "g1tea-s3cret-token";
}  // namespace

TEST_CASE("gitea: a commit status is posted with the token header and the JSON body", "[gitea]") {
  FakeHttp fake({"--gitea-token", kToken});
  auto set = set_commit_status(fake.url() + "/api/v1/", kToken, "orch/my repo", kSha, "failure", "orchkit / coverage",
                               "coverage 79.99% < 80%", "http://ci/run/1");
  REQUIRE(set);
  auto lines = fake.requests();
  REQUIRE(lines.size() == 1);
  auto req = parse_json(lines[0], "fake log");
  REQUIRE(req);
  CHECK(req->get_string("path") == "/api/v1/repos/orch/my%20repo/statuses/" + kSha);
  CHECK(req->at("headers").get_string("Authorization") == "token " + kToken);
  auto body = parse_json(req->get_string("body").value_or(""), "body");
  REQUIRE(body);
  CHECK(body->get_string("state") == "failure");
  CHECK(body->get_string("context") == "orchkit / coverage");
  CHECK(body->get_string("description") == "coverage 79.99% < 80%");
  CHECK(body->get_string("target_url") == "http://ci/run/1");

  REQUIRE(
      set_commit_status(fake.url() + "/api/v1", kToken, "orch/repo", kSha, "success", "c", std::string(300, 'd'), ""));
  auto body2 = parse_json(parse_json(fake.requests().back(), "log")->get_string("body").value_or(""), "body");
  CHECK(body2->get_string("description")->size() == kCommitStatusMaxDescription);
  CHECK_FALSE(body2->has("target_url"));
}

TEST_CASE("gitea: a rejected token is an error that never shows the token", "[gitea]") {
  FakeHttp fake({"--gitea-token", "the-right-one"});
  auto set = set_commit_status(fake.url() + "/api/v1", kToken, "orch/repo", kSha, "success", "c", "d", "");
  REQUIRE_FALSE(set);
  const std::string& m = set.error().message;
  CHECK(set.error().exit == Exit::error);
  CHECK(m.find("gitea commit status: " + fake.url() + "/api/v1/repos/orch/repo/statuses/" + kSha + ": HTTP 401") == 0);
  CHECK(m.find("GITEA_TOKEN") != std::string::npos);
  CHECK(m.find(kToken) == std::string::npos);
}

TEST_CASE("gitea: a server error is retried, then reported", "[gitea]") {
  FakeHttp fake;
  fake.set_mode("503-once");
  REQUIRE(set_commit_status(fake.url() + "/api/v1", kToken, "orch/repo", kSha, "pending", "c", "d", ""));
  CHECK(fake.requests().size() == 2);
}

TEST_CASE("gitea: bad arguments are usage errors and send nothing", "[gitea]") {
  const std::string api = "http://127.0.0.1:9/api/v1";
  auto check_usage = [](const Result<void>& r) {
    REQUIRE_FALSE(r);
    CHECK(r.error().exit == Exit::usage);
  };
  check_usage(set_commit_status(api, kToken, "orch/repo", kSha, "passed", "c", "d", ""));
  check_usage(set_commit_status(api, kToken, "orch", kSha, "success", "c", "d", ""));
  check_usage(set_commit_status(api, kToken, "a/b/c", kSha, "success", "c", "d", ""));
  check_usage(set_commit_status(api, kToken, "orch/repo", "main", "success", "c", "d", ""));
  check_usage(set_commit_status(api, "", "orch/repo", kSha, "success", "c", "d", ""));
  check_usage(set_commit_status("", kToken, "orch/repo", kSha, "success", "c", "d", ""));
}

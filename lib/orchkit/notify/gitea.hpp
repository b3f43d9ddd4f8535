// Gitea commit statuses (API v1, `POST /repos/{owner}/{repo}/statuses/{sha}`): how a gate's
// verdict shows up on the commit and on its pull request, under a stable context name.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "orchkit/result.hpp"
#include "orchkit/util/units.hpp"

namespace orchkit::notify {

// Where the Gitea API is and who orchkit is there, the one rule every tool uses: `api_url` from
// [gitea] api_url, else $GITHUB_API_URL (trailing '/' removed); the token from GITEA_TOKEN; the
// repository from $GITHUB_REPOSITORY, else the workspace's identity (project.name / origin).
struct GiteaEndpoint {
  std::string api_url = {};
  std::string token = {};
  std::string owner_repo = {};
};
GiteaEndpoint gitea_endpoint(std::string_view configured_api_url, std::string_view repo_id);

// Gitea's status description limit is generous; GitHub's 140 characters is the portable one.
inline constexpr size_t kCommitStatusMaxDescription = 140;

// Sets the status `state` (success | failure | error | pending | warning) of commit `sha` in
// `owner_repo` ("owner/name") under `context`. `api_url` is the API root, e.g.
// http://gitea:3000/api/v1 (what $GITHUB_API_URL holds in Gitea Actions); the token goes in
// `Authorization: token ...` and never into a message. Bad arguments or a missing token are
// Exit::usage; a failed call is Exit::error. An empty target_url is left out.
Result<void> set_commit_status(std::string_view api_url, std::string_view token, std::string_view owner_repo,
                               std::string_view sha, std::string_view state, std::string_view context,
                               std::string_view description, std::string_view target_url,
                               Duration budget = Duration(15'000));

}  // namespace orchkit::notify

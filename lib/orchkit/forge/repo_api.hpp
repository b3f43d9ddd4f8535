// One Gitea repository's API root (`<api_url>/repos/{owner}/{repo}`) and how every call to it is
// made: the token in `Authorization: token ...` (and nowhere else: it is a secret of the request),
// JSON in and out. Shared by the merge, the Actions runs and the pull-request comment.
#pragma once

#include <string>
#include <string_view>

#include "orchkit/http.hpp"
#include "orchkit/result.hpp"

namespace orchkit::forge {

struct RepoApi {
  std::string base = {};  // <api_url>/repos/<owner>/<repo>, escaped
  std::string token = {};

  // A request to `base + path` (path starts with '/'), authorised, token marked secret.
  http::Request request(std::string method, const std::string& path) const;
};

// Exit::usage naming `what` (the flag or step that needs it) when the URL, the token or an
// owner/name is missing.
Result<RepoApi> repo_api(std::string_view api_url, std::string_view token, std::string_view owner_repo,
                         std::string_view what);

}  // namespace orchkit::forge

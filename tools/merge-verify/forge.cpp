#include "merge-verify/forge.hpp"

#include <cstdlib>

#include "orchkit/http.hpp"
#include "orchkit/json.hpp"
#include "orchkit/json_writer.hpp"
#include "orchkit/notify/gitea.hpp"

namespace merge_verify {

using namespace orchkit;

Result<void> merge_pull_request(const Workspace& ws, int number, const std::string& head_sha) {
  notify::GiteaEndpoint end = notify::gitea_endpoint(ws.cfg.gitea.api_url, ws.repo_id);
  std::string api = end.api_url, token = end.token, repo = end.owner_repo;
  if (api.empty()) return fail(Exit::usage, "--merge-pr needs [gitea] api_url or $GITHUB_API_URL");
  if (token.empty()) return fail(Exit::usage, "--merge-pr needs GITEA_TOKEN in the environment");
  size_t slash = repo.find('/');
  if (slash == std::string::npos)
    return fail(Exit::usage, "--merge-pr: '" + repo + "' is not owner/name (set project.name)");
  http::Request req;
  req.method = "POST";
  req.url = api + "/repos/" + http::url_escape(repo.substr(0, slash)) + "/" + http::url_escape(repo.substr(slash + 1)) +
            "/pulls/" + std::to_string(number) + "/merge";
  req.headers = {{"Authorization", "token " + token}};
  req.body = JsonWriter().object().field("Do", "merge").field("head_commit_id", head_sha).end().text();
  req.what = "merge pull request " + std::to_string(number);
  req.secrets = {token};
  http::RetryPolicy policy;
  policy.budget = Duration(60'000);
  ORCHKIT_TRY(resp, http::send(req, policy));
  if (resp.ok()) return {};
  std::string why;
  if (auto j = parse_json(resp.body, "response")) why = j->get_string("message").value_or("");
  if (resp.status == 409)
    return fail(Exit::no, req.what + ": the forge refused: the head moved since " + head_sha.substr(0, 12) +
                              " was gated (" + why + "); gate the new head, nothing was merged");
  if (resp.status == 405) return fail(Exit::no, req.what + ": not mergeable (" + why + "); nothing was merged");
  return fail(http::status_error(req, resp, "nothing was merged"));
}

}  // namespace merge_verify

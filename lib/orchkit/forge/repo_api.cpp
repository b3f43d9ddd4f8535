#include "orchkit/forge/repo_api.hpp"

namespace orchkit::forge {

http::Request RepoApi::request(std::string method, const std::string& path) const {
  http::Request req;
  req.method = std::move(method);
  req.url = base + path;
  req.headers = {{"Authorization", "token " + token}, {"Accept", "application/json"}};
  if (req.method != "GET") req.headers.emplace_back("Content-Type", "application/json");
  req.secrets = {token};
  return req;
}

Result<RepoApi> repo_api(std::string_view api_url, std::string_view token, std::string_view owner_repo,
                         std::string_view what) {
  std::string w(what);
  while (!api_url.empty() && api_url.back() == '/') api_url.remove_suffix(1);
  if (api_url.empty()) return fail(Exit::usage, w + " needs [gitea] api_url or $GITHUB_API_URL");
  if (token.empty()) return fail(Exit::usage, w + " needs GITEA_TOKEN in the environment");
  size_t slash = owner_repo.find('/');
  if (slash == 0 || slash == std::string_view::npos || slash + 1 == owner_repo.size() ||
      owner_repo.find('/', slash + 1) != std::string_view::npos)
    return fail(Exit::usage, w + ": '" + std::string(owner_repo) + "' is not owner/name (set project.name)");
  RepoApi r;
  r.base = std::string(api_url) + "/repos/" + http::url_escape(owner_repo.substr(0, slash)) + "/" +
           http::url_escape(owner_repo.substr(slash + 1));
  r.token = std::string(token);
  return r;
}

}  // namespace orchkit::forge

#include "orchkit/notify/gitea.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "orchkit/http.hpp"
#include "orchkit/json.hpp"
#include "orchkit/json_writer.hpp"

namespace orchkit::notify {

GiteaEndpoint gitea_endpoint(std::string_view configured_api_url, std::string_view repo_id) {
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v ? v : "");
  };
  GiteaEndpoint e;
  e.api_url = configured_api_url.empty() ? env("GITHUB_API_URL") : std::string(configured_api_url);
  while (!e.api_url.empty() && e.api_url.back() == '/') e.api_url.pop_back();
  e.token = env("GITEA_TOKEN");
  e.owner_repo = env("GITHUB_REPOSITORY").empty() ? std::string(repo_id) : env("GITHUB_REPOSITORY");
  return e;
}

namespace {

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); });
}

// The first `max` UTF-8 code points of `text`.
std::string cut_chars(std::string_view text, size_t max) {
  size_t seen = 0, end = 0;
  for (; end < text.size(); ++end) {
    if ((static_cast<unsigned char>(text[end]) & 0xC0) != 0x80) {
      if (seen == max) break;
      ++seen;
    }
  }
  return std::string(text.substr(0, end));
}

}  // namespace

Result<void> set_commit_status(std::string_view api_url, std::string_view token, std::string_view owner_repo,
                               std::string_view sha, std::string_view state, std::string_view context,
                               std::string_view description, std::string_view target_url, Duration budget) {
  static constexpr std::string_view kStates[] = {"success", "failure", "error", "pending", "warning"};
  if (std::find(std::begin(kStates), std::end(kStates), state) == std::end(kStates)) {
    return fail(Exit::usage, "gitea commit status: unknown state '" + std::string(state) +
                                 "' (one of success, failure, error, pending, warning)");
  }
  const size_t slash = owner_repo.find('/');
  if (slash == 0 || slash == std::string_view::npos || slash + 1 == owner_repo.size() ||
      owner_repo.find('/', slash + 1) != std::string_view::npos) {
    return fail(Exit::usage, "gitea commit status: repository '" + std::string(owner_repo) +
                                 "' is not owner/name (set project.name)");
  }
  if (sha.size() < 4 || sha.size() > 64 || !is_hex(sha)) {
    return fail(Exit::usage, "gitea commit status: '" + std::string(sha) + "' is not a commit id");
  }
  if (api_url.empty()) {
    return fail(Exit::usage, "gitea commit status: no API URL (set gitea.api_url, or run inside Gitea Actions)");
  }
  if (token.empty()) return fail(Exit::usage, "gitea commit status: GITEA_TOKEN is not set (export it)");

  while (!api_url.empty() && api_url.back() == '/') api_url.remove_suffix(1);
  http::Request req;
  req.method = "POST";
  req.url = std::string(api_url) + "/repos/" + http::url_escape(owner_repo.substr(0, slash)) + "/" +
            http::url_escape(owner_repo.substr(slash + 1)) + "/statuses/" + std::string(sha);
  req.headers = {{"Authorization", "token " + std::string(token)},
                 {"Content-Type", "application/json"},
                 {"Accept", "application/json"}};
  req.what = "gitea commit status";
  req.secrets = {std::string(token)};
  req.timeout = std::min(Duration(10'000), budget);

  JsonWriter body;
  body.object().field("state", state).field("context", context);
  body.field("description", cut_chars(description, kCommitStatusMaxDescription));
  if (!target_url.empty()) body.field("target_url", target_url);
  req.body = body.end().text();

  http::RetryPolicy policy;
  policy.budget = budget;
  ORCHKIT_TRY(resp, http::send(req, policy));
  if (resp.ok()) return {};

  std::string hint;
  if (resp.status == 401 || resp.status == 403) {
    hint = "check GITEA_TOKEN: it needs write access to the repository";
  } else if (resp.status == 404) {
    hint = "check the repository name, the API URL and that the commit was pushed";
  }
  http::Response shown = resp;
  if (auto doc = parse_json(resp.body, "gitea response")) {
    if (auto m = doc->get_string("message")) shown.body = *m;
  }
  return fail(http::status_error(req, shown, hint));
}

}  // namespace orchkit::notify

#include "merge-verify/forge.hpp"

#include "orchkit/notify/gitea.hpp"
#include "orchkit/util/log.hpp"

namespace merge_verify {

using namespace orchkit;

Result<forge::MergeVerdict> merge_pull_request(const Workspace& ws, int number, const std::string& head_sha) {
  notify::GiteaEndpoint end = notify::gitea_endpoint(ws.cfg.gitea.api_url, ws.repo_id);
  forge::MergeRequest req;
  req.api_url = end.api_url;
  req.token = end.token;
  req.owner_repo = end.owner_repo;
  req.number = number;
  req.head = head_sha;
  req.style = ws.cfg.gitea.merge_style;
  req.timeout = ws.cfg.gitea.merge_timeout;
  ORCHKIT_TRY(v, forge::merge_pull(req));
  if (v.exit == Exit::ok) log::info(v.message);
  return v;
}

}  // namespace merge_verify

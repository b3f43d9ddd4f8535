#include "coverage-gate/status.hpp"

#include "orchkit/notify/gitea.hpp"
#include "orchkit/util/log.hpp"

namespace coverage_gate {

using namespace orchkit;

namespace {
void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}
}  // namespace

std::string_view status_state(Status s) {
  switch (s) {
    case Status::fail: return "failure";
    case Status::error: return "error";
    case Status::pass:
    case Status::warn:
    case Status::skipped: break;
  }
  return "success";
}

std::string status_url(std::string_view pattern, std::string_view commit, std::string_view task) {
  std::string out(pattern);
  replace_all(out, "{commit}", commit);
  replace_all(out, "{task}", task);
  return out;
}

CheckStatus::CheckStatus(const Context& ctx, std::string sha, std::string task) : sha_(std::move(sha)) {
  notify::GiteaEndpoint end = notify::gitea_endpoint(ctx.cfg.gitea.api_url, ctx.repo_id);
  if (end.api_url.empty()) return;
  if (end.token.empty()) {
    log::warning("gitea: GITEA_TOKEN is not set: no commit status sent");
    return;
  }
  api_ = end.api_url;
  token_ = end.token;
  owner_repo_ = end.owner_repo;
  context_ = ctx.cfg.gitea.commit_status_context;
  url_ = status_url(ctx.cfg.gitea.status_url, sha_, task);
  active_ = true;
  post("pending", "coverage-gate is measuring " + sha_.substr(0, 12));
}

CheckStatus::~CheckStatus() {
  try {
    if (active_ && !done_) finish_error("coverage-gate stopped before a verdict (internal error)");
  } catch (...) {  // a destructor never throws
  }
}

void CheckStatus::finish(Status s, std::string_view sentence) {
  std::string description = std::string(status_name(s)) + ": " + std::string(sentence);
  post(status_state(s), description);
  done_ = true;
}

void CheckStatus::finish_error(std::string_view why) {
  post("error", "ERROR: " + std::string(why));
  done_ = true;
}

void CheckStatus::post(std::string_view state, std::string_view description) {
  if (!active_) return;
  // pending is a courtesy: a short budget, so a slow forge costs the final state little time
  Duration budget = state == "pending" ? Duration(5'000) : Duration(15'000);
  auto sent = notify::set_commit_status(api_, token_, owner_repo_, sha_, state, context_, description, url_, budget);
  if (!sent) log::warning("gitea: " + sent.error().message + " (the verdict stands)");
}

}  // namespace coverage_gate

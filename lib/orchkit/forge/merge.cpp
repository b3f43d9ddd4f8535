#include "orchkit/forge/merge.hpp"

#include "orchkit/forge/repo_api.hpp"
#include "orchkit/http.hpp"
#include "orchkit/json.hpp"
#include "orchkit/json_writer.hpp"

namespace orchkit::forge {

namespace {

std::string pr(const MergeFacts& f) { return "pull request " + std::to_string(f.number); }

std::string shown(const std::string& message) { return message.empty() ? "no message" : message; }

MergeVerdict merged(std::string message) { return {MergeOutcome::merged, Exit::ok, std::move(message)}; }
MergeVerdict refused(std::string message) { return {MergeOutcome::not_merged, Exit::no, std::move(message)}; }
MergeVerdict failed(std::string message) { return {MergeOutcome::not_merged, Exit::error, std::move(message)}; }
MergeVerdict unknown(std::string message) { return {MergeOutcome::unknown, Exit::error, std::move(message)}; }

// 405 with the check's answer: already merged, or refused for a reason Gitea names.
MergeVerdict after_405(const MergeFacts& f) {
  if (f.check_status == 204) return merged(pr(f) + " was already merged (Gitea answered 405 and says it is merged)");
  if (f.check_status != 404)
    return unknown(pr(f) + ": Gitea refused the merge (405: " + shown(f.post_message) +
                   ") and whether it was merged before cannot be told (" + shown(f.check_message) +
                   "): outcome unknown (look at the pull request before running again)");
  if (f.post_message.find("merge style") != std::string::npos)
    return refused(pr(f) + ": the merge style '" + f.style + "' is not allowed for this repository (" + f.post_message +
                   "); set [gitea] merge_style to a style the repository allows; not merged");
  return refused(pr(f) + ": not mergeable (405: " + shown(f.post_message) + "); not merged");
}

// No answer or a 5xx, with the check's answer.
MergeVerdict after_lost(const MergeFacts& f) {
  std::string what = f.post_status
                         ? "Gitea answered HTTP " + std::to_string(*f.post_status) + " (" + shown(f.post_message) + ")"
                         : "the merge request got no answer (" + shown(f.post_message) + ")";
  if (f.check_status == 204) return merged(pr(f) + " is merged: " + what + ", and Gitea says it is merged");
  if (f.check_status == 404)
    return failed(pr(f) + ": " + what + ", and Gitea says it is not merged: not merged (run again)");
  return unknown(pr(f) + ": " + what + ", and asking whether it merged failed too (" + shown(f.check_message) +
                 "): outcome unknown (look at the pull request before running again)");
}

}  // namespace

bool needs_check(const MergeFacts& f) { return !f.post_status || *f.post_status >= 500 || *f.post_status == 405; }

std::string_view merge_outcome_name(MergeOutcome o) {
  switch (o) {
    case MergeOutcome::merged: return "merged";
    case MergeOutcome::not_merged: return "not_merged";
    case MergeOutcome::unknown: break;
  }
  return "unknown";
}

MergeVerdict decide_merge(const MergeFacts& f) {
  if (!f.post_status || *f.post_status >= 500) return after_lost(f);
  long s = *f.post_status;
  if (s >= 200 && s < 300) return merged(pr(f) + " merged (" + f.style + ") at head " + f.head.substr(0, 12));
  if (s == 405) return after_405(f);
  if (s == 409 && f.post_message == "head out of date")
    return refused(pr(f) + ": the forge refused: the head moved since " + f.head.substr(0, 12) +
                   " was gated (head out of date); gate the new head; not merged");
  if (s == 409) return refused(pr(f) + ": Gitea refused the merge (409: " + shown(f.post_message) + "); not merged");
  if (s == 423)
    return failed(pr(f) + ": the repository is locked, archived or being migrated (423: " + shown(f.post_message) +
                  "); not merged");
  std::string hint;
  if (s == 401 || s == 403) hint = " (check GITEA_TOKEN: it needs write access to the repository)";
  if (s == 404) hint = " (check the pull request number, the repository and the API URL)";
  return failed(pr(f) + ": Gitea answered HTTP " + std::to_string(s) + " (" + shown(f.post_message) + ")" + hint +
                "; not merged");
}

std::string gitea_message(std::string_view body) {
  auto doc = parse_json(body, "gitea response");
  if (doc) {
    if (auto m = doc->get_string("message"); m && !m->empty()) return *m;
    if (auto err = doc->get_string("StdErr"); err && !err->empty()) {
      std::string line = err->substr(0, err->find('\n'));
      return "merge conflict: " + line;
    }
    if (doc->is_object() && doc->has("StdOut")) return "merge conflict";
  }
  std::string s(body.substr(0, 200));
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

Result<MergeVerdict> merge_pull(const MergeRequest& r) {
  ORCHKIT_TRY(repo, repo_api(r.api_url, r.token, r.owner_repo, "--merge-pr"));
  MergeFacts f;
  f.number = r.number;
  f.head = r.head;
  f.style = r.style;
  http::Request req = repo.request("POST", "/pulls/" + std::to_string(r.number) + "/merge");
  req.body = JsonWriter().object().field("Do", r.style).field("head_commit_id", r.head).end().text();
  req.what = "merge pull request " + std::to_string(r.number);
  req.timeout = r.timeout;
  http::RetryPolicy once;
  once.max_attempts = 1;  // never sent twice: a lost answer may have merged
  once.budget = r.timeout + Duration(1'000);
  auto resp = http::send(req, once);
  if (resp) {
    f.post_status = resp->status;
    f.post_message = gitea_message(resp->body);
  } else {
    f.post_message = resp.error().message;
  }
  if (needs_check(f)) {
    http::Request check = repo.request("GET", "/pulls/" + std::to_string(r.number) + "/merge");
    check.what = "is pull request " + std::to_string(r.number) + " merged";
    http::RetryPolicy retry;  // a GET may be retried
    retry.budget = Duration(30'000);
    auto got = http::send(check, retry);
    if (got && (got->status == 204 || got->status == 404)) f.check_status = got->status;
    else if (got) f.check_message = "HTTP " + std::to_string(got->status) + ": " + gitea_message(got->body);
    else f.check_message = got.error().message;
  }
  return decide_merge(f);
}

}  // namespace orchkit::forge

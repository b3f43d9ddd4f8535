#include "orchkit/forge/comment.hpp"

#include "orchkit/http.hpp"
#include "orchkit/json.hpp"
#include "orchkit/json_writer.hpp"

namespace orchkit::forge {

namespace {

std::string message_of(const http::Response& r) {
  std::string m;
  if (auto doc = parse_json(r.body, "gitea response")) m = doc->get_string("message").value_or("");
  return "HTTP " + std::to_string(r.status) + (m.empty() ? "" : ": " + m);
}

// One call; `once`: a request that must not be repeated blindly (the create).
Result<http::Response> call(const RepoApi& api, const char* method, const std::string& path, std::string body,
                            const std::string& what, bool once = false) {
  http::Request req = api.request(method, path);
  req.what = what;
  req.body = std::move(body);
  http::RetryPolicy policy;
  policy.budget = Duration(20'000);
  if (once) policy.max_attempts = 1;
  return http::send(req, policy);
}

Result<Json> answer(const Result<http::Response>& r, long want, const std::string& what) {
  if (!r) return fail(r.error());
  if (r->status != want) return fail(Exit::error, what + ": " + message_of(*r));
  return parse_json(r->body, what);
}

}  // namespace

std::vector<Comment> parse_comments(const Json& doc) {
  std::vector<Comment> out;
  for (const Json& c : doc.items()) {
    auto id = c.get_int("id");
    if (!id || *id <= 0) continue;
    out.push_back({*id, c.get_string("user.login").value_or(""), c.get_string("body").value_or(""),
                   c.get_string("html_url").value_or("")});
  }
  return out;
}

std::optional<Comment> find_marked(const std::vector<Comment>& comments, std::string_view login,
                                   std::string_view marker) {
  std::optional<Comment> best;
  for (const auto& c : comments) {
    if (login.empty() || c.user != login || c.body.find(marker) == std::string::npos) continue;
    if (!best || c.id < best->id) best = c;
  }
  return best;
}

std::string_view comment_action_name(CommentAction a) {
  switch (a) {
    case CommentAction::created: return "created";
    case CommentAction::edited: return "edited";
    case CommentAction::unchanged: break;
  }
  return "unchanged";
}

Result<CommentOutcome> upsert_comment(const RepoApi& api, int64_t pr, std::string_view marker,
                                      const std::string& body) {
  const std::string n = std::to_string(pr);
  // Whose comments are ours: the token's user (GET /user is on the API root, not the repo's).
  RepoApi root = api;
  root.base = api.base.substr(0, api.base.rfind("/repos/"));
  ORCHKIT_TRY(me, answer(call(root, "GET", "/user", {}, "gitea: GET user"), 200, "gitea: GET user"));
  const std::string login = me.get_string("login").value_or("");
  if (login.empty()) return fail(Exit::error, "gitea: GET user: the answer has no login");

  const std::string list_what = "gitea: GET pull request #" + n + " comments";
  ORCHKIT_TRY(list, answer(call(api, "GET", "/issues/" + n + "/comments", {}, list_what), 200, list_what));
  const std::string payload = JsonWriter().object().field("body", body).end().text();
  if (auto mine = find_marked(parse_comments(list), login, marker)) {
    if (mine->body == body) return CommentOutcome{CommentAction::unchanged, mine->id, mine->url};
    const std::string what = "gitea: PATCH comment " + std::to_string(mine->id);
    ORCHKIT_TRY(edited,
                answer(call(api, "PATCH", "/issues/comments/" + std::to_string(mine->id), payload, what), 200, what));
    return CommentOutcome{CommentAction::edited, mine->id, edited.get_string("html_url").value_or(mine->url)};
  }
  const std::string what = "gitea: POST pull request #" + n + " comment";
  ORCHKIT_TRY(made, answer(call(api, "POST", "/issues/" + n + "/comments", payload, what, true), 201, what));
  return CommentOutcome{CommentAction::created, made.get_int("id").value_or(0),
                        made.get_string("html_url").value_or("")};
}

}  // namespace orchkit::forge

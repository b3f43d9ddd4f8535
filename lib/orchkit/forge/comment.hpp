// One pull-request comment kept up to date (Gitea API v1): found again by a hidden marker among
// the comments of the token's own user, edited in place on every run, created only when there
// is none — never a new comment per push. find_marked() is the pure choice; upsert_comment()
// does the I/O (GET /user, GET .../issues/{n}/comments, then PATCH .../issues/comments/{id} or
// POST .../issues/{n}/comments).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/forge/repo_api.hpp"
#include "orchkit/json.hpp"
#include "orchkit/result.hpp"

namespace orchkit::forge {

// Gitea documents no comment size limit; GitHub's is 65,536 characters. Bodies stay under this,
// which every forge accepts.
inline constexpr size_t kCommentMaxChars = 60'000;

struct Comment {
  int64_t id = 0;
  std::string user = {};  // the author's login
  std::string body = {};
  std::string url = {};  // html_url
};

// The comments of a GET .../issues/{n}/comments answer (entries without an id are skipped).
std::vector<Comment> parse_comments(const Json& doc);

// The oldest comment by `login` whose body carries `marker`, if any. A comment by anyone else
// is never chosen, whatever it carries: the marker in somebody's comment is not ours to edit.
std::optional<Comment> find_marked(const std::vector<Comment>& comments, std::string_view login,
                                   std::string_view marker);

enum class CommentAction { created, edited, unchanged };
std::string_view comment_action_name(CommentAction a);

struct CommentOutcome {
  CommentAction action = CommentAction::created;
  int64_t id = 0;
  std::string url = {};
};

// Edits the marked comment of pull request `pr` to `body` (which must contain `marker`), or
// creates it. The create is sent once (a lost answer may have created it: the next run finds
// and edits it). Exit::error naming the call that failed.
Result<CommentOutcome> upsert_comment(const RepoApi& api, int64_t pr, std::string_view marker, const std::string& body);

}  // namespace orchkit::forge

// The commit status of one `coverage-gate check` (a required check people rely on): `pending`
// on the measured commit when the check starts, and always a final state — success, failure or
// error — whatever path the run takes (a verdict, an orchkit error, an interrupt, a stray
// exception), so a required check never hangs. Never-raise: a status that cannot be set is a
// warning and changes nothing.
#pragma once

#include <string>
#include <string_view>

#include "coverage-gate/context.hpp"
#include "coverage-gate/verdict.hpp"

namespace coverage_gate {

// The final state of a verdict: PASS, and WARN / SKIPPED (fail-open: they let the merge go)
// are success; FAIL is failure; ERROR (fail-closed) is error.
std::string_view status_state(Status s);
// "{commit}" and "{task}" replaced in [gitea] status_url; "" stays "".
std::string status_url(std::string_view pattern, std::string_view commit, std::string_view task);

class CheckStatus {
 public:
  // Posts `pending` when Gitea is configured (api_url and GITEA_TOKEN); otherwise does nothing.
  CheckStatus(const Context& ctx, std::string sha, std::string task);
  CheckStatus(const CheckStatus&) = delete;
  CheckStatus& operator=(const CheckStatus&) = delete;
  // A stray exception or an early return that skipped finish(): `error`.
  ~CheckStatus();

  // The verdict's final state, with the one-line verdict as the description.
  void finish(Status s, std::string_view sentence);
  // No verdict (an orchkit error, an interrupt): `error`, saying why.
  void finish_error(std::string_view why);

 private:
  void post(std::string_view state, std::string_view description);

  std::string api_ = {}, token_ = {}, owner_repo_ = {}, context_ = {}, url_ = {};
  std::string sha_ = {};
  bool active_ = false;
  bool done_ = false;
};

}  // namespace coverage_gate

// The git store's core: opening, fetching and checking the chain, the compare-and-set loop.
// The operations are in state_git_ops.cpp, the layout in state_git_records.cpp.
#include "orchkit/state/git.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "orchkit/util/file.hpp"

namespace orchkit::state {
namespace {

constexpr auto kBudget = std::chrono::seconds(60);  // a whole update, retries included
constexpr int kMaxAttempts = 400;
constexpr auto kFreshFor = std::chrono::milliseconds(200);  // reads within this share one fetch

}  // namespace

Result<std::unique_ptr<GitStore>> open_git_store(const GitStoreOptions& o) {
  ORCHKIT_TRY(repo, git::Repo::discover(o.workdir));
  if (!repo.has_remote(o.remote))
    return fail(Exit::usage, "state.remote: the repository has no remote '" + o.remote + "'");
  auto s = std::make_unique<GitStore>(std::move(repo), o);
  ORCHKIT_CHECK(s->refresh());
  return s;
}

std::string GitStore::seen_path() const {
  return repo_.common_dir() + "/orchkit/state-seen/" + git_layout::encode(o_.remote) + "/" +
         git_layout::encode(o_.branch);
}

std::string GitStore::read_seen() const {
  std::string seen;
  std::ifstream in(seen_path());
  std::getline(in, seen);
  return seen;
}

void GitStore::note_seen(const std::string& tip) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(seen_path()).parent_path(), ec);
  (void)write_file_atomic(seen_path(), tip + "\n");  // best effort: the next read checks again
}

Result<void> GitStore::refresh() {
  auto tip = repo_.fetch_tip(o_.remote, o_.branch);
  if (!tip)
    return fail(Exit::error,
                describe() + ": cannot be read (" + tip.error().message + "); the baseline cannot be read");
  fetched_at_ = std::chrono::steady_clock::now();
  const std::string seen = read_seen();
  if (!*tip) {
    if (!seen.empty())
      return fail(Exit::error, describe() + " was deleted (this clone saw it at " + seen.substr(0, 12) +
                                   "): refusing a state that lost its history (docs/state.md, \"the guard\")");
    tip_.reset();
    return {};
  }
  if (**tip != seen) ORCHKIT_CHECK(verify_chain(**tip, seen));
  tip_ = **tip;
  return {};
}

Result<void> GitStore::verify_chain(const std::string& tip, std::string seen) {
  if (!seen.empty() && !repo_.has_object(seen)) seen.clear();  // a clone that lost its objects re-checks all
  ORCHKIT_TRY(chain, repo_.chain_until(tip, seen));
  for (const auto& c : chain)
    if (c.parents.size() > 1)
      return fail(Exit::error, describe() + ": commit " + c.sha.substr(0, 12) +
                                   " has several parents; the state's history must be a single chain");
  if (!seen.empty() && (chain.empty() || chain.back().parents.empty()) && tip != seen)
    return fail(Exit::error, describe() + " was rewritten: " + tip.substr(0, 12) + " does not descend from " +
                                 seen.substr(0, 12) + ", which this clone saw (a force push?); refusing it");
  note_seen(tip);
  return {};
}

Result<std::optional<std::string>> GitStore::View::get(const std::string& path) const {
  if (!tip) return std::optional<std::string>{};
  return repo->read_committed(*tip, path);
}

Result<std::map<std::string, std::string>> GitStore::View::dir(const std::string& path) const {
  if (!tip) return std::map<std::string, std::string>{};
  return repo->read_dir(*tip, path);
}

Result<GitStore::View> GitStore::fresh_view() {
  if (std::chrono::steady_clock::now() - fetched_at_ > kFreshFor) ORCHKIT_CHECK(refresh());
  return View{&repo_, tip_};
}

Result<void> GitStore::update(const std::function<Result<std::optional<GitPlan>>(const View&)>& op) {
  const auto start = std::chrono::steady_clock::now();
  std::mt19937_64 rng(std::random_device{}() ^ static_cast<uint64_t>(::getpid()));
  for (int attempt = 0;; ++attempt) {
    if (attempt > 0 || std::chrono::steady_clock::now() - fetched_at_ > kFreshFor) ORCHKIT_CHECK(refresh());
    View v{&repo_, tip_};
    ORCHKIT_TRY(plan, op(v));
    if (!plan) return {};
    if (o_.read_only) return fail(Exit::error, describe() + ": opened read-only; not written");
    std::string message = plan->message;
    if (plan->history) message += "\n\n" + git_layout::history_line(*plan->history) + "\n";
    if (!tip_ && !plan->replace) plan->changes.push_back({"format", std::string("orchkit-state 1\n")});
    const std::string author = plan->history ? plan->history->actor : current_actor();
    ORCHKIT_TRY(sha, repo_.commit_changes(tip_.value_or(""), plan->changes, message, author, plan->replace));
    for (const auto& h : plan->then) {
      std::string m = h.event + " " + h.branch + " (imported event " + std::to_string(h.id) + ")\n\n" +
                      git_layout::history_line(h) + "\n";
      ORCHKIT_TRY(next, repo_.commit_changes(sha, {}, m, h.actor.empty() ? author : h.actor));
      sha = std::move(next);
    }
    ORCHKIT_TRY(pushed, repo_.push_commit(o_.remote, sha, o_.branch, tip_.value_or("")));
    if (pushed.status == git::PushStatus::ok) {
      tip_ = sha;
      fetched_at_ = std::chrono::steady_clock::now();
      note_seen(sha);
      return {};
    }
    if (pushed.status == git::PushStatus::denied)
      return fail(Exit::error, "no permission to push " + o_.remote + "/" + o_.branch + ": " + pushed.message);
    if (pushed.status == git::PushStatus::refused)
      return fail(Exit::error, "the server refused the push to " + o_.remote + "/" + o_.branch + ": " + pushed.message);
    const auto spent = std::chrono::steady_clock::now() - start;
    if (attempt + 1 >= kMaxAttempts || spent > kBudget)
      return fail(Exit::error, describe() + ": gave up after " + std::to_string(attempt + 1) + " attempts in " +
                                   std::to_string(std::chrono::duration_cast<std::chrono::seconds>(spent).count()) +
                                   " s: the branch kept moving (every other update landed; run it again)");
    // Full jitter on an exponential step: racers spread out instead of colliding in step.
    const int64_t cap = std::min<int64_t>(1000, 8LL << std::min(attempt, 7));
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(1, cap)(rng)));
  }
}

Result<int64_t> GitStore::schema_version() {
  ORCHKIT_TRY(v, fresh_view());
  ORCHKIT_TRY(format, v.get("format"));
  return format ? int64_t{1} : int64_t{0};
}

}  // namespace orchkit::state

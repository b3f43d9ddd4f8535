// The git store (docs/state.md): the state as a tree of small files on a branch of the
// repository's own git server, one commit per change, every update a compare-and-set push
// (fetch, compute from the operation, commit on top, push without force; when the remote moved,
// fetch and recompute). Private to state_git*.cpp and state_open.cpp.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "orchkit/git/repo.hpp"
#include "orchkit/state/state.hpp"

namespace orchkit::state {

struct GitStoreOptions {
  std::string workdir = {};  // a worktree of the repository whose remote holds the branch
  std::string remote = {};
  std::string branch = {};
  bool read_only = false;
};

// What one change writes: the files, the commit message, and the event for `baseline history`.
struct GitPlan {
  std::vector<git::TreeChange> changes = {};
  std::string message = {};
  std::optional<HistoryRow> history = {};
  std::vector<HistoryRow> then = {};  // events committed after it, one empty commit each (import)
  bool replace = false;               // the tree is `changes` alone, not the tip's with them
};

class GitStore final : public Store {
 public:
  GitStore(git::Repo repo, GitStoreOptions o) : repo_(std::move(repo)), o_(std::move(o)) {}
  // Fetches the branch and checks its history (a single parent chain that descends from what
  // this clone saw before); exit 3 when the remote cannot be read or the chain is not one.
  Result<void> refresh();
  bool exists() const { return tip_.has_value(); }

  std::string describe() const override { return "state branch " + o_.remote + "/" + o_.branch; }
  Result<int64_t> schema_version() override;
  Result<std::optional<Baseline>> baseline(const std::string& repo, const std::string& branch) override;
  Result<std::vector<HistoryRow>> history(const std::string& repo, const std::string& branch) override;
  Result<std::vector<BaselineRow>> baselines() override;
  Result<RatchetOutcome> override_baseline(const std::string& repo, const std::string& branch, uint64_t covered,
                                           uint64_t total, const std::string& actor,
                                           const std::string& reason) override;
  Result<RatchetOutcome> ratchet(const std::string& repo, const std::string& branch, uint64_t covered, uint64_t total,
                                 const std::string& commit, const std::string& task, const std::string& actor) override;
  Result<RatchetOutcome> keep(const std::string& repo, const std::string& branch, const std::string& commit,
                              const std::string& task, const std::string& actor, const std::string& reason) override;
  Result<void> store_lines(const std::string& repo, const std::string& branch, const BaselineLines& lines) override;
  Result<std::optional<BaselineLines>> lines(const std::string& repo, const std::string& branch) override;
  Result<bool> tombstoned(TombstoneKind kind, const std::string& key, int64_t generation) override;
  Result<std::vector<Tombstone>> tombstones() override;
  Result<void> add_tombstone(TombstoneKind kind, const std::string& key, int64_t generation,
                             const std::string& original, const std::string& reason) override;
  Result<std::optional<Lease>> try_acquire(const std::string& name, const std::string& holder, const std::string& task,
                                           int64_t ttl_ms) override;
  Result<void> release(const std::string& name, const std::string& holder) override;
  Result<bool> take_over(const std::string& name, const std::string& dead_holder, const std::string& holder,
                         const std::string& task, int64_t ttl_ms) override;
  Result<std::vector<Lease>> leases() override;
  Result<void> defer_stop(const std::string& task, int64_t generation, const std::string& window,
                          const std::string& reason) override;
  Result<std::vector<StopRequest>> stop_requests(const std::string& task) override;
  Result<void> set_stop_status(const std::string& task, int64_t generation, StopStatus status,
                               const std::string& steps) override;
  Result<void> put_gate(const std::string& task, const std::string& text, const std::string& lines) override;
  Result<std::optional<GateRecord>> gate(const std::string& task) override;
  Result<std::vector<GateRecord>> gates() override;
  Result<std::optional<StartRecord>> start_record(const std::string& task, int64_t generation) override;
  Result<bool> swap_start(const std::optional<StartRecord>& expected, const StartRecord& next) override;
  Result<std::vector<StartRecord>> starts() override;
  Result<Snapshot> snapshot() override;
  Result<void> load(const Snapshot& s) override;

  // A read of one file at a tip (nullopt: absent; the whole tip absent reads as empty).
  struct View {
    git::Repo* repo;
    std::optional<std::string> tip;
    Result<std::optional<std::string>> get(const std::string& path) const;
    Result<std::map<std::string, std::string>> dir(const std::string& path) const;
  };
  // The compare-and-set loop: `op` computes the change from a fresh view (nullopt: nothing to
  // write); retried on a moved remote with jittered backoff within a time budget.
  Result<void> update(const std::function<Result<std::optional<GitPlan>>(const View&)>& op);

 private:
  Result<std::vector<HistoryRow>> all_history();
  Result<View> fresh_view();  // the tip as of at most a moment ago
  Result<void> verify_chain(const std::string& tip, std::string seen);
  std::string seen_path() const;
  std::string read_seen() const;  // "" when this clone never read the branch
  void note_seen(const std::string& tip);

  git::Repo repo_;
  GitStoreOptions o_;
  std::optional<std::string> tip_ = {};
  std::chrono::steady_clock::time_point fetched_at_ = {};
  // The history as of history_tip_: one walk of the chain serves every (repo, branch) asked for.
  std::string history_tip_ = {};
  std::vector<HistoryRow> history_ = {};
};

Result<std::unique_ptr<GitStore>> open_git_store(const GitStoreOptions& o);

// The tree's names for records (state_git_records.cpp): keys percent-encoded so that no key
// can name another folder ("..", "/"). Each file is a record of state_json.hpp and a newline.
namespace git_layout {
std::string encode(const std::string& key);
std::string decode(const std::string& name);
std::string baseline_path(const std::string& repo, const std::string& branch);
std::string lines_path(const std::string& repo, const std::string& branch, const char* ext);
std::string tombstone_path(const std::string& kind, const std::string& key, int64_t generation);
std::string lease_path(const std::string& name);
std::string stop_path(const std::string& task, int64_t generation);
std::string gate_path(const std::string& task, const char* ext);
std::string start_path(const std::string& task, int64_t generation);

std::string baseline_file(const Baseline& b);
Result<Baseline> parse_baseline(const std::string& text, const std::string& where);
std::string lines_file(const BaselineLines& l);
Result<BaselineLines> parse_lines(const std::string& text, const std::string& where);
std::string tombstone_file(const Tombstone& t);
Result<Tombstone> parse_tombstone(const std::string& text, const std::string& where);
std::string lease_file(const Lease& l);
Result<Lease> parse_lease(const std::string& text, const std::string& where);
std::string stop_file(const StopRequest& r);
Result<StopRequest> parse_stop(const std::string& text, const std::string& where);
std::string start_file(const StartRecord& r);
Result<StartRecord> parse_start(const std::string& text, const std::string& where);
// A history event as the one line of its commit message's body ("Orchkit-History: {...}").
std::string history_line(const HistoryRow& h);
std::optional<HistoryRow> parse_history_line(const std::string& message);
}  // namespace git_layout

}  // namespace orchkit::state

// The SQLite store (SPEC §4): one file shared by every worktree of one host, each operation
// inside BEGIN IMMEDIATE. Private to state_sqlite*.cpp and state_open.cpp. Schema changes are
// additive only.
#pragma once

#include "orchkit/state/db.hpp"
#include "orchkit/state/state.hpp"

namespace orchkit::state {

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(db::Connection c, std::string path) : db_(std::move(c)), path_(std::move(path)) {}
  Result<void> migrate();

  std::string describe() const override { return "state file " + path_; }
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

 private:
  Result<bool> has_table(const char* name);
  Result<void> put_gate_lines(const std::string& task, const std::string& lines);  // in the caller's transaction
  Result<std::vector<GateRecord>> select_gates(const std::string& where, std::vector<db::Value> args);
  Result<void> insert_start(const StartRecord& r);
  db::Connection db_;
  std::string path_;
};

// The start records' table (state_sqlite_starts.cpp), created on the first write.
extern const char* const kStartsSchema;
// The history columns in HistoryRow order, and the rows they read (state_sqlite.cpp).
extern const char* const kHistoryColumns;
std::vector<HistoryRow> history_rows(const std::vector<db::Row>& rows);
// The covered or total count of a baseline as a column value; NULL when there is none.
db::Value opt_int(const std::optional<Baseline>& b, bool covered);

}  // namespace orchkit::state

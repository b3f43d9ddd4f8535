// The SQLite store's start records (plane-status reconcile's once-per-generation starts): a
// table created on the first write, so an older file stays readable; every swap is a
// compare-and-set inside BEGIN IMMEDIATE.
#include "orchkit/state/sqlite.hpp"

namespace orchkit::state {
namespace {

constexpr const char* kStartColumns =
    "SELECT task, generation, status, attempts, exit_code, holder, until_ms, detail, started_at, updated_at "
    "FROM start_records";

StartRecord start_of(const db::Row& r) {
  StartRecord s;
  s.task = db::as_text(r[0]).value_or("");
  s.generation = db::as_int(r[1]).value_or(0);
  s.status = db::as_text(r[2]).value_or("");
  s.attempts = db::as_int(r[3]).value_or(0);
  s.exit_code = db::as_int(r[4]).value_or(0);
  s.holder = db::as_text(r[5]).value_or("");
  s.until_ms = db::as_int(r[6]).value_or(0);
  s.detail = db::as_text(r[7]).value_or("");
  s.started_at = db::as_text(r[8]).value_or("");
  s.updated_at = db::as_text(r[9]).value_or("");
  return s;
}

}  // namespace

const char* const kStartsSchema = R"SQL(
CREATE TABLE IF NOT EXISTS start_records(
  task TEXT NOT NULL, generation INTEGER NOT NULL,
  status TEXT NOT NULL CHECK(status IN ('running','started','failed')),
  attempts INTEGER NOT NULL, exit_code INTEGER NOT NULL, holder TEXT NOT NULL, until_ms INTEGER NOT NULL,
  detail TEXT NOT NULL, started_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY(task, generation));
)SQL";

Result<void> SqliteStore::insert_start(const StartRecord& r) {
  ORCHKIT_CHECK(
      db_.query("INSERT INTO start_records(task, generation, status, attempts, exit_code, holder, until_ms, detail, "
                "started_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                {r.task, r.generation, r.status, r.attempts, r.exit_code, r.holder, r.until_ms, r.detail, r.started_at,
                 r.updated_at}));
  return {};
}

Result<std::optional<StartRecord>> SqliteStore::start_record(const std::string& task, int64_t generation) {
  ORCHKIT_TRY(has, has_table("start_records"));
  if (!has) return std::optional<StartRecord>{};
  ORCHKIT_TRY(rows, db_.query(std::string(kStartColumns) + " WHERE task = ?1 AND generation = ?2", {task, generation}));
  if (rows.empty()) return std::optional<StartRecord>{};
  return std::optional<StartRecord>(start_of(rows.front()));
}

Result<bool> SqliteStore::swap_start(const std::optional<StartRecord>& expected, const StartRecord& next) {
  ORCHKIT_CHECK(db_.exec(kStartsSchema));
  ORCHKIT_TRY(tx, db_.begin_immediate());
  ORCHKIT_TRY(cur, start_record(next.task, next.generation));
  const bool same = expected ? (cur && cur->status == expected->status && cur->attempts == expected->attempts &&
                                cur->holder == expected->holder)
                             : !cur.has_value();
  if (!same) return false;  // the transaction rolls back: nothing written
  ORCHKIT_CHECK(
      db_.query("DELETE FROM start_records WHERE task = ?1 AND generation = ?2", {next.task, next.generation}));
  ORCHKIT_CHECK(insert_start(next));
  ORCHKIT_CHECK(tx.commit());
  return true;
}

Result<std::vector<StartRecord>> SqliteStore::starts() {
  std::vector<StartRecord> out;
  ORCHKIT_TRY(has, has_table("start_records"));
  if (!has) return out;
  ORCHKIT_TRY(rows, db_.query(std::string(kStartColumns) + " ORDER BY task, generation"));
  for (const auto& r : rows) out.push_back(start_of(r));
  return out;
}

}  // namespace orchkit::state

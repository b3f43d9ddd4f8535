// The SQLite store, continued: leases (critical windows) and stop requests, the two small
// tables that guard the baseline and the tombstones (SPEC §4).
#include "orchkit/state/sqlite.hpp"

namespace orchkit::state {

namespace {
Lease lease_of(const db::Row& r) {
  return Lease{db::as_text(r[0]).value_or(""), db::as_text(r[1]).value_or(""), db::as_text(r[2]).value_or(""),
               db::as_int(r[3]).value_or(0), db::as_text(r[4]).value_or("")};
}
constexpr const char* kLeaseColumns = "SELECT name, holder, task, expires_at, acquired_at FROM leases";
}  // namespace

Result<std::optional<Lease>> SqliteStore::try_acquire(const std::string& name, const std::string& holder,
                                                      const std::string& task, int64_t ttl_ms) {
  ORCHKIT_TRY(tx, db_.begin_immediate());
  int64_t now = now_ms();
  // Free, expired, or already ours: take it. Otherwise leave it alone.
  ORCHKIT_CHECK(
      db_.query("INSERT INTO leases(name, holder, task, expires_at, acquired_at) VALUES(?1, ?2, ?3, ?4, ?5) "
                "ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, task = excluded.task, "
                "expires_at = excluded.expires_at, acquired_at = excluded.acquired_at "
                "WHERE leases.expires_at < ?6 OR leases.holder = excluded.holder",
                {name, holder, task, now + ttl_ms, now_utc(), now}));
  bool taken = db_.changes() > 0;
  std::optional<Lease> other;
  if (!taken) {
    ORCHKIT_TRY(rows, db_.query(std::string(kLeaseColumns) + " WHERE name = ?1", {name}));
    if (!rows.empty()) other = lease_of(rows[0]);
  }
  ORCHKIT_CHECK(tx.commit());
  return other;
}

Result<bool> SqliteStore::take_over(const std::string& name, const std::string& dead_holder, const std::string& holder,
                                    const std::string& task, int64_t ttl_ms) {
  ORCHKIT_TRY(tx, db_.begin_immediate());
  ORCHKIT_CHECK(
      db_.query("UPDATE leases SET holder = ?1, task = ?2, expires_at = ?3, acquired_at = ?4 "
                "WHERE name = ?5 AND holder = ?6",
                {holder, task, now_ms() + ttl_ms, now_utc(), name, dead_holder}));
  bool taken = db_.changes() > 0;
  ORCHKIT_CHECK(tx.commit());
  return taken;
}

Result<void> SqliteStore::release(const std::string& name, const std::string& holder) {
  ORCHKIT_TRY(tx, db_.begin_immediate());
  ORCHKIT_CHECK(db_.query("DELETE FROM leases WHERE name = ?1 AND holder = ?2", {name, holder}));
  return tx.commit();
}

Result<std::vector<Lease>> SqliteStore::leases() {
  ORCHKIT_TRY(rows, db_.query(std::string(kLeaseColumns) + " ORDER BY name"));
  std::vector<Lease> out;
  for (const auto& r : rows) out.push_back(lease_of(r));
  return out;
}

Result<void> SqliteStore::defer_stop(const std::string& task, int64_t generation, const std::string& window,
                                     const std::string& reason) {
  ORCHKIT_TRY(tx, db_.begin_immediate());
  std::string now = now_utc();
  ORCHKIT_CHECK(
      db_.query("INSERT INTO stop_requests(task, generation, status, window, reason, steps, requested_at, updated_at) "
                "VALUES(?1, ?2, 'deferred', ?3, ?4, '', ?5, ?5) ON CONFLICT(task, generation) DO NOTHING",
                {task, generation, window, reason, now}));
  return tx.commit();
}

Result<std::vector<StopRequest>> SqliteStore::stop_requests(const std::string& task) {
  ORCHKIT_TRY(rows, db_.query("SELECT task, generation, status, window, reason, steps, requested_at, updated_at "
                              "FROM stop_requests WHERE ?1 = '' OR task = ?1 ORDER BY requested_at, task",
                              {task}));
  std::vector<StopRequest> out;
  for (const auto& r : rows)
    out.push_back(StopRequest{db::as_text(r[0]).value_or(""), db::as_int(r[1]).value_or(0),
                              db::as_text(r[2]).value_or(""), db::as_text(r[3]).value_or(""),
                              db::as_text(r[4]).value_or(""), db::as_text(r[5]).value_or(""),
                              db::as_text(r[6]).value_or(""), db::as_text(r[7]).value_or("")});
  return out;
}

Result<void> SqliteStore::set_stop_status(const std::string& task, int64_t generation, StopStatus status,
                                          const std::string& steps) {
  ORCHKIT_TRY(tx, db_.begin_immediate());
  std::string now = now_utc();
  ORCHKIT_CHECK(db_.query(
      "INSERT INTO stop_requests(task, generation, status, window, reason, steps, requested_at, updated_at) "
      "VALUES(?1, ?2, ?3, NULL, NULL, ?4, ?5, ?5) ON CONFLICT(task, generation) DO UPDATE SET status = excluded.status, "
      "steps = excluded.steps, updated_at = excluded.updated_at",
      {task, generation, std::string(stop_status_name(status)), steps, now}));
  return tx.commit();
}

}  // namespace orchkit::state

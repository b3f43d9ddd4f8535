#include "orchkit/state/db.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace orchkit::db {
namespace {
constexpr int kBusyTimeoutMs = 30'000;

struct StmtFree {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFree>;
}  // namespace

Unexpected Connection::error(std::string_view what) const {
  std::string msg = path_ + ": " + std::string(what) + ": " + (db_ ? sqlite3_errmsg(db_) : "cannot open");
  int code = db_ ? sqlite3_extended_errcode(db_) : 0;
  if (code == SQLITE_READONLY || (code & 0xff) == SQLITE_READONLY) msg += " (the state file is read-only)";
  else if ((code & 0xff) == SQLITE_FULL) msg += " (the disk is full)";
  else if ((code & 0xff) == SQLITE_BUSY) msg += " (another orchkit process holds the state file; retry)";
  else if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
    msg += " (the state file is damaged; restore it)";
  return fail(Exit::error, msg);
}

Result<Connection> Connection::open(const std::string& path, bool create) {
  Connection c;
  c.path_ = path;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &c.db_, flags, nullptr);  // c owns db_ even on failure
  if (rc != SQLITE_OK) return c.error("cannot open the state file");
  sqlite3_extended_result_codes(c.db_, 1);
  sqlite3_busy_timeout(c.db_, kBusyTimeoutMs);
  // WAL lets readers run beside the one writer; FULL sync makes every committed transaction
  // durable at its commit (a ratchet acknowledged is never lost to a power cut), and the WAL is
  // checksummed, so a crash leaves the old or the new state, never a torn one.
  // Switching to WAL takes the file exclusively for a moment, and SQLite can answer SQLITE_BUSY
  // at once (no busy handler) while another process opens it at the same instant: retry within
  // the busy timeout, like any other busy wait.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  for (int pause_ms = 5;; pause_ms = std::min(pause_ms * 2, 200)) {
    rc = sqlite3_exec(c.db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
  }
  if (rc != SQLITE_OK) return c.error("cannot run 'PRAGMA journal_mode=WAL'");
  ORCHKIT_CHECK(c.exec("PRAGMA synchronous=FULL"));
  return c;
}

Connection::Connection(Connection&& o) noexcept : db_(o.db_), path_(std::move(o.path_)) { o.db_ = nullptr; }
Connection& Connection::operator=(Connection&& o) noexcept {
  if (this != &o) {
    if (db_) sqlite3_close_v2(db_);
    db_ = o.db_;
    path_ = std::move(o.path_);
    o.db_ = nullptr;
  }
  return *this;
}
Connection::~Connection() {
  if (db_) sqlite3_close_v2(db_);
}

Result<void> Connection::exec(std::string_view sql) {
  std::string text(sql);  // sqlite3_exec runs every statement of a script
  char* msg = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &msg);
  sqlite3_free(msg);
  if (rc != SQLITE_OK) return error("cannot run '" + text.substr(0, 40) + "'");
  return {};
}

Result<std::vector<Row>> Connection::query(std::string_view sql, const std::vector<Value>& params) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  Stmt stmt(raw);
  if (rc != SQLITE_OK) return error("cannot prepare '" + std::string(sql.substr(0, 40)) + "'");
  for (size_t i = 0; i < params.size(); ++i) {
    int idx = static_cast<int>(i + 1);
    const Value& v = params[i];
    if (std::holds_alternative<std::monostate>(v)) rc = sqlite3_bind_null(raw, idx);
    else if (auto n = std::get_if<int64_t>(&v)) rc = sqlite3_bind_int64(raw, idx, *n);
    else {
      const auto& s = std::get<std::string>(v);
      rc = sqlite3_bind_text(raw, idx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    }
    if (rc != SQLITE_OK) return error("cannot bind a parameter");
  }
  std::vector<Row> rows;
  for (;;) {
    rc = sqlite3_step(raw);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return error("cannot run '" + std::string(sql.substr(0, 40)) + "'");
    int n = sqlite3_column_count(raw);
    Row row;
    row.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      switch (sqlite3_column_type(raw, i)) {
        case SQLITE_NULL: row.emplace_back(std::monostate{}); break;
        case SQLITE_INTEGER: row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(raw, i))); break;
        default: {
          const unsigned char* t = sqlite3_column_text(raw, i);
          row.emplace_back(std::string(t ? reinterpret_cast<const char*>(t) : "",
                                       static_cast<size_t>(sqlite3_column_bytes(raw, i))));
        }
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

int64_t Connection::changes() const { return sqlite3_changes64(db_); }

Result<Connection::Transaction> Connection::begin_immediate() {
  // busy_timeout covers BEGIN IMMEDIATE too; a few extra tries ride out WAL checkpoint races.
  for (int attempt = 0;; ++attempt) {
    auto r = exec("BEGIN IMMEDIATE");
    if (r) return Transaction(*this);
    if ((sqlite3_extended_errcode(db_) & 0xff) != SQLITE_BUSY || attempt >= 5) return fail(std::move(r).error());
    std::this_thread::sleep_for(std::chrono::milliseconds(10 * (attempt + 1)));
  }
}

Connection::Transaction::~Transaction() {
  if (c_) (void)c_->exec("ROLLBACK");
}

Result<void> Connection::Transaction::commit() {
  Connection* c = c_;
  c_ = nullptr;
  auto r = c->exec("COMMIT");
  if (!r) (void)c->exec("ROLLBACK");
  return r;
}

}  // namespace orchkit::db

// The SQLite store: the baseline, its history and the tombstones (leases and stop requests are in
// state_sqlite_leases.cpp, line data, gate records, snapshot and load in state_sqlite_extra.cpp).
#include "orchkit/state/sqlite.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

namespace orchkit::state {
namespace {

constexpr const char* kSchemaV1 = R"SQL(
CREATE TABLE IF NOT EXISTS coverage_baseline(
  repo TEXT NOT NULL, branch TEXT NOT NULL,
  line_covered INTEGER NOT NULL CHECK(line_covered >= 0),
  line_total INTEGER NOT NULL CHECK(line_total >= line_covered),
  commit_sha TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY(repo, branch));
CREATE TABLE IF NOT EXISTS coverage_history(
  id INTEGER PRIMARY KEY AUTOINCREMENT, repo TEXT NOT NULL, branch TEXT NOT NULL, event TEXT NOT NULL,
  old_covered INTEGER, old_total INTEGER, new_covered INTEGER, new_total INTEGER,
  commit_sha TEXT, task TEXT, actor TEXT, reason TEXT, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tombstones(
  kind TEXT NOT NULL CHECK(kind IN ('task','branch','plane_issue')), natural_key TEXT NOT NULL,
  generation INTEGER NOT NULL, original TEXT, reason TEXT, at TEXT NOT NULL,
  PRIMARY KEY(kind, natural_key, generation));
CREATE TABLE IF NOT EXISTS stop_requests(
  task TEXT NOT NULL, generation INTEGER NOT NULL, status TEXT NOT NULL, window TEXT, reason TEXT,
  steps TEXT NOT NULL DEFAULT '', requested_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY(task, generation));
CREATE TABLE IF NOT EXISTS leases(
  name TEXT PRIMARY KEY, holder TEXT NOT NULL, task TEXT, expires_at INTEGER NOT NULL, acquired_at TEXT NOT NULL);
)SQL";

std::optional<Baseline> baseline_of(const db::Row& r, size_t i) {
  auto c = db::as_int(r[i]);
  auto t = db::as_int(r[i + 1]);
  if (!c || !t) return std::nullopt;
  return Baseline{static_cast<uint64_t>(*c), static_cast<uint64_t>(*t), {}, {}};
}

}  // namespace

db::Value opt_int(const std::optional<Baseline>& b, bool covered) {
  if (!b) return std::monostate{};
  return static_cast<int64_t>(covered ? b->covered : b->total);
}

const char* const kHistoryColumns =
    "SELECT id, event, old_covered, old_total, new_covered, new_total, commit_sha, task, actor, reason, at, repo, "
    "branch FROM coverage_history";

Result<State> State::open_read_only(const std::string& path) {
  // A URI filename with mode=ro (Debian's SQLite is built with SQLITE_USE_URI): the file is
  // opened O_RDONLY, so not even a checkpoint can change it.
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      uri += buf;
    } else {
      uri += c;
    }
  }
  auto conn = db::Connection::open(uri + "?mode=ro", false);
  if (!conn) {
    Error e = std::move(conn).error();
    if (e.message.compare(0, uri.size() + 8, uri + "?mode=ro") == 0)
      e.message = path + e.message.substr(uri.size() + 8);
    return fail(std::move(e));
  }
  return State(std::make_unique<SqliteStore>(std::move(*conn), path));
}

Result<State> State::open(const std::string& path, bool create) {
  // SQLite writes the file in place (never renames it) and puts -wal and -shm beside it: a state
  // path naming a device, FIFO or directory would turn into files next to it (/dev/null-wal).
  struct stat st {};
  if (path != ":memory:" && ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    return fail(Exit::refused, path +
                                   ": the state file is not a regular file (a device, FIFO or directory): "
                                   "refused; set state.path to a file");
  if (create) {
    std::error_code ec;
    auto dir = std::filesystem::path(path).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) return fail(Exit::error, dir.string() + ": cannot create the state directory: " + ec.message());
  }
  ORCHKIT_TRY(conn, db::Connection::open(path, create));
  auto s = std::make_unique<SqliteStore>(std::move(conn), path);
  ORCHKIT_CHECK(s->migrate());
  return State(std::move(s));
}

Result<int64_t> SqliteStore::schema_version() {
  ORCHKIT_TRY(rows, db_.query("PRAGMA user_version"));
  return rows.empty() ? int64_t{0} : db::as_int(rows[0][0]).value_or(0);
}

Result<void> SqliteStore::migrate() {
  ORCHKIT_TRY(version, schema_version());
  if (version >= kSchemaVersion) return {};  // a newer binary's file: its additions are invisible to us
  ORCHKIT_TRY(tx, db_.begin_immediate());
  ORCHKIT_CHECK(db_.exec(kSchemaV1));
  ORCHKIT_CHECK(db_.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion)));
  return tx.commit();
}

Result<std::optional<Baseline>> SqliteStore::baseline(const std::string& repo, const std::string& branch) {
  ORCHKIT_TRY(rows, db_.query("SELECT line_covered, line_total, commit_sha, updated_at FROM coverage_baseline "
                              "WHERE repo = ?1 AND branch = ?2",
                              {repo, branch}));
  if (rows.empty()) return std::optional<Baseline>{};
  Baseline b = *baseline_of(rows[0], 0);
  b.commit = db::as_text(rows[0][2]).value_or("");
  b.updated_at = db::as_text(rows[0][3]).value_or("");
  return std::optional<Baseline>{b};
}

std::vector<HistoryRow> history_rows(const std::vector<db::Row>& rows) {
  std::vector<HistoryRow> out;
  for (const auto& r : rows) {
    HistoryRow h;
    h.id = db::as_int(r[0]).value_or(0);
    h.event = db::as_text(r[1]).value_or("");
    h.before = baseline_of(r, 2);
    h.after = baseline_of(r, 4);
    h.commit = db::as_text(r[6]).value_or("");
    h.task = db::as_text(r[7]).value_or("");
    h.actor = db::as_text(r[8]).value_or("");
    h.reason = db::as_text(r[9]).value_or("");
    h.at = db::as_text(r[10]).value_or("");
    h.repo = db::as_text(r[11]).value_or("");
    h.branch = db::as_text(r[12]).value_or("");
    out.push_back(std::move(h));
  }
  return out;
}

Result<std::vector<HistoryRow>> SqliteStore::history(const std::string& repo, const std::string& branch) {
  ORCHKIT_TRY(rows,
              db_.query(std::string(kHistoryColumns) + " WHERE repo = ?1 AND branch = ?2 ORDER BY id", {repo, branch}));
  return history_rows(rows);
}

Result<RatchetOutcome> SqliteStore::override_baseline(const std::string& repo, const std::string& branch,
                                                      uint64_t covered, uint64_t total, const std::string& actor,
                                                      const std::string& reason) {
  if (reason.empty()) return fail(Exit::usage, "baseline set: --reason is required (the override is audited)");
  if (covered > total) return fail(Exit::usage, "baseline set: covered is larger than total");
  ORCHKIT_TRY(tx, db_.begin_immediate());
  ORCHKIT_TRY(before, baseline(repo, branch));
  std::string now = now_utc();
  std::string commit = before ? before->commit : std::string("override");
  ORCHKIT_CHECK(db_.query(
      "INSERT INTO coverage_baseline(repo, branch, line_covered, line_total, commit_sha, updated_at) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(repo, branch) DO UPDATE SET line_covered = excluded.line_covered, "
      "line_total = excluded.line_total, updated_at = excluded.updated_at",
      {repo, branch, static_cast<int64_t>(covered), static_cast<int64_t>(total), commit, now}));
  ORCHKIT_CHECK(db_.query(
      "INSERT INTO coverage_history(repo, branch, event, old_covered, old_total, new_covered, new_total, commit_sha, "
      "task, actor, reason, at) VALUES(?1, ?2, 'override', ?3, ?4, ?5, ?6, ?7, NULL, ?8, ?9, ?10)",
      {repo, branch, opt_int(before, true), opt_int(before, false), static_cast<int64_t>(covered),
       static_cast<int64_t>(total), commit, actor, reason, now}));
  ORCHKIT_CHECK(tx.commit());
  return RatchetOutcome{std::string(history_event_name(HistoryEvent::override_)), before,
                        Baseline{covered, total, commit, now}};
}

Result<RatchetOutcome> SqliteStore::ratchet(const std::string& repo, const std::string& branch, uint64_t covered,
                                            uint64_t total, const std::string& commit, const std::string& task,
                                            const std::string& actor) {
  if (covered > total) return fail(Exit::error, "ratchet: covered is larger than total");
  ORCHKIT_TRY(tx, db_.begin_immediate());
  ORCHKIT_TRY(before, baseline(repo, branch));
  std::string now = now_utc();
  // One statement: insert (bootstrap) or raise iff new/total > old/total as exact ratios
  // (cross-multiplied; both sides fit in 64 bits for any real line count).
  ORCHKIT_CHECK(db_.query(
      "INSERT INTO coverage_baseline(repo, branch, line_covered, line_total, commit_sha, updated_at) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(repo, branch) DO UPDATE SET line_covered = excluded.line_covered, "
      "line_total = excluded.line_total, commit_sha = excluded.commit_sha, updated_at = excluded.updated_at "
      "WHERE excluded.line_covered * coverage_baseline.line_total > coverage_baseline.line_covered * excluded.line_total",
      {repo, branch, static_cast<int64_t>(covered), static_cast<int64_t>(total), commit, now}));
  bool changed = db_.changes() > 0;
  std::string event(history_event_name(!before   ? HistoryEvent::bootstrap
                                       : changed ? HistoryEvent::ratchet
                                                 : HistoryEvent::kept));
  ORCHKIT_TRY(after, baseline(repo, branch));
  ORCHKIT_CHECK(db_.query(
      "INSERT INTO coverage_history(repo, branch, event, old_covered, old_total, new_covered, new_total, commit_sha, "
      "task, actor, reason, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL, ?11)",
      {repo, branch, event, opt_int(before, true), opt_int(before, false), static_cast<int64_t>(after->covered),
       static_cast<int64_t>(after->total), commit, task, actor, now}));
  ORCHKIT_CHECK(tx.commit());
  return RatchetOutcome{event, before, *after};
}

Result<RatchetOutcome> SqliteStore::keep(const std::string& repo, const std::string& branch, const std::string& commit,
                                         const std::string& task, const std::string& actor, const std::string& reason) {
  ORCHKIT_TRY(tx, db_.begin_immediate());
  ORCHKIT_TRY(before, baseline(repo, branch));
  if (!before) return fail(Exit::error, "keep: no baseline for " + repo + " " + branch);
  ORCHKIT_CHECK(db_.query(
      "INSERT INTO coverage_history(repo, branch, event, old_covered, old_total, new_covered, new_total, commit_sha, "
      "task, actor, reason, at) VALUES(?1, ?2, 'kept', ?3, ?4, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      {repo, branch, static_cast<int64_t>(before->covered), static_cast<int64_t>(before->total), commit, task, actor,
       reason, now_utc()}));
  ORCHKIT_CHECK(tx.commit());
  return RatchetOutcome{std::string(history_event_name(HistoryEvent::kept)), before, *before};
}

Result<std::vector<BaselineRow>> SqliteStore::baselines() {
  ORCHKIT_TRY(rows,
              db_.query("SELECT repo, branch, line_covered, line_total, commit_sha, updated_at FROM coverage_baseline "
                        "ORDER BY repo, branch"));
  std::vector<BaselineRow> out;
  for (const auto& r : rows) {
    BaselineRow b;
    b.repo = db::as_text(r[0]).value_or("");
    b.branch = db::as_text(r[1]).value_or("");
    b.baseline = baseline_of(r, 2).value_or(Baseline{});
    b.baseline.commit = db::as_text(r[4]).value_or("");
    b.baseline.updated_at = db::as_text(r[5]).value_or("");
    out.push_back(std::move(b));
  }
  return out;
}

Result<std::vector<Tombstone>> SqliteStore::tombstones() {
  ORCHKIT_TRY(rows, db_.query("SELECT kind, natural_key, generation, original, reason, at FROM tombstones "
                              "ORDER BY kind, natural_key, generation"));
  std::vector<Tombstone> out;
  for (const auto& r : rows)
    out.push_back(Tombstone{db::as_text(r[0]).value_or(""), db::as_text(r[1]).value_or(""),
                            db::as_int(r[2]).value_or(0), db::as_text(r[3]).value_or(""),
                            db::as_text(r[4]).value_or(""), db::as_text(r[5]).value_or("")});
  return out;
}

Result<bool> SqliteStore::tombstoned(TombstoneKind k, const std::string& key, int64_t generation) {
  const std::string kind(tombstone_kind_name(k));
  ORCHKIT_TRY(rows, db_.query("SELECT 1 FROM tombstones WHERE kind = ?1 AND natural_key = ?2 AND generation = ?3",
                              {kind, key, generation}));
  return !rows.empty();
}

Result<void> SqliteStore::add_tombstone(TombstoneKind k, const std::string& key, int64_t generation,
                                        const std::string& original, const std::string& reason) {
  const std::string kind(tombstone_kind_name(k));
  ORCHKIT_TRY(tx, db_.begin_immediate());
  ORCHKIT_CHECK(
      db_.query("INSERT OR IGNORE INTO tombstones(kind, natural_key, generation, original, reason, at) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                {kind, key, generation, original, reason, now_utc()}));
  return tx.commit();
}

}  // namespace orchkit::state

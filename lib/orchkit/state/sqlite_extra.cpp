// The SQLite store, continued: the baseline's line data and the gate records (tables created on
// first write, so an older file stays readable), and the whole-store snapshot and load behind
// `state export` and `state import`.
#include <algorithm>

#include "orchkit/state/sqlite.hpp"

namespace orchkit::state {
namespace {

constexpr const char* kLinesSchema = R"SQL(
CREATE TABLE IF NOT EXISTS coverage_baseline_lines(
  repo TEXT NOT NULL, branch TEXT NOT NULL, commit_sha TEXT NOT NULL, sha256 TEXT NOT NULL,
  data BLOB NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY(repo, branch));
)SQL";

constexpr const char* kGatesSchema = R"SQL(
CREATE TABLE IF NOT EXISTS gate_records(task TEXT PRIMARY KEY, text TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS gate_lines(task TEXT PRIMARY KEY, data BLOB NOT NULL);
)SQL";

// gate_lines came after gate_records: a file that has the one may lack the other.
constexpr const char* kGateSelect =
    "SELECT g.task, g.text, g.updated_at, l.data FROM gate_records g LEFT JOIN gate_lines l ON l.task = g.task";
constexpr const char* kGateSelectOld = "SELECT g.task, g.text, g.updated_at, NULL FROM gate_records g";

db::Value text_or_null(const std::string& s) {
  if (s.empty()) return std::monostate{};
  return s;
}

}  // namespace

Result<bool> SqliteStore::has_table(const char* name) {
  ORCHKIT_TRY(rows, db_.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", {std::string(name)}));
  return !rows.empty();
}

Result<void> SqliteStore::store_lines(const std::string& repo, const std::string& branch, const BaselineLines& lines) {
  ORCHKIT_CHECK(db_.exec(kLinesSchema));
  ORCHKIT_TRY(tx, db_.begin_immediate());
  ORCHKIT_CHECK(db_.query(
      "INSERT INTO coverage_baseline_lines(repo, branch, commit_sha, sha256, data, updated_at) "
      "VALUES(?1, ?2, ?3, ?4, CAST(?5 AS BLOB), ?6) ON CONFLICT(repo, branch) DO UPDATE SET "
      "commit_sha = excluded.commit_sha, sha256 = excluded.sha256, data = excluded.data, "
      "updated_at = excluded.updated_at",
      {repo, branch, lines.commit, lines.sha256, lines.data, lines.updated_at.empty() ? now_utc() : lines.updated_at}));
  return tx.commit();
}

Result<std::optional<BaselineLines>> SqliteStore::lines(const std::string& repo, const std::string& branch) {
  ORCHKIT_TRY(has, has_table("coverage_baseline_lines"));
  if (!has) return std::optional<BaselineLines>{};
  ORCHKIT_TRY(rows, db_.query("SELECT commit_sha, sha256, data, updated_at FROM coverage_baseline_lines "
                              "WHERE repo = ?1 AND branch = ?2",
                              {repo, branch}));
  if (rows.empty()) return std::optional<BaselineLines>{};
  const auto& r = rows.front();
  return std::optional<BaselineLines>(BaselineLines{db::as_text(r[0]).value_or(""), db::as_text(r[1]).value_or(""),
                                                    db::as_text(r[2]).value_or(""), db::as_text(r[3]).value_or("")});
}

Result<void> SqliteStore::put_gate(const std::string& task, const std::string& text, const std::string& lines) {
  ORCHKIT_CHECK(db_.exec(kGatesSchema));
  ORCHKIT_CHECK(db_.exec(kStartsSchema));
  ORCHKIT_TRY(tx, db_.begin_immediate());
  ORCHKIT_CHECK(
      db_.query("INSERT INTO gate_records(task, text, updated_at) VALUES(?1, ?2, ?3) ON CONFLICT(task) DO UPDATE SET "
                "text = excluded.text, updated_at = excluded.updated_at",
                {task, text, now_utc()}));
  ORCHKIT_CHECK(put_gate_lines(task, lines));
  return tx.commit();
}

Result<void> SqliteStore::put_gate_lines(const std::string& task, const std::string& lines) {
  if (lines.empty()) {
    ORCHKIT_CHECK(db_.query("DELETE FROM gate_lines WHERE task = ?1", {task}));
    return {};
  }
  ORCHKIT_CHECK(
      db_.query("INSERT INTO gate_lines(task, data) VALUES(?1, CAST(?2 AS BLOB)) ON CONFLICT(task) DO "
                "UPDATE SET data = excluded.data",
                {task, lines}));
  return {};
}

Result<std::vector<GateRecord>> SqliteStore::select_gates(const std::string& where, std::vector<db::Value> args) {
  std::vector<GateRecord> out;
  ORCHKIT_TRY(has, has_table("gate_records"));
  if (!has) return out;
  ORCHKIT_TRY(joined, has_table("gate_lines"));
  std::string sql = std::string(joined ? kGateSelect : kGateSelectOld) + where;
  ORCHKIT_TRY(rows, db_.query(sql, std::move(args)));
  for (const auto& r : rows)
    out.push_back({db::as_text(r[0]).value_or(""), db::as_text(r[1]).value_or(""), db::as_text(r[2]).value_or(""),
                   db::as_text(r[3]).value_or("")});
  return out;
}

Result<std::optional<GateRecord>> SqliteStore::gate(const std::string& task) {
  ORCHKIT_TRY(rows, select_gates(" WHERE g.task = ?1", {task}));
  if (rows.empty()) return std::optional<GateRecord>{};
  return std::optional<GateRecord>(std::move(rows.front()));
}

Result<std::vector<GateRecord>> SqliteStore::gates() { return select_gates(" ORDER BY g.task", {}); }

Result<Snapshot> SqliteStore::snapshot() {
  Snapshot s;
  ORCHKIT_TRY(version, schema_version());
  if (version < 1) return s;  // an empty file: no schema, nothing held
  ORCHKIT_TRY(baselines_, baselines());
  s.baselines = std::move(baselines_);
  if (auto has = has_table("coverage_baseline_lines"); has && *has) {
    ORCHKIT_TRY(rows, db_.query("SELECT repo, branch, commit_sha, sha256, data, updated_at FROM "
                                "coverage_baseline_lines ORDER BY repo, branch"));
    for (const auto& r : rows)
      s.lines.push_back({db::as_text(r[0]).value_or(""), db::as_text(r[1]).value_or(""),
                         BaselineLines{db::as_text(r[2]).value_or(""), db::as_text(r[3]).value_or(""),
                                       db::as_text(r[4]).value_or(""), db::as_text(r[5]).value_or("")}});
  }
  ORCHKIT_TRY(hist, db_.query(std::string(kHistoryColumns) + " ORDER BY id"));
  s.history = history_rows(hist);
  ORCHKIT_TRY(tombs, tombstones());
  s.tombstones = std::move(tombs);
  ORCHKIT_TRY(ls, leases());
  s.leases = std::move(ls);
  ORCHKIT_TRY(stops, stop_requests(""));
  std::sort(stops.begin(), stops.end(), [](const StopRequest& a, const StopRequest& b) {
    return std::tie(a.task, a.generation) < std::tie(b.task, b.generation);
  });
  s.stops = std::move(stops);
  ORCHKIT_TRY(g, gates());
  s.gates = std::move(g);
  ORCHKIT_TRY(st, starts());
  s.starts = std::move(st);
  return s;
}

Result<void> SqliteStore::load(const Snapshot& s) {
  ORCHKIT_CHECK(db_.exec(kLinesSchema));
  ORCHKIT_CHECK(db_.exec(kGatesSchema));
  ORCHKIT_CHECK(db_.exec(kStartsSchema));
  ORCHKIT_TRY(tx, db_.begin_immediate());
  for (const char* table : {"coverage_baseline", "coverage_history", "tombstones", "stop_requests", "leases",
                            "coverage_baseline_lines", "gate_records", "gate_lines", "start_records"})
    ORCHKIT_CHECK(db_.exec(std::string("DELETE FROM ") + table));
  for (const auto& b : s.baselines)
    ORCHKIT_CHECK(
        db_.query("INSERT INTO coverage_baseline(repo, branch, line_covered, line_total, commit_sha, "
                  "updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                  {b.repo, b.branch, static_cast<int64_t>(b.baseline.covered), static_cast<int64_t>(b.baseline.total),
                   b.baseline.commit, b.baseline.updated_at}));
  for (const auto& l : s.lines)
    ORCHKIT_CHECK(
        db_.query("INSERT INTO coverage_baseline_lines(repo, branch, commit_sha, sha256, data, updated_at) "
                  "VALUES(?1, ?2, ?3, ?4, CAST(?5 AS BLOB), ?6)",
                  {l.repo, l.branch, l.lines.commit, l.lines.sha256, l.lines.data, l.lines.updated_at}));
  for (const auto& h : s.history)
    ORCHKIT_CHECK(db_.query(
        "INSERT INTO coverage_history(id, repo, branch, event, old_covered, old_total, new_covered, new_total, "
        "commit_sha, task, actor, reason, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        {h.id, h.repo, h.branch, h.event, opt_int(h.before, true), opt_int(h.before, false), opt_int(h.after, true),
         opt_int(h.after, false), text_or_null(h.commit), text_or_null(h.task), text_or_null(h.actor),
         text_or_null(h.reason), h.at}));
  for (const auto& t : s.tombstones)
    ORCHKIT_CHECK(
        db_.query("INSERT INTO tombstones(kind, natural_key, generation, original, reason, at) "
                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                  {t.kind, t.key, t.generation, text_or_null(t.original), text_or_null(t.reason), t.at}));
  for (const auto& l : s.leases)
    ORCHKIT_CHECK(
        db_.query("INSERT INTO leases(name, holder, task, expires_at, acquired_at) VALUES(?1, ?2, ?3, ?4, ?5)",
                  {l.name, l.holder, text_or_null(l.task), l.expires_at_ms, l.acquired_at}));
  for (const auto& r : s.stops)
    ORCHKIT_CHECK(
        db_.query("INSERT INTO stop_requests(task, generation, status, window, reason, steps, requested_at, "
                  "updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                  {r.task, r.generation, r.status, text_or_null(r.window), text_or_null(r.reason), r.steps,
                   r.requested_at, r.updated_at}));
  for (const auto& g : s.gates) {
    ORCHKIT_CHECK(db_.query("INSERT INTO gate_records(task, text, updated_at) VALUES(?1, ?2, ?3)",
                            {g.task, g.text, g.updated_at}));
    if (!g.lines.empty()) ORCHKIT_CHECK(put_gate_lines(g.task, g.lines));
  }
  for (const auto& r : s.starts) ORCHKIT_CHECK(insert_start(r));
  return tx.commit();
}

}  // namespace orchkit::state

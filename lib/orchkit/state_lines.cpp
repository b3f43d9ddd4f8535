#include "orchkit/state_lines.hpp"

namespace orchkit::state {

namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS coverage_baseline_lines(
  repo TEXT NOT NULL, branch TEXT NOT NULL, commit_sha TEXT NOT NULL, sha256 TEXT NOT NULL,
  data BLOB NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY(repo, branch));
)SQL";

}  // namespace

Result<void> store_baseline_lines(State& st, const std::string& repo, const std::string& branch,
                                  const BaselineLines& lines) {
  auto& db = st.connection();
  ORCHKIT_CHECK(db.exec(kSchema));
  ORCHKIT_TRY(tx, db.begin_immediate());
  ORCHKIT_CHECK(
      db.query("INSERT INTO coverage_baseline_lines(repo, branch, commit_sha, sha256, data, updated_at) "
               "VALUES(?1, ?2, ?3, ?4, CAST(?5 AS BLOB), ?6) ON CONFLICT(repo, branch) DO UPDATE SET "
               "commit_sha = excluded.commit_sha, sha256 = excluded.sha256, data = excluded.data, "
               "updated_at = excluded.updated_at",
               {repo, branch, lines.commit, lines.sha256, lines.data, now_utc()}));
  return tx.commit();
}

Result<std::optional<BaselineLines>> baseline_lines(State& st, const std::string& repo, const std::string& branch) {
  auto& db = st.connection();
  ORCHKIT_TRY(has, db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'coverage_baseline_lines'"));
  if (has.empty()) return std::optional<BaselineLines>{};
  ORCHKIT_TRY(rows, db.query("SELECT commit_sha, sha256, data, updated_at FROM coverage_baseline_lines "
                             "WHERE repo = ?1 AND branch = ?2",
                             {repo, branch}));
  if (rows.empty()) return std::optional<BaselineLines>{};
  const auto& r = rows.front();
  return std::optional<BaselineLines>(BaselineLines{db::as_text(r[0]).value_or(""), db::as_text(r[1]).value_or(""),
                                                    db::as_text(r[2]).value_or(""), db::as_text(r[3]).value_or("")});
}

}  // namespace orchkit::state

// SQLite adapter (the only file that includes sqlite3.h): a connection in WAL mode with a busy
// timeout, prepared statements, and BEGIN IMMEDIATE transactions that roll back unless committed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "orchkit/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace orchkit::db {

using Value = std::variant<std::monostate, int64_t, std::string>;  // NULL, INTEGER, TEXT
using Row = std::vector<Value>;

class Connection {
 public:
  // Opens (creating when `create`) the file; sets WAL, busy_timeout and foreign keys.
  static Result<Connection> open(const std::string& path, bool create);
  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();

  Result<void> exec(std::string_view sql);
  // Runs one statement with positional parameters; returns every row.
  Result<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params = {});
  int64_t changes() const;
  const std::string& path() const { return path_; }

  // BEGIN IMMEDIATE: the write lock is taken up front, so two writers never deadlock mid-way.
  class Transaction {
   public:
    explicit Transaction(Connection& c) : c_(&c) {}
    Transaction(Transaction&& o) noexcept : c_(o.c_) { o.c_ = nullptr; }
    Transaction(const Transaction&) = delete;
    ~Transaction();
    Result<void> commit();

   private:
    Connection* c_;
  };
  Result<Transaction> begin_immediate();

 private:
  Connection() = default;
  Unexpected error(std::string_view what) const;
  sqlite3* db_ = nullptr;
  std::string path_;
};

inline std::optional<int64_t> as_int(const Value& v) {
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  return std::nullopt;
}
inline std::optional<std::string> as_text(const Value& v) {
  if (auto p = std::get_if<std::string>(&v)) return *p;
  return std::nullopt;
}

}  // namespace orchkit::db

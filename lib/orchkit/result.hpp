// Error{exit, message} and Result<T>: expected failures as values, with std::expected's member names.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "orchkit/exit.hpp"

namespace orchkit {

// What kind of failure, for decisions: code maps kinds, never an error's text.
enum class ErrorKind { other, not_found, invalid, timeout, io, refused, conflict };

// What went wrong and which exit code it maps to. `message` is the part after
// "<program>: error: ", already carrying its context ("file:line: what (what to do)").
struct Error {
  Exit exit = Exit::error;
  std::string message = {};
  ErrorKind kind = ErrorKind::other;
};

struct Unexpected {
  Error error;
};

inline Unexpected fail(Exit exit, std::string message) { return Unexpected{Error{exit, std::move(message)}}; }
inline Unexpected fail(Exit exit, ErrorKind kind, std::string message) {
  return Unexpected{Error{exit, std::move(message), kind}};
}
inline Unexpected fail(Error e) { return Unexpected{std::move(e)}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Unexpected u) : v_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT
  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  T& value() & {
    assert(has_value());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const& {
    assert(!has_value());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!has_value());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Unexpected u) : err_(std::move(u.error)), ok_(false) {}  // NOLINT
  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return err_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(err_);
  }

 private:
  Error err_ = {};
  bool ok_ = true;
};

// Propagate an error: `ORCHKIT_TRY(x, expr);` declares x or returns the error.
#define ORCHKIT_CONCAT_(a, b) a##b
#define ORCHKIT_CONCAT(a, b) ORCHKIT_CONCAT_(a, b)
#define ORCHKIT_TRY(var, expr)                                                                                    \
  auto ORCHKIT_CONCAT(res_, __LINE__) = (expr);                                                                   \
  if (!ORCHKIT_CONCAT(res_, __LINE__)) return ::orchkit::fail(std::move(ORCHKIT_CONCAT(res_, __LINE__)).error()); \
  auto var = std::move(*ORCHKIT_CONCAT(res_, __LINE__))
#define ORCHKIT_CHECK(expr)                                     \
  do {                                                          \
    auto res_ = (expr);                                         \
    if (!res_) return ::orchkit::fail(std::move(res_).error()); \
  } while (0)

}  // namespace orchkit

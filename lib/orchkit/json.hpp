// Reading small JSON documents (API responses): parse once into an owned tree, then look values up
// by a dotted path. Large coverage reports do not come through here (they use simdjson directly,
// in their parsers). The only file besides those that includes simdjson is json.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/result.hpp"

namespace orchkit {

// A JSON value. Lookups never fail loudly: a missing member or a value of another type gives
// nullopt (get_*) or the null value (at); callers say what they expected in their own words.
class Json {
 public:
  enum class Kind { null, boolean, integer, number, string, array, object };

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_array() const { return kind_ == Kind::array; }
  bool is_object() const { return kind_ == Kind::object; }

  // The value at a dotted path of member names and array indexes ("parameters.retry_after",
  // "results.0.id"); "" is this value. nullptr when any step is missing.
  const Json* find(std::string_view path) const;
  // As find(), but a missing value is a null value, so lookups chain: doc.at("a").at("b").
  const Json& at(std::string_view path) const;
  bool has(std::string_view path) const { return find(path) != nullptr; }

  std::optional<std::string> get_string(std::string_view path = {}) const;
  // Integers only (no fraction, no exponent), within int64.
  std::optional<int64_t> get_int(std::string_view path = {}) const;
  std::optional<double> get_number(std::string_view path = {}) const;
  std::optional<bool> get_bool(std::string_view path = {}) const;

  // Elements of an array (empty for anything else): `for (const Json& item : doc.at("results").items())`.
  const std::vector<Json>& items() const;
  // Member names of an object in document order (empty for anything else); values via member().
  const std::vector<std::string>& keys() const { return keys_; }
  // A member by its exact name (which may contain dots); nullptr when absent.
  const Json* member(std::string_view name) const;
  size_t size() const { return values_.size(); }

 private:
  friend struct JsonBuilder;
  Kind kind_ = Kind::null;
  bool bool_ = false;
  int64_t int_ = 0;
  double number_ = 0;
  std::string string_ = {};
  std::vector<std::string> keys_ = {};  // objects: names, parallel to values_
  std::vector<Json> values_ = {};       // arrays: elements; objects: member values
};

// Parses `text`. Errors are Exit::error naming `name`: "telegram response: invalid JSON: ...".
Result<Json> parse_json(std::string_view text, std::string_view name);

}  // namespace orchkit

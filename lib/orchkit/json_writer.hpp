// A small streaming JSON writer for --json output: stable key order (the order written).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orchkit {

std::string json_quote(std::string_view s);

class JsonWriter {
 public:
  JsonWriter& object();
  JsonWriter& array();
  JsonWriter& end();  // closes the innermost object or array
  JsonWriter& key(std::string_view k);
  JsonWriter& str(std::string_view v);
  JsonWriter& num(uint64_t v);
  JsonWriter& num_signed(int64_t v);
  JsonWriter& boolean(bool v);
  JsonWriter& null();
  JsonWriter& raw(std::string_view json);  // an already-encoded value
  JsonWriter& opt_str(const std::optional<std::string>& v) { return v ? str(*v) : null(); }
  // key + value shorthands
  JsonWriter& field(std::string_view k, std::string_view v) { return key(k).str(v); }
  JsonWriter& field(std::string_view k, const char* v) { return key(k).str(v); }
  JsonWriter& field(std::string_view k, uint64_t v) { return key(k).num(v); }
  JsonWriter& field(std::string_view k, bool v) { return key(k).boolean(v); }
  const std::string& text() const { return out_; }

 private:
  void comma();
  std::string out_;
  std::vector<bool> first_;    // per open container: nothing written yet
  std::vector<char> closers_;  // per open container: '}' or ']'
  bool after_key_ = false;
};

}  // namespace orchkit

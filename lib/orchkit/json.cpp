#include "orchkit/json.hpp"

#include <simdjson.h>

#include <charconv>
#include <limits>

namespace orchkit {

// Copies a simdjson DOM element into an owned Json tree (small documents only).
struct JsonBuilder {
  static Json build(simdjson::dom::element e) {
    Json out;
    switch (e.type()) {
      case simdjson::dom::element_type::ARRAY: {
        out.kind_ = Json::Kind::array;
        const simdjson::dom::array array = e.get_array().value_unsafe();  // named: iterators point into it
        for (simdjson::dom::element child : array) out.values_.push_back(build(child));
        break;
      }
      case simdjson::dom::element_type::OBJECT: {
        out.kind_ = Json::Kind::object;
        const simdjson::dom::object object = e.get_object().value_unsafe();
        for (simdjson::dom::key_value_pair kv : object) {
          out.keys_.emplace_back(kv.key);
          out.values_.push_back(build(kv.value));
        }
        break;
      }
      case simdjson::dom::element_type::INT64:
        out.kind_ = Json::Kind::integer;
        out.int_ = e.get_int64().value_unsafe();
        out.number_ = static_cast<double>(out.int_);
        break;
      case simdjson::dom::element_type::UINT64:  // only values above INT64_MAX land here
        out.kind_ = Json::Kind::number;
        out.number_ = static_cast<double>(e.get_uint64().value_unsafe());
        break;
      case simdjson::dom::element_type::DOUBLE:
        out.kind_ = Json::Kind::number;
        out.number_ = e.get_double().value_unsafe();
        break;
      case simdjson::dom::element_type::STRING:
        out.kind_ = Json::Kind::string;
        out.string_ = std::string(e.get_string().value_unsafe());
        break;
      case simdjson::dom::element_type::BOOL:
        out.kind_ = Json::Kind::boolean;
        out.bool_ = e.get_bool().value_unsafe();
        break;
      case simdjson::dom::element_type::NULL_VALUE: break;
    }
    return out;
  }
};

namespace {

const Json& null_json() {
  static const Json kNull;
  return kNull;
}

}  // namespace

const Json* Json::member(std::string_view name) const {
  if (kind_ != Kind::object) return nullptr;
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == name) return &values_[i];
  }
  return nullptr;
}

const Json* Json::find(std::string_view path) const {
  const Json* cur = this;
  while (!path.empty()) {
    const size_t dot = path.find('.');
    const std::string_view step = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    if (cur->kind_ == Kind::array) {
      size_t index = 0;
      auto [end, ec] = std::from_chars(step.data(), step.data() + step.size(), index);
      if (ec != std::errc() || end != step.data() + step.size() || index >= cur->values_.size()) return nullptr;
      cur = &cur->values_[index];
    } else {
      cur = cur->member(step);
      if (!cur) return nullptr;
    }
  }
  return cur;
}

const Json& Json::at(std::string_view path) const {
  const Json* j = find(path);
  return j ? *j : null_json();
}

std::optional<std::string> Json::get_string(std::string_view path) const {
  const Json* j = find(path);
  if (!j || j->kind_ != Kind::string) return std::nullopt;
  return j->string_;
}

std::optional<int64_t> Json::get_int(std::string_view path) const {
  const Json* j = find(path);
  if (!j || j->kind_ != Kind::integer) return std::nullopt;
  return j->int_;
}

std::optional<double> Json::get_number(std::string_view path) const {
  const Json* j = find(path);
  if (!j || (j->kind_ != Kind::integer && j->kind_ != Kind::number)) return std::nullopt;
  return j->number_;
}

std::optional<bool> Json::get_bool(std::string_view path) const {
  const Json* j = find(path);
  if (!j || j->kind_ != Kind::boolean) return std::nullopt;
  return j->bool_;
}

const std::vector<Json>& Json::items() const {
  static const std::vector<Json> kNone;
  return kind_ == Kind::array ? values_ : kNone;
}

Result<Json> parse_json(std::string_view text, std::string_view name) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  // parse() copies into its own padded buffer, so any string_view will do.
  if (auto err = parser.parse(text.data(), text.size()).get(root)) {
    return fail(Exit::error, std::string(name) + ": invalid JSON: " + simdjson::error_message(err));
  }
  return JsonBuilder::build(root);
}

}  // namespace orchkit

#include "orchkit/state/export.hpp"

#include <algorithm>

#include "orchkit/json_writer.hpp"
#include "orchkit/state/json.hpp"
#include "orchkit/util/base64.hpp"

namespace orchkit::state {
namespace {

std::string quoted(const std::string& s) { return JsonWriter().str(s).text(); }

template <class T, class Render>
void list(std::string& out, const char* name, const std::vector<T>& items, Render render, bool last = false) {
  out += "\"" + std::string(name) + "\": [";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ",\n  " : "\n  ") + render(items[i]);
  out += items.empty() ? "]" : "\n]";
  out += last ? "\n" : ",\n";
}

// codec errors are exit 3 (a store that cannot be read); in an import file they are the
// user's input: exit 2.
template <class T>
Result<T> as_input(Result<T> r) {
  if (!r) return fail(Exit::usage, r.error().message);
  return r;
}

}  // namespace

std::string export_json(const Snapshot& s) {
  std::string out = "{\n\"orchkit_state\": " + std::to_string(kExportVersion) + ",\n";
  list(out, "baselines", s.baselines, [](const BaselineRow& b) {
    return "{\"repo\": " + quoted(b.repo) + ", \"branch\": " + quoted(b.branch) +
           ", \"baseline\": " + codec::baseline(b.baseline) + "}";
  });
  list(out, "lines", s.lines, [](const Snapshot::Lines& l) {
    return "{\"repo\": " + quoted(l.repo) + ", \"branch\": " + quoted(l.branch) +
           ", \"meta\": " + codec::lines_meta(l.lines) + ", \"gzip_base64\": " + quoted(base64_encode(l.lines.data)) +
           "}";
  });
  list(out, "history", s.history, [](const HistoryRow& h) { return codec::history(h); });
  list(out, "tombstones", s.tombstones, [](const Tombstone& t) { return codec::tombstone(t); });
  list(out, "leases", s.leases, [](const Lease& l) { return codec::lease(l); });
  list(out, "stops", s.stops, [](const StopRequest& r) { return codec::stop(r); });
  list(out, "gates", s.gates, [](const GateRecord& g) {
    return "{\"task\": " + quoted(g.task) + ", \"updated_at\": " + quoted(g.updated_at) +
           ", \"text\": " + quoted(g.text) +
           (g.lines.empty() ? std::string() : ", \"lines_gzip_base64\": " + quoted(base64_encode(g.lines))) + "}";
  });
  list(
      out, "starts", s.starts, [](const StartRecord& r) { return codec::start(r); }, true);
  return out + "}\n";
}

Result<Snapshot> parse_export(const std::string& text, const std::string& where) {
  auto doc = as_input(codec::object(text, where));
  if (!doc) return fail(std::move(doc).error());
  if (doc->get_int("orchkit_state") != kExportVersion)
    return fail(Exit::usage, where + ": not an orchkit state export of version " + std::to_string(kExportVersion) +
                                 " (\"orchkit_state\": " + std::to_string(kExportVersion) + " missing)");
  Snapshot s;
  // "starts" came after the first exports: an export without it holds none.
  auto each = [&](const char* name, auto&& take, bool optional = false) -> Result<void> {
    const Json* arr = doc->find(name);
    if (!arr && optional) return {};
    if (!arr || !arr->is_array()) return fail(Exit::usage, where + ": \"" + name + "\" is missing or not a list");
    size_t i = 0;
    for (const Json& item : arr->items()) {
      std::string at = where + ": " + name + "[" + std::to_string(i++) + "]";
      if (!item.is_object()) return fail(Exit::usage, at + ": not an object");
      ORCHKIT_CHECK(take(item, at));
    }
    return {};
  };
  ORCHKIT_CHECK(each("baselines", [&](const Json& j, const std::string& at) -> Result<void> {
    ORCHKIT_TRY(b, as_input(codec::baseline(j.at("baseline"), at)));
    s.baselines.push_back({j.get_string("repo").value_or(""), j.get_string("branch").value_or(""), b});
    return {};
  }));
  ORCHKIT_CHECK(each("lines", [&](const Json& j, const std::string& at) -> Result<void> {
    BaselineLines l = codec::lines_meta(j.at("meta"));
    auto data = base64_decode(j.get_string("gzip_base64").value_or("?"));
    if (!data) return fail(Exit::usage, at + ": gzip_base64 is not base64");
    l.data = std::move(*data);
    s.lines.push_back({j.get_string("repo").value_or(""), j.get_string("branch").value_or(""), std::move(l)});
    return {};
  }));
  ORCHKIT_CHECK(each("history", [&](const Json& j, const std::string& at) -> Result<void> {
    ORCHKIT_TRY(h, as_input(codec::history(j, at)));
    s.history.push_back(std::move(h));
    return {};
  }));
  ORCHKIT_CHECK(each("tombstones", [&](const Json& j, const std::string& at) -> Result<void> {
    ORCHKIT_TRY(t, as_input(codec::tombstone(j, at)));
    s.tombstones.push_back(std::move(t));
    return {};
  }));
  ORCHKIT_CHECK(each("leases", [&](const Json& j, const std::string& at) -> Result<void> {
    ORCHKIT_TRY(l, as_input(codec::lease(j, at)));
    s.leases.push_back(std::move(l));
    return {};
  }));
  ORCHKIT_CHECK(each("stops", [&](const Json& j, const std::string& at) -> Result<void> {
    ORCHKIT_TRY(r, as_input(codec::stop(j, at)));
    s.stops.push_back(std::move(r));
    return {};
  }));
  ORCHKIT_CHECK(each("gates", [&](const Json& j, const std::string& at) -> Result<void> {
    auto task = j.get_string("task"), body = j.get_string("text");
    if (!task || task->empty() || !body) return fail(Exit::usage, at + ": task or text is missing");
    std::string lines;
    if (auto b64 = j.get_string("lines_gzip_base64")) {
      auto raw = base64_decode(*b64);
      if (!raw) return fail(Exit::usage, at + ".lines_gzip_base64: not base64");
      lines = std::move(*raw);
    }
    s.gates.push_back({*task, *body, j.get_string("updated_at").value_or(""), std::move(lines)});
    return {};
  }));
  ORCHKIT_CHECK(each(
      "starts",
      [&](const Json& j, const std::string& at) -> Result<void> {
        ORCHKIT_TRY(r, as_input(codec::start(j, at)));
        s.starts.push_back(std::move(r));
        return {};
      },
      true));
  for (const auto& b : s.baselines)
    if (b.repo.empty() || b.branch.empty()) return fail(Exit::usage, where + ": a baseline without repo or branch");
  for (size_t i = 1; i < s.history.size(); ++i)
    if (s.history[i].id <= s.history[i - 1].id)
      return fail(Exit::usage, where + ": history ids must rise (" + std::to_string(s.history[i].id) + ")");
  return s;
}

}  // namespace orchkit::state

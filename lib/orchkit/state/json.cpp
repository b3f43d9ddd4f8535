#include "orchkit/state/json.hpp"

#include "orchkit/json_writer.hpp"

namespace orchkit::state::codec {
namespace {

std::string str(const Json& j, const char* k) { return j.get_string(k).value_or(""); }

Result<int64_t> num(const Json& j, const char* k, const std::string& where) {
  auto v = j.get_int(k);
  if (!v) return fail(Exit::error, where + ": " + k + " is missing or not an integer");
  return *v;
}

JsonWriter& signed_field(JsonWriter& w, const char* k, int64_t v) { return w.key(k).num_signed(v); }

void write_ratio(JsonWriter& w, const char* k, const std::optional<Baseline>& b) {
  w.key(k);
  if (!b) {
    w.null();
    return;
  }
  w.object().field("line_covered", b->covered).field("line_total", b->total).end();
}

Result<std::optional<Baseline>> read_ratio(const Json& j, const char* k, const std::string& where) {
  const Json* v = j.find(k);
  if (!v || v->is_null()) return std::optional<Baseline>{};
  auto c = v->get_int("line_covered"), t = v->get_int("line_total");
  if (!v->is_object() || !c || !t || *c < 0 || *t < *c)
    return fail(Exit::error, where + ": " + k + " is not {line_covered, line_total} with covered <= total");
  return std::optional<Baseline>(Baseline{static_cast<uint64_t>(*c), static_cast<uint64_t>(*t), {}, {}});
}

}  // namespace

Result<Json> object(const std::string& text, const std::string& where) {
  auto j = parse_json(text, where);
  if (!j) return fail(Exit::error, j.error().message);
  if (!j->is_object()) return fail(Exit::error, where + ": not a JSON object");
  return j;
}

std::string baseline(const Baseline& b) {
  return JsonWriter()
      .object()
      .field("line_covered", b.covered)
      .field("line_total", b.total)
      .field("commit", b.commit)
      .field("updated_at", b.updated_at)
      .end()
      .text();
}

Result<Baseline> baseline(const Json& j, const std::string& where) {
  auto c = j.get_int("line_covered"), t = j.get_int("line_total");
  if (!c || !t || *c < 0 || *t < *c) return fail(Exit::error, where + ": line_covered/line_total missing or invalid");
  return Baseline{static_cast<uint64_t>(*c), static_cast<uint64_t>(*t), str(j, "commit"), str(j, "updated_at")};
}

std::string lines_meta(const BaselineLines& l) {
  return JsonWriter()
      .object()
      .field("commit", l.commit)
      .field("sha256", l.sha256)
      .field("updated_at", l.updated_at)
      .end()
      .text();
}

BaselineLines lines_meta(const Json& j) { return {str(j, "commit"), str(j, "sha256"), {}, str(j, "updated_at")}; }

std::string tombstone(const Tombstone& t) {
  JsonWriter w;
  w.object().field("kind", t.kind).field("key", t.key);
  signed_field(w, "generation", t.generation);
  w.field("original", t.original).field("reason", t.reason).field("at", t.at).end();
  return w.text();
}

Result<Tombstone> tombstone(const Json& j, const std::string& where) {
  ORCHKIT_TRY(gen, num(j, "generation", where));
  Tombstone t{str(j, "kind"), str(j, "key"), gen, str(j, "original"), str(j, "reason"), str(j, "at")};
  if (!tombstone_kind_from(t.kind))
    return fail(Exit::error, where + ": kind '" + t.kind + "' is not task, branch or plane_issue");
  if (t.key.empty()) return fail(Exit::error, where + ": key is empty");
  return t;
}

std::string lease(const Lease& l) {
  JsonWriter w;
  w.object().field("name", l.name).field("holder", l.holder).field("task", l.task);
  signed_field(w, "expires_at_ms", l.expires_at_ms);
  w.field("acquired_at", l.acquired_at).end();
  return w.text();
}

Result<Lease> lease(const Json& j, const std::string& where) {
  ORCHKIT_TRY(expires, num(j, "expires_at_ms", where));
  Lease l{str(j, "name"), str(j, "holder"), str(j, "task"), expires, str(j, "acquired_at")};
  if (l.name.empty() || l.holder.empty()) return fail(Exit::error, where + ": name or holder is empty");
  return l;
}

std::string stop(const StopRequest& r) {
  JsonWriter w;
  w.object().field("task", r.task);
  signed_field(w, "generation", r.generation);
  w.field("status", r.status)
      .field("window", r.window)
      .field("reason", r.reason)
      .field("steps", r.steps)
      .field("requested_at", r.requested_at)
      .field("updated_at", r.updated_at)
      .end();
  return w.text();
}

Result<StopRequest> stop(const Json& j, const std::string& where) {
  ORCHKIT_TRY(gen, num(j, "generation", where));
  StopRequest r{str(j, "task"),         gen,
                str(j, "status"),       str(j, "window"),
                str(j, "reason"),       str(j, "steps"),
                str(j, "requested_at"), str(j, "updated_at")};
  if (r.task.empty()) return fail(Exit::error, where + ": task is empty");
  return r;
}

std::string start(const StartRecord& r) {
  JsonWriter w;
  w.object().field("task", r.task);
  signed_field(w, "generation", r.generation);
  w.field("status", r.status);
  signed_field(w, "attempts", r.attempts);
  signed_field(w, "exit_code", r.exit_code);
  w.field("holder", r.holder);
  signed_field(w, "until_ms", r.until_ms);
  w.field("detail", r.detail).field("started_at", r.started_at).field("updated_at", r.updated_at).end();
  return w.text();
}

Result<StartRecord> start(const Json& j, const std::string& where) {
  StartRecord r;
  r.task = str(j, "task");
  ORCHKIT_TRY(gen, num(j, "generation", where));
  r.generation = gen;
  r.status = str(j, "status");
  ORCHKIT_TRY(attempts, num(j, "attempts", where));
  r.attempts = attempts;
  ORCHKIT_TRY(code, num(j, "exit_code", where));
  r.exit_code = code;
  r.holder = str(j, "holder");
  ORCHKIT_TRY(until, num(j, "until_ms", where));
  r.until_ms = until;
  r.detail = str(j, "detail");
  r.started_at = str(j, "started_at");
  r.updated_at = str(j, "updated_at");
  if (r.task.empty()) return fail(Exit::error, where + ": task is empty");
  bool known = false;
  for (auto s : {StartStatus::running, StartStatus::started, StartStatus::failed}) known |= r.is(s);
  if (!known) return fail(Exit::error, where + ": status \"" + r.status + "\" is not running, started or failed");
  return r;
}

std::string history(const HistoryRow& h) {
  JsonWriter w;
  w.object();
  signed_field(w, "id", h.id);
  w.field("repo", h.repo).field("branch", h.branch).field("event", h.event);
  write_ratio(w, "before", h.before);
  write_ratio(w, "after", h.after);
  w.field("commit", h.commit)
      .field("task", h.task)
      .field("actor", h.actor)
      .field("reason", h.reason)
      .field("at", h.at)
      .end();
  return w.text();
}

Result<HistoryRow> history(const Json& j, const std::string& where) {
  HistoryRow h;
  ORCHKIT_TRY(id, num(j, "id", where));
  h.id = id;
  h.repo = str(j, "repo");
  h.branch = str(j, "branch");
  h.event = str(j, "event");
  ORCHKIT_TRY(before, read_ratio(j, "before", where));
  h.before = before;
  ORCHKIT_TRY(after, read_ratio(j, "after", where));
  h.after = after;
  h.commit = str(j, "commit");
  h.task = str(j, "task");
  h.actor = str(j, "actor");
  h.reason = str(j, "reason");
  h.at = str(j, "at");
  return h;
}

}  // namespace orchkit::state::codec

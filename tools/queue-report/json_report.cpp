#include "queue-report/json_report.hpp"

#include <array>
#include <charconv>

#include "orchkit/json_writer.hpp"
#include "orchkit/util/units.hpp"

namespace queue_report {

using namespace orchkit;

namespace {

constexpr uint64_t kSchema = 1;

JsonWriter& text_or_null(JsonWriter& w, std::string_view k, const std::string& v) {
  w.key(k);
  return v.empty() ? w.null() : w.str(v);
}

JsonWriter& opt(JsonWriter& w, std::string_view k, const std::optional<std::string>& v) { return w.key(k).opt_str(v); }

JsonWriter& opt_u64(JsonWriter& w, std::string_view k, const std::optional<uint64_t>& v) {
  w.key(k);
  return v ? w.num(*v) : w.null();
}

// A value stop-task wrote (true/false, a count, a path): typed when it is a boolean or a whole
// number, else a string.
JsonWriter& scalar(JsonWriter& w, std::string_view k, const std::optional<std::string>& v) {
  w.key(k);
  if (!v) return w.null();
  if (*v == "true" || *v == "false") return w.boolean(*v == "true");
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec == std::errc() && p == v->data() + v->size()) return w.num_signed(n);
  return w.str(*v);
}

void ratio(JsonWriter& w, std::string_view k, const std::optional<state::Baseline>& b) {
  w.key(k);
  if (!b) {
    w.null();
    return;
  }
  w.object()
      .field("line_covered", b->covered)
      .field("line_total", b->total)
      .field("line_pct", format_ratio_pct(b->covered, b->total))
      .end();
}

void task(JsonWriter& w, const TaskRow& t) {
  w.object().field("key", t.key).key("generation").num_signed(t.generation);
  text_or_null(w, "stage", t.stage);
  w.field("group", group_name(t.group)).field("terminal", t.terminal);
  w.key("coverage");
  if (!t.coverage) {
    w.null();
  } else {
    const CoverageFacts& c = *t.coverage;
    w.object();
    text_or_null(w, "status", c.status);
    text_or_null(w, "target", c.target);
    opt_u64(w, "line_covered", c.line_covered);
    opt_u64(w, "line_total", c.line_total);
    opt(w, "line_pct", c.line_pct);
    opt(w, "baseline_pct", c.baseline_pct);
    opt(w, "delta_pp", c.delta_pp);
    opt(w, "gate_baseline_pct", c.gate_baseline_pct);
    opt(w, "patch_pct", c.patch_pct);
    opt_u64(w, "unc", c.unc);
    opt_u64(w, "lbc", c.lbc);
    text_or_null(w, "commit", c.commit);
    w.end();
  }
  text_or_null(w, "stop", t.stop);
  text_or_null(w, "updated_at", t.updated_at);
  w.key("files").object();
  text_or_null(w, "stage", t.stage_file);
  text_or_null(w, "coverage", t.coverage_file);
  text_or_null(w, "stop", t.stop_file);
  w.end();
  w.key("problems").array();
  for (const auto& p : t.problems) w.object().field("file", p.file).field("message", p.message).end();
  w.end().end();
}

void coverage(JsonWriter& w, const Report& r) {
  w.key("coverage").object().field("floor_pct", format_percent(r.floor)).field("state_file", r.state_present);
  w.key("chart").opt_str(r.chart);
  w.key("baselines").array();
  for (const auto& b : r.branches) {
    w.object()
        .field("repo", b.repo)
        .field("target", b.branch)
        .field("line_covered", b.baseline.covered)
        .field("line_total", b.baseline.total)
        .field("line_pct", b.pct);
    text_or_null(w, "commit", b.baseline.commit);
    text_or_null(w, "updated_at", b.baseline.updated_at);
    const Trend& t = b.trend;
    w.key("trend")
        .object()
        .field("changes", static_cast<uint64_t>(t.changes))
        .field("overrides", static_cast<uint64_t>(t.overrides))
        .field("first_pct", t.first_pct)
        .field("last_pct", t.last_pct)
        .field("change_pp", t.change_pp)
        .field("direction", t.direction)
        .end();
    w.key("history").array();
    for (const auto& h : b.history) {
      w.object().key("id").num_signed(h.id).field("event", h.event);
      ratio(w, "before", h.before);
      ratio(w, "after", h.after);
      text_or_null(w, "commit", h.commit);
      text_or_null(w, "task", h.task);
      text_or_null(w, "actor", h.actor);
      text_or_null(w, "reason", h.reason);
      text_or_null(w, "at", h.at);
      w.end();
    }
    w.end().end();
  }
  w.end().end();
}

void lease(JsonWriter& w, const state::Lease& l) {
  w.object().field("name", l.name).field("holder", l.holder);
  text_or_null(w, "task", l.task);
  text_or_null(w, "acquired_at", l.acquired_at);
  w.field("expires_at", iso_from_ms(l.expires_at_ms)).end();
}

void stop(JsonWriter& w, const Report& r) {
  w.key("stop").object();
  w.key("deferred").array();
  for (const auto& d : r.deferred) {
    w.object().field("task", d.task).key("generation").num_signed(d.generation);
    text_or_null(w, "window", d.window);
    w.field("window_state", d.window_state);
    w.key("lease");
    if (d.lease) lease(w, *d.lease);
    else w.null();
    text_or_null(w, "reason", d.reason);
    text_or_null(w, "requested_at", d.requested_at);
    w.field("source", d.source).end();
  }
  w.end();
  w.key("running").array();
  for (const auto& s : r.running) {
    w.object().field("task", s.task).key("generation").num_signed(s.generation);
    text_or_null(w, "steps", s.steps);
    text_or_null(w, "requested_at", s.requested_at);
    text_or_null(w, "updated_at", s.updated_at);
    w.end();
  }
  w.end();
  w.key("cancelled").array();
  for (const auto& c : r.cancelled) {
    w.object().field("task", c.task).key("generation").num_signed(c.generation);
    text_or_null(w, "at", c.at);
    text_or_null(w, "reason", c.reason);
    opt(w, "saved_patch", c.saved_patch);
    scalar(w, "worktree_removed", c.worktree_removed);
    scalar(w, "branch_deleted", c.branch_deleted);
    scalar(w, "signalled", c.signalled);
    scalar(w, "survivors", c.survivors);
    w.field("tombstoned", c.tombstoned);
    text_or_null(w, "file", c.file);
    w.end();
  }
  w.end();
  w.key("stale").array();
  for (const auto& s : r.stale) {
    w.object().field("task", s.task).key("generation").num_signed(s.generation);
    w.key("live_generation");
    if (s.live_generation) w.num_signed(*s.live_generation);
    else w.null();
    text_or_null(w, "at", s.at);
    text_or_null(w, "reason", s.reason);
    text_or_null(w, "file", s.file);
    w.end();
  }
  w.end();
  w.key("windows").array();
  for (const auto& l : r.windows) lease(w, l);
  w.end();
  w.key("tombstones").array();
  for (const auto& t : r.tombstones) {
    w.object().field("kind", t.kind).field("key", t.key).key("generation").num_signed(t.generation);
    text_or_null(w, "reason", t.reason);
    text_or_null(w, "at", t.at);
    w.end();
  }
  w.end();
  w.end();
}

}  // namespace

std::string render_json(const Report& r) {
  JsonWriter w;
  w.object().field("schema", kSchema).field("repo", r.repo).field("artefacts_dir", r.artefacts);
  w.key("generated_at").opt_str(r.now);
  std::array<uint64_t, 6> n{};
  for (const auto& t : r.tasks) ++n[static_cast<size_t>(t.group)];
  w.key("summary")
      .object()
      .field("tasks", static_cast<uint64_t>(r.tasks.size()))
      .field("attention", n[0] + n[1] + n[2] + n[3]);
  w.key("groups").object();
  for (size_t g = 0; g < n.size(); ++g) w.field(group_name(static_cast<Group>(g)), n[g]);
  w.end().end();
  w.key("tasks").array();
  for (const auto& t : r.tasks) task(w, t);
  w.end();
  coverage(w, r);
  stop(w, r);
  w.end();
  return pretty_json(w.text());
}

std::string pretty_json(std::string_view in) {
  std::string out;
  out.reserve(in.size() * 2);
  int depth = 0;
  bool in_string = false;
  auto newline = [&]() {
    out += '\n';
    out.append(static_cast<size_t>(depth) * 2, ' ');
  };
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < in.size()) out += in[++i];
      else if (c == '"') in_string = false;
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        out += c;
        break;
      case '{':
      case '[':
        // Empty containers stay on one line.
        if (i + 1 < in.size() && (in[i + 1] == '}' || in[i + 1] == ']')) {
          out += c;
          out += in[++i];
          break;
        }
        out += c;
        ++depth;
        newline();
        break;
      case '}':
      case ']':
        --depth;
        newline();
        out += c;
        break;
      case ',':
        out += c;
        newline();
        break;
      case ':': out += ": "; break;
      default: out += c;
    }
  }
  return out + "\n";
}

}  // namespace queue_report

// `coverage-gate baseline show | history | set`: read the stored baseline, list its changes,
// and the audited override (the only way a baseline ever goes down).
#include <charconv>
#include <cstdio>
#include <filesystem>

#include "coverage-gate/context.hpp"
#include "coverage-gate/run.hpp"
#include "orchkit/json_writer.hpp"
#include "orchkit/state/open.hpp"
#include "orchkit/util/int128.hpp"
#include "orchkit/util/units.hpp"

namespace coverage_gate {

using namespace orchkit;

namespace {

void write_ratio(JsonWriter& w, const std::optional<state::Baseline>& b) { w.raw(state::baseline_json(b)); }

std::string pct_or_none(const std::optional<state::Baseline>& b) {
  return b ? format_ratio_pct(b->covered, b->total) + "% (" + std::to_string(b->covered) + "/" +
                 std::to_string(b->total) + ")"
           : std::string("none");
}

// "84.5" → 845000/1000000 as a ratio; "8123/9650" as given.
Result<state::Baseline> parse_value(const std::string& v) {
  size_t slash = v.find('/');
  if (slash != std::string::npos) {
    uint64_t c = 0, t = 0;
    auto r1 = std::from_chars(v.data(), v.data() + slash, c);
    auto r2 = std::from_chars(v.data() + slash + 1, v.data() + v.size(), t);
    if (r1.ec != std::errc() || r1.ptr != v.data() + slash || r2.ec != std::errc() || r2.ptr != v.data() + v.size() ||
        t == 0 || c > t)
      return fail(Exit::usage, "baseline set: '" + v + "' is not COVERED/TOTAL with 0 <= COVERED <= TOTAL, TOTAL > 0");
    return state::Baseline{c, t, {}, {}};
  }
  auto p = parse_percent(v);
  if (!p) return fail(Exit::usage, "baseline set: '" + v + "' is not a percentage from 0 to 100 or COVERED/TOTAL");
  return state::Baseline{static_cast<uint64_t>(p->micro), static_cast<uint64_t>(100 * Percent::kScale), {}, {}};
}

Result<Exit> show(const Context& ctx, const Options& opts, state::State* st) {
  std::optional<state::Baseline> b;
  if (st) {
    ORCHKIT_TRY(got, st->baseline(ctx.repo_id, ctx.target));
    b = got;
  }
  if (opts.common.json) {
    if (!b) {
      std::puts("null");
      return Exit::ok;
    }
    JsonWriter w;
    w.object()
        .field("repo", ctx.repo_id)
        .field("target", ctx.target)
        .field("line_covered", b->covered)
        .field("line_total", b->total)
        .field("line_pct", format_ratio_pct(b->covered, b->total))
        .field("commit", b->commit)
        .field("updated_at", b->updated_at)
        .end();
    std::printf("%s\n", w.text().c_str());
    return Exit::ok;
  }
  if (!b)
    std::printf("%s %s: no baseline yet (the first merge verified by merge-verify bootstraps it)\n",
                ctx.repo_id.c_str(), ctx.target.c_str());
  else
    std::printf("%s %s: %s at %s, updated %s\n", ctx.repo_id.c_str(), ctx.target.c_str(), pct_or_none(b).c_str(),
                b->commit.c_str(), b->updated_at.c_str());
  return Exit::ok;
}

Result<Exit> history(const Context& ctx, const Options& opts, state::State* st) {
  std::vector<state::HistoryRow> rows;
  if (st) {
    ORCHKIT_TRY(got, st->history(ctx.repo_id, ctx.target));
    rows = std::move(got);
  }
  if (opts.common.json) {
    JsonWriter w;
    w.array();
    for (const auto& h : rows) {
      w.object().field("id", static_cast<uint64_t>(h.id)).field("event", h.event);
      w.key("before");
      write_ratio(w, h.before);
      w.key("after");
      write_ratio(w, h.after);
      w.field("commit", h.commit)
          .field("task", h.task)
          .field("actor", h.actor)
          .field("reason", h.reason)
          .field("at", h.at)
          .end();
    }
    w.end();
    std::printf("%s\n", w.text().c_str());
    return Exit::ok;
  }
  if (rows.empty()) std::printf("%s %s: no history yet\n", ctx.repo_id.c_str(), ctx.target.c_str());
  for (const auto& h : rows)
    std::printf("%s  %-9s %s -> %s  %s%s%s\n", h.at.c_str(), h.event.c_str(), pct_or_none(h.before).c_str(),
                pct_or_none(h.after).c_str(), h.actor.c_str(), h.task.empty() ? "" : (" " + h.task).c_str(),
                h.reason.empty() ? "" : (" \"" + h.reason + "\"").c_str());
  return Exit::ok;
}

}  // namespace

Result<Exit> run_baseline(const Options& opts) {
  ORCHKIT_TRY(ctx, make_context(opts));
  if (opts.common.show_config) return print_config(ctx.cfg, kPolicyKeys);
  if (opts.command != Command::baseline_set) {
    ORCHKIT_TRY(st, state::open_state(ctx, state::Access::read));
    state::State* p = st ? &*st : nullptr;
    return opts.command == Command::baseline_show ? show(ctx, opts, p) : history(ctx, opts, p);
  }
  if (!opts.reason || opts.reason->find_first_not_of(" \t") == std::string::npos)
    return fail(Exit::usage, "baseline set: --reason is required and must not be empty (the override is audited)");
  ORCHKIT_TRY(value, parse_value(opts.set_value));
  ORCHKIT_TRY(opened, state::open_state(ctx, state::Access::write));
  state::State& st = *opened;
  ORCHKIT_TRY(res, st.override_baseline(ctx.repo_id, ctx.target, value.covered, value.total, state::current_actor(),
                                        *opts.reason));
  if (opts.common.json) {
    JsonWriter w;
    w.object().field("event", "override").field("target", ctx.target);
    w.key("baseline_before");
    write_ratio(w, res.before);
    w.key("baseline_after");
    write_ratio(w, std::optional<state::Baseline>(res.after));
    w.field("actor", state::current_actor()).field("reason", *opts.reason).end();
    std::printf("%s\n", w.text().c_str());
  } else {
    std::printf("%s %s: baseline %s -> %s (override by %s: %s)\n", ctx.repo_id.c_str(), ctx.target.c_str(),
                pct_or_none(res.before).c_str(), pct_or_none(res.after).c_str(), state::current_actor().c_str(),
                opts.reason->c_str());
  }
  return Exit::ok;
}

}  // namespace coverage_gate

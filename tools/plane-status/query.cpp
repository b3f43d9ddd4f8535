// plane-status resolve / states: how the status keys map onto one project's states right now,
// so an operator can roll out new states by creating them in Plane and checking here. Both ask
// the server (and refresh the states cache); a board that cannot be reached is exit 3.
#include <cstdio>

#include "orchkit/json_writer.hpp"
#include "orchkit/util/log.hpp"
#include "plane-status/run.hpp"

namespace plane_status {

using namespace orchkit;

namespace {

void write_resolution(JsonWriter& w, const plane::Resolution& r) {
  w.field("key", r.key).field("used_key", r.used_key).field("state_name", r.state_name);
  w.key("state_id").opt_str(r.state_id);
  w.field("resolved_via", plane::via_name(r.via)).field("why", r.why);
  w.key("warning").opt_str(r.warning);
}

Result<plane::Board> open_board(const Options& o, const Workspace& ws) {
  ORCHKIT_TRY(opts, board_options(o, ws, Duration(30'000)));
  opts.refresh_states = true;
  ORCHKIT_TRY(board, plane::Board::open(ws.cfg, opts));
  ORCHKIT_CHECK(board.project(*o.project));
  return board;
}

}  // namespace

Result<Exit> run_resolve(const Options& o, Workspace& ws) {
  if (!plane::is_status_key(o.key))
    return fail(Exit::usage, "--key '" + o.key +
                                 "' is not a status key (todo, in_progress, done, blocked, cancelled, "
                                 "stop, to_analyse, analysis, code_review, awaiting_deploy, deploying, monitoring)");
  ORCHKIT_TRY(board, open_board(o, ws));
  ORCHKIT_TRY(r, board.resolve(*o.project, o.key));
  if (o.common.json) {
    JsonWriter w;
    w.object().field("project", r.project);
    write_resolution(w, r);
    w.end();
    std::printf("%s\n", w.text().c_str());
  } else {
    std::printf("%s %s: %s\n", r.project.c_str(), r.key.c_str(),
                r.state_id ? (*r.state_id + " (" + std::string(plane::via_name(r.via)) + ")").c_str() : "nothing");
    std::printf("  %s\n", r.why.c_str());
  }
  if (r.warning) log::warning(*r.warning);
  return Exit::ok;
}

Result<Exit> run_states(const Options& o, Workspace& ws) {
  ORCHKIT_TRY(board, open_board(o, ws));
  ORCHKIT_TRY(p, board.project(*o.project));
  ORCHKIT_TRY(states, board.states(*o.project));
  std::vector<plane::Resolution> keys;
  for (auto k : plane::kBaseKeys) keys.push_back(plane::resolve(*o.project, *p, states, k));
  for (auto k : plane::kPhaseKeys) keys.push_back(plane::resolve(*o.project, *p, states, k));

  if (o.common.json) {
    JsonWriter w;
    w.object().field("project", *o.project).field("project_id", p->id);
    w.key("states").array();
    for (const auto& s : states) w.object().field("id", s.id).field("name", s.name).field("group", s.group).end();
    w.end().key("keys").array();
    for (const auto& r : keys) {
      w.object();
      write_resolution(w, r);
      w.end();
    }
    w.end().end();
    std::printf("%s\n", w.text().c_str());
  } else {
    std::printf("%s (%s): %zu states\n", o.project->c_str(), p->id.c_str(), states.size());
    for (const auto& s : states) std::printf("  %-36s  %-20s  %s\n", s.id.c_str(), s.name.c_str(), s.group.c_str());
    std::printf("\nkeys:\n");
    for (const auto& r : keys) {
      std::printf("  %-16s %-9s %s\n", r.key.c_str(), std::string(plane::via_name(r.via)).c_str(),
                  r.state_id ? ("'" + r.state_name + "' " + *r.state_id +
                                (r.via == plane::Via::fallback ? " (via " + r.used_key + ")" : std::string()))
                                   .c_str()
                             : ("(none: " + r.why + ")").c_str());
    }
  }
  for (const auto& r : keys)
    if (r.warning) log::warning(*r.warning);
  return Exit::ok;
}

}  // namespace plane_status

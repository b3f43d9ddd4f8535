// coverage-gate state export / import: the whole state as one JSON document, to move it between
// the SQLite file and the git branch without loss (docs/state.md).
#include <cstdio>

#include "coverage-gate/context.hpp"
#include "coverage-gate/run.hpp"
#include "orchkit/state/export.hpp"
#include "orchkit/state/open.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/log.hpp"

namespace coverage_gate {

using namespace orchkit;

Result<Exit> run_state(const Options& opts) {
  ORCHKIT_TRY(ctx, make_context(opts));
  if (opts.common.show_config) return print_config(ctx.cfg, {"project.", "state."});
  ORCHKIT_CHECK(require_valid_config(ctx.cfg, {"project.", "state."}));
  if (opts.command == Command::state_export) {
    ORCHKIT_TRY(st, state::open_state(ctx, state::Access::read));
    state::Snapshot empty;
    ORCHKIT_TRY(snap, st ? st->store().snapshot() : Result<state::Snapshot>(empty));
    const std::string text = state::export_json(snap);
    if (opts.out) {
      ORCHKIT_CHECK(write_file_atomic(*opts.out, text));
      log::info("state export: " + std::to_string(snap.baselines.size()) + " baselines, " +
                std::to_string(snap.history.size()) + " events, " + std::to_string(snap.tombstones.size()) +
                " tombstones written to " + *opts.out);
    } else {
      std::fwrite(text.data(), 1, text.size(), stdout);
    }
    return Exit::ok;
  }
  ORCHKIT_TRY(text, read_file(opts.import_file));
  ORCHKIT_TRY(snap, state::parse_export(text, opts.import_file));
  ORCHKIT_TRY(st, state::open_state(ctx, state::Access::write));
  ORCHKIT_TRY(now, st->store().snapshot());
  if (!now.empty() && !opts.replace)
    return fail(Exit::refused, state::state_location(ctx) +
                                   " is not empty: refusing to import over it (pass --replace to replace it)");
  ORCHKIT_CHECK(st->store().load(snap));
  log::info("state import: " + std::to_string(snap.baselines.size()) + " baselines, " +
            std::to_string(snap.history.size()) + " events, " + std::to_string(snap.tombstones.size()) +
            " tombstones loaded into " + st->describe());
  return Exit::ok;
}

}  // namespace coverage_gate

#include "queue-report/state_facts.hpp"

#include "orchkit/state/open.hpp"

namespace queue_report {

using namespace orchkit;

Result<StateFacts> read_state(const Workspace& ws) {
  StateFacts f;
  const std::string path = state::state_location(ws);
  auto opened = state::open_state(ws, state::Access::read_only);
  if (!opened) return fail(Exit::error, opened.error().message + " (queue-report only reads the state)");
  if (!*opened) return f;
  state::State& st = **opened;
  auto read = [&]() -> Result<void> {
    ORCHKIT_TRY(version, st.store().schema_version());
    f.present = true;
    // An empty file (no schema yet) holds nothing: as good as no file.
    if (version < 1) return {};
    ORCHKIT_TRY(baselines, st.baselines());
    for (auto& b : baselines) {
      ORCHKIT_TRY(history, st.history(b.repo, b.branch));
      f.branches.push_back(
          BranchFacts{std::move(b.repo), std::move(b.branch), std::move(b.baseline), std::move(history)});
    }
    ORCHKIT_TRY(tombs, st.tombstones());
    f.tombstones = std::move(tombs);
    ORCHKIT_TRY(stops, st.stop_requests());
    f.stops = std::move(stops);
    ORCHKIT_TRY(leases, st.leases());
    f.leases = std::move(leases);
    ORCHKIT_TRY(gates, st.gates());
    f.gates = std::move(gates);
    return {};
  };
  auto ok = read();
  if (!ok) {
    // The adapter names the file by its read-only URI; name it by its path.
    std::string msg = ok.error().message;
    std::string uri_prefix = "file:";
    if (msg.compare(0, uri_prefix.size(), uri_prefix) == 0) {
      size_t colon = msg.find("?mode=ro: ");
      if (colon != std::string::npos) msg = path + msg.substr(colon + 8);
    }
    return fail(Exit::error, msg + " (queue-report only reads the state)");
  }
  return f;
}

}  // namespace queue_report

// Private to report.cpp and report_stops.cpp: the state indexed by key, the stop files read from
// the task folders, and the stop block built from both.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "queue-report/inputs.hpp"
#include "queue-report/report.hpp"

namespace queue_report {

using TaskGen = std::pair<std::string, int64_t>;

// A 90-stop.md whose front matter parsed, as the stop block needs it.
struct StopFile {
  std::string task = {};
  int64_t generation = 0;
  std::string status = {};
  const orchkit::FrontMatter* fm = nullptr;
  std::string file = {};
  int64_t live_generation = 1;
};

// The state's rows by key, this repository's baselines only.
struct StateIndex {
  std::map<std::string, const BranchFacts*> baseline_of = {};  // target branch -> facts
  std::map<TaskGen, const orchkit::state::Tombstone*> task_tombs = {};
  std::map<TaskGen, const orchkit::state::StopRequest*> requests = {};
  std::map<std::string, const orchkit::state::Lease*> lease_of = {};
};

StateIndex index_state(const Inputs& in);

// The stop block (deferred, running, cancelled, stale stops, windows, tombstones), from the
// state and the stop files; `live_generation` is each task's generation from its folder.
void add_stops(const Inputs& in, const StateIndex& idx, const std::vector<StopFile>& stop_files,
               const std::map<std::string, int64_t>& live_generation, Report& r);

}  // namespace queue_report

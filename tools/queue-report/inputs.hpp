// What queue-report reads, as plain values: every task folder's front matter (as found, broken
// or not) and the rows of the state file. Gathered by scan.cpp and state_facts.cpp; everything
// after that (report.cpp, the renderers) is pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "orchkit/frontmatter.hpp"
#include "orchkit/state/state.hpp"
#include "orchkit/util/units.hpp"

namespace queue_report {

// One artefact file of a task folder. `fm` is nullopt when the file is broken; `problem` says why.
struct ArtefactFile {
  std::string file = {};  // as shown: "<artefacts>/<KEY>/<name>"
  std::optional<orchkit::FrontMatter> fm = {};
  std::string problem = {};  // "line 1: no front matter (...)"; empty when the front matter parsed
};

// A folder <artefacts>/<KEY>/ and the three artefacts queue-report reads (nullopt = no such file).
struct TaskFolder {
  std::string key = {};
  std::optional<ArtefactFile> stage = {};     // 00-stage.md (plane-status)
  std::optional<ArtefactFile> coverage = {};  // 18-coverage-report.md (coverage-gate)
  std::optional<ArtefactFile> stop = {};      // 90-stop.md (stop-task)
};

// The coverage baseline of one (repo, branch) and every change to it, oldest first.
struct BranchFacts {
  std::string repo = {};
  std::string branch = {};
  orchkit::state::Baseline baseline = {};
  std::vector<orchkit::state::HistoryRow> history = {};
};

struct StateFacts {
  bool present = false;  // false: no state file yet (no baseline, no tombstone, no stop)
  std::vector<BranchFacts> branches = {};
  std::vector<orchkit::state::Tombstone> tombstones = {};
  std::vector<orchkit::state::StopRequest> stops = {};
  std::vector<orchkit::state::Lease> leases = {};
  std::vector<orchkit::state::GateRecord> gates = {};  // gate records kept in the state (git store)
};

struct Inputs {
  std::string repo = {};                  // the baseline key of this repository
  std::string artefacts = {};             // the artefacts directory as shown
  orchkit::Percent floor = {};            // coverage.min
  std::optional<std::string> now = {};    // --now (ISO-8601 UTC); never the clock
  std::optional<std::string> chart = {};  // the SVG as linked from the Markdown
  std::vector<TaskFolder> tasks = {};
  StateFacts state = {};
};

}  // namespace queue_report

// Builders for the queue-report unit tests: task folders from front matter text.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "queue-report/inputs.hpp"
#include "queue-report/scan.hpp"

namespace queue_report::test {

inline ArtefactFile artefact(const std::string& file, const std::string& text) {
  return artefact_from_text(text, file);
}

inline TaskFolder folder(const std::string& key, const std::string& stage, const std::string& coverage = {},
                         const std::string& stop = {}) {
  TaskFolder f;
  f.key = key;
  std::string dir = "w/" + key + "/";
  if (!stage.empty()) f.stage = artefact(dir + "00-stage.md", stage);
  if (!coverage.empty()) f.coverage = artefact(dir + "18-coverage-report.md", coverage);
  if (!stop.empty()) f.stop = artefact(dir + "90-stop.md", stop);
  return f;
}

inline std::string stage_md(const std::string& key, const std::string& stage, int gen = 1,
                            const std::string& at = "2024-05-01T10:00:00Z") {
  return "---\ntask: " + key + "\nstage: " + stage +
         "\nkey: in_progress\nstate_id: 0000\ngeneration: " + std::to_string(gen) + "\nupdated_at: " + at + "\n---\n";
}

inline std::string coverage_md(const std::string& key, const std::string& status, int covered, int total = 100,
                               const std::string& extra = {}) {
  return "---\ncoverage_status: " + status + "\ntask: " + key + "\ncommit: " + std::string(40, 'a') +
         "\ntarget: main\nline_covered: " + std::to_string(covered) + "\nline_total: " + std::to_string(total) + "\n" +
         extra + "generated_by: coverage-gate 0.1.0\n---\n\n# body is never read\n";
}

inline BranchFacts branch(const std::string& name, uint64_t covered, uint64_t total) {
  BranchFacts b;
  b.repo = "acme/demo";
  b.branch = name;
  b.baseline = orchkit::state::Baseline{covered, total, std::string(40, 'b'), "2024-05-01T09:00:00Z"};
  return b;
}

inline orchkit::state::HistoryRow change(int64_t id, const std::string& event, std::optional<uint64_t> before,
                                         uint64_t after, const std::string& at, const std::string& actor = "ci",
                                         const std::string& reason = {}) {
  orchkit::state::HistoryRow h;
  h.id = id;
  h.event = event;
  if (before) h.before = orchkit::state::Baseline{*before, 100, {}, {}};
  h.after = orchkit::state::Baseline{after, 100, {}, {}};
  h.commit = std::string(40, 'c');
  h.task = event == "override" ? "" : "T-" + std::to_string(id);
  h.actor = actor;
  h.reason = reason;
  h.at = at;
  return h;
}

}  // namespace queue_report::test

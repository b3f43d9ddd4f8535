// Everything one `coverage-gate check` found and decided: what the artefact, the text output,
// the JSON and the notifications are rendered from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "coverage-gate/floors.hpp"
#include "coverage-gate/patch.hpp"
#include "coverage-gate/path_match.hpp"
#include "coverage-gate/verdict.hpp"
#include "orchkit/config.hpp"
#include "orchkit/differential.hpp"
#include "orchkit/git/repo.hpp"
#include "orchkit/json_writer.hpp"
#include "orchkit/records/gate.hpp"

namespace coverage_gate {

struct ReportRef {
  std::string path = {};
  std::string format = {};
  std::string sha256 = {};
};

struct FileRatio {
  std::string path = {};
  Ratio ratio = {};
};

struct Outcome {
  Verdict verdict = {};
  Facts facts = {};
  Policy policy = {};
  std::optional<std::string> task = {};
  std::optional<orchkit::git::Commit> commit = {};
  std::string target = {};
  std::optional<std::string> baseline_commit = {};
  std::optional<Patch> patch = {};
  std::vector<ReportRef> reports = {};
  std::vector<FileRatio> worst = {};         // lowest coverage first, at most 10
  std::string problem = {};                  // what went wrong, for tool_error & co.
  std::vector<std::string> notes = {};       // path diagnostics and other remarks
  std::optional<std::string> artefact = {};  // path written, if any
  std::string version = {};
  std::optional<std::string> target_tip = {};              // the target's tip the commit must contain
  std::optional<std::string> head_commit = {};             // the PR head it stands for (head.hpp)
  std::string policy_origin = {};                          // where the policy was read
  std::vector<orchkit::ConfigChange> policy_changes = {};  // target's value -> the tree's (not applied)
  std::optional<PathMatch> paths = {};                     // report paths against tracked files
  int interrupted = 0;                                     // SIGINT/SIGTERM: no verdict is written
  std::optional<orchkit::differential::Result> diff = {};  // categories against the baseline's lines
  std::string diff_unavailable = {};                       // why there are none, when the rule wants them
  std::vector<FileBelow> below = {};                       // files under their [coverage.files] floor
  std::optional<std::string> line_data_sha256 = {};        // of the line data written beside the artefact
};

// "84.17" etc. of the facts, as printed and as written in the front matter.
std::optional<std::string> line_pct(const Outcome& o);  // null when nothing was measured
std::optional<std::string> baseline_pct(const Outcome& o);
std::optional<std::string> patch_pct(const Outcome& o);

// The verdict in one sentence.
std::string sentence(const Outcome& o);
// The gate record (the artefact's front matter, the contract) of an outcome.
orchkit::records::GateRecord gate_record_of(const Outcome& o);
// The artefact: YAML front matter (the contract) + Markdown body (for people).
std::string render_artefact(const Outcome& o);
// The --json object.
std::string render_json(const Outcome& o);
// Human text for the terminal (and the step summary).
std::string render_text(const Outcome& o);

// The differential parts (diff_render.cpp): the artefact's section, the --json fields, the text
// lines and the Actions annotations on UNC and LBC lines.
std::string diff_section(const Outcome& o);
void diff_json(orchkit::JsonWriter& w, const Outcome& o);
std::string diff_text(const Outcome& o);
void annotate_diff(const Outcome& o);
// What the differential checks failed on ("1 unchanged line lost coverage (LBC) ..."), "" if none.
std::string diff_failures(const Outcome& o);
// What a passing verdict says of them ("; differential: no new uncovered line ..."), "" if none.
std::string diff_passes(const Outcome& o);

}  // namespace coverage_gate

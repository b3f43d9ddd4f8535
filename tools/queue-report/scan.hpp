// Reading the artefacts directory: every <KEY>/ folder whose name matches task.key_pattern, and in
// it only the front matter of 00-stage.md, the coverage artefact and 90-stop.md — each file is
// read up to its closing `---` and no further, so a folder costs a few small reads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orchkit/result.hpp"
#include "queue-report/inputs.hpp"

namespace queue_report {

struct ScanOptions {
  std::string dir = {};    // the artefacts directory on disk
  std::string shown = {};  // how paths are shown in the report ("docs/work-items")
  std::string key_pattern = "[A-Z]+-[0-9]+";
  std::string coverage_name = "18-coverage-report.md";
  bool must_exist = false;  // a missing directory is an error (given by flag) or no task yet
};

// Every task folder, in directory order (the report sorts). Exit 2 for a bad key pattern, 3 when
// the directory cannot be listed.
orchkit::Result<std::vector<TaskFolder>> scan_tasks(const ScanOptions& opts);

// Where the front matter block at the start of `text` ends (the byte after its closing `---`
// line). `resume` carries the scan position between calls as more text arrives.
enum class Head { need_more, complete };
Head scan_head(std::string_view text, bool at_eof, size_t& resume, size_t& end);

// The front matter block of one file (nullopt when there is no such file); a file that does
// not start with `---` comes back as its first line, for the parser to say so.
orchkit::Result<std::optional<std::string>> read_head(const std::string& path);

// One artefact: nullopt when absent; otherwise its front matter or why it is broken.
std::optional<ArtefactFile> read_artefact(const std::string& path, const std::string& shown);

// `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string valid_utf8(std::string_view s);

// Parses a front matter block read from `shown` (made valid UTF-8 first); a broken one says why, by line.
ArtefactFile artefact_from_text(std::string_view text, const std::string& shown);

// Adds the gate records kept in the state (state.backend = "git": a gate that ran on another
// runner) as the coverage artefact of their task, shown as `<location>:gates/<KEY>.md`. A task
// folder's own coverage file is kept; a key that does not match `key_pattern` is skipped.
void add_gate_records(std::vector<TaskFolder>& tasks, const std::vector<orchkit::state::GateRecord>& gates,
                      const std::string& location, const std::string& key_pattern);

// The coverage artefact's file name inside a task folder, from coverage.artefact
// ("{artefacts_dir}/{task}/18-coverage-report.md"); the default when the template puts it elsewhere.
std::string coverage_file_name(std::string_view artefact_template);

}  // namespace queue_report

// The pull-request comment of `coverage-gate check` ([gitea] pr_comment = true): one comment per
// PR, found again by a hidden marker and edited in place on every run (lib/orchkit/forge/
// comment.hpp), with the verdict, the totals against the baseline and the changed files' patch
// coverage with their uncovered line ranges linked at the measured commit. Never-raise: a
// comment that cannot be made is a warning; the verdict stands.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "coverage-gate/context.hpp"
#include "coverage-gate/outcome.hpp"

namespace coverage_gate {

// The pull request a check is for: --pr N, else inside Actions the event's pull_request.number
// ($GITHUB_EVENT_PATH of a pull_request / pull_request_target event), else $GITHUB_REF
// refs/pull/N/…; nullopt when none says so (no comment, no warning).
std::optional<int64_t> pull_request_number(std::optional<int64_t> flag);

// The hidden first line that finds the comment again: one per status context, so two gates on
// one repository keep two comments.
std::string comment_marker(std::string_view context);

// The whole body, under max_chars (rows beyond it summed up). `source` is the web URL lines link
// to (<server>/<owner>/<repo>/src/commit/<sha>), "" for no links.
std::string render_pr_comment(const Outcome& o, std::string_view marker, std::string_view source, size_t max_chars);

// Creates or edits the PR's comment when pr_comment is on and the check is for a PR.
void post_pr_comment(const Context& ctx, std::optional<int64_t> pr_flag, const Outcome& o);

}  // namespace coverage_gate

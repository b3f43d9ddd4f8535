// Diagnostics for people and for Gitea/GitHub Actions: one-line errors, ::error:: / ::warning::
// annotations inside Actions, and the Markdown step summary.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace orchkit::log {

void set_program(std::string_view name);
std::string_view program();

// `<program>: error: <message>` on stderr (plus `::error::` inside Actions); control characters
// in the message are escaped so the line stays one line.
void error(std::string_view message);
// `<program>: warning: <message>` on stderr (plus `::warning::` inside Actions).
void warning(std::string_view message);
// Inside Actions only: the `::<level>::` workflow command, no stderr line (for a result that
// is already printed on stdout).
void annotate(std::string_view level, std::string_view message);
// The same on lines `line`..`end_line` of `file` (repo-relative): `::<level> file=..,line=..,endLine=..::`.
void annotate_at(std::string_view level, std::string_view file, uint32_t line, uint32_t end_line,
                 std::string_view message);
// `<program>: <message>` on stderr: progress and notes, never the result.
void info(std::string_view message);

bool in_actions();
// With --json, stdout carries exactly one JSON object: annotations then go to stderr (the
// Actions runner reads workflow commands from both streams).
void reserve_stdout(bool reserved);
bool stdout_reserved();
// A tool that printed its own JSON object on a failure path says so: the error boundary then
// prints none of its own (stdout carries exactly one object).
void mark_stdout_used();
bool stdout_used();
// True when stdout is a terminal and NO_COLOR is unset.
bool color_stdout();
// Appends Markdown to $GITHUB_STEP_SUMMARY when it is set; returns false on a write failure.
bool step_summary(std::string_view markdown);

// Removes every known secret (PLANE_API_KEY, TELEGRAM_BOT_TOKEN, GITEA_TOKEN values) from text.
std::string redact(std::string_view text);

}  // namespace orchkit::log

// The exit-code contract shared by every binary (SPEC §2) and the one error boundary.
#pragma once

#include <functional>
#include <string_view>

namespace orchkit {

enum class Exit : int {
  ok = 0,       // PASS, WARN (fail-open), SKIPPED, deferred, nothing to do
  no = 1,       // the gate says no
  usage = 2,    // bad flag, bad TOML, unknown key, missing required value
  error = 3,    // could not decide / operation failed
  refused = 4,  // refused for safety
};

template <class T>
class Result;

// Runs `body`; a Result error or any stray exception becomes one line on stderr
// (`<program>: error: ...`) and its exit code. The only place that happens.
int guarded_main(std::string_view program, const std::function<Result<Exit>()>& body);

// With --json: `{"error": message, "exit": code}` on stdout, unless a JSON object was already
// printed (log::stdout_used()).
void print_json_error(std::string_view message, Exit code);

// The exit-code table, for every --help.
std::string_view exit_code_help();

}  // namespace orchkit

#include "orchkit/exit.hpp"

#include <cstdio>
#include <exception>
#include <new>
#include <string>

#include "orchkit/json_writer.hpp"
#include "orchkit/result.hpp"
#include "orchkit/util/log.hpp"

namespace orchkit {

void print_json_error(std::string_view message, Exit code) {
  if (log::stdout_used()) return;
  log::mark_stdout_used();
  std::string out = JsonWriter()
                        .object()
                        .field("error", log::redact(message))
                        .key("exit")
                        .num(static_cast<uint64_t>(code))
                        .end()
                        .text() +
                    "\n";
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);
}

namespace {
int failed(const std::string& message, Exit code) {
  log::error(message);
  if (log::stdout_reserved() && code != Exit::ok && code != Exit::no) print_json_error(message, code);
  return static_cast<int>(code);
}
}  // namespace

int guarded_main(std::string_view program, const std::function<Result<Exit>()>& body) {
  log::set_program(program);
  try {
    Result<Exit> r = body();
    if (r) return static_cast<int>(*r);
    return failed(r.error().message, r.error().exit);
  } catch (const std::bad_alloc&) {
    return failed("out of memory (the input is larger than this machine can hold)", Exit::error);
  } catch (const std::exception& e) {
    return failed(std::string("internal: ") + e.what() + " (please report this)", Exit::error);
  } catch (...) {
    return failed("internal: unknown exception (please report this)", Exit::error);
  }
}

std::string_view exit_code_help() {
  return "Exit codes:\n"
         "  0  done: PASS, WARN (fail-open), SKIPPED, deferred, nothing to do\n"
         "  1  the gate says no: coverage FAIL, merge not verified\n"
         "  2  usage or config error: bad flag, bad TOML, unknown key, missing value\n"
         "  3  could not decide or the operation failed (ERROR under fail-closed, I/O, git, DB)\n"
         "  4  refused for safety: protected branch, path outside its root, cancelled task\n";
}

}  // namespace orchkit

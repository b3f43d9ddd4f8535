#include "orchkit/exit.hpp"

#include <cstdio>
#include <exception>
#include <new>
#include <string>

#include "orchkit/log.hpp"
#include "orchkit/result.hpp"

namespace orchkit {

int guarded_main(std::string_view program, const std::function<Result<Exit>()>& body) {
  log::set_program(program);
  try {
    Result<Exit> r = body();
    if (r) return static_cast<int>(*r);
    log::error(r.error().message);
    return static_cast<int>(r.error().exit);
  } catch (const std::bad_alloc&) {
    log::error("out of memory (the input is larger than this machine can hold)");
  } catch (const std::exception& e) {
    log::error(std::string("internal: ") + e.what() + " (please report this)");
  } catch (...) {
    log::error("internal: unknown exception (please report this)");
  }
  return static_cast<int>(Exit::error);
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

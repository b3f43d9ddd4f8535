#include "orchkit/process/proc.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

#include "orchkit/process/signals.hpp"

namespace orchkit::proc {
namespace bp = boost::process;
namespace {

void kill_group(pid_t pgid, int sig) {
  if (pgid > 1) ::kill(-pgid, sig);  // the command's own group: never ours, never init's
}

// SIGTERM to the group, up to 2 s for the command to end, then SIGKILL.
void stop_group(bp::child& child, pid_t pgid) {
  std::error_code ec;
  kill_group(pgid, SIGTERM);
  auto grace_end = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (child.running(ec) && std::chrono::steady_clock::now() < grace_end)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  kill_group(pgid, SIGKILL);
}

}  // namespace

Result<Outcome> run(const std::vector<std::string>& argv, const std::string& cwd, Duration timeout,
                    const std::function<void(Duration)>& progress, Duration tick) {
  if (argv.empty()) return fail(Exit::usage, "the command is empty (set coverage.command or pass --report)");
  boost::filesystem::path exe = argv[0];
  if (argv[0].find('/') == std::string::npos) {
    exe = bp::search_path(argv[0]);
    if (exe.empty())
      return fail(Exit::error, "cannot run '" + argv[0] + "': not found on PATH (install it or fix coverage.command)");
  }
  std::vector<std::string> args(argv.begin() + 1, argv.end());
  std::error_code ec;
  // stdout of the command goes to our stderr: our stdout is for the verdict (--json).
  bp::child child(
      bp::exe = exe.string(), bp::args = args, bp::start_dir = cwd, bp::std_out > stderr, bp::std_err > stderr,
      bp::std_in < bp::null, ec, bp::extend::on_exec_setup = [](auto&) { ::setpgid(0, 0); });
  if (ec) return fail(Exit::error, "cannot run '" + argv[0] + "': " + ec.message());
  pid_t pgid = child.id();
  ::setpgid(pgid, pgid);  // also from the parent, so the group exists before we might signal it

  using clock = std::chrono::steady_clock;
  auto start = clock::now();
  auto next_tick = start + tick;
  Outcome out;
  while (child.running(ec)) {
    auto now = clock::now();
    if (int sig = signals::pending()) {
      out.interrupted = sig;
      stop_group(child, pgid);
      break;
    }
    if (now - start >= timeout) {
      out.timed_out = true;
      stop_group(child, pgid);
      break;
    }
    if (progress && now >= next_tick) {
      progress(std::chrono::duration_cast<Duration>(now - start));
      next_tick += tick;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  child.wait(ec);
  // Whatever the command left behind in its group goes with it.
  kill_group(pgid, SIGKILL);
  int native = child.native_exit_code();
  if (WIFSIGNALED(native)) out.exit_code = 128 + WTERMSIG(native);
  else out.exit_code = child.exit_code();
  return out;
}

}  // namespace orchkit::proc

#include "orchkit/result.hpp"
#include "orchkit/util/log.hpp"
#include "stop-task/cli.hpp"
#include "stop-task/run.hpp"

int main(int argc, char** argv) {
  return orchkit::guarded_main("stop-task", [&]() -> orchkit::Result<orchkit::Exit> {
    stop_task::Options opts;
    if (auto stop = stop_task::parse_cli(argc, argv, opts)) return *stop;
    orchkit::log::reserve_stdout(opts.common.json);
    return stop_task::run(opts);
  });
}

#include "orchkit/result.hpp"
#include "orchkit/util/log.hpp"
#include "queue-report/cli.hpp"
#include "queue-report/run.hpp"

int main(int argc, char** argv) {
  return orchkit::guarded_main("queue-report", [&]() -> orchkit::Result<orchkit::Exit> {
    queue_report::Options opts;
    if (auto stop = queue_report::parse_cli(argc, argv, opts)) return *stop;
    orchkit::log::reserve_stdout(opts.format == "json" && !opts.out);
    return queue_report::run(opts);
  });
}

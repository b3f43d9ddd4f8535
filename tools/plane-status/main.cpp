#include "orchkit/result.hpp"
#include "orchkit/util/log.hpp"
#include "plane-status/cli.hpp"
#include "plane-status/run.hpp"

int main(int argc, char** argv) {
  return orchkit::guarded_main("plane-status", [&]() -> orchkit::Result<orchkit::Exit> {
    plane_status::Options opts;
    if (auto stop = plane_status::parse_cli(argc, argv, opts)) return *stop;
    orchkit::log::reserve_stdout(opts.common.json);
    return plane_status::run(opts);
  });
}

#include "coverage-gate/cli.hpp"
#include "coverage-gate/run.hpp"
#include "orchkit/result.hpp"
#include "orchkit/util/log.hpp"

int main(int argc, char** argv) {
  return orchkit::guarded_main("coverage-gate", [&]() -> orchkit::Result<orchkit::Exit> {
    coverage_gate::Options opts;
    if (auto stop = coverage_gate::parse_cli(argc, argv, opts)) return *stop;
    orchkit::log::reserve_stdout(opts.common.json);
    return coverage_gate::run(opts);
  });
}

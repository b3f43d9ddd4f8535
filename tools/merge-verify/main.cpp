#include "merge-verify/cli.hpp"
#include "merge-verify/run.hpp"
#include "orchkit/result.hpp"
#include "orchkit/util/log.hpp"

int main(int argc, char** argv) {
  return orchkit::guarded_main("merge-verify", [&]() -> orchkit::Result<orchkit::Exit> {
    merge_verify::Options opts;
    if (auto stop = merge_verify::parse_cli(argc, argv, opts)) return *stop;
    orchkit::log::reserve_stdout(opts.common.json);
    return merge_verify::run(opts);
  });
}

// libFuzzer target: the llvm-cov-json parser (see fuzz_report.hpp).
#include "fuzz_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return orchkit_fuzz::report(orchkit::coverage::Format::llvm_cov_json, data, size);
}

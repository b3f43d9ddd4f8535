// libFuzzer target: the cobertura parser (see fuzz_report.hpp).
#include "fuzz_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return orchkit_fuzz::report(orchkit::coverage::Format::cobertura, data, size);
}

// libFuzzer target: orchkit.toml parsing (toml++ behind parse_config); any input must give a
// Config or an error, never a crash or an escaped exception.
#include <cstdint>
#include <string_view>

#include "orchkit/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto cfg = orchkit::parse_config(text, "fuzz.toml");
  if (cfg) (void)orchkit::show_config(*cfg);
  return 0;
}

// libFuzzer target: artefact front matter. Whatever parses must survive a write-and-read-back
// through FrontMatterWriter/yaml_scalar unchanged (the writer and reader are one contract).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "orchkit/frontmatter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto fm = orchkit::parse_front_matter(text, "fuzz.md");
  if (!fm) return 0;
  for (const auto& [key, value] : fm->values) {
    (void)fm->get_int(key);
    orchkit::FrontMatterWriter w;
    w.raw("k", orchkit::yaml_scalar(value));
    auto back = orchkit::parse_front_matter(w.text(), "written.md");
    if (!back || back->get("k") != value) std::abort();
  }
  return 0;
}

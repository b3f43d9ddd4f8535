// libFuzzer target: the baseline's line data, both forms (line_data.hpp). Whatever parses must
// survive an encode-and-read-back unchanged in its own form and in the other (the writers and the
// readers are one contract), and the walk of the categorisation must not fault on it (the data as
// both baseline and HEAD).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "orchkit/differential.hpp"
#include "orchkit/line_data.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (size > (1u << 16)) return 0;
  auto cov = text.substr(0, 16) == "orchkit-lines 2\n" ? orchkit::line_data::from_words(text, "fuzz.lines", 1u << 20)
                                                       : orchkit::line_data::from_text(text, "fuzz.lines", 1u << 20);
  if (!cov) return 0;
  std::string again = orchkit::line_data::to_text(*cov);
  auto back = orchkit::line_data::from_text(again, "written.lines");
  if (!back || orchkit::line_data::to_text(*back) != again) std::abort();
  std::string words = orchkit::line_data::to_words(*back);
  auto from_words = orchkit::line_data::from_words(words, "written.words");
  if (!from_words || orchkit::line_data::to_text(*from_words) != again ||
      orchkit::line_data::to_words(*from_words) != words)
    std::abort();
  auto r = orchkit::differential::categorise(*cov, *back, {});
  if (r.total[orchkit::differential::Category::UNC] != 0) std::abort();  // nothing changed: nothing new
  return 0;
}

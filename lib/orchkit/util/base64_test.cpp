#include "orchkit/util/base64.hpp"

#include <catch2/catch.hpp>

using namespace orchkit;

TEST_CASE("base64: the RFC 4648 vectors, both ways", "[base64]") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, coded] : vectors) {
    CHECK(base64_encode(plain) == coded);
    CHECK(base64_decode(coded) == std::optional<std::string>(plain));
  }
}

TEST_CASE("base64: binary bytes round-trip; malformed text is refused", "[base64]") {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  CHECK(base64_decode(base64_encode(all)) == std::optional<std::string>(all));
  CHECK_FALSE(base64_decode("Zg="));       // bad length
  CHECK_FALSE(base64_decode("Zm9v!A=="));  // bad character
  CHECK_FALSE(base64_decode("Z=g="));      // padding inside
  CHECK_FALSE(base64_decode("Zh=="));      // non-zero hidden bits: not canonical
}

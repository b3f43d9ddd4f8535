// gzip_compress and Gunzip: a round trip at every size, one member below 8 MiB and two above,
// and a stream cut inside a member reads as truncated.
#include "orchkit/util/gzip.hpp"

#include <catch2/catch.hpp>
#include <cstring>
#include <random>

using namespace orchkit;

namespace {

// Line-data-like text: paths and runs, some repetition, some noise.
std::string text_of(size_t size) {
  std::mt19937 rng(7);
  std::string s;
  for (size_t i = 0; s.size() < size; ++i)
    s += "src/dir" + std::to_string(i % 97) + "/file" + std::to_string(i) + ".c\t" + std::to_string(rng() % 50) + "+" +
         std::to_string(rng() % 400) + (rng() % 2 ? "c" : "u") + "\n";
  s.resize(size);
  return s;
}

size_t members(const std::string& gz) {
  size_t n = 0;
  for (size_t at = 0; (at = gz.find("\x1f\x8b\x08", at)) != std::string::npos; ++at) ++n;
  return n;  // an upper bound: the magic may also occur inside deflated data
}

}  // namespace

TEST_CASE("gzip: compress then gunzip gives the bytes back, one member small, two past 8 MiB", "[gzip]") {
  for (size_t size :
       {size_t{0}, size_t{1}, size_t{4096}, (size_t{8} << 20) - 1, (size_t{8} << 20) + 1, size_t{20} << 20}) {
    INFO("size " << size);
    std::string data = text_of(size);
    auto gz = gzip_compress(data);
    REQUIRE(gz);
    auto back = gunzip_all(*gz, "t.gz", size + 1);
    REQUIRE(back);
    CHECK(*back == data);
    if (size > (size_t{8} << 20)) CHECK(members(*gz) >= 2);
    else CHECK(gz->compare(0, 3, "\x1f\x8b\x08") == 0);
  }
}

TEST_CASE("gzip: the two-member stream cut before its end is truncated, not short", "[gzip]") {
  std::string data = text_of(size_t{12} << 20);
  auto gz = gzip_compress(data);
  REQUIRE(gz);
  for (size_t cut : {gz->size() / 3, gz->size() / 2, gz->size() - 1}) {
    auto back = gunzip_all(gz->substr(0, cut), "t.gz", data.size() + 1);
    CHECK_FALSE(back);
  }
}

TEST_CASE("gzip: data that does not compress is stored after a probe, data that does is deflated", "[gzip]") {
  std::mt19937_64 rng(3);
  for (size_t size : {size_t{3} << 20, size_t{20} << 20}) {
    INFO("size " << size);
    std::string noise(size, '\0');
    for (size_t i = 0; i + 8 <= size; i += 8) {
      const uint64_t v = rng();
      std::memcpy(noise.data() + i, &v, 8);
    }
    auto gz = gzip_compress(noise);
    REQUIRE(gz);
    CHECK(gz->size() >= size);  // stored: a few bytes per 64 KiB block over the data
    CHECK(gz->size() < size + size / 1000 + 4096);
    auto back = gunzip_all(*gz, "noise.gz", size);
    REQUIRE(back);
    CHECK(*back == noise);
    std::string text = text_of(size);
    auto small = gzip_compress(text);
    REQUIRE(small);
    CHECK(small->size() < size / 2);
    CHECK(gunzip_all(*small, "text.gz", size).value() == text);
  }
}

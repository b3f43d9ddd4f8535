#include "orchkit/bundle.hpp"

#include <catch2/catch.hpp>

using namespace orchkit;

namespace {
const std::string kA = "9351d5b90f0d0130e4e6175e999cf91b48388e10";
const std::string kB = "0a80b7bd6773c21fd7c8e74436164b184bf73878";
}  // namespace

TEST_CASE("bundle header: refs listed, prerequisites and capabilities skipped, pack not read", "[bundle]") {
  std::string v2 = "# v2 git bundle\n-" + kB + " initial\n" + kA + " refs/heads/task/ORCH-1-login\n" + kA +
                   " HEAD\n\nPACK\x00\x01\n";
  auto heads = bundle::parse_heads(v2, "b");
  REQUIRE(heads);
  REQUIRE(heads->size() == 2);
  CHECK((*heads)[0].oid == kA);
  CHECK((*heads)[0].ref == "refs/heads/task/ORCH-1-login");
  CHECK((*heads)[1].ref == "HEAD");
  std::string v3 = "# v3 git bundle\n@object-format=sha1\n" + kA + " refs/heads/x\n\n";
  auto h3 = bundle::parse_heads(v3, "b");
  REQUIRE(h3);
  CHECK(h3->size() == 1);
}

TEST_CASE("bundle header: not a bundle, truncated, a bad ref line", "[bundle]") {
  CHECK_FALSE(bundle::parse_heads("PK\x03\x04 zip\n", "b"));
  CHECK_FALSE(bundle::parse_heads("# v2 git bundle\n" + kA + " refs/heads/x\n", "b"));
  auto bad = bundle::parse_heads("# v2 git bundle\nabc refs/heads/x\n\n", "f.bundle");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error().message, Catch::Contains("f.bundle:2"));
}

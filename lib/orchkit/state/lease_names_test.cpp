#include "orchkit/state/lease_names.hpp"

#include <catch2/catch.hpp>

using namespace orchkit;

TEST_CASE("lease names: the windows a stop waits for, and the stop's own lease", "[state]") {
  CHECK(lease_names::merge("acme/demo", "main") == "merge:acme/demo:main");
  CHECK(lease_names::guard("deploy", "acme/demo", "ORCH-1") == "guard:deploy:acme/demo:ORCH-1");
  CHECK(lease_names::stop("acme/demo", "ORCH-1") == "stop:acme/demo:ORCH-1");
  CHECK(lease_names::is_window(lease_names::merge("r", "main")));
  CHECK(lease_names::is_window(lease_names::guard("deploy", "r", "ORCH-1")));
  CHECK_FALSE(lease_names::is_window(lease_names::stop("r", "ORCH-1")));  // a stop never waits for a stop
  CHECK_FALSE(lease_names::is_window("merger:r:main"));
  CHECK_FALSE(lease_names::is_window(""));
}

#include "orchkit/records/location.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "support/temp_dir.hpp"

using namespace orchkit;
using namespace orchkit::records;

TEST_CASE("records: containment is a path-component rule", "[records]") {
  CHECK(lies_inside("/r/docs/A-1/x.md", "/r/docs"));
  CHECK_FALSE(lies_inside("/r/docs", "/r/docs"));
  CHECK_FALSE(lies_inside("/r/docs2/x.md", "/r/docs"));
  CHECK_FALSE(lies_inside("/r/x.md", "/r/docs"));
  CHECK(lies_inside("/x", "/"));
}

TEST_CASE("records: keys that cannot be one directory name are refused", "[records]") {
  for (const char* bad : {"", ".", "..", "A/B", "../X-1", "A\nB"}) {
    INFO(bad);
    auto r = check_key_as_name(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().exit == Exit::refused);
  }
  CHECK(check_key_as_name("ORCH-27"));
  CHECK_FALSE(check_key_as_name(std::string(256, 'A')));
  CHECK(check_key_as_name(std::string(255, 'A')));
}

TEST_CASE("records: relative and absolute artefacts_dir, the gate record template", "[records]") {
  Config cfg;
  CHECK(artefacts_root(cfg, "/repo") == "/repo/docs/work-items");
  cfg.task.artefacts_dir = "/srv/artefacts/";
  CHECK(artefacts_root(cfg, "/repo") == "/srv/artefacts");
  CHECK(*task_record(cfg, "/repo", "ORCH-1", "00-stage.md") == "/srv/artefacts/ORCH-1/00-stage.md");
  CHECK(*gate_record(cfg, "/repo", "ORCH-1") == "/srv/artefacts/ORCH-1/18-coverage-report.md");
  cfg.task.artefacts_dir = "docs/work-items";
  cfg.coverage.artefact = "{artefacts_dir}/../../outside/{task}.md";
  auto out = gate_record(cfg, "/repo", "ORCH-1");
  REQUIRE_FALSE(out);
  CHECK(out.error().exit == Exit::refused);
  cfg.coverage.artefact = "{artefacts_dir}/{task}/gate.md";
  CHECK(*gate_record(cfg, "/repo", "ORCH-1") == "/repo/docs/work-items/ORCH-1/gate.md");
}

TEST_CASE("records: a symlink out of the artefacts directory is refused", "[records]") {
  namespace fs = std::filesystem;
  orchkit::testing::TempDir scratch("records");
  const fs::path& tmp = scratch.path;
  fs::create_directories(tmp / "repo/docs/work-items");
  fs::create_directories(tmp / "elsewhere");
  fs::create_symlink(tmp / "elsewhere", tmp / "repo/docs/work-items/ORCH-2");
  Config cfg;
  auto r = task_record(cfg, (tmp / "repo").string(), "ORCH-2", "90-stop.md");
  REQUIRE_FALSE(r);
  CHECK(r.error().exit == Exit::refused);
  CHECK(task_record(cfg, (tmp / "repo").string(), "ORCH-3", "90-stop.md"));
}

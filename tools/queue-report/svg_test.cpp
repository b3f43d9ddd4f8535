#include "queue-report/svg.hpp"

#include "queue-report/test_support.hpp"

using namespace queue_report;
using namespace queue_report::test;

namespace {

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("queue svg: one panel per target, a point per change, the floor as a line", "[queue]") {
  Inputs in;
  in.repo = "acme/demo";
  in.floor = orchkit::Percent{80 * orchkit::Percent::kScale};
  in.state.present = true;
  BranchFacts main = branch("main", 85, 100);
  main.history = {change(1, "bootstrap", std::nullopt, 80, "2024-05-01T01:00:00Z"),
                  change(2, "ratchet", 80, 90, "2024-05-02T01:00:00Z"),
                  change(3, "override", 90, 85, "2024-05-03T01:00:00Z", "alice", "tests <moved> & gone")};
  BranchFacts rel = branch("release/1.x", 70, 100);
  rel.history = {change(4, "bootstrap", std::nullopt, 70, "2024-05-04T01:00:00Z")};
  in.state.branches = {rel, main};
  std::string svg = render_svg(build_report(in));
  CHECK(svg.find("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"") == 0);
  CHECK(count(svg, "<g class=\"panel\"") == 2);
  CHECK(svg.find("data-target=\"main\"") < svg.find("data-target=\"release/1.x\""));
  CHECK(count(svg, "<circle class=\"point ") == 4);
  CHECK(svg.find("data-event=\"override\" data-pct=\"85.00\"") != std::string::npos);
  CHECK(count(svg, "class=\"floor\" data-pct=\"80.00\"") == 2);
  CHECK(svg.find("tests &lt;moved&gt; &amp; gone") != std::string::npos);  // escaped, never raw
  CHECK(svg.find("floor 80 %") != std::string::npos);
  CHECK(svg.find("line coverage (%)") != std::string::npos);
  CHECK(render_svg(build_report(in)) == svg);
}

TEST_CASE("queue svg: no baseline yet is still a valid picture", "[queue]") {
  Inputs in;
  in.repo = "acme/demo";
  std::string svg = render_svg(build_report(in));
  CHECK(svg.find("No baseline yet: there is no state file.") != std::string::npos);
  CHECK(svg.find("</svg>\n") == svg.size() - 7);
}

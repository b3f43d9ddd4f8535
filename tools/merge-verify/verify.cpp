#include "merge-verify/verify.hpp"

#include "orchkit/records/gate.hpp"
#include "orchkit/util/units.hpp"

namespace merge_verify {

using namespace orchkit;

namespace {

// The line numbers agree with each other, whatever the status: "" when they do, else why not.
std::string lines_disagree(const Gated& g, const FrontMatter& fm) {
  if (fm.get("line_covered") && !g.line_covered) return "line_covered is not a number";
  if (fm.get("line_total") && !g.line_total) return "line_total is not a number";
  if (g.line_covered.has_value() != g.line_total.has_value()) return "line_covered and line_total come together";
  if (g.line_covered && *g.line_covered > *g.line_total)
    return "line_covered " + std::to_string(*g.line_covered) + " is larger than line_total " +
           std::to_string(*g.line_total);
  if (g.line_pct && !g.line_total) return "line_pct without line_covered/line_total";
  if (g.line_pct) {
    std::string want = format_ratio_pct(*g.line_covered, *g.line_total);
    if (*g.line_pct != want)
      return "line_pct " + *g.line_pct + " is not " + std::to_string(*g.line_covered) + "/" +
             std::to_string(*g.line_total) + " = " + want;
  } else if (g.line_total && *g.line_total > 0) {
    return "no line_pct for " + std::to_string(*g.line_total) + " measured lines";
  }
  if (g.status == "PASS" && (!g.line_total || *g.line_total == 0)) return "a PASS without measured lines";
  return "";
}
}  // namespace

Result<Gated> gated_from(const FrontMatter& fm, const std::string& name) {
  Gated g;
  g.status = fm.get("coverage_status").value_or("");
  g.commit = fm.get("commit").value_or("");
  g.tree = fm.get("tree").value_or("");
  g.head_commit = fm.get("head_commit").value_or(g.commit);
  g.task = fm.get("task").value_or("");
  g.target = fm.get("target").value_or("");
  g.line_covered = records::parse_u64(fm.get("line_covered"));
  g.line_total = records::parse_u64(fm.get("line_total"));
  g.line_pct = fm.get("line_pct");
  g.line_data_sha256 = fm.get("line_data_sha256");
  auto bad = [&](const std::string& what) {
    return fail(Exit::no, name + ": " + what + " (re-run coverage-gate check on the commit to merge; nothing changed)");
  };
  // The gate record's own reader lists what is wrong with it (status, ids, counts against
  // percentages); any problem is a refusal here. The rules below are merge-verify's stricter ones.
  records::GateParse parsed = records::gate_from(fm);
  if (!parsed.problems.empty()) {
    const std::string& first = parsed.problems.front();
    bool consistency = first.find("_pct ") != std::string::npos || first.find("is larger than") != std::string::npos;
    return bad(consistency ? "the front matter disagrees with itself: " + first : first);
  }
  if (auto tc = fm.get("target_commit"); tc && !records::is_object_id(*tc))
    return bad("target_commit is not a 40-hex commit id");
  if (std::string why = lines_disagree(g, fm); !why.empty())
    return bad("the front matter disagrees with itself: " + why);
  return g;
}

Decision decide(const Gated& g, const Landed& l) {
  if (!l.landing.verified) return {false, false, false, l.landing.why};
  const std::string& landed = l.landing.landing->commit;
  if (g.status == "FAIL" || g.status == "ERROR")
    return {false, false, false,
            "the gate said " + g.status + " for " + g.commit.substr(0, 12) + ": it should not have landed"};
  std::string how = "verified: " + l.landing.why;
  if (g.status != "PASS") return {true, false, false, how + "; " + g.status + " passes through without a ratchet"};
  if (l.baseline == BaselineAge::older)
    return {true, false, true,
            how + "; stale: " + landed.substr(0, 12) +
                " is older than the baseline's commit (a replay, or measured before later merges): not ratcheted"};
  if (l.baseline == BaselineAge::unknown)
    return {true, true, false, how + "; the baseline's commit is not in this repository (max() keeps it safe)"};
  return {true, true, false, how};
}

}  // namespace merge_verify

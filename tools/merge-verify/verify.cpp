#include "merge-verify/verify.hpp"

#include <charconv>

namespace merge_verify {

using namespace orchkit;

namespace {
bool is_hex40(const std::string& s) {
  if (s.size() != 40) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}
std::optional<uint64_t> to_u64(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || p != s->data() + s->size()) return std::nullopt;
  return v;
}
}  // namespace

Result<Gated> gated_from(const FrontMatter& fm, const std::string& name) {
  Gated g;
  g.status = fm.get("coverage_status").value_or("");
  g.commit = fm.get("commit").value_or("");
  g.tree = fm.get("tree").value_or("");
  g.task = fm.get("task").value_or("");
  g.target = fm.get("target").value_or("");
  g.line_covered = to_u64(fm.get("line_covered"));
  g.line_total = to_u64(fm.get("line_total"));
  auto bad = [&](const std::string& what) {
    return fail(Exit::no, name + ": " + what + " (re-run coverage-gate check on the commit to merge)");
  };
  if (g.status.empty()) return bad("no coverage_status");
  if (g.status != "PASS" && g.status != "WARN" && g.status != "SKIPPED" && g.status != "FAIL" && g.status != "ERROR")
    return bad("coverage_status '" + g.status + "' is not one of PASS, WARN, SKIPPED, FAIL, ERROR");
  if (!is_hex40(g.commit)) return bad("commit is not a 40-hex commit id");
  if (!is_hex40(g.tree)) return bad("tree is not a 40-hex tree id");
  if (g.status == "PASS" && (!g.line_covered || !g.line_total || *g.line_covered > *g.line_total || *g.line_total == 0))
    return bad("a PASS without valid line_covered/line_total");
  return g;
}

Decision decide(const Gated& g, const Landed& l) {
  if (!l.contains && !l.tree_equal)
    return {false, false,
            "the gated commit " + g.commit.substr(0, 12) + " is not in " + g.target +
                " and the tip's tree differs: what landed is not what was gated"};
  if (g.status == "FAIL" || g.status == "ERROR")
    return {false, false,
            "the gate said " + g.status + " for " + g.commit.substr(0, 12) + ": it should not have landed"};
  std::string how =
      l.contains ? "is in " + g.target : "has the same tree as the tip of " + g.target + " (squash/rebase)";
  if (g.status != "PASS")
    return {true, false,
            "verified: " + g.commit.substr(0, 12) + " " + how + "; " + g.status + " passes through without a ratchet"};
  return {true, true, "verified: " + g.commit.substr(0, 12) + " " + how};
}

}  // namespace merge_verify

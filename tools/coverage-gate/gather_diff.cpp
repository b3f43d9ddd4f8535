// gather_differential: the baseline's stored line data, the line map baseline-commit..HEAD and
// the categories (orchkit/differential.hpp); the per-file floors of [coverage.files].
#include <filesystem>

#include "coverage-gate/gather.hpp"
#include "orchkit/line_data.hpp"
#include "orchkit/state/open.hpp"
#include "orchkit/util/sha256.hpp"

namespace coverage_gate {

using namespace orchkit;

namespace {

// The baseline's line sets, or why there are none (a reason for differential_unavailable).
Result<std::optional<coverage::Coverage>> baseline_coverage(Context& ctx, const BaselineFacts& baseline,
                                                            std::string& why) {
  std::optional<coverage::Coverage> none;
  if (!baseline.commit) {
    why = "no baseline yet (bootstrap): nothing to compare lines with";
    return none;
  }
  const std::string& commit = *baseline.commit;
  ORCHKIT_TRY(st, read_state(ctx));
  if (!st) return none;
  ORCHKIT_TRY(stored, st->lines(ctx.repo_id, ctx.target));
  if (!stored || stored->commit != commit) {
    why = "the baseline (" + commit.substr(0, 12) +
          ") has no stored line data (a baseline from before line data was kept, or an override); merge-verify "
          "stores it with the next bootstrap or ratchet";
    return none;
  }
  if (sha256_hex(stored->data) != stored->sha256) {
    why = "the baseline's stored line data does not match its hash " + stored->sha256.substr(0, 12) + " (ignored)";
    return none;
  }
  auto cov =
      line_data::decode(stored->data, state::state_location(ctx) + " (line data of " + commit.substr(0, 12) + ")");
  if (!cov) {
    why = cov.error().message;
    return none;
  }
  return std::optional<coverage::Coverage>(std::move(*cov));
}

}  // namespace

Result<DiffFacts> gather_differential(Context& ctx, git::Repository& repo, const coverage::Coverage& cov,
                                      const std::string& measured, const BaselineFacts& baseline, Rule rule) {
  DiffFacts out;
  out.below = files_below(cov, ctx.cfg.coverage.files);
  if (rule == Rule::percent) return out;
  std::string why;
  ORCHKIT_TRY(base, baseline_coverage(ctx, baseline, why));
  if (base && !repo.has_object(*baseline.commit))
    why = "the baseline's commit " + baseline.commit->substr(0, 12) + " is not in this repository (fetch it)";
  if (!why.empty() || !base) {
    out.unavailable = why.empty() ? "no state file yet" : why;
    out.notes.push_back("differential coverage not computed: " + out.unavailable + "; the percent rule decides");
    return out;
  }
  auto map = repo.line_map(*baseline.commit, measured);
  if (!map) {
    out.unavailable = map.error().message;
    out.notes.push_back("differential coverage not computed: " + map.error().message + "; the percent rule decides");
    return out;
  }
  out.diff = differential::categorise(*base, cov, *map);
  return out;
}

}  // namespace coverage_gate

// The git store's start records (plane-status reconcile's once-per-generation starts): one file
// per (task, generation) under starts/, every swap a compare-and-set commit.
#include <algorithm>
#include <tuple>

#include "orchkit/state/git.hpp"

namespace orchkit::state {
namespace {

using namespace git_layout;

Result<std::optional<StartRecord>> read_start(const GitStore::View& v, const std::string& task, int64_t gen) {
  const std::string path = start_path(task, gen);
  ORCHKIT_TRY(text, v.get(path));
  if (!text) return std::optional<StartRecord>{};
  ORCHKIT_TRY(r, parse_start(*text, path));
  return std::optional<StartRecord>(std::move(r));
}

}  // namespace

Result<std::optional<StartRecord>> GitStore::start_record(const std::string& task, int64_t generation) {
  ORCHKIT_TRY(v, fresh_view());
  return read_start(v, task, generation);
}

Result<bool> GitStore::swap_start(const std::optional<StartRecord>& expected, const StartRecord& next) {
  bool swapped = false;
  ORCHKIT_CHECK(update([&](const View& v) -> Result<std::optional<GitPlan>> {
    ORCHKIT_TRY(cur, read_start(v, next.task, next.generation));
    swapped = expected ? (cur && cur->status == expected->status && cur->attempts == expected->attempts &&
                          cur->holder == expected->holder)
                       : !cur.has_value();
    if (!swapped) return std::optional<GitPlan>{};
    GitPlan p;
    p.changes.push_back({start_path(next.task, next.generation), start_file(next)});
    p.message = "start " + next.task + " generation " + std::to_string(next.generation) + ": " + next.status +
                " (attempt " + std::to_string(next.attempts) + ")";
    return std::optional<GitPlan>(std::move(p));
  }));
  return swapped;
}

Result<std::vector<StartRecord>> GitStore::starts() {
  ORCHKIT_TRY(v, fresh_view());
  ORCHKIT_TRY(files, v.dir("starts"));
  std::vector<StartRecord> out;
  for (const auto& [path, text] : files) {
    ORCHKIT_TRY(r, parse_start(text, "starts/" + path));
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const StartRecord& a, const StartRecord& b) {
    return std::tie(a.task, a.generation) < std::tie(b.task, b.generation);
  });
  return out;
}

}  // namespace orchkit::state

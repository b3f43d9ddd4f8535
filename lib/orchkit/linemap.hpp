// How the lines of a baseline commit became the lines of HEAD: the hunks of a 0-context diff
// baseline..HEAD per file (renames detected), as plain data. Produced by the libgit2 adapter
// (git_linemap.cpp); read by the differential categorisation (differential.hpp) and its tests,
// which build maps by hand. A file in neither `changed` nor `deleted` is unchanged.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace orchkit::linemap {

// One hunk with 0 context lines, as git prints it: `@@ -old_start,old_lines +new_start,new_lines @@`.
// A pure insertion has old_lines = 0 and old_start the old line it follows (0: the file's start);
// a pure deletion has new_lines = 0 and new_start the new line it follows.
struct Hunk {
  uint32_t old_start = 0;
  uint32_t old_lines = 0;
  uint32_t new_start = 0;
  uint32_t new_lines = 0;
};

// A file of HEAD that differs from the baseline: where it came from and how.
struct FileChange {
  std::string old_path = {};     // the baseline's path (== the new one unless renamed); "" when added
  bool added = false;            // no baseline file: every line is new
  std::vector<Hunk> hunks = {};  // ascending, non-overlapping
};

struct LineMap {
  std::map<std::string, FileChange, std::less<>> changed = {};  // by HEAD's path
  std::set<std::string, std::less<>> deleted = {};              // baseline paths HEAD no longer has
};

// Where line `old_line` of a file's baseline version is in HEAD; nullopt when a hunk deleted or
// replaced it. `hunks` as in FileChange. O(hunks): callers walking many lines use LineCursor.
std::optional<uint32_t> new_line_of(const std::vector<Hunk>& hunks, uint32_t old_line);
// Where line `new_line` of HEAD was in the baseline; nullopt when it is new (added or changed).
std::optional<uint32_t> old_line_of(const std::vector<Hunk>& hunks, uint32_t new_line);

// old_line_of / new_line_of for ascending line numbers in amortised O(1): the hunks are walked once.
class LineCursor {
 public:
  explicit LineCursor(const std::vector<Hunk>& hunks) : hunks_(hunks) {}
  std::optional<uint32_t> old_of(uint32_t new_line);  // ascending new_line only
  std::optional<uint32_t> new_of(uint32_t old_line);  // ascending old_line only

 private:
  const std::vector<Hunk>& hunks_;
  size_t i_ = 0;
  int64_t offset_ = 0;  // new − old for lines after hunks_[0..i_)
};

}  // namespace orchkit::linemap

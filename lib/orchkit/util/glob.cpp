#include "orchkit/util/glob.hpp"

#include <vector>

namespace orchkit {

// Dynamic programming over (pattern position, path position): linear in their product, so a
// pattern of many stars cannot make it backtrack exponentially.
bool glob_match(std::string_view pat, std::string_view path) {
  const size_t n = path.size();
  std::vector<char> cur(n + 1, 0), next(n + 1, 0);
  // reach[j]: the pattern consumed so far matches path[0..j). Walk the pattern token by token.
  cur[0] = 1;
  size_t i = 0;
  while (i < pat.size()) {
    std::fill(next.begin(), next.end(), 0);
    if (pat.compare(i, 2, "**") == 0) {
      bool slash = i + 2 < pat.size() && pat[i + 2] == '/';
      for (size_t j = 0; j <= n; ++j) {
        if (!cur[j]) continue;
        if (slash) next[j] = 1;  // `**/` matching no directory
        for (size_t k = j; k <= n; ++k) {
          if (!slash) next[k] = 1;
          else if (k < n && path[k] == '/') next[k + 1] = 1;  // up to and including a '/'
        }
      }
      i += slash ? 3 : 2;
    } else if (pat[i] == '*') {
      for (size_t j = 0; j <= n; ++j) {
        if (!cur[j]) continue;
        for (size_t k = j; k <= n; ++k) {
          next[k] = 1;
          if (k < n && path[k] == '/') break;
        }
      }
      ++i;
    } else {
      for (size_t j = 0; j < n; ++j)
        if (cur[j] && (pat[i] == '?' ? path[j] != '/' : pat[i] == path[j])) next[j + 1] = 1;
      ++i;
    }
    std::swap(cur, next);
  }
  return cur[n] != 0;
}

}  // namespace orchkit

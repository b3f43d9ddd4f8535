// Path globs as [coverage.files] writes them: `*` and `?` stay inside one path segment, `**`
// crosses segments, and `**/` also matches no directory at all ("src/**/x.c" matches "src/x.c").
#pragma once

#include <string_view>

namespace orchkit {

bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace orchkit

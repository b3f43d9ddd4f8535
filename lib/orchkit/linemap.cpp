#include "orchkit/linemap.hpp"

namespace orchkit::linemap {

namespace {

// Does the hunk lie wholly before `line` on its new (or old) side? An empty side of a hunk sits
// between its start line and the next one, so only lines after the start are past it.
bool before_new(const Hunk& h, uint32_t line) {
  return h.new_lines ? h.new_start + h.new_lines <= line : h.new_start < line;
}
bool before_old(const Hunk& h, uint32_t line) {
  return h.old_lines ? h.old_start + h.old_lines <= line : h.old_start < line;
}
int64_t shift(const Hunk& h) { return static_cast<int64_t>(h.new_lines) - static_cast<int64_t>(h.old_lines); }

}  // namespace

std::optional<uint32_t> LineCursor::old_of(uint32_t new_line) {
  while (i_ < hunks_.size() && before_new(hunks_[i_], new_line)) offset_ += shift(hunks_[i_++]);
  if (i_ < hunks_.size()) {
    const Hunk& h = hunks_[i_];
    if (h.new_lines && new_line >= h.new_start) return std::nullopt;  // inside the hunk: new
  }
  return static_cast<uint32_t>(static_cast<int64_t>(new_line) - offset_);
}

std::optional<uint32_t> LineCursor::new_of(uint32_t old_line) {
  while (i_ < hunks_.size() && before_old(hunks_[i_], old_line)) offset_ += shift(hunks_[i_++]);
  if (i_ < hunks_.size()) {
    const Hunk& h = hunks_[i_];
    if (h.old_lines && old_line >= h.old_start) return std::nullopt;  // deleted or replaced
  }
  return static_cast<uint32_t>(static_cast<int64_t>(old_line) + offset_);
}

std::optional<uint32_t> new_line_of(const std::vector<Hunk>& hunks, uint32_t old_line) {
  return LineCursor(hunks).new_of(old_line);
}

std::optional<uint32_t> old_line_of(const std::vector<Hunk>& hunks, uint32_t new_line) {
  return LineCursor(hunks).old_of(new_line);
}

}  // namespace orchkit::linemap

#include "orchkit/xml_fast.hpp"

#include <cctype>
#include <cstring>
#include <exception>

namespace orchkit::xml::detail {
namespace {

constexpr bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
constexpr bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; }
constexpr bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

// A byte that needs a look: the fast path copies nothing for a value without any of them. In
// text a tab or a line feed is itself; in an attribute value it becomes a space.
constexpr bool special(unsigned char c) { return c == '&' || c == '<' || c < 0x20 || c >= 0x80; }
constexpr bool special_in_text(unsigned char c) { return c != '\n' && c != '\t' && special(c); }

void put_utf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

constexpr bool xml_char(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         (cp >= 0x10000 && cp <= 0x10FFFF);
}

// The length of the valid UTF-8 sequence of an XML character at s[i], 0 when it is not one.
size_t utf8_len(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  size_t n = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  uint32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (b(k) & 0x3F);
  }
  const uint32_t min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
  return cp >= min && xml_char(cp) ? n : 0;
}

// The code point of an entity or character reference ("lt", "#60", "#x3C"); 0 when it is not
// one the fast path reads (expat then decides).
uint32_t reference(std::string_view r) {
  if (r == "lt") return '<';
  if (r == "gt") return '>';
  if (r == "amp") return '&';
  if (r == "quot") return '"';
  if (r == "apos") return '\'';
  if (r.size() < 2 || r[0] != '#') return 0;
  bool hex = r[1] == 'x';
  std::string_view digits = r.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 8) return 0;
  uint32_t cp = 0;
  for (char c : digits) {
    uint32_t d;
    if (c >= '0' && c <= '9') d = static_cast<uint32_t>(c - '0');
    else if (hex && c >= 'a' && c <= 'f') d = static_cast<uint32_t>(c - 'a' + 10);
    else if (hex && c >= 'A' && c <= 'F') d = static_cast<uint32_t>(c - 'A' + 10);
    else return 0;
    cp = cp * (hex ? 16 : 10) + d;
  }
  return xml_char(cp) ? cp : 0;
}

// Names are short: a byte loop beats a call to memcmp.
inline bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;  // ASCII letters only: "\r" is not "-"
  return true;
}

// Every byte of `s` is part of an XML character (no control character, valid UTF-8).
bool valid_chars(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 && !space(static_cast<char>(c))) return false;
      ++i;
      continue;
    }
    size_t n = utf8_len(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Reads `s` at `p`: a quoted literal (any XML characters but its quote); false when it is not one.
bool literal(std::string_view s, size_t& p, std::string_view* value = nullptr) {
  if (p >= s.size() || (s[p] != '"' && s[p] != '\'')) return false;
  size_t close = s.find(s[p], p + 1);
  if (close == std::string_view::npos || !valid_chars(s.substr(p + 1, close - p - 1))) return false;
  if (value) *value = s.substr(p + 1, close - p - 1);
  p = close + 1;
  return true;
}

size_t skip_space(std::string_view s, size_t p) {
  while (p < s.size() && space(s[p])) ++p;
  return p;
}

// `<!DOCTYPE name [SYSTEM "sys" | PUBLIC "pub" "sys"] >`, nothing else (no internal subset).
bool plain_doctype(std::string_view d) {
  size_t p = 9;
  if (p >= d.size() || !space(d[p])) return false;
  p = skip_space(d, p);
  if (p >= d.size() || !name_start(d[p])) return false;
  while (p < d.size() && name_char(d[p])) ++p;
  size_t q = skip_space(d, p);
  if (q < d.size() && d[q] != '>') {
    if (q == p) return false;
    std::string_view kw = d.substr(q, 6);
    if (kw != "SYSTEM" && kw != "PUBLIC") return false;
    p = q + 6;
    for (int lits = kw == "PUBLIC" ? 2 : 1; lits > 0; --lits) {
      size_t before = p;
      p = skip_space(d, p);
      if (p == before) return false;
      std::string_view v;
      if (!literal(d, p, &v)) return false;
      if (kw == "PUBLIC" && lits == 2)
        for (char c : v)
          if (!(std::isalnum(static_cast<unsigned char>(c)) || std::strchr(" \r\n-'()+,./:=?;!*#@$_%", c)))
            return false;
    }
    q = skip_space(d, p);
  }
  return q + 1 == d.size() && d[q] == '>';
}

// `<?xml version="1.x" [encoding="UTF-8"] [standalone="yes|no"] ?>`: the only declaration read.
bool plain_declaration(std::string_view d) {
  size_t p = 5;
  const char* names[] = {"version", "encoding", "standalone"};
  size_t k = 0;
  for (;;) {
    size_t before = p;
    p = skip_space(d, p);
    if (d.compare(p, 2, "?>") == 0) return p + 2 == d.size() && k > 0;
    if (p == before) return false;
    while (k < 3 && d.compare(p, std::strlen(names[k]), names[k]) != 0) {
      if (k == 0) return false;  // version comes first and is required
      ++k;
    }
    if (k == 3) return false;
    p = skip_space(d, p + std::strlen(names[k]));
    if (p >= d.size() || d[p] != '=') return false;
    p = skip_space(d, p + 1);
    std::string_view v;
    if (!literal(d, p, &v)) return false;
    if (k == 0 && (v.size() < 3 || v.compare(0, 2, "1.") != 0 ||
                   v.substr(2).find_first_not_of("0123456789") != std::string_view::npos))
      return false;
    if (k == 1 && !iequals(v, "utf-8")) return false;
    if (k == 2 && v != "yes" && v != "no") return false;
    ++k;
  }
}

}  // namespace

// XML's value of `raw`: references replaced, line ends normalised ("\r\n" and "\r" are "\n"),
// and in an attribute each whitespace character a space. False to hand over.
bool FastScanner::decode(std::string_view raw, bool attr, std::string& out) {
  out.clear();
  for (size_t i = 0; i < raw.size();) {
    unsigned char c = static_cast<unsigned char>(raw[i]);
    if (c == '&') {
      size_t semi = raw.find(';', i + 1);
      if (semi == std::string_view::npos || semi - i > 12) return false;
      uint32_t cp = reference(raw.substr(i + 1, semi - i - 1));
      if (cp == 0) return false;
      put_utf8(cp, out);
      i = semi + 1;
    } else if (c == '<') {
      return false;
    } else if (c == '\r') {
      out += attr ? ' ' : '\n';
      i += i + 1 < raw.size() && raw[i + 1] == '\n' ? 2 : 1;
    } else if (c < 0x20) {
      if (c != '\t' && c != '\n') return false;
      out += attr ? ' ' : static_cast<char>(c);
      ++i;
    } else if (c >= 0x80) {
      size_t n = utf8_len(raw, i);
      if (n == 0) return false;
      out.append(raw.substr(i, n));
      i += n;
    } else {
      out += static_cast<char>(c);
      ++i;
    }
  }
  return true;
}

void FastScanner::count_lines(std::string_view buf, size_t from, size_t to) {
  // XML's line ends: "\n", "\r\n" and a lone "\r" (expat counts the same).
  const char* p = buf.data() + from;
  const char* end = buf.data() + to;
  while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p))))) {
    ++line_;
    ++p;
  }
  for (p = buf.data() + from; (p = static_cast<const char*>(std::memchr(p, '\r', static_cast<size_t>(end - p)))); ++p)
    if (p + 1 < buf.data() + buf.size() && p[1] != '\n') ++line_;  // a last "\r" is not counted (as expat)
}

FastScanner::Status FastScanner::deliver(Result<void> r) {
  if (r) return Status::ok;
  error_ = std::move(r).error();
  return Status::failed;
}

// One start or end tag at buf[at] ('<'), parsed in one pass: `next` is the byte after its '>',
// npos when the tag is not complete in `buf` yet.
FastScanner::Status FastScanner::tag(std::string_view buf, size_t at, bool at_eof, size_t& next) {
  const char* const b = buf.data();
  const char* const e = b + buf.size();
  const char* p = b + at + 1;
  auto more = [&]() {
    next = std::string_view::npos;
    return at_eof ? Status::handover : Status::ok;
  };
  auto skip = [&]() {
    while (p < e && space(*p)) ++p;
  };
  auto call = [&](auto&& f) -> Status {
    try {
      return deliver(f());
    } catch (const std::exception& ex) {
      error_ = Error{Exit::error, std::string("internal error: ") + ex.what() + " (report this as a bug)"};
      return Status::failed;
    }
  };
  if (p == e) return more();
  if (*p == '/') {
    const char* n0 = ++p;
    while (p < e && name_char(*p)) ++p;
    std::string_view name(n0, static_cast<size_t>(p - n0));
    skip();
    if (p == e) return more();
    if (*p != '>' || stack_.empty() || name != stack_.back()) return Status::handover;
    next = static_cast<size_t>(p + 1 - b);
    Status st = call([&] { return handler_.end(name); });
    stack_.pop_back();
    if (stack_.empty()) done_ = true;
    return st;
  }
  if (done_ || stack_.size() + 1 > limits_.max_depth || !name_start(*p)) return Status::handover;
  const char* n0 = p;
  while (p < e && name_char(*p)) ++p;
  std::string_view name(n0, static_cast<size_t>(p - n0));
  struct Raw {
    std::string_view name, value;
    bool plain;
  };
  Raw raws[32];
  size_t n = 0;
  bool empty = false;
  for (;;) {
    const char* ws = p;
    skip();
    if (p == e) return more();
    if (*p == '>') break;
    if (*p == '/') {
      if (p + 1 == e) return more();
      if (p[1] != '>') return Status::handover;
      empty = true;
      ++p;
      break;
    }
    if (p == ws || !name_start(*p) || n == 32) return Status::handover;
    const char* a0 = p;
    while (p < e && name_char(*p)) ++p;
    std::string_view aname(a0, static_cast<size_t>(p - a0));
    skip();
    if (p == e) return more();
    if (*p != '=') return Status::handover;
    ++p;
    skip();
    if (p == e) return more();
    if (*p != '"' && *p != '\'') return Status::handover;
    const char* v0 = p + 1;
    auto* close = static_cast<const char*>(std::memchr(v0, *p, static_cast<size_t>(e - v0)));
    if (!close) return more();
    std::string_view value(v0, static_cast<size_t>(close - v0));
    bool plain = true;
    for (char c : value) plain &= !special(static_cast<unsigned char>(c));
    for (size_t k = 0; k < n; ++k)  // a duplicate attribute: expat says so
      if (same_name(raws[k].name, aname)) return Status::handover;
    raws[n++] = Raw{aname, value, plain};
    p = close + 1;
  }
  next = static_cast<size_t>(p + 1 - b);
  if (values_.size() < n) values_.resize(n);
  attrs_.clear();
  for (size_t k = 0; k < n; ++k) {
    if (raws[k].plain) {
      attrs_.push_back(Attr{raws[k].name, raws[k].value});
      continue;
    }
    if (!decode(raws[k].value, true, values_[k])) return Status::handover;
    attrs_.push_back(Attr{raws[k].name, values_[k]});
  }
  if (prolog_) {
    prolog_ = false;
    prolog_text_.clear();
    prolog_text_.shrink_to_fit();
    prolog_cuts_.clear();
    prolog_cuts_.shrink_to_fit();
  }
  stack_.emplace_back(name);
  Status st = call([&] { return handler_.start(name, attrs_); });
  if (st != Status::ok || !empty) return st;
  st = call([&] { return handler_.end(name); });
  stack_.pop_back();
  if (stack_.empty()) done_ = true;
  return st;
}

// The markup at buf[at] ('<'): `next` is the byte after it. Status::ok with next == npos when
// the markup is not complete in `buf` yet.
FastScanner::Status FastScanner::markup(std::string_view buf, size_t at, bool at_eof, size_t& next) {
  std::string_view rest = buf.substr(at);
  auto need_more = [&]() {
    next = std::string_view::npos;
    return at_eof ? Status::handover : Status::ok;
  };
  if (rest.size() < 2) return need_more();
  if (rest[1] == '!') {
    if (rest.size() < 9 && !at_eof) return need_more();
    if (rest.compare(0, 4, "<!--") == 0) {
      size_t end = rest.find("-->", 4);
      if (end == std::string_view::npos) return need_more();
      if (rest.substr(4, end - 4).find("--") != std::string_view::npos || rest[end - 1] == '-') return Status::handover;
      if (!valid_chars(rest.substr(4, end - 4))) return Status::handover;
      next = at + end + 3;
      return Status::ok;
    }
    if (rest.compare(0, 9, "<!DOCTYPE") != 0 || !prolog_) return Status::handover;  // CDATA and the rest
    char quote = 0;
    for (size_t i = 9; i < rest.size(); ++i) {
      char c = rest[i];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[' || c == '<') {
        return Status::handover;  // an internal subset: expat refuses it with the reason
      } else if (c == '>') {
        if (prolog_markup_.find("<!DOCTYPE") != std::string::npos || !plain_doctype(rest.substr(0, i + 1)))
          return Status::handover;  // a second DOCTYPE, or one expat must judge
        prolog_markup_.append(rest.substr(0, i + 1));
        next = at + i + 1;
        return Status::ok;
      }
    }
    return need_more();
  }
  if (rest[1] == '?') {
    size_t end = rest.find("?>", 2);
    if (end == std::string_view::npos) return need_more();
    size_t n = 2;
    if (!name_start(rest[2])) return Status::handover;
    while (n < end && name_char(rest[n])) ++n;
    std::string_view target = rest.substr(2, n - 2);
    if (n < end && !space(rest[n])) return Status::handover;
    if (target == "xml") {
      // only the very first thing, and only the plain form
      if (at != 0 || started_ || !plain_declaration(rest.substr(0, end + 2))) return Status::handover;
      prolog_markup_.assign(rest.substr(0, end + 2));
    } else if (target.size() >= 3 && iequals(target.substr(0, 3), "xml")) {
      return Status::handover;  // reserved names: expat decides
    }
    if (!valid_chars(rest.substr(2, end - 2))) return Status::handover;
    next = at + end + 2;
    return Status::ok;
  }
  return tag(buf, at, at_eof, next);
}

FastScanner::Status FastScanner::scan(std::string_view buf, bool at_eof, size_t& used) {
  size_t i = 0, counted = 0;
  auto advance_lines = [&](size_t to) {
    count_lines(buf, counted, to);
    counted = to;
  };
  auto stop = [&](Status st) {
    advance_lines(i);
    used = i;
    return st;
  };
  if (!started_ && buf.size() >= 3 && buf.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // a UTF-8 byte order mark
  while (i < buf.size()) {
    if (buf[i] != '<') {
      const char* lt = static_cast<const char*>(std::memchr(buf.data() + i, '<', buf.size() - i));
      size_t end = lt ? static_cast<size_t>(lt - buf.data()) : buf.size();
      if (!lt && !at_eof) {
        // keep an unfinished reference, a '\r' or "]]" for the next chunk
        size_t keep = end;
        size_t amp = buf.rfind('&', end - 1);
        if (amp != std::string_view::npos && amp >= i && buf.find(';', amp) == std::string_view::npos) keep = amp;
        while (keep > i && (buf[keep - 1] == '\r' || buf[keep - 1] == ']')) --keep;
        end = keep;
        if (end == i) break;
      }
      std::string_view raw = buf.substr(i, end - i);
      if (raw.find("]]>") != std::string_view::npos) return stop(Status::handover);
      if (stack_.empty()) {
        for (char c : raw)
          if (!space(c)) return stop(Status::handover);  // text outside the root element
      } else {
        bool plain = true;
        for (char c : raw) plain &= !special_in_text(static_cast<unsigned char>(c));
        if (!plain && !decode(raw, false, scratch_)) return stop(Status::handover);
        try {
          if (Status st = deliver(handler_.text(plain ? raw : std::string_view(scratch_))); st != Status::ok)
            return stop(st);
        } catch (const std::exception& e) {
          error_ = Error{Exit::error, std::string("internal error: ") + e.what() + " (report this as a bug)"};
          return stop(Status::failed);
        }
      }
      started_ = true;
      i = end;
      continue;
    }
    size_t next = 0;
    Status st = markup(buf, i, at_eof, next);
    if (st != Status::ok) return stop(st);
    if (next == std::string_view::npos) break;  // unfinished: carried to the next chunk
    started_ = true;
    i = next;
  }
  return stop(Status::ok);
}

FastScanner::Status FastScanner::feed(std::string_view chunk) {
  if (prolog_) {
    // Nothing is delivered before the root element: a hand-over there gives expat the whole
    // document so far, so it sees the prolog exactly as written (a second DOCTYPE, ...).
    prolog_text_.append(chunk);
    prolog_cuts_.push_back(chunk.size());
  }
  Status st = feed_chunk(chunk);
  if (st == Status::handover && prolog_) return replay_prolog();
  // Still before the root element after more than 1 MiB (measured after the chunk, so a big
  // first chunk that opens the root early keeps the fast path): expat takes the prolog.
  if (st == Status::ok && prolog_ && prolog_text_.size() > (size_t{1} << 20)) return replay_prolog();
  return st;
}

FastScanner::Status FastScanner::replay_prolog() {
  pending_ = std::move(prolog_text_);
  prolog_text_.clear();
  replayed_ = true;
  carry_.clear();
  line_ = 1;
  return Status::handover;
}

std::vector<std::string> FastScanner::take_pending() {
  std::vector<std::string> out;
  if (!replayed_) {
    out.push_back(std::move(pending_));
    return out;
  }
  size_t at = 0;
  for (size_t n : prolog_cuts_) {
    out.push_back(pending_.substr(at, n));
    at += n;
  }
  if (at < pending_.size()) out.push_back(pending_.substr(at));
  pending_.clear();
  return out;
}

FastScanner::Status FastScanner::feed_chunk(std::string_view chunk) {
  while (!carry_.empty() && !chunk.empty()) {
    size_t k = chunk.find('>');
    k = k == std::string_view::npos ? chunk.size() : k + 1;
    carry_.append(chunk.data(), k);
    chunk.remove_prefix(k);
    std::string buf;
    buf.swap(carry_);
    size_t used = 0;
    Status st = scan(buf, false, used);
    if (st == Status::handover) pending_ = buf.substr(used) + std::string(chunk);
    if (st != Status::ok) return st;
    carry_.assign(buf, used, std::string::npos);
  }
  if (chunk.empty()) return Status::ok;
  size_t used = 0;
  Status st = scan(chunk, false, used);
  if (st == Status::handover) pending_ = std::string(chunk.substr(used));
  if (st != Status::ok) return st;
  carry_.assign(chunk.substr(used));
  return Status::ok;
}

FastScanner::Status FastScanner::finish() {
  if (!carry_.empty()) {
    std::string buf;
    buf.swap(carry_);
    size_t used = 0;
    Status st = scan(buf, true, used);
    if (st == Status::handover) pending_ = buf.substr(used);
    if (st == Status::handover && prolog_) return replay_prolog();
    if (st != Status::ok) return st;
  }
  if (prolog_) return replay_prolog();           // no root element: expat says so
  return done_ ? Status::ok : Status::handover;  // truncated: expat says so
}

}  // namespace orchkit::xml::detail

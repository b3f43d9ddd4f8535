// Cobertura XML (coverage.py, gcovr, istanbul, cobertura itself, ...): per-line records from the
// <line number hits> elements of each <class>'s <lines>. The <line>s under <methods> repeat class
// lines (Jenkins and ReportGenerator ignore them too), so they are skipped; line-rate, lines-valid
// and every other summary attribute is never read. One file split over several <class> elements
// merges by line. A relative filename is joined to every <source> in order: the first join is
// the file's key and the others its alternatives, because coverage.py writes each filename
// relative to whichever of its source roots holds it, and only the path normaliser, which sees
// the repository, can tell which one that is (paths.hpp).
#include <algorithm>
#include <vector>

#include "orchkit/coverage/hits.hpp"
#include "orchkit/coverage/parser.hpp"
#include "orchkit/util/text.hpp"
#include "orchkit/xml.hpp"

namespace orchkit::coverage {
namespace {

enum class El : uint8_t { other, coverage, sources, source, klass, lines, line };

El classify(std::string_view n) {
  switch (n.size()) {
    case 4:
      if (n == "line") return El::line;
      break;
    case 5:
      if (n == "class") return El::klass;
      if (n == "lines") return El::lines;
      break;
    case 6:
      if (n == "source") return El::source;
      break;
    case 7:
      if (n == "sources") return El::sources;
      break;
    case 8:
      if (n == "coverage") return El::coverage;
      break;
    default: break;
  }
  return El::other;
}

bool is_absolute(std::string_view p) {
  if (!p.empty() && (p[0] == '/' || p[0] == '\\')) return true;
  return p.size() >= 3 && p[1] == ':' && (p[2] == '/' || p[2] == '\\') &&
         ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z'));
}

// Where a later piece starts (pieces.hpp): a <package> start tag, these elements open.
const std::vector<std::string> kPieceContext = {"coverage", "packages"};

class CoberturaParser final : public StreamParser, public PieceParser, private xml::Handler {
 public:
  explicit CoberturaParser(std::string name) : xml_(std::move(name), *this) {}
  // A piece of the document: the first from byte 0, a later one from a "<package " start tag.
  CoberturaParser(std::string name, bool first) : xml_(std::move(name), *this) {
    if (!first) resumed_ = xml_.resume(kPieceContext);
  }

  Result<void> feed(std::string_view chunk) override {
    ORCHKIT_CHECK(resumed_);
    return xml_.feed(chunk);
  }

  Result<Coverage> finish() override {
    ORCHKIT_CHECK(resumed_);
    ORCHKIT_CHECK(xml_.finish());
    return coverage();
  }

  bool end_piece(bool last) override {
    if (!resumed_) return false;
    if (last) return static_cast<bool>(xml_.finish());
    return current_ == nullptr && xml_.between(kPieceContext);
  }

  // The sources in document order, each file's lines merged by line: what one pass collects.
  bool absorb(PieceParser& next) override {
    auto* n = dynamic_cast<CoberturaParser*>(&next);
    if (!n) return false;
    for (auto& source : n->sources_) sources_.push_back(std::move(source));
    while (!n->by_filename_.empty()) {
      auto node = n->by_filename_.extract(n->by_filename_.begin());
      auto it = by_filename_.find(node.key());
      if (it == by_filename_.end()) by_filename_.insert(std::move(node));
      else it->second.merge(node.mapped());
    }
    return true;
  }

  Result<Coverage> coverage() override {
    Coverage cov;
    for (auto& [raw, lines] : by_filename_) {
      std::vector<std::string> names = candidates(raw);
      auto [it, fresh] = cov.files.try_emplace(std::move(names.front()));
      FileCoverage& fc = it->second;
      names.erase(names.begin());
      if (fresh) {
        fc.lines = std::move(lines);
        fc.alternatives = std::move(names);
        continue;
      }
      // "a.py" and "/root/a.py" in one report: one file. The absolute spelling pins it to the
      // first source, so alternatives survive only if both spellings have the same ones.
      fc.lines.merge(lines);
      if (fc.alternatives != names) fc.alternatives.clear();
    }
    return cov;
  }

 private:
  static Unexpected error(const std::string& what, const std::string& hint) {
    return fail(Exit::error, what + " (" + hint + ")");
  }

  // The paths a filename may mean: itself when absolute or without sources, else joined to
  // each <source> in document order (a repeated <source> adds nothing).
  std::vector<std::string> candidates(const std::string& raw) const {
    if (sources_.empty() || is_absolute(raw)) return {raw};
    std::vector<std::string> out;
    for (const std::string& root : sources_) {
      std::string joined = root.back() == '/' || root.back() == '\\' ? root + raw : root + "/" + raw;
      if (std::find(out.begin(), out.end(), joined) == out.end()) out.push_back(std::move(joined));
    }
    return out;
  }

  Result<void> start(std::string_view name, std::span<const xml::Attr> attrs) override {
    El el = classify(name);
    if (stack_.empty()) {
      if (el != El::coverage)
        return error("the root element is <" + std::string(name) + ">, expected <coverage>",
                     "is this a Cobertura XML report? force the format with FILE@FORMAT");
    } else if (el == El::line) {
      // <class><lines><line>; a <method><lines><line> repeats a class line.
      if (stack_.back() == El::lines && stack_[stack_.size() - 2] == El::klass) ORCHKIT_CHECK(line(attrs));
    } else if (el == El::klass) {
      if (current_) return error("a <class> inside a <class>", "the report is malformed");
      auto filename = xml::find_attr(attrs, "filename");
      if (!filename || filename->empty())
        return error("a <class> without a filename attribute", "the report is malformed; re-run the coverage command");
      auto it = by_filename_.find(*filename);
      if (it == by_filename_.end()) it = by_filename_.emplace(std::string(*filename), LineSet{}).first;
      current_ = &it->second;
    } else if (el == El::source) {
      if (stack_.back() != El::sources) el = El::other;
      text_.clear();
    }
    stack_.push_back(el);
    return {};
  }

  Result<void> end(std::string_view) override {
    El el = stack_.back();
    stack_.pop_back();
    if (el == El::klass) {
      current_ = nullptr;
    } else if (el == El::source) {
      std::string_view s = trim(text_);
      if (!s.empty()) sources_.emplace_back(s);
    }
    return {};
  }

  Result<void> text(std::string_view s) override {
    if (!stack_.empty() && stack_.back() == El::source) {
      if (text_.size() + s.size() > 64 * 1024) return error("a <source> longer than 64 KiB", "the report is malformed");
      text_.append(s);
    }
    return {};
  }

  Result<void> line(std::span<const xml::Attr> attrs) {
    std::optional<std::string_view> number, hits;
    for (const xml::Attr& a : attrs) {
      if (a.name == "number") number = a.value;
      else if (a.name == "hits") hits = a.value;
    }
    if (!number) return error("a <line> without a number attribute", "the report is malformed");
    if (!hits) return error("a <line> without a hits attribute", "the report is malformed");
    auto n = parse_line_number(*number);
    if (!n)
      return error("line number '" + std::string(number->substr(0, 40)) + "' is not a line number",
                   "the report is malformed");
    auto covered = hit_is_covered(*hits);
    if (!covered)
      return error("hits '" + std::string(hits->substr(0, 40)) + "' is not a number", "the report is malformed");
    current_->add(*n, *covered);
    return {};
  }

  xml::Reader xml_;
  Result<void> resumed_ = {};  // a later piece's start: its context given to the handler
  std::vector<El> stack_;
  std::vector<std::string> sources_;
  std::string text_;
  std::map<std::string, LineSet, std::less<>> by_filename_;
  LineSet* current_ = nullptr;  // the <class> being read
};

}  // namespace

std::unique_ptr<StreamParser> make_cobertura_parser(std::string name) {
  return std::make_unique<CoberturaParser>(std::move(name));
}

std::unique_ptr<PieceParser> make_cobertura_piece_parser(std::string name, bool first) {
  return std::make_unique<CoberturaParser>(std::move(name), first);
}

}  // namespace orchkit::coverage

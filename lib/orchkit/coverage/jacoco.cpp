// JaCoCo XML: per-line records from <sourcefile><line nr mi ci/>, the file named
// "<package name>/<sourcefile name>". JaCoCo's LINE counter counts a line that has instructions
// (mi + ci > 0) and calls it covered when any ran (ci > 0, so partly covered lines are covered);
// the sum over sourcefiles is the report's own LINE counter. Lines without mi/ci (some writers
// omit them) are recorded as measured and the sourcefile's own <counter type="LINE"> becomes
// the file's tally. Counters at class, package, group and report level are never read.
#include <vector>

#include "orchkit/coverage/hits.hpp"
#include "orchkit/coverage/parser.hpp"
#include "orchkit/xml.hpp"

namespace orchkit::coverage {
namespace {

enum class El : uint8_t { other, report, package, sourcefile };

std::optional<uint64_t> parse_count(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

// Where a later piece starts (pieces.hpp): a <package> start tag, directly in <report> (a report
// of <group>s is read in one pass).
const std::vector<std::string> kPieceContext = {"report"};

class JacocoParser final : public StreamParser, public PieceParser, private xml::Handler {
 public:
  explicit JacocoParser(std::string name) : xml_(std::move(name), *this) {}
  // A piece of the document: the first from byte 0, a later one from a "<package " start tag.
  JacocoParser(std::string name, bool first) : xml_(std::move(name), *this) {
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
    return cur_.file == nullptr && xml_.between(kPieceContext);
  }

  // Each path's lines merged, its tallies and occurrences summed: what one pass collects.
  bool absorb(PieceParser& next) override {
    auto* n = dynamic_cast<JacocoParser*>(&next);
    if (!n) return false;
    while (!n->files_.empty()) {
      auto node = n->files_.extract(n->files_.begin());
      auto it = files_.find(node.key());
      if (it == files_.end()) {
        files_.insert(std::move(node));
        continue;
      }
      File& mine = it->second;
      const File& theirs = node.mapped();
      mine.lines.merge(theirs.lines);
      mine.sum.covered += theirs.sum.covered;
      mine.sum.total += theirs.sum.total;
      mine.occurrences += theirs.occurrences;
      mine.from_counter = mine.from_counter || theirs.from_counter;
    }
    return true;
  }

  Result<Coverage> coverage() override {
    Coverage cov;
    for (auto& [path, f] : files_) {
      FileCoverage& fc = cov.file(path);
      fc.lines = std::move(f.lines);
      // A path seen twice (two modules, in <group>s, with the same package) sums as JaCoCo does.
      if (f.occurrences > 1 || f.from_counter) fc.tally = f.sum;
    }
    return cov;
  }

 private:
  struct File {
    LineSet lines = {};
    Tally sum = {};  // per occurrence: from its lines, or from its LINE counter
    unsigned occurrences = 0;
    bool from_counter = false;
  };

  // The <sourcefile> being read.
  struct Current {
    File* file = nullptr;
    std::string path = {};
    Tally from_lines = {};
    std::optional<Tally> counter = {};
    bool lines_without_counts = false;
  };

  static Unexpected error(const std::string& what, const std::string& hint) {
    return fail(Exit::error, what + " (" + hint + ")");
  }

  Result<void> start(std::string_view name, std::span<const xml::Attr> attrs) override {
    El el = El::other;
    if (stack_.empty()) {
      if (name != "report")
        return error("the root element is <" + std::string(name) + ">, expected <report>",
                     "is this a JaCoCo XML report? force the format with FILE@FORMAT");
      el = El::report;
    } else if (stack_.back() == El::sourcefile) {
      if (name == "line") {
        ORCHKIT_CHECK(line(attrs));
      } else if (name == "counter") {
        ORCHKIT_CHECK(counter(attrs));
      }
    } else if (cur_.file && (name == "package" || name == "sourcefile")) {
      // Found by fuzzing: a nested <package>/<sourcefile> inside an open <sourcefile> would
      // close the outer one early.
      return error("a <" + std::string(name) + "> inside <sourcefile> '" + cur_.path + "'", "the report is malformed");
    } else if (name == "package") {
      el = El::package;
      package_ = std::string(xml::find_attr(attrs, "name").value_or(""));
    } else if (name == "sourcefile" && stack_.back() == El::package) {
      el = El::sourcefile;
      auto file = xml::find_attr(attrs, "name");
      if (!file || file->empty())
        return error("a <sourcefile> without a name attribute", "the report is malformed; re-run the coverage report");
      cur_ = Current{};
      cur_.path = package_.empty() ? std::string(*file) : package_ + "/" + std::string(*file);
      cur_.file = &files_[cur_.path];
    }
    stack_.push_back(el);
    return {};
  }

  Result<void> end(std::string_view) override {
    El el = stack_.back();
    stack_.pop_back();
    if (el != El::sourcefile) return {};
    File& f = *cur_.file;
    ++f.occurrences;
    if (cur_.lines_without_counts) {
      if (!cur_.counter)
        return error("sourcefile '" + cur_.path + "' has lines without mi/ci and no LINE counter",
                     "the report is incomplete; regenerate it with JaCoCo's report task");
      f.from_counter = true;
      f.sum.covered += cur_.counter->covered;
      f.sum.total += cur_.counter->total;
    } else {
      f.sum.covered += cur_.from_lines.covered;
      f.sum.total += cur_.from_lines.total;
    }
    cur_.file = nullptr;
    return {};
  }

  Result<void> line(std::span<const xml::Attr> attrs) {
    std::optional<std::string_view> nr, mi, ci;
    for (const xml::Attr& a : attrs) {
      if (a.name == "nr") nr = a.value;
      else if (a.name == "mi") mi = a.value;
      else if (a.name == "ci") ci = a.value;
    }
    if (!nr) return error("a <line> without an nr attribute", "the report is malformed");
    auto n = parse_line_number(*nr);
    if (!n)
      return error("line nr '" + std::string(nr->substr(0, 40)) + "' is not a line number", "the report is malformed");
    if (!mi && !ci) {
      cur_.lines_without_counts = true;
      cur_.file->lines.add(*n, false);
      return {};
    }
    uint64_t missed = 0, covered = 0;
    if (mi) {
      auto v = parse_count(*mi);
      if (!v) return error("mi '" + std::string(mi->substr(0, 40)) + "' is not a count", "the report is malformed");
      missed = *v;
    }
    if (ci) {
      auto v = parse_count(*ci);
      if (!v) return error("ci '" + std::string(ci->substr(0, 40)) + "' is not a count", "the report is malformed");
      covered = *v;
    }
    if (missed == 0 && covered == 0) return {};  // no instructions: JaCoCo does not count the line
    cur_.file->lines.add(*n, covered > 0);
    ++cur_.from_lines.total;
    if (covered > 0) ++cur_.from_lines.covered;
    return {};
  }

  Result<void> counter(std::span<const xml::Attr> attrs) {
    if (xml::find_attr(attrs, "type") != "LINE") return {};
    auto missed = parse_count(xml::find_attr(attrs, "missed").value_or(""));
    auto covered = parse_count(xml::find_attr(attrs, "covered").value_or(""));
    if (!missed || !covered)
      return error("a LINE <counter> without numeric missed and covered attributes", "the report is malformed");
    if (*missed > UINT32_MAX || *covered > UINT32_MAX)
      return error("a LINE <counter> larger than any source file", "the report is malformed");
    cur_.counter = Tally{*covered, *missed + *covered};
    return {};
  }

  xml::Reader xml_;
  Result<void> resumed_ = {};  // a later piece's start: its context given to the handler
  std::vector<El> stack_;
  std::string package_;
  Current cur_;
  std::map<std::string, File, std::less<>> files_;
};

}  // namespace

std::unique_ptr<StreamParser> make_jacoco_parser(std::string name) {
  return std::make_unique<JacocoParser>(std::move(name));
}

std::unique_ptr<PieceParser> make_jacoco_piece_parser(std::string name, bool first) {
  return std::make_unique<JacocoParser>(std::move(name), first);
}

}  // namespace orchkit::coverage

// bench-gen: writes one deterministic, realistic coverage report of a given format and size, and
// prints the totals a correct reader must find, so `make bench` can check orchkit's answer.
//
//   bench-gen FORMAT OUT [--mb N] [--files N] [--seed N] [--root DIR]
//
// FORMAT is an orchkit format name (coveragepy-json, cobertura, lcov, gcovr-json, llvm-cov-json,
// go-coverprofile, jacoco). --mb defaults to $BENCH_MB, else 500; --files to 20000; --root (the
// absolute directory the tool "ran in", used where the real tool writes absolute paths) to
// /home/ci/work/proj. Output on stdout, one key=value per line: generator, format, bytes, files, covered,
// total (lines; statements for Go), and sample=PATH:MAXLINE for the first three files (relative to
// the root), from which bench/run.sh builds a 3-file diff for diff-cover.
//
// Every file is modelled once (measured lines, hit counts, functions, branch points) from a
// generator seeded by (seed, file index), then written in the shape the real tool writes:
// coverage.py 6.5 `coverage json` and `coverage xml` (Cobertura), lcov 1.16 / geninfo, gcovr 5.2
// `--json` (keys sorted), llvm-cov 14 `export` (compact, keys sorted), `go test -coverprofile`,
// JaCoCo XML (one line, with its DOCTYPE). The number of lines per file is scaled so the file
// comes out near the requested size (within a few per cent): a sample of files is written into a
// counter at the candidate scale and extrapolated.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace {

// ---------------------------------------------------------------- randomness (splitmix64)

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>((next() >> 32) * n >> 32); }
  bool chance(double p) { return uniform() < p; }
  double normal() {
    double u1 = std::max(uniform(), 1e-12), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  uint64_t s_;
};

uint64_t mix(uint64_t a, uint64_t b) {
  Rng r(a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull));
  return r.next();
}

// ---------------------------------------------------------------- output

// Buffered writer; with no FILE it only counts (used to calibrate the size).
class Out {
 public:
  explicit Out(FILE* f) : f_(f) { buf_.reserve(kCap + 65536); }
  ~Out() { flush(); }
  Out& s(std::string_view v) {
    buf_.append(v);
    if (buf_.size() >= kCap) flush();
    return *this;
  }
  Out& c(char ch) {
    buf_.push_back(ch);
    return *this;
  }
  Out& u(uint64_t v) {
    char tmp[24];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    buf_.append(tmp, static_cast<size_t>(r.ptr - tmp));
    return *this;
  }
  // Python's repr(float) / a JSON double: shortest round trip, "100.0" rather than "100".
  Out& py_float(double v) {
    char tmp[40];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    std::string_view sv(tmp, static_cast<size_t>(r.ptr - tmp));
    buf_.append(sv);
    if (sv.find_first_of(".e") == std::string_view::npos) buf_.append(".0");
    return *this;
  }
  void flush() {
    if (f_ && !buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) {
      std::perror("bench-gen: write");
      std::exit(3);
    }
    written_ += buf_.size();
    buf_.clear();
  }
  uint64_t bytes() const { return written_ + buf_.size(); }

 private:
  static constexpr size_t kCap = 4 << 20;
  FILE* f_;
  std::string buf_;
  uint64_t written_ = 0;
};

// ---------------------------------------------------------------- the project being "measured"

enum class Lang { c, py, go, java };

constexpr std::string_view kComponents[] = {"api",   "auth", "cache", "cli",    "codec", "core",  "db",
                                            "index", "io",   "net",   "parser", "proto", "sched", "store",
                                            "sync",  "ui",   "util",  "vfs",    "web",   "worker"};
constexpr std::string_view kSubdirs[] = {"common", "detail", "impl", "internal", "model", "service", "types", "v2"};
constexpr std::string_view kNames[] = {"adapter", "buffer",  "builder", "client",   "config",   "context",
                                       "decoder", "encoder", "engine",  "handler",  "loader",   "manager",
                                       "parser",  "pool",    "queue",   "registry", "resolver", "router",
                                       "server",  "session", "stream",  "table",    "token",    "writer"};
constexpr std::string_view kVerbs[] = {"apply", "check", "close", "emit",  "fetch", "flush", "handle", "init",
                                       "load",  "merge", "open",  "parse", "read",  "reset", "run",    "write"};

constexpr size_t kFilesPerDir = 50;

struct Place {
  std::string_view comp, name;
  std::string sub;
  uint32_t dir = 0;  // index of the directory: files [dir * kFilesPerDir, ...)
  uint32_t index = 0;
};

// Paths sort in file-index order (gcovr and llvm-cov write files sorted).
Place place(uint32_t i, uint32_t files) {
  constexpr size_t nc = std::size(kComponents), ns = std::size(kSubdirs), nn = std::size(kNames);
  uint32_t dirs = (files + kFilesPerDir - 1) / kFilesPerDir;
  uint32_t dir = static_cast<uint32_t>(i / kFilesPerDir);
  uint64_t slot = uint64_t{dir} * nc * ns / std::max<uint32_t>(dirs, 1);  // component-major, sorted
  // Several directories may share a slot: "common", "common2", ... keeps them apart and sorted.
  uint64_t first_of_slot = (slot * dirs + nc * ns - 1) / (nc * ns);
  Place p;
  p.comp = kComponents[slot / ns];
  p.sub = std::string(kSubdirs[slot % ns]);
  if (dir > first_of_slot) p.sub += std::to_string(dir - first_of_slot + 1);
  p.name = kNames[(i % kFilesPerDir) * nn / kFilesPerDir];
  p.dir = dir;
  p.index = i;
  return p;
}

std::string pad5(uint32_t i) {
  char b[16];
  std::snprintf(b, sizeof b, "%05u", i);
  return b;
}

// What a tool run in the root would call the file, relative to the root.
std::string rel_path(const Place& p, Lang lang) {
  std::string dir = std::string(p.comp) + "/" + std::string(p.sub);
  switch (lang) {
    case Lang::c: return "src/" + dir + "/" + std::string(p.name) + "_" + pad5(p.index) + ".cpp";
    case Lang::py: return "proj/" + dir + "/" + std::string(p.name) + "_" + pad5(p.index) + ".py";
    case Lang::go: return dir + "/" + std::string(p.name) + "_" + pad5(p.index) + ".go";
    case Lang::java: break;
  }
  std::string cls(p.name);
  cls[0] = static_cast<char>(cls[0] - 'a' + 'A');
  return "src/main/java/com/example/" + dir + "/" + cls + pad5(p.index) + ".java";
}

struct Fn {
  uint32_t first = 0, last = 0;  // indices into Model::lines
  uint64_t count = 0;
  std::string_view verb;
};

struct Branch {
  uint32_t at = 0;  // index into Model::lines
  uint64_t taken = 0, not_taken = 0;
};

// One source file's coverage, independent of the format.
struct Model {
  std::vector<uint32_t> lines;    // measured line numbers, ascending
  std::vector<uint64_t> hits;     // per measured line
  std::vector<uint32_t> ignored;  // excluded (coverage.py) / non-code (gcovr) lines, not measured
  std::vector<Fn> fns;
  std::vector<Branch> branches;
  uint64_t covered = 0;
  uint32_t max_line = 0;
};

uint64_t draw_hits(Rng& r) {
  double u = r.uniform();
  if (u < 0.6) return 1 + r.below(9);
  if (u < 0.95) return 10 + r.below(990);
  return 1000 + r.below(10'000'000);
}

Model make_model(uint64_t seed, uint32_t i, uint32_t n) {
  Rng r(mix(seed, i));
  Model m;
  m.lines.reserve(n);
  m.hits.reserve(n);
  // Whole files untested, fully tested, or in between, as in real projects.
  double u = r.uniform(), p;
  if (u < 0.08) p = 0.0;
  else if (u < 0.20) p = 1.0;
  else p = 0.35 + 0.62 * r.uniform();
  uint32_t line = 1 + r.below(15);
  uint32_t run_left = 0;
  bool run_cov = false;
  uint64_t run_hits = 0;
  uint32_t next_fn = 0;
  for (uint32_t k = 0; k < n; ++k) {
    if (run_left == 0) {  // a basic block: lines that ran together
      run_left = 1 + static_cast<uint32_t>(-std::log(std::max(r.uniform(), 1e-9)) * 6.0);
      run_cov = r.chance(p);
      run_hits = run_cov ? draw_hits(r) : 0;
    }
    --run_left;
    uint64_t h = run_hits;
    if (run_cov && r.chance(0.1)) h = draw_hits(r);  // a loop body inside the block
    if (k == next_fn) {
      if (!m.fns.empty()) m.fns.back().last = k - 1;
      m.fns.push_back(Fn{k, n - 1, h, kVerbs[r.below(static_cast<uint32_t>(std::size(kVerbs)))]});
      next_fn = k + 8 + r.below(25);
    }
    m.lines.push_back(line);
    m.hits.push_back(h);
    if (h) ++m.covered;
    if (k + 1 < n && r.chance(0.08)) {
      uint64_t t = 0, f = 0;
      if (h) {
        t = r.chance(0.8) ? 1 + r.below(static_cast<uint32_t>(std::min<uint64_t>(h, 1000))) : 0;
        f = r.chance(0.7) ? 1 + r.below(50) : 0;
      }
      m.branches.push_back(Branch{k, t, f});
    }
    // Gaps: blank lines, comments, declarations; now and then one that is excluded or non-code.
    double g = r.uniform();
    uint32_t gap = g < 0.72 ? 1 : g < 0.88 ? 2 : 3 + r.below(6);
    if (gap >= 2 && r.chance(0.08)) m.ignored.push_back(line + 1);
    line += gap;
  }
  m.max_line = (m.lines.empty() ? 0 : m.lines.back()) + 2;
  return m;
}

// ---------------------------------------------------------------- formats

struct Totals {
  uint64_t covered = 0, total = 0;
};

struct Gen {
  uint64_t seed = 1;
  uint32_t files = 20000;
  std::string root = "/home/ci/work/proj";
  std::vector<double> base;  // relative size of each file (lognormal)
  double scale = 1.0;

  uint32_t lines_of(uint32_t i) const {
    double v = base[i] * scale;
    return static_cast<uint32_t>(std::clamp(v, 1.0, 200000.0));
  }
  Model model(uint32_t i) const { return make_model(seed, i, lines_of(i)); }
};

// A format writes files [0, n) of the project (n < files when calibrating; no header then counts).
struct Format {
  std::string_view name;
  Lang lang;
  std::function<Totals(const Gen&, uint32_t, Out&)> write;
};

std::string mangle(const Place& p, std::string_view verb, uint32_t k) {
  auto id = [](std::string_view s) { return std::to_string(s.size()) + std::string(s); };
  std::string fname = std::string(verb) + "_" + std::to_string(k);
  return "_ZN" + id(p.comp) + id(p.sub) + id(std::string(p.name) + "_" + pad5(p.index)) + id(fname) + "Ev";
}

std::string demangled(const Place& p, std::string_view verb, uint32_t k) {
  return std::string(p.comp) + "::" + std::string(p.sub) + "::" + std::string(p.name) + "_" + pad5(p.index) +
         "::" + std::string(verb) + "_" + std::to_string(k) + "()";
}

// lcov 1.16 / geninfo: TN, SF, FN*, FNDA*, FNF, FNH, BRDA*, BRF, BRH, DA*, LF, LH, end_of_record.
Totals write_lcov(const Gen& g, uint32_t n, Out& o) {
  Totals t;
  for (uint32_t i = 0; i < n; ++i) {
    Place p = place(i, g.files);
    Model m = g.model(i);
    o.s("TN:\nSF:").s(g.root).c('/').s(rel_path(p, Lang::c)).c('\n');
    uint64_t fnh = 0;
    for (uint32_t k = 0; k < m.fns.size(); ++k)
      o.s("FN:").u(m.lines[m.fns[k].first]).c(',').s(mangle(p, m.fns[k].verb, k)).c('\n');
    for (uint32_t k = 0; k < m.fns.size(); ++k) {
      o.s("FNDA:").u(m.fns[k].count).c(',').s(mangle(p, m.fns[k].verb, k)).c('\n');
      fnh += m.fns[k].count > 0;
    }
    o.s("FNF:").u(m.fns.size()).s("\nFNH:").u(fnh).c('\n');
    uint64_t brh = 0;
    for (const Branch& b : m.branches) {
      uint32_t l = m.lines[b.at];
      bool ran = m.hits[b.at] > 0;
      for (uint32_t k = 0; k < 2; ++k) {
        uint64_t c = k ? b.not_taken : b.taken;
        o.s("BRDA:").u(l).s(",0,").u(k).c(',');
        if (ran) o.u(c);
        else o.c('-');
        o.c('\n');
        brh += c > 0;
      }
    }
    if (!m.branches.empty()) o.s("BRF:").u(2 * m.branches.size()).s("\nBRH:").u(brh).c('\n');
    for (size_t k = 0; k < m.lines.size(); ++k) o.s("DA:").u(m.lines[k]).c(',').u(m.hits[k]).c('\n');
    o.s("LF:").u(m.lines.size()).s("\nLH:").u(m.covered).s("\nend_of_record\n");
    t.covered += m.covered;
    t.total += m.lines.size();
  }
  return t;
}

// coverage.py 6.5 `coverage json --branch`: json.dump with Python's default separators.
Totals write_coveragepy(const Gen& g, uint32_t n, Out& o) {
  struct Sum {
    uint64_t executed = 0, statements = 0, missing = 0, excluded = 0, branches = 0, partial = 0, br_covered = 0;
  };
  auto summary = [&](const Sum& s) {
    uint64_t num = s.executed + s.br_covered, den = s.statements + s.branches;
    double pc = den ? 100.0 * static_cast<double>(num) / static_cast<double>(den) : 100.0;
    // coverage.py's pc_covered_str: rounds, but never shows 0 or 100 unless it is exactly that.
    long disp = std::lround(pc);
    if (disp == 0 && num > 0) disp = 1;
    if (disp == 100 && num < den) disp = 99;
    o.s("{\"covered_lines\": ").u(s.executed).s(", \"num_statements\": ").u(s.statements);
    o.s(", \"percent_covered\": ").py_float(pc).s(", \"percent_covered_display\": \"").u(static_cast<uint64_t>(disp));
    o.s("\", \"missing_lines\": ").u(s.missing).s(", \"excluded_lines\": ").u(s.excluded);
    o.s(", \"num_branches\": ").u(s.branches).s(", \"num_partial_branches\": ").u(s.partial);
    o.s(", \"covered_branches\": ").u(s.br_covered).s(", \"missing_branches\": ").u(s.branches - s.br_covered).c('}');
  };
  auto list = [&](const std::vector<uint32_t>& v) {
    o.c('[');
    for (size_t k = 0; k < v.size(); ++k) {
      if (k) o.s(", ");
      o.u(v[k]);
    }
    o.c(']');
  };
  o.s("{\"meta\": {\"version\": \"6.5.0\", \"timestamp\": \"2024-05-14T09:21:07.318822\", \"branch_coverage\": true, "
      "\"show_contexts\": false}, \"files\": {");
  Sum tot;
  std::vector<uint32_t> executed, missing;
  for (uint32_t i = 0; i < n; ++i) {
    Place p = place(i, g.files);
    Model m = g.model(i);
    executed.clear();
    missing.clear();
    for (size_t k = 0; k < m.lines.size(); ++k) (m.hits[k] ? executed : missing).push_back(m.lines[k]);
    Sum s;
    s.executed = executed.size();
    s.statements = m.lines.size();
    s.missing = missing.size();
    s.excluded = m.ignored.size();
    for (const Branch& b : m.branches) {
      s.branches += 2;
      uint64_t c = (b.taken > 0) + (b.not_taken > 0);
      s.br_covered += c;
      s.partial += c == 1;
    }
    if (i) o.s(", ");
    o.c('"').s(rel_path(p, Lang::py)).s("\": {\"executed_lines\": ");
    list(executed);
    o.s(", \"summary\": ");
    summary(s);
    o.s(", \"missing_lines\": ");
    list(missing);
    o.s(", \"excluded_lines\": ");
    list(m.ignored);
    // Arcs: a branch line jumps to the next line or out of the function (-1 is "exit").
    auto arcs = [&](bool want_taken) {
      bool first = true;
      o.c('[');
      for (const Branch& b : m.branches) {
        uint32_t from = m.lines[b.at];
        for (uint32_t k = 0; k < 2; ++k) {
          bool ran = (k ? b.not_taken : b.taken) > 0;
          if (ran != want_taken) continue;
          if (!first) o.s(", ");
          first = false;
          o.c('[').u(from).s(", ");
          if (k == 0) o.u(m.lines[b.at + 1]);
          else o.s("-1");
          o.c(']');
        }
      }
      o.c(']');
    };
    o.s(", \"executed_branches\": ");
    arcs(true);
    o.s(", \"missing_branches\": ");
    arcs(false);
    o.c('}');
    tot.executed += s.executed;
    tot.statements += s.statements;
    tot.missing += s.missing;
    tot.excluded += s.excluded;
    tot.branches += s.branches;
    tot.partial += s.partial;
    tot.br_covered += s.br_covered;
  }
  o.s("}, \"totals\": ");
  summary(tot);
  o.s("}");
  return Totals{tot.executed, tot.statements};
}

std::string rate4(uint64_t hit, uint64_t num) {
  if (num == 0) return "1";
  char b[32];
  std::snprintf(b, sizeof b, "%.4g", static_cast<double>(hit) / static_cast<double>(num));
  return b;
}

// coverage.py 6.5 `coverage xml --branch` (minidom toprettyxml, tabs; hits are 0 or 1).
Totals write_cobertura(const Gen& g, uint32_t n, Out& o) {
  struct Sum {
    uint64_t lines = 0, hit = 0, br = 0, br_hit = 0;
  };
  auto sum_of = [](const Model& m) {
    Sum s;
    s.lines = m.lines.size();
    s.hit = m.covered;
    for (const Branch& b : m.branches) s.br += 2, s.br_hit += (b.taken > 0) + (b.not_taken > 0);
    return s;
  };
  Sum tot;  // the root element carries the totals: one pass to count them
  for (uint32_t i = 0; i < n; ++i) {
    Sum s = sum_of(g.model(i));
    tot.lines += s.lines, tot.hit += s.hit, tot.br += s.br, tot.br_hit += s.br_hit;
  }
  o.s("<?xml version=\"1.0\" ?>\n<coverage version=\"6.5.0\" timestamp=\"1715678467318\" lines-valid=\"").u(tot.lines);
  o.s("\" lines-covered=\"").u(tot.hit).s("\" line-rate=\"").s(rate4(tot.hit, tot.lines));
  o.s("\" branches-covered=\"").u(tot.br_hit).s("\" branches-valid=\"").u(tot.br).s("\" branch-rate=\"");
  o.s(rate4(tot.br_hit, tot.br)).s("\" complexity=\"0\">\n");
  o.s("\t<!-- Generated by coverage.py: https://coverage.readthedocs.io -->\n");
  o.s("\t<!-- Based on https://raw.githubusercontent.com/cobertura/web/master/htdocs/xml/coverage-04.dtd -->\n");
  o.s("\t<sources>\n\t\t<source>").s(g.root).s("</source>\n\t</sources>\n\t<packages>\n");
  std::vector<Model> dir;
  for (uint32_t first = 0; first < n; first += kFilesPerDir) {
    uint32_t last = std::min<uint32_t>(n, first + kFilesPerDir);
    dir.clear();
    Sum ps;
    for (uint32_t i = first; i < last; ++i) {
      dir.push_back(g.model(i));
      Sum s = sum_of(dir.back());
      ps.lines += s.lines, ps.hit += s.hit, ps.br += s.br, ps.br_hit += s.br_hit;
    }
    Place p0 = place(first, g.files);
    o.s("\t\t<package name=\"proj.").s(p0.comp).c('.').s(p0.sub).s("\" line-rate=\"").s(rate4(ps.hit, ps.lines));
    o.s("\" branch-rate=\"").s(rate4(ps.br_hit, ps.br)).s("\" complexity=\"0\">\n\t\t\t<classes>\n");
    for (uint32_t i = first; i < last; ++i) {
      const Model& m = dir[i - first];
      Place p = place(i, g.files);
      std::string rel = rel_path(p, Lang::py);
      Sum s = sum_of(m);
      o.s("\t\t\t\t<class name=\"").s(rel.substr(rel.rfind('/') + 1)).s("\" filename=\"").s(rel);
      o.s("\" complexity=\"0\" line-rate=\"").s(rate4(s.hit, s.lines)).s("\" branch-rate=\"").s(rate4(s.br_hit, s.br));
      o.s("\">\n\t\t\t\t\t<methods/>\n\t\t\t\t\t<lines>\n");
      size_t bi = 0;
      for (size_t k = 0; k < m.lines.size(); ++k) {
        o.s("\t\t\t\t\t\t<line number=\"").u(m.lines[k]).s("\" hits=\"").c(m.hits[k] ? '1' : '0');
        if (bi < m.branches.size() && m.branches[bi].at == k) {
          const Branch& b = m.branches[bi++];
          uint64_t c = (b.taken > 0) + (b.not_taken > 0);
          o.s("\" branch=\"true\" condition-coverage=\"").u(c * 50).s("% (").u(c).s("/2)");
          if (c < 2) {
            o.s("\" missing-branches=\"");
            if (b.taken == 0) o.u(m.lines[k + 1]);
            if (b.taken == 0 && b.not_taken == 0) o.c(',');
            if (b.not_taken == 0) o.s("exit");
          }
        }
        o.s("\"/>\n");
      }
      o.s("\t\t\t\t\t</lines>\n\t\t\t\t</class>\n");
    }
    o.s("\t\t\t</classes>\n\t\t</package>\n");
  }
  o.s("\t</packages>\n</coverage>\n");
  return Totals{tot.hit, tot.lines};
}

// gcovr 5.2 --json: json.dump(sort_keys=True), files sorted; "gcovr/noncode" lines are not counted.
Totals write_gcovr(const Gen& g, uint32_t n, Out& o) {
  Totals t;
  o.s("{\"files\": [");
  for (uint32_t i = 0; i < n; ++i) {
    Place p = place(i, g.files);
    Model m = g.model(i);
    if (i) o.s(", ");
    o.s("{\"file\": \"").s(rel_path(p, Lang::c)).s("\", \"functions\": [");
    for (uint32_t k = 0; k < m.fns.size(); ++k) {
      if (k) o.s(", ");
      o.s("{\"execution_count\": ").u(m.fns[k].count).s(", \"lineno\": ").u(m.lines[m.fns[k].first]);
      o.s(", \"name\": \"").s(demangled(p, m.fns[k].verb, k)).s("\"}");
    }
    o.s("], \"lines\": [");
    size_t bi = 0, ii = 0;
    bool first = true;
    auto line = [&](uint32_t number, uint64_t count, bool noncode, const Branch* b) {
      if (!first) o.s(", ");
      first = false;
      o.s("{\"branches\": [");
      if (b) {
        o.s("{\"count\": ").u(b->taken).s(", \"fallthrough\": true, \"throw\": false}, ");
        o.s("{\"count\": ").u(b->not_taken).s(", \"fallthrough\": false, \"throw\": false}");
      }
      o.s("], \"count\": ").u(count).s(", \"gcovr/excluded\": false, \"gcovr/noncode\": ");
      o.s(noncode ? "true" : "false").s(", \"line_number\": ").u(number).c('}');
    };
    for (size_t k = 0; k < m.lines.size(); ++k) {
      for (; ii < m.ignored.size() && m.ignored[ii] < m.lines[k]; ++ii) line(m.ignored[ii], 0, true, nullptr);
      const Branch* b = nullptr;
      if (bi < m.branches.size() && m.branches[bi].at == k) b = &m.branches[bi++];
      line(m.lines[k], m.hits[k], false, b);
    }
    for (; ii < m.ignored.size(); ++ii) line(m.ignored[ii], 0, true, nullptr);
    o.s("]}");
    t.covered += m.covered;
    t.total += m.lines.size();
  }
  o.s("], \"gcovr/format_version\": \"0.3\"}");
  return t;
}

// llvm-cov 14 `export -format=text`: compact JSON, keys sorted. Segments open a region at the
// first line of each run of consecutive lines with one count and close it on the run's last line,
// so llvm-cov's own line rules (a line is executable when a region starts on it or a counted region
// wraps it) give exactly the measured lines, and the summary agrees with the segments.
Totals write_llvm(const Gen& g, uint32_t n, Out& o) {
  struct Sum {
    uint64_t lines = 0, lines_cov = 0, fns = 0, fns_cov = 0, regions = 0, regions_cov = 0, br = 0, br_cov = 0;
  };
  auto pct = [&](uint64_t a, uint64_t b) {
    o.py_float(b ? 100.0 * static_cast<double>(a) / static_cast<double>(b) : 0.0);
  };
  auto summary = [&](const Sum& s) {
    o.s("{\"branches\":{\"count\":").u(s.br).s(",\"covered\":").u(s.br_cov).s(",\"notcovered\":").u(s.br - s.br_cov);
    o.s(",\"percent\":");
    pct(s.br_cov, s.br);
    o.s("},\"functions\":{\"count\":").u(s.fns).s(",\"covered\":").u(s.fns_cov).s(",\"percent\":");
    pct(s.fns_cov, s.fns);
    o.s("},\"instantiations\":{\"count\":").u(s.fns).s(",\"covered\":").u(s.fns_cov).s(",\"percent\":");
    pct(s.fns_cov, s.fns);
    o.s("},\"lines\":{\"count\":").u(s.lines).s(",\"covered\":").u(s.lines_cov).s(",\"percent\":");
    pct(s.lines_cov, s.lines);
    o.s("},\"regions\":{\"count\":").u(s.regions).s(",\"covered\":").u(s.regions_cov);
    o.s(",\"notcovered\":").u(s.regions - s.regions_cov).s(",\"percent\":");
    pct(s.regions_cov, s.regions);
    o.s("}}");
  };
  Sum tot;
  o.s("{\"data\":[{\"files\":[");
  for (uint32_t i = 0; i < n; ++i) {
    Place p = place(i, g.files);
    Model m = g.model(i);
    Sum s;
    if (i) o.c(',');
    o.s("{\"branches\":[");
    for (size_t k = 0; k < m.branches.size(); ++k) {
      const Branch& b = m.branches[k];
      uint32_t l = m.lines[b.at];
      if (k) o.c(',');
      o.c('[').u(l).s(",9,").u(l).s(",31,").u(b.taken).c(',').u(b.not_taken).s(",0,0,4]");
      s.br += 2;
      s.br_cov += (b.taken > 0) + (b.not_taken > 0);
    }
    o.s("],\"expansions\":[],\"filename\":\"").s(g.root).c('/').s(rel_path(p, Lang::c)).s("\",\"segments\":[");
    bool first = true;
    for (size_t k = 0; k < m.lines.size();) {
      size_t e = k;  // the run: consecutive line numbers, one covered state
      while (e + 1 < m.lines.size() && m.lines[e + 1] == m.lines[e] + 1 && (m.hits[e + 1] > 0) == (m.hits[k] > 0)) ++e;
      if (!first) o.c(',');
      first = false;
      o.c('[').u(m.lines[k]).s(",5,").u(m.hits[k]).s(",true,true,false],[").u(m.lines[e]).s(",42,0,false,false,false]");
      ++s.regions;
      if (m.hits[k]) ++s.regions_cov;
      k = e + 1;
    }
    o.s("],\"summary\":");
    s.lines = m.lines.size();
    s.lines_cov = m.covered;
    s.fns = m.fns.size();
    for (const Fn& f : m.fns) s.fns_cov += f.count > 0;
    summary(s);
    o.c('}');
    tot.lines += s.lines, tot.lines_cov += s.lines_cov, tot.fns += s.fns, tot.fns_cov += s.fns_cov;
    tot.regions += s.regions, tot.regions_cov += s.regions_cov, tot.br += s.br, tot.br_cov += s.br_cov;
  }
  o.s("],\"functions\":[");
  for (uint32_t i = 0; i < n; ++i) {
    Place p = place(i, g.files);
    // Functions repeat the file's model; regenerate rather than keep 20k models in memory.
    Model m = g.model(i);
    std::string file = g.root + "/" + rel_path(p, Lang::c);
    for (uint32_t k = 0; k < m.fns.size(); ++k) {
      const Fn& f = m.fns[k];
      if (i || k) o.c(',');
      o.s("{\"branches\":[],\"count\":").u(f.count).s(",\"filenames\":[\"").s(file).s("\"],\"name\":\"");
      o.s(mangle(p, f.verb, k)).s("\",\"regions\":[[").u(m.lines[f.first]).s(",5,").u(m.lines[f.last]);
      o.s(",42,").u(f.count).s(",0,0,0]]}");
    }
  }
  o.s("],\"totals\":");
  summary(tot);
  o.s("}],\"type\":\"llvm.coverage.json.export\",\"version\":\"2.0.1\"}\n");
  return Totals{tot.lines_cov, tot.lines};
}

// `go test -coverprofile` (count mode): blocks of 1-6 consecutive lines; Go totals statements.
Totals write_go(const Gen& g, uint32_t n, Out& o) {
  Totals t;
  o.s("mode: count\n");
  for (uint32_t i = 0; i < n; ++i) {
    Place p = place(i, g.files);
    Model m = g.model(i);
    Rng r(mix(g.seed ^ 0x60, i));
    std::string file = "github.com/example/proj/" + rel_path(p, Lang::go);
    for (size_t k = 0; k < m.lines.size();) {
      size_t len = 1 + r.below(6), e = k;
      while (e + 1 < m.lines.size() && e + 1 < k + len && m.lines[e + 1] <= m.lines[e] + 2) ++e;
      uint64_t stmts = (e - k + 1) + (r.chance(0.2) ? 1 : 0);
      uint64_t count = m.hits[k];
      uint32_t c0 = 2 + r.below(40), c1 = m.lines[e] == m.lines[k] ? c0 + 4 + r.below(60) : 2 + r.below(60);
      o.s(file).c(':').u(m.lines[k]).c('.').u(c0).c(',').u(m.lines[e]).c('.').u(c1);
      o.c(' ').u(stmts).c(' ').u(count).c('\n');
      t.total += stmts;
      if (count) t.covered += stmts;
      k = e + 1;
    }
  }
  return t;
}

// JaCoCo XML report: one line, DOCTYPE, per package the <class>es then the <sourcefile>s.
Totals write_jacoco(const Gen& g, uint32_t n, Out& o) {
  struct C {  // a JaCoCo counter
    uint64_t missed = 0, covered = 0;
    void add(const C& c) { missed += c.missed, covered += c.covered; }
  };
  struct Counters {
    C instr, branch, line, complexity, method, klass;
    void add(const Counters& c) {
      instr.add(c.instr), branch.add(c.branch), line.add(c.line), complexity.add(c.complexity);
      method.add(c.method), klass.add(c.klass);
    }
  };
  auto counter = [&](std::string_view type, const C& c) {
    o.s("<counter type=\"").s(type).s("\" missed=\"").u(c.missed).s("\" covered=\"").u(c.covered).s("\"/>");
  };
  auto counters = [&](const Counters& c, bool with_class) {
    counter("INSTRUCTION", c.instr);
    if (c.branch.missed + c.branch.covered) counter("BRANCH", c.branch);
    counter("LINE", c.line);
    counter("COMPLEXITY", c.complexity);
    counter("METHOD", c.method);
    if (with_class) counter("CLASS", c.klass);
  };
  struct JLine {
    uint64_t mi = 0, ci = 0, mb = 0, cb = 0;
  };
  o.s("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><!DOCTYPE report PUBLIC \"-//JACOCO//DTD Report "
      "1.1//EN\" \"report.dtd\"><report name=\"proj\"><sessioninfo id=\"ci-runner-7f3a-4b1c9e2d\" "
      "start=\"1715678400123\" dump=\"1715678467318\"/>");
  Counters total;
  std::vector<Model> dir;
  std::vector<std::vector<JLine>> jl;
  for (uint32_t first = 0; first < n; first += kFilesPerDir) {
    uint32_t last = std::min<uint32_t>(n, first + kFilesPerDir);
    dir.clear();
    jl.clear();
    for (uint32_t i = first; i < last; ++i) {
      dir.push_back(g.model(i));
      const Model& m = dir.back();
      Rng r(mix(g.seed ^ 0x7a, i));
      std::vector<JLine> v(m.lines.size());
      for (size_t k = 0; k < m.lines.size(); ++k) {
        uint64_t ins = 1 + r.below(9);
        if (m.hits[k] == 0) v[k].mi = ins;
        else if (r.chance(0.1))  // partly covered: still a covered line for JaCoCo
          v[k].ci = 1 + r.below(static_cast<uint32_t>(ins)), v[k].mi = ins - v[k].ci + 1;
        else v[k].ci = ins;
      }
      for (const Branch& b : m.branches) {
        v[b.at].cb = (b.taken > 0) + (b.not_taken > 0);
        v[b.at].mb = 2 - v[b.at].cb;
      }
      jl.push_back(std::move(v));
    }
    Place p0 = place(first, g.files);
    std::string pkg = "com/example/" + std::string(p0.comp) + "/" + std::string(p0.sub);
    o.s("<package name=\"").s(pkg).s("\">");
    std::vector<Counters> per_file(last - first);
    // Classes (one per file) with their methods.
    for (uint32_t i = first; i < last; ++i) {
      const Model& m = dir[i - first];
      const auto& v = jl[i - first];
      Place p = place(i, g.files);
      std::string rel = rel_path(p, Lang::java);
      std::string src = rel.substr(rel.rfind('/') + 1);
      std::string cls = src.substr(0, src.size() - 5);
      Counters& fc = per_file[i - first];
      o.s("<class name=\"").s(pkg).c('/').s(cls).s("\" sourcefilename=\"").s(src).s("\">");
      for (uint32_t k = 0; k < m.fns.size(); ++k) {
        const Fn& f = m.fns[k];
        Counters mc;
        for (uint32_t x = f.first; x <= f.last; ++x) {
          mc.instr.add(C{v[x].mi, v[x].ci});
          mc.branch.add(C{v[x].mb, v[x].cb});
          (v[x].ci ? mc.line.covered : mc.line.missed) += 1;
        }
        uint64_t cx = 1 + (mc.branch.missed + mc.branch.covered) / 2;
        bool ran = mc.instr.covered > 0;
        mc.complexity = ran ? C{mc.branch.missed / 2, cx - mc.branch.missed / 2} : C{cx, 0};
        mc.method = ran ? C{0, 1} : C{1, 0};
        o.s("<method name=\"").s(f.verb).u(k).s("\" desc=\"()V\" line=\"").u(m.lines[f.first]);
        o.s("\">");
        counters(mc, false);
        o.s("</method>");
        fc.add(mc);
      }
      fc.klass = fc.method.covered ? C{0, 1} : C{1, 0};
      counters(fc, true);
      o.s("</class>");
    }
    Counters pc;
    for (uint32_t i = first; i < last; ++i) {
      const Model& m = dir[i - first];
      const auto& v = jl[i - first];
      Place p = place(i, g.files);
      std::string rel = rel_path(p, Lang::java);
      o.s("<sourcefile name=\"").s(rel.substr(rel.rfind('/') + 1)).s("\">");
      for (size_t k = 0; k < m.lines.size(); ++k) {
        o.s("<line nr=\"").u(m.lines[k]).s("\" mi=\"").u(v[k].mi).s("\" ci=\"").u(v[k].ci).s("\" mb=\"").u(v[k].mb);
        o.s("\" cb=\"").u(v[k].cb).s("\"/>");
      }
      counters(per_file[i - first], true);
      o.s("</sourcefile>");
      pc.add(per_file[i - first]);
    }
    counters(pc, true);
    o.s("</package>");
    total.add(pc);
  }
  counters(total, true);
  o.s("</report>");
  return Totals{total.line.covered, total.line.covered + total.line.missed};
}

const Format kFormats[] = {
    {"coveragepy-json", Lang::py, write_coveragepy},
    {"cobertura", Lang::py, write_cobertura},
    {"lcov", Lang::c, write_lcov},
    {"gcovr-json", Lang::c, write_gcovr},
    {"llvm-cov-json", Lang::c, write_llvm},
    {"go-coverprofile", Lang::go, write_go},
    {"jacoco", Lang::java, write_jacoco},
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "bench-gen: %s\nusage: bench-gen FORMAT OUT [--mb N] [--files N] [--seed N] [--root DIR] | --version\n"
               "formats: coveragepy-json cobertura lcov gcovr-json llvm-cov-json go-coverprofile jacoco\n",
               why);
  std::exit(2);
}

uint64_t parse_u64(const char* s, const char* what) {
  uint64_t v = 0;
  auto r = std::from_chars(s, s + std::strlen(s), v);
  if (r.ec != std::errc() || *r.ptr) usage((std::string(what) + " needs a whole number").c_str());
  return v;
}

}  // namespace

// Bumped whenever the output changes, so bench/run.sh does not reuse files written by an older one.
constexpr std::string_view kGeneratorVersion = "bench-gen 2";

int main(int argc, char** argv) {
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    std::printf("%s\n", std::string(kGeneratorVersion).c_str());
    return 0;
  }
  if (argc < 3) usage("missing arguments");
  const Format* fmt = nullptr;
  for (const Format& f : kFormats)
    if (f.name == argv[1]) fmt = &f;
  if (!fmt) usage("unknown format");
  std::string out_path = argv[2];
  Gen g;
  uint64_t mb = 500;
  if (const char* e = std::getenv("BENCH_MB"); e && *e) mb = parse_u64(e, "BENCH_MB");
  for (int a = 3; a < argc; a += 2) {
    if (a + 1 >= argc) usage("an option without its value");
    std::string_view opt = argv[a];
    if (opt == "--mb") mb = parse_u64(argv[a + 1], "--mb");
    else if (opt == "--files") g.files = static_cast<uint32_t>(parse_u64(argv[a + 1], "--files"));
    else if (opt == "--seed") g.seed = parse_u64(argv[a + 1], "--seed");
    else if (opt == "--root") g.root = argv[a + 1];
    else usage("unknown option");
  }
  if (mb == 0 || g.files == 0) usage("--mb and --files must be positive");
  while (g.root.size() > 1 && g.root.back() == '/') g.root.pop_back();

  // File sizes: lognormal, as in real code bases (many small files, a few huge ones).
  Rng sizes(mix(g.seed, 0xF11E5));
  g.base.resize(g.files);
  for (double& b : g.base) b = std::exp(0.8 * sizes.normal());

  // Calibrate on a sample of files: a first guess from the bytes per line at a small scale, then
  // a few rounds of writing the sample at the current scale into a counter and extrapolating by
  // lines (the bytes per line grow with the line numbers' digits, so one guess is not enough).
  const double target = static_cast<double>(mb) * 1e6;
  const uint32_t sample = std::min<uint32_t>(g.files, 400);
  auto lines_at = [&](double scale, uint32_t n) {
    Gen s = g;
    s.scale = scale;
    double lines = 0;
    for (uint32_t i = 0; i < n; ++i) lines += s.lines_of(i);
    return lines;
  };
  auto predict = [&](double scale) {
    Gen s = g;
    s.scale = scale;
    Out counter(nullptr);
    fmt->write(s, sample, counter);
    return static_cast<double>(counter.bytes()) * lines_at(scale, g.files) / lines_at(scale, sample);
  };
  double scale = 20.0;
  for (int round = 0; round < 6; ++round) {
    double next = std::clamp(scale * target / predict(scale), 1e-3, 1e7);
    bool close = std::fabs(next / scale - 1.0) < 0.005;
    scale = next;
    if (close) break;
  }
  g.scale = scale;

  FILE* f = std::fopen(out_path.c_str(), "wb");
  if (!f) {
    std::perror(("bench-gen: " + out_path).c_str());
    return 3;
  }
  uint64_t bytes = 0;
  Totals t;
  {
    Out o(f);
    t = fmt->write(g, g.files, o);
    o.flush();
    bytes = o.bytes();
  }
  if (std::fclose(f) != 0) {
    std::perror(("bench-gen: " + out_path).c_str());
    return 3;
  }
  std::printf("generator=%s\n", std::string(kGeneratorVersion).c_str());
  std::printf("format=%s\nbytes=%llu\nfiles=%u\ncovered=%llu\ntotal=%llu\nseed=%llu\nmb=%llu\nroot=%s\n",
              std::string(fmt->name).c_str(), static_cast<unsigned long long>(bytes), g.files,
              static_cast<unsigned long long>(t.covered), static_cast<unsigned long long>(t.total),
              static_cast<unsigned long long>(g.seed), static_cast<unsigned long long>(mb), g.root.c_str());
  for (uint32_t i = 0; i < std::min<uint32_t>(3, g.files); ++i) {
    Model m = g.model(i);
    std::printf("sample=%s:%u\n", rel_path(place(i, g.files), fmt->lang).c_str(), m.max_line);
  }
  return 0;
}

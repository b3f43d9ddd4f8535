#include "coverage-gate/pr_comment.hpp"

#include <cstdlib>

#include "orchkit/forge/comment.hpp"
#include "orchkit/http.hpp"
#include "orchkit/json.hpp"
#include "orchkit/notify/gitea.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/int128.hpp"
#include "orchkit/util/log.hpp"
#include "orchkit/util/units.hpp"

namespace coverage_gate {

using namespace orchkit;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::optional<int64_t> positive(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n > 0 ? std::optional<int64_t>(n) : std::nullopt;
}

std::string pct_cell(const Ratio& r) {
  return format_ratio_pct(r.covered, r.total) + " % (" + std::to_string(r.covered) + "/" + std::to_string(r.total) +
         ")";
}

// line - baseline in percentage points, truncated to two decimals: "+0.15", "-1.02", "±0.00".
std::string delta_points(const Ratio& now, const Ratio& base) {
  if (now.total == 0 || base.total == 0) return "—";
  i128 num = (static_cast<i128>(now.covered) * base.total - static_cast<i128>(base.covered) * now.total) * 10000;
  i128 den = static_cast<i128>(now.total) * base.total;
  i128 h = num / den;  // hundredths of a point, toward zero
  if (h == 0) return "±0.00";
  const bool neg = h < 0;
  if (neg) h = -h;
  const auto whole = static_cast<uint64_t>(h / 100), frac = static_cast<uint64_t>(h % 100);
  return std::string(neg ? "-" : "+") + std::to_string(whole) + "." + (frac < 10 ? "0" : "") + std::to_string(frac);
}

std::string escaped_path(const std::string& path) {
  std::string out;
  size_t from = 0;
  while (true) {
    size_t slash = path.find('/', from);
    out += http::url_escape(path.substr(from, slash == std::string::npos ? std::string::npos : slash - from));
    if (slash == std::string::npos) break;
    out += '/';
    from = slash + 1;
  }
  return out;
}

// Markdown inline code that a backtick in a file name cannot break.
std::string code(const std::string& s) {
  std::string t;
  for (char c : s) t += (c == '`' || c == '|' || c == '\n') ? '?' : c;
  return "`" + t + "`";
}

std::string ranges_cell(const PatchFile& f, std::string_view source) {
  if (f.uncovered.empty()) return "—";
  std::string s;
  size_t shown = 0;
  for (const auto& [a, b] : f.uncovered) {
    if (++shown > 20) {
      s += ", … " + std::to_string(f.uncovered.size() - 20) + " more";
      break;
    }
    std::string text = a == b ? std::to_string(a) : std::to_string(a) + "–" + std::to_string(b);
    if (!source.empty()) {
      std::string anchor = "#L" + std::to_string(a) + (a == b ? "" : "-L" + std::to_string(b));
      text = "[" + text + "](" + std::string(source) + "/" + escaped_path(f.path) + anchor + ")";
    }
    s += (s.empty() ? "" : ", ") + text;
  }
  return s;
}

}  // namespace

std::optional<int64_t> pull_request_number(std::optional<int64_t> flag) {
  if (flag) return flag;
  const std::string event = env("GITHUB_EVENT_NAME");
  if ((event == "pull_request" || event == "pull_request_target") && !env("GITHUB_EVENT_PATH").empty()) {
    if (auto text = read_file(env("GITHUB_EVENT_PATH")))
      if (auto doc = parse_json(*text, "$GITHUB_EVENT_PATH"))
        if (auto n = doc->get_int("pull_request.number"); n && *n > 0) return n;
  }
  const std::string ref = env("GITHUB_REF");  // refs/pull/7/head (Gitea), refs/pull/7/merge
  if (ref.rfind("refs/pull/", 0) == 0) {
    const std::string rest = ref.substr(10);
    return positive(rest.substr(0, rest.find('/')));
  }
  return std::nullopt;
}

std::string comment_marker(std::string_view context) {
  std::string safe;
  for (char c : context) safe += (c == '-' || c == '>' || c == '<' || c == '\n') ? '_' : c;
  return "<!-- orchkit coverage-gate: " + safe + " -->";
}

std::string render_pr_comment(const Outcome& o, std::string_view marker, std::string_view source, size_t max_chars) {
  const std::string sha = o.commit ? o.commit->sha.substr(0, 12) : "?";
  std::string md = std::string(marker) + "\n### coverage-gate: " + std::string(status_name(o.verdict.status)) + "\n\n" +
                   sentence(o) + "\n\n";
  md += "| | line coverage |\n| --- | ---: |\n";
  if (o.facts.line.total > 0) md += "| this change (`" + sha + "`) | " + pct_cell(o.facts.line) + " |\n";
  if (o.facts.baseline) {
    md += "| baseline on `" + o.target + "`" +
          (o.baseline_commit ? " (`" + o.baseline_commit->substr(0, 12) + "`)" : std::string()) + " | " +
          pct_cell(*o.facts.baseline) + " |\n";
    md += "| difference | " + delta_points(o.facts.line, *o.facts.baseline) + " points |\n";
  }
  if (o.facts.patch) md += "| changed lines | " + pct_cell(*o.facts.patch) + " |\n";

  const std::string footer = "\n<sub>orchkit " + o.version + " · measured `" + sha +
                             "` · this comment is edited in place on every run</sub>\n";
  if (o.patch && !o.patch->files.empty()) {
    md +=
        "\n#### Changed files\n\n| file | changed lines covered | uncovered changed lines | file |\n"
        "| --- | ---: | --- | ---: |\n";
    size_t rows = 0;
    for (const auto& f : o.patch->files) {
      std::string row = "| " + code(f.path) + " | " + (f.lines.total ? pct_cell(f.lines) : std::string("—")) + " | " +
                        ranges_cell(f, source) + " | " +
                        (f.file.total ? format_ratio_pct(f.file.covered, f.file.total) + " %" : std::string("—")) +
                        " |\n";
      const std::string rest = "\n… and " + std::to_string(o.patch->files.size() - rows) +
                               " more changed files: see the artefact or `--json`.\n";
      if (md.size() + row.size() + rest.size() + footer.size() > max_chars) {
        md += rest;
        break;
      }
      md += row;
      ++rows;
    }
    if (!o.patch->unmeasured.empty()) {
      std::string line = "\nChanged files without coverage data:";
      size_t shown = 0;
      for (const auto& p : o.patch->unmeasured) {
        std::string item = " " + code(p) + (shown + 1 < o.patch->unmeasured.size() ? "," : "");
        if (md.size() + line.size() + item.size() + footer.size() + 40 > max_chars) {
          line += " … " + std::to_string(o.patch->unmeasured.size() - shown) + " more";
          break;
        }
        line += item;
        ++shown;
      }
      md += line + "\n";
    }
  }
  return md + footer;
}

void post_pr_comment(const Context& ctx, std::optional<int64_t> pr_flag, const Outcome& o) {
  if (!ctx.cfg.gitea.pr_comment) return;
  const auto pr = pull_request_number(pr_flag);
  if (!pr) {
    log::info("gitea: not a pull request (no --pr, no pull_request event): no PR comment");
    return;
  }
  notify::GiteaEndpoint end = notify::gitea_endpoint(ctx.cfg.gitea.api_url, ctx.repo_id);
  auto api = forge::repo_api(end.api_url, end.token, end.owner_repo, "gitea.pr_comment");
  if (!api) {
    log::warning(api.error().message + ": no PR comment (the verdict stands)");
    return;
  }
  // Lines link to the commit Gitea knows: the measured one, or the PR head it stands for when the
  // check measured a local merge of the target into the head (head.hpp).
  std::string source;
  const std::string web = end.api_url.size() > 7 && end.api_url.compare(end.api_url.size() - 7, 7, "/api/v1") == 0
                              ? end.api_url.substr(0, end.api_url.size() - 7)
                              : std::string();
  const std::string at = o.head_commit ? *o.head_commit : (o.commit ? o.commit->sha : std::string());
  if (!web.empty() && !at.empty()) source = web + "/" + end.owner_repo + "/src/commit/" + at;
  const std::string marker = comment_marker(ctx.cfg.gitea.commit_status_context);
  auto done = forge::upsert_comment(*api, *pr, marker, render_pr_comment(o, marker, source, forge::kCommentMaxChars));
  if (!done) {
    log::warning(done.error().message + ": the PR comment was not updated (the verdict stands)");
    return;
  }
  log::info("gitea: pull request #" + std::to_string(*pr) + " comment " + std::to_string(done->id) + " " +
            std::string(forge::comment_action_name(done->action)));
}

}  // namespace coverage_gate

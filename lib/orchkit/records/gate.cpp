#include "orchkit/records/gate.hpp"

#include <charconv>

#include "orchkit/util/text.hpp"
#include "orchkit/util/units.hpp"

namespace orchkit::records {

namespace {

constexpr std::pair<GateStatus, std::string_view> kStatuses[] = {{GateStatus::pass, "PASS"},
                                                                 {GateStatus::fail, "FAIL"},
                                                                 {GateStatus::warn, "WARN"},
                                                                 {GateStatus::skipped, "SKIPPED"},
                                                                 {GateStatus::error, "ERROR"}};

std::string flow_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

std::string unquote(const std::string& s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
    std::string out;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
      if (s[i] == '\\' && i + 2 < s.size()) ++i;
      out += s[i];
    }
    return out;
  }
  return s;
}

// The items of a one-line YAML flow sequence, split at top-level commas (quotes and braces kept).
std::vector<std::string> flow_items(std::string_view v) {
  std::vector<std::string> out;
  if (v.size() < 2 || v.front() != '[' || v.back() != ']') return out;
  v = v.substr(1, v.size() - 2);
  int depth = 0;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i <= v.size(); ++i) {
    char c = i < v.size() ? v[i] : ',';
    if (quoted) {
      if (c == '\\') ++i;
      else if (c == '"') quoted = false;
      continue;
    }
    if (c == '"') quoted = true;
    else if (c == '{' || c == '[') ++depth;
    else if (c == '}' || c == ']') --depth;
    else if (c == ',' && depth == 0) {
      std::string item(trim(v.substr(start, i - start)));
      if (!item.empty()) out.push_back(item);
      start = i + 1;
    }
  }
  return out;
}

// {path: x, format: lcov, sha256: <hex>}
std::optional<GateReport> report_of(const std::string& item) {
  if (item.size() < 2 || item.front() != '{' || item.back() != '}') return std::nullopt;
  GateReport r;
  for (const auto& kv : flow_items("[" + item.substr(1, item.size() - 2) + "]")) {
    size_t colon = kv.find(':');
    if (colon == std::string::npos) return std::nullopt;
    std::string k(trim(std::string_view(kv).substr(0, colon))),
        v = unquote(std::string(trim(std::string_view(kv).substr(colon + 1))));
    if (k == "path") r.path = v;
    else if (k == "format") r.format = v;
    else if (k == "sha256") r.sha256 = v == "null" ? "" : v;
  }
  return r;
}

// A count pair and its printed percentage must agree with each other.
void check_pair(const std::string& what, const std::optional<uint64_t>& covered, const std::optional<uint64_t>& total,
                const std::optional<std::string>& pct, std::vector<std::string>& problems) {
  if (covered && total && *covered > *total)
    problems.push_back(what + "_covered " + std::to_string(*covered) + " is larger than " + what + "_total " +
                       std::to_string(*total));
  else if (covered && total && *total > 0 && pct && *pct != format_ratio_pct(*covered, *total))
    problems.push_back(what + "_pct " + *pct + " is not " + std::to_string(*covered) + "/" + std::to_string(*total) +
                       " = " + format_ratio_pct(*covered, *total));
}

bool is_sha256(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// rule, diff {GNC: 1, ...}, files_below_min [..], line_data_sha256.
void read_differential(const FrontMatter& fm, GateRecord& r, std::vector<std::string>& problems) {
  r.rule = fm.get("rule");
  if (auto d = fm.get("diff")) {
    bool ok = d->size() >= 2 && d->front() == '{' && d->back() == '}';
    for (const auto& kv : ok ? flow_items("[" + d->substr(1, d->size() - 2) + "]") : std::vector<std::string>{}) {
      size_t colon = kv.find(':');
      auto n = colon == std::string::npos ? std::nullopt
                                          : parse_u64(std::string(trim(std::string_view(kv).substr(colon + 1))));
      if (!n) ok = false;
      else r.diff.emplace_back(std::string(trim(std::string_view(kv).substr(0, colon))), *n);
    }
    if (!ok) problems.push_back("diff is not {CATEGORY: count, ...}: " + *d);
  }
  for (const auto& f : flow_items(fm.get("files_below_min").value_or("[]"))) r.files_below_min.push_back(unquote(f));
  r.line_data_sha256 = fm.get("line_data_sha256");
  if (r.line_data_sha256 && !is_sha256(*r.line_data_sha256)) problems.push_back("line_data_sha256 is not 64 hex");
}

}  // namespace

bool is_object_id(std::string_view s) {
  if (s.size() != 40) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::optional<uint64_t> parse_u64(const std::optional<std::string>& s) {
  if (!s || s->empty()) return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || p != s->data() + s->size()) return std::nullopt;
  return v;
}

std::string_view gate_status_name(GateStatus s) {
  for (const auto& [status, name] : kStatuses)
    if (status == s) return name;
  return "ERROR";
}

std::optional<GateStatus> gate_status_from(std::string_view s) {
  for (const auto& [status, name] : kStatuses)
    if (name == s) return status;
  return std::nullopt;
}

bool measured_nothing(GateStatus s) {
  return s == GateStatus::warn || s == GateStatus::error || s == GateStatus::skipped;
}

std::string render_gate(const GateRecord& r) {
  FrontMatterWriter fm;
  fm.raw("coverage_status", gate_status_name(r.status));
  fm.opt_raw("task", r.task ? std::optional<std::string>(yaml_scalar(*r.task)) : std::nullopt);
  fm.opt_raw("commit", r.commit);
  fm.opt_raw("tree", r.tree);
  fm.raw("target", yaml_scalar(r.target));
  fm.opt_raw("target_commit", r.target_commit);
  fm.opt_raw("head_commit", r.head_commit);
  fm.raw("mode", r.mode);
  fm.raw("line_covered", std::to_string(r.line_covered));
  fm.raw("line_total", std::to_string(r.line_total));
  fm.opt_quoted("line_pct", r.line_pct);
  fm.opt_quoted("baseline_pct", r.baseline_pct);
  fm.opt_raw("baseline_commit", r.baseline_commit);
  if (r.baseline_covered && r.baseline_total) {
    fm.raw("baseline_covered", std::to_string(*r.baseline_covered));
    fm.raw("baseline_total", std::to_string(*r.baseline_total));
  }
  fm.quoted("min_pct", r.min_pct);
  fm.quoted("epsilon_pp", r.epsilon_pp);
  if (r.patch_min_pct) fm.quoted("patch_min_pct", *r.patch_min_pct);
  if (r.patch_covered && r.patch_total) {
    fm.raw("patch_covered", std::to_string(*r.patch_covered));
    fm.raw("patch_total", std::to_string(*r.patch_total));
    fm.opt_quoted("patch_pct", r.patch_pct);
  }
  fm.raw("reasons", flow_list(r.reasons));
  fm.raw("policy", yaml_scalar(r.policy.empty() ? std::string("(unknown)") : r.policy));
  if (!r.policy_changed.empty()) fm.raw("policy_changed", flow_list(r.policy_changed));
  if (r.unmatched_paths) fm.raw("unmatched_paths", std::to_string(*r.unmatched_paths));
  std::vector<std::string> reps;
  for (const auto& rep : r.reports)
    reps.push_back("{path: " + yaml_scalar(rep.path) + ", format: " + rep.format +
                   ", sha256: " + (rep.sha256.empty() ? "null" : rep.sha256) + "}");
  fm.raw("reports", flow_list(reps));
  if (r.rule) fm.raw("rule", *r.rule);
  if (!r.diff.empty()) {
    std::string d = "{";
    for (const auto& [k, n] : r.diff) d += (d.size() > 1 ? ", " : "") + k + ": " + std::to_string(n);
    fm.raw("diff", d + "}");
  }
  if (!r.files_below_min.empty()) {
    std::vector<std::string> files;
    for (const auto& f : r.files_below_min) files.push_back(yaml_scalar(f));
    fm.raw("files_below_min", flow_list(files));
  }
  if (r.line_data_sha256) fm.raw("line_data_sha256", *r.line_data_sha256);
  fm.raw("generated_by", r.generated_by);
  return fm.text();
}

GateParse gate_from(const FrontMatter& fm) {
  GateParse out;
  GateRecord& r = out.record;
  auto& problems = out.problems;
  std::string status = fm.get("coverage_status").value_or("");
  if (auto s = gate_status_from(status)) r.status = *s;
  else if (status.empty()) problems.push_back("no coverage_status");
  else problems.push_back("coverage_status '" + status + "' is not one of PASS, FAIL, WARN, SKIPPED, ERROR");
  r.task = fm.get("task");
  r.commit = fm.get("commit");
  r.tree = fm.get("tree");
  if (!r.commit || !is_object_id(*r.commit)) problems.push_back("commit is not a 40-hex commit id");
  if (!r.tree || !is_object_id(*r.tree)) problems.push_back("tree is not a 40-hex tree id");
  r.target = fm.get("target").value_or("");
  r.target_commit = fm.get("target_commit");
  r.head_commit = fm.get("head_commit");
  if (r.head_commit && !is_object_id(*r.head_commit)) problems.push_back("head_commit is not a 40-hex commit id");
  r.mode = fm.get("mode").value_or("");
  auto covered = parse_u64(fm.get("line_covered")), total = parse_u64(fm.get("line_total"));
  if (!covered || !total) problems.push_back("line_covered/line_total are not whole numbers");
  r.line_covered = covered.value_or(0);
  r.line_total = total.value_or(0);
  r.line_pct = fm.get("line_pct");
  check_pair("line", covered, total, r.line_pct, problems);
  r.baseline_pct = fm.get("baseline_pct");
  r.baseline_commit = fm.get("baseline_commit");
  r.baseline_covered = parse_u64(fm.get("baseline_covered"));
  r.baseline_total = parse_u64(fm.get("baseline_total"));
  check_pair("baseline", r.baseline_covered, r.baseline_total, r.baseline_pct, problems);
  r.min_pct = fm.get("min_pct").value_or("");
  r.epsilon_pp = fm.get("epsilon_pp").value_or("");
  r.patch_min_pct = fm.get("patch_min_pct");
  r.patch_covered = parse_u64(fm.get("patch_covered"));
  r.patch_total = parse_u64(fm.get("patch_total"));
  r.patch_pct = fm.get("patch_pct");
  check_pair("patch", r.patch_covered, r.patch_total, r.patch_pct, problems);
  r.reasons = flow_items(fm.get("reasons").value_or("[]"));
  r.policy = fm.get("policy").value_or("");
  r.policy_changed = flow_items(fm.get("policy_changed").value_or("[]"));
  r.unmatched_paths = parse_u64(fm.get("unmatched_paths"));
  for (const auto& item : flow_items(fm.get("reports").value_or("[]"))) {
    if (auto rep = report_of(item)) r.reports.push_back(std::move(*rep));
    else problems.push_back("a report entry is not {path, format, sha256}: " + item);
  }
  r.generated_by = fm.get("generated_by").value_or("");
  read_differential(fm, r, problems);
  return out;
}

Result<GateParse> parse_gate(std::string_view text, std::string_view name) {
  ORCHKIT_TRY(fm, parse_front_matter(text, name));
  return gate_from(fm);
}

}  // namespace orchkit::records

#include "orchkit/forge/actions.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>
#include <thread>

#include "orchkit/http.hpp"

namespace orchkit::forge {

namespace {

using Clock = std::chrono::steady_clock;

std::string describe(const Run& r) {
  return "run " + std::to_string(r.id) + (r.name.empty() ? "" : " (" + r.name + ")") + " on " + r.branch;
}

struct Answer {
  long status = 0;  // 0: no answer
  std::string body = {};
  std::string error = {};
};

Answer call(const RepoApi& api, const std::string& method, const std::string& path, const std::string& what) {
  http::Request req = api.request(method, path);
  req.what = what;
  if (method == "POST") req.body = "{}";
  http::RetryPolicy policy;
  policy.budget = Duration(20'000);
  if (method == "POST") policy.max_attempts = 1;  // a cancel is asked once; the poll tells the rest
  auto resp = http::send(req, policy);
  if (!resp) return {0, {}, resp.error().message};
  return {resp->status, resp->body, {}};
}

std::string message_of(const Answer& a) {
  if (a.status == 0) return a.error;
  std::string m;
  if (auto doc = parse_json(a.body, "gitea response")) m = doc->get_string("message").value_or("");
  return "HTTP " + std::to_string(a.status) + (m.empty() ? "" : ": " + m);
}

// GET .../actions/runs/{id}: the run now, or nullopt (the problem is recorded).
std::optional<Run> read_run(const RepoApi& api, const Run& r, CancelReport& out) {
  Answer a = call(api, "GET", "/actions/runs/" + std::to_string(r.id), "gitea: GET actions run");
  if (a.status == 200) {
    if (auto doc = parse_json(a.body, "gitea actions run")) {
      Run now = parse_run(*doc);
      if (now.id == r.id) return now;
    }
  }
  out.problems.push_back(describe(r) + ": reading it failed: " + message_of(a));
  return std::nullopt;
}

// Lists the branch's queued and running runs; false when the server has no such endpoint.
bool list_branch(const RepoApi& api, const std::string& branch, std::vector<Run>& found, CancelReport& out) {
  for (const char* status : {"queued", "waiting", "in_progress"}) {
    std::string path = "/actions/runs?branch=" + http::url_escape(branch) + "&status=" + status + "&limit=50";
    Answer a = call(api, "GET", path, "gitea: GET actions runs");
    if (a.status == 404) return false;
    if (a.status != 200) {
      out.problems.push_back("listing the runs of " + branch + " failed: " + message_of(a));
      continue;
    }
    auto doc = parse_json(a.body, "gitea actions runs");
    if (!doc) {
      out.problems.push_back("listing the runs of " + branch + ": " + doc.error().message);
      continue;
    }
    for (Run& r : runs_to_cancel(parse_runs(*doc), branch)) {
      bool seen = std::any_of(found.begin(), found.end(), [&](const Run& f) { return f.id == r.id; });
      if (!seen) found.push_back(std::move(r));
    }
  }
  return true;
}

// Polls until every run in `pending` has ended or `until`; returns the ones still active.
std::vector<Run> wait_for_end(const RepoApi& api, std::vector<Run> pending, Clock::time_point until,
                              const CancelOptions& opts, CancelReport& out, std::vector<RunOutcome>& ended) {
  while (!pending.empty()) {
    std::vector<Run> still;
    for (const Run& r : pending) {
      auto now = read_run(api, r, out);
      if (now && !run_active(*now)) ended.push_back({*now, "cancelled", now->conclusion});
      else still.push_back(now ? *now : r);
    }
    pending = std::move(still);
    if (pending.empty() || Clock::now() >= until) break;
    opts.sleep(opts.poll);
  }
  return pending;
}

}  // namespace

Run parse_run(const Json& j) {
  Run r;
  r.id = j.get_int("id").value_or(0);
  r.branch = j.get_string("head_branch").value_or("");
  r.status = j.get_string("status").value_or("");
  r.conclusion = j.get_string("conclusion").value_or("");
  r.name = j.get_string("display_title").value_or(j.get_string("path").value_or(""));
  return r;
}

std::vector<Run> parse_runs(const Json& doc) {
  const Json& list = doc.is_array() ? doc : doc.at("workflow_runs");
  std::vector<Run> out;
  for (const Json& j : list.items()) {
    Run r = parse_run(j);
    if (r.id > 0) out.push_back(std::move(r));
  }
  return out;
}

bool run_active(const Run& r) {
  static const std::set<std::string> kDone = {"completed", "success", "failure", "cancelled", "skipped"};
  return kDone.count(r.status) == 0;
}

std::vector<Run> runs_to_cancel(const std::vector<Run>& listed, std::string_view branch) {
  std::vector<Run> out;
  for (const Run& r : listed) {
    if (r.branch != branch || !run_active(r)) continue;
    if (std::any_of(out.begin(), out.end(), [&](const Run& o) { return o.id == r.id; })) continue;
    out.push_back(r);
  }
  return out;
}

CancelReport cancel_branch_runs(const RepoApi& api, const std::vector<std::string>& branches,
                                const CancelOptions& given) {
  CancelOptions opts = given;
  if (!opts.sleep) opts.sleep = [](Duration d) { std::this_thread::sleep_for(d); };
  CancelReport out;
  std::vector<Run> runs;
  for (const auto& b : branches) {
    if (!list_branch(api, b, runs, out)) {
      out.supported = false;
      return out;
    }
  }
  if (opts.dry_run) {
    for (const Run& r : runs) out.runs.push_back({r, "would cancel", r.status});
    return out;
  }
  std::vector<Run> asked;
  for (const Run& r : runs) {
    Answer a = call(api, "POST", "/actions/runs/" + std::to_string(r.id) + "/cancel", "gitea: cancel actions run");
    if (a.status == 200 || a.status == 202 || a.status == 204) asked.push_back(r);
    else if (a.status == 409) out.runs.push_back({r, "already ended", message_of(a)});
    else out.runs.push_back({r, "failed", "cancel: " + message_of(a)});
  }
  std::vector<RunOutcome> ended;
  auto left = wait_for_end(api, asked, Clock::now() + opts.grace, opts, out, ended);
  for (const Run& r : left) {
    Answer a =
        call(api, "POST", "/actions/runs/" + std::to_string(r.id) + "/force-cancel", "gitea: force-cancel actions run");
    if (a.status != 200 && a.status != 202 && a.status != 204) {
      out.runs.push_back({r, "still " + r.status, "force-cancel: " + message_of(a)});
      continue;
    }
    auto now = read_run(api, r, out);
    if (now && !run_active(*now)) out.runs.push_back({*now, "force-cancelled", now->conclusion});
    else out.runs.push_back({now ? *now : r, "still " + (now ? now->status : r.status), "after force-cancel"});
  }
  out.runs.insert(out.runs.begin(), ended.begin(), ended.end());
  return out;
}

}  // namespace orchkit::forge

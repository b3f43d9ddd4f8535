#!/usr/bin/env bats
# The contract test (issue 15 item 5): the requests in a fake's log against the operations the
# official clients (gitea-js, Plane SDK) define. The clients are installed into the build dir.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
  export CONTRACT_MODULES="${CONTRACT_MODULES:-${ORCHKIT_BIN:?}/../contract}"
  "$ORCHKIT_SRC/tests/contract/install.sh" "$CONTRACT_MODULES"
}

teardown() { stop_fake; }

check() { node "$ORCHKIT_SRC/tests/contract/check_requests.mjs" "$@"; }

@test "a log with a field no client defines is rejected, naming method, path and field" {
  printf '%s\n' '{"method":"POST","path":"/api/v1/repos/a/b/pulls/3/merge","body":{"Do":"merge","headcommit":"x"}}' \
    > "$BATS_TEST_TMPDIR/bad.jsonl"
  run -1 check "$BATS_TEST_TMPDIR/bad.jsonl" gitea
  [[ "$output" == *"POST /api/v1/repos/a/b/pulls/3/merge: field headcommit"* ]]
}

@test "an unknown path, a non-sendMessage field and a silent service are rejected" {
  printf '%s\n' '{"method":"GET","path":"/api/v1/repos/a/b/nope","body":null}' \
    '{"method":"POST","path":"/bot1:x/sendMessage","body":{"chat_id":1,"text":"t","colour":1}}' \
    > "$BATS_TEST_TMPDIR/bad.jsonl"
  run -1 check "$BATS_TEST_TMPDIR/bad.jsonl" gitea telegram plane
  [[ "$output" == *"GET /api/v1/repos/a/b/nope: no gitea client operation"* ]]
  [[ "$output" == *"field colour is not a sendMessage field"* ]]
  [[ "$output" == *"no plane request"* ]]
}

@test "a well-formed log passes" {
  printf '%s\n' '{"method":"POST","path":"/api/v1/repos/a/b/statuses/abc","body":{"state":"pending","context":"c"}}' \
    '{"method":"POST","path":"/bot1:x/sendMessage","body":{"chat_id":1,"text":"t","parse_mode":"HTML"}}' \
    '{"method":"GET","path":"/api/v1/workspaces/w/projects/p/states/","body":null}' > "$BATS_TEST_TMPDIR/ok.jsonl"
  run -0 check "$BATS_TEST_TMPDIR/ok.jsonl" gitea telegram plane
}

@test "a body logged as raw JSON text (as the fake logs it) is checked field by field" {
  printf '%s\n' '{"method":"POST","path":"/api/v1/repos/a/b/pulls/3/merge","body":"{\"Do\":\"merge\",\"headcommit\":\"x\"}"}' \
    > "$BATS_TEST_TMPDIR/bad.jsonl"
  run -1 check "$BATS_TEST_TMPDIR/bad.jsonl" gitea
  [[ "$output" == *"field headcommit"* ]]
}

@test "the official clients accept the fake's answers (drive_clients.mjs)" {
  local head seed="$BATS_TEST_TMPDIR/seed.json"
  head=$(printf 'c%.0s' $(seq 40))
  printf '{"7": "%s"}\n' "$head" > "$BATS_TEST_TMPDIR/prs.json"
  python3 - "$seed" <<'PY'
import json, sys
st = lambda pre, n: "%s-0000-4000-8000-%012d" % (pre, n)
names = ["Todo", "In Progress", "Triage"] + ["S%d" % n for n in range(4, 12)] + ["Done"]
states = [{"id": st("a0000000", i + 1), "name": n, "group": "started", "triage": n == "Triage"}
          for i, n in enumerate(names)]
items = [{"id": st("a1000000", 1), "sequence_id": 1, "name": "one", "state": st("a0000000", 1)}]
json.dump({"workspace": "acme", "projects": {
    st("a0000000", 1): {"identifier": "ONE", "states": states, "items": items},
    st("a0000000", 2): {"identifier": "TWO", "states": states, "items": [], "member": False}}},
    open(sys.argv[1], "w"))
PY
  start_fake --gitea-token tok --plane-key good --pr-heads "$BATS_TEST_TMPDIR/prs.json" --plane-seed "$seed"
  run node "$ORCHKIT_SRC/tests/contract/drive_clients.mjs" "${FAKE_URL##*:}" "$head"
  echo "$output"
  [ "$status" -eq 0 ]
}

@test "coverage-gate's real requests (statuses, the PR comment created then edited) are client operations" {
  REPO="$BATS_TEST_TMPDIR/repo"
  make_repo "$REPO"
  cd "$REPO"
  start_fake --gitea-token tok
  printf '[gitea]\napi_url = "%s/api/v1"\npr_comment = true\n' "$FAKE_URL" >> orchkit.toml
  git commit -qam "policy: PR comments"
  git checkout -q -b task/ORCH-5-x
  sed -i '3s/.*/int a3 = 103;/' src/a.c
  git commit -qam "change line 3"
  lcov_report cov.info src/a.c 9 10
  GITEA_TOKEN=tok coverage-gate check --task ORCH-5 --report cov.info --pr 7 > /dev/null 2>&1
  lcov_report cov.info src/a.c 10 10   # another verdict: the comment is edited
  GITEA_TOKEN=tok coverage-gate check --task ORCH-5 --report cov.info --pr 7 > /dev/null 2>&1
  grep -q '/statuses/' "$FAKE_LOG"
  grep -q '"PATCH"' "$FAKE_LOG"
  run check "$FAKE_LOG" gitea
  echo "$output"
  [ "$status" -eq 0 ]
}

@test "query parameters, Plane body fields, the Actions runs list and the issues/ fallback are checked" {
  printf '%s\n' '{"method":"GET","path":"/api/v1/repos/a/b/actions/runs?branch=task%2Fx&status=queued&limit=50","body":null}' \
    '{"method":"POST","path":"/api/v1/repos/a/b/actions/runs/3/force-cancel","body":""}' \
    '{"method":"PATCH","path":"/api/v1/workspaces/w/projects/p/issues/i1/","body":"{\"state\":\"s\"}"}' \
    > "$BATS_TEST_TMPDIR/ok.jsonl"
  run -0 check "$BATS_TEST_TMPDIR/ok.jsonl" gitea plane
  printf '%s\n' '{"method":"GET","path":"/api/v1/repos/a/b/actions/runs?branch=x&colour=1","body":null}' \
    '{"method":"POST","path":"/api/v1/repos/a/b/actions/runs/3/stop","body":""}' \
    '{"method":"PATCH","path":"/api/v1/workspaces/w/projects/p/work-items/i1/","body":"{\"state_id\":\"s\"}"}' \
    '{"method":"PATCH","path":"/api/v1/workspaces/w/projects/p/issue/i1/","body":"{\"state\":\"s\"}"}' \
    > "$BATS_TEST_TMPDIR/bad.jsonl"
  run -1 check "$BATS_TEST_TMPDIR/bad.jsonl"
  [[ "$output" == *"actions/runs: query parameter colour is not one of getWorkflowRuns's"* ]]
  [[ "$output" == *"POST /api/v1/repos/a/b/actions/runs/3/stop: no gitea client operation"* ]]
  [[ "$output" == *"field state_id is not in update's body"* ]]
  [[ "$output" == *"PATCH /api/v1/workspaces/w/projects/p/issue/i1/: no plane client operation"* ]]
}

@test "a body that is not a JSON object is rejected, not waved through unchecked" {
  printf '%s\n' '{"method":"POST","path":"/api/v1/repos/a/b/pulls/3/merge","body":"Do=merge&headcommit=x"}' \
    '{"method":"POST","path":"/bot1:x/sendMessage","body":"[1,2]"}' > "$BATS_TEST_TMPDIR/bad.jsonl"
  run -1 check "$BATS_TEST_TMPDIR/bad.jsonl"
  [[ "$output" == *"POST /api/v1/repos/a/b/pulls/3/merge: the body is not a JSON object"* ]]
  [[ "$output" == *"sendMessage: the body is not a JSON object"* ]]
}

@test "extract_gitea_ops.mjs lists a swagger's Actions runs operations with their query parameters" {
  cat > "$BATS_TEST_TMPDIR/swagger.json" <<'JSON'
{"info": {"title": "Gitea API", "version": "{{AppVer | JSEscape}}"}, "definitions": {"Opt": {"properties": {"a": {}, "b": {}}}},
 "paths": {"/repos/{owner}/{repo}/actions/runs": {"get": {"operationId": "getWorkflowRuns",
   "parameters": [{"name": "owner", "in": "path"}, {"name": "branch", "in": "query"}, {"name": "status", "in": "query"}]}},
  "/repos/{owner}/{repo}/actions/runs/{run}/cancel": {"post": {"operationId": "cancelWorkflowRun",
   "parameters": [{"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Opt"}}]}},
  "/user": {"get": {"operationId": "userGetCurrent"}}}}
JSON
  run -0 node "$ORCHKIT_SRC/tests/contract/extract_gitea_ops.mjs" "$BATS_TEST_TMPDIR/swagger.json"
  python3 - "$output" <<'PY'
import json, sys
ops = json.loads(sys.argv[1])["operations"]
assert [(o["name"], o["method"]) for o in ops] == [("getWorkflowRuns", "GET"), ("cancelWorkflowRun", "POST")], ops
assert ops[0]["query"] == ["branch", "status"] and ops[0]["body"] is None, ops
assert ops[1]["body"] == ["a", "b"], ops
PY
}

#!/usr/bin/env bats
# The contract test (issue 15 item 5): the requests in a fake's log against the operations the
# official clients (gitea-js, Plane SDK) define. The clients are installed into the build dir.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
  export CONTRACT_MODULES="${ORCHKIT_BIN:?}/../contract"
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
  start_fake --gitea-token tok --plane-key good
  run -0 node "$ORCHKIT_SRC/tests/contract/drive_clients.mjs" "${FAKE_URL##*:}"
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

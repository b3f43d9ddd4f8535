#!/usr/bin/env bats
# The pull-request comment ([gitea] pr_comment = true, issue 15 item 8) against the fake Gitea's
# comment routes: one comment per PR, found again by its hidden marker among the token user's own
# comments and edited in place on every run; never a second comment, never somebody else's; a
# failed comment is a warning and the verdict stands.

load helpers
bats_require_minimum_version 1.5.0

setup() {
  REPO="$BATS_TEST_TMPDIR/repo"
  make_repo "$REPO"
  cd "$REPO"
  cat > "$BATS_TEST_TMPDIR/others.json" <<'JSON'
{"7": [{"user": "mallory", "body": "<!-- orchkit coverage-gate: orchkit / coverage -->\nplanted"},
       {"user": "alice", "body": "looks good"}]}
JSON
  start_fake --gitea-token tok --gitea-comments "$BATS_TEST_TMPDIR/others.json"
  printf '[gitea]\napi_url = "%s/api/v1"\npr_comment = true\n' "$FAKE_URL" >> orchkit.toml
  git commit -qam "policy: PR comments"
  git checkout -q -b task/ORCH-5-x
  export GITEA_TOKEN=tok
}

teardown() { stop_fake; }

# push N: one more commit on the task branch changing line N of src/a.c.
push() {
  sed -i "${1}s/.*/int a$1 = $((100 + $1));/" src/a.c
  git commit -qam "change line $1"
}
gate() { run --separate-stderr coverage-gate check --task ORCH-5 --report cov.info --json "$@"; }
count() {
  python3 -c 'import json,re,sys; print(sum(1 for l in open(sys.argv[1]) if (lambda r: r["method"] == sys.argv[2] and re.search(sys.argv[3], r["path"]))(json.loads(l))))' "$FAKE_LOG" "$1" "$2"
}
# comments: the PR's comments as the fake holds them, one JSON list.
comments() { curl -s -H "Authorization: token tok" "$FAKE_URL/api/v1/repos/acme/demo/issues/7/comments"; }

@test "created once, then edited in place across three pushes; another user's marked comment untouched" {
  lcov_report cov.info src/a.c 7 10   # lines 8-10 uncovered
  push 3
  gate --pr 7
  [ "$status" -eq 1 ]   # 70 % < 80 %: FAIL, and the comment says so
  [[ "$stderr" == *"pull request #7 comment 3 created"* ]]
  push 9
  gate --pr 7
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"comment 3 edited"* ]]
  push 10
  gate --pr 7
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"comment 3 edited"* ]]
  [ "$(count POST '/issues/7/comments$')" = 1 ]
  [ "$(count PATCH '/issues/comments/3$')" = 2 ]
  [ "$(count PATCH '/issues/comments/[12]$')" = 0 ]
  comments > "$BATS_TEST_TMPDIR/c.json"
  python3 - "$BATS_TEST_TMPDIR/c.json" "$(git rev-parse HEAD)" <<'PY'
import json, sys
cs = json.load(open(sys.argv[1]))
sha = sys.argv[2]
assert [c["user"]["login"] for c in cs] == ["mallory", "alice", "orchkit-bot"], cs
assert cs[0]["body"].endswith("planted"), cs[0]
body = cs[2]["body"]
assert body.startswith("<!-- orchkit coverage-gate: orchkit / coverage -->\n### coverage-gate: FAIL"), body
# the totals, the changed file with its patch coverage, and the uncovered changed lines linked
# at the measured commit
assert "| this change (`" + sha[:12] + "`) | 70.00 % (7/10) |" in body, body
assert "| changed lines | 33.33 % (1/3) |" in body, body
assert "| `src/a.c` | 33.33 % (1/3) | [9–10](" in body, body
assert "/acme/demo/src/commit/" + sha + "/src/a.c#L9-L10)" in body, body
assert "measured `" + sha[:12] + "`" in body
PY
  # the same result again: nothing to edit
  gate --pr 7
  [[ "$stderr" == *"comment 3 unchanged"* ]]
  [ "$(count PATCH '/issues/comments/')" = 2 ]
}

@test "the PR number comes from the Actions event, else from GITHUB_REF; no PR, no comment" {
  lcov_report cov.info src/a.c 10 10
  push 2
  echo '{"action": "synchronize", "number": 7, "pull_request": {"number": 7}}' > "$BATS_TEST_TMPDIR/event.json"
  GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$BATS_TEST_TMPDIR/event.json" gate
  [ "$status" -eq 0 ]
  [ "$(count POST '/issues/7/comments$')" = 1 ]
  GITHUB_REF=refs/pull/7/head gate
  [[ "$stderr" == *"comment 3 "* ]]
  [ "$(count POST '/issues/7/comments$')" = 1 ]
  # a push event: no pull request, no comment request
  GITHUB_EVENT_NAME=push GITHUB_REF=refs/heads/task/ORCH-5-x gate
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"not a pull request"* ]]
  [ "$(count GET '/issues/7/comments$')" = 2 ]
}

@test "a failing comment is a warning: the verdict and exit code stand; nothing posted twice" {
  lcov_report cov.info src/a.c 5 10
  push 3
  set_fake_mode 500
  gate --pr 7
  [ "$status" -eq 1 ]
  [ "$(json_field "$output" status)" = FAIL ]
  [[ "$stderr" == *"warning:"*"the PR comment was not updated (the verdict stands)"* ]]
  # the create is sent once: a lost answer may have created it
  set_fake_mode lost
  gate --pr 7
  [ "$status" -eq 1 ]
  set_fake_mode ok
  [ "$(count POST '/issues/7/comments$')" = 0 ]  # GET /user was lost first: nothing sent
}

@test "off by default, and the token never shows" {
  # the target's config decides (a branch cannot switch it either way)
  git checkout -q main
  sed -i '/^pr_comment = true$/d' orchkit.toml
  git commit -qam "comments off"
  git checkout -q -B task/ORCH-5-x main
  lcov_report cov.info src/a.c 10 10
  push 2
  gate --pr 7
  [ "$status" -eq 0 ]
  [ "$(count GET '/comments$')" = 0 ]
  [ "$(count POST '/comments$')" = 0 ]
  ! grep -q "tok\b" <<< "$output$stderr"
}

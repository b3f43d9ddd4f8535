#!/usr/bin/env bats
# Notifications are indications: against fake Telegram and Gitea servers that answer 200, 500,
# 429 + Retry-After, slowly or by resetting, the verdict and exit code never change, the run stays
# within its budget, and no token ever shows up.

load helpers
bats_require_minimum_version 1.5.0

TOKEN_TG="123456:SECRET-telegram-token-xyz"
TOKEN_GT="SECRET-gitea-token-abc"

setup() {
  REPO="$BATS_TEST_TMPDIR/repo"
  make_repo "$REPO"
  cd "$REPO"
  start_fake --retry-after 1 --slow-seconds 30
  cat >> orchkit.toml <<TOML
[notify.telegram]
chat_id = "42"
api_url = "$FAKE_URL"
[gitea]
api_url = "$FAKE_URL/api/v1"
TOML
  git commit -qam "policy: notifications"
  export TELEGRAM_BOT_TOKEN="$TOKEN_TG" GITEA_TOKEN="$TOKEN_GT"
  lcov_report fail.info src/a.c 5 10
  lcov_report pass.info src/a.c 9 10
}

teardown() { stop_fake; }

# gate REPORT: runs the gate, checks no token leaked anywhere.
gate() {
  run --separate-stderr coverage-gate check --task ORCH-5 --report "$1" --json
  ! grep -q SECRET <<< "$output$stderr"
  ! grep -q SECRET docs/work-items/ORCH-5/18-coverage-report.md
}

@test "FAIL: a Telegram message and a failure commit status, exit 1" {
  gate fail.info
  [ "$status" -eq 1 ]
  python3 - "$FAKE_LOG" "$(git rev-parse HEAD)" <<'PY'
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
tg = [r for r in reqs if r["path"].endswith("/sendMessage")]
st = [r for r in reqs if "/statuses/" in r["path"]]
assert len(tg) == 1 and len(st) == 1, reqs
body = json.loads(tg[0]["body"])
assert body["chat_id"] in (42, "42") and body["parse_mode"] == "MarkdownV2"
assert "ORCH\\-5" in body["text"] and "50\\.00%" in body["text"], body["text"]
sbody = json.loads(st[0]["body"])
assert sbody["state"] == "failure" and sbody["context"] == "orchkit / coverage"
assert st[0]["path"] == "/api/v1/repos/acme/demo/statuses/" + sys.argv[2]
assert st[0]["headers"]["Authorization"].startswith("token ")
PY
}

@test "PASS: a success commit status and no Telegram message" {
  gate pass.info
  [ "$status" -eq 0 ]
  [ "$(grep -c sendMessage "$FAKE_LOG")" = 0 ]
  python3 - "$FAKE_LOG" <<'PY'
import json, sys
st = [json.loads(json.loads(l)["body"]) for l in open(sys.argv[1]) if "/statuses/" in l]
assert [s["state"] for s in st] == ["success"], st
PY
}

@test "500 everywhere: verdict and exit code unchanged, a warning" {
  set_fake_mode 500
  gate fail.info
  [ "$status" -eq 1 ]
  [ "$(json_field "$output" status)" = FAIL ]
  [[ "$stderr" == *"warning: telegram"* ]]
  gate pass.info
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"warning: gitea"* ]]
}

@test "429 with Retry-After: honoured, then delivered" {
  set_fake_mode 429-once:1
  SECONDS=0
  gate fail.info
  [ "$status" -eq 1 ]
  [ "$SECONDS" -ge 1 ]
  [ "$(grep -c '"status": 200' "$FAKE_LOG")" -ge 1 ]
}

@test "slow server: the run stays within its time budget" {
  set_fake_mode slow:30
  SECONDS=0
  gate fail.info
  [ "$status" -eq 1 ]
  [ "$SECONDS" -lt 40 ]
  [[ "$stderr" == *"warning"* ]]
}

@test "connection reset: verdict unchanged, no crash" {
  set_fake_mode reset
  gate fail.info
  [ "$status" -eq 1 ]
  [ "$(json_field "$output" status)" = FAIL ]
  gate pass.info
  [ "$status" -eq 0 ]
}

@test "nobody listening: verdict unchanged" {
  stop_fake
  gate fail.info
  [ "$status" -eq 1 ]
}

@test "secrets planted in the environment never appear, even in errors" {
  set_fake_mode 401
  GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$BATS_TEST_TMPDIR/sum.md" gate fail.info
  [ "$status" -eq 1 ]
  ! grep -q SECRET "$BATS_TEST_TMPDIR/sum.md"
}

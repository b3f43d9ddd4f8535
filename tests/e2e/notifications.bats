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

@test "FAIL: a Telegram message and a failure commit status (after pending), exit 1" {
  gate fail.info
  [ "$status" -eq 1 ]
  python3 - "$FAKE_LOG" "$(git rev-parse HEAD)" <<'PY'
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
tg = [r for r in reqs if r["path"].endswith("/sendMessage")]
st = [r for r in reqs if "/statuses/" in r["path"]]
assert len(tg) == 1 and len(st) == 2, reqs
assert json.loads(st[0]["body"])["state"] == "pending"
st = st[1:]
body = json.loads(tg[0]["body"])
assert body["chat_id"] in (42, "42") and body["parse_mode"] == "MarkdownV2"
assert "ORCH\\-5" in body["text"] and "50\\.00%" in body["text"], body["text"]
sbody = json.loads(st[0]["body"])
assert sbody["state"] == "failure" and sbody["context"] == "orchkit / coverage"
assert st[0]["path"] == "/api/v1/repos/acme/demo/statuses/" + sys.argv[2]
assert st[0]["headers"]["Authorization"].startswith("token ")
PY
}

@test "PASS: pending, then a success commit status, and no Telegram message" {
  gate pass.info
  [ "$status" -eq 0 ]
  [ "$(grep -c sendMessage "$FAKE_LOG")" = 0 ]
  python3 - "$FAKE_LOG" <<'PY'
import json, sys
st = [json.loads(json.loads(l)["body"]) for l in open(sys.argv[1]) if "/statuses/" in l]
assert [s["state"] for s in st] == ["pending", "success"], st
assert st[1]["description"].startswith("PASS: Line coverage 90.00%"), st
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

# --- issue 15, item 7: a required check never hangs: pending, then always a final state ---

# states: the commit statuses the fake saw, in order, "state|description" per line.
states() {
  python3 -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if "/statuses/" in r["path"]:
        b = json.loads(r["body"]); print(b["state"] + "|" + b["description"] + "|" + b.get("target_url", ""))' "$FAKE_LOG"
}

@test "status: WARN (fail-open) finishes success, saying WARN; the link comes from [gitea] status_url" {
  printf 'status_url = "https://ci.example/{task}/{commit}"\n' >> orchkit.toml
  git commit -qam "policy: status link"
  gate missing.info
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = WARN ]
  [ "$(states | wc -l)" = 2 ]
  [[ "$(states | head -1)" == "pending|coverage-gate is measuring "* ]]
  [[ "$(states | tail -1)" == "success|WARN: "*"|https://ci.example/ORCH-5/$(git rev-parse HEAD)" ]]
}

@test "status: a coverage command that times out finishes (WARN success, fail-closed error)" {
  sed -i '/^\[coverage\]$/a command = ["sleep", "30"]\nreports = ["never.info"]\ntimeout = "1s"' orchkit.toml
  grep -q '^timeout = "1s"' orchkit.toml
  git commit -qam "policy: a slow command"
  SECONDS=0
  run --separate-stderr coverage-gate check --task ORCH-5 --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = WARN ]
  [[ "$(states | tail -1)" == "success|WARN: "* ]]
  : > "$FAKE_LOG"
  run --separate-stderr coverage-gate check --task ORCH-5 --fail-closed --json
  [ "$status" -eq 3 ]
  [ "$(json_field "$output" status)" = ERROR ]
  [ "$(states | cut -d'|' -f1 | tr '\n' ' ')" = "pending error " ]
  [ "$SECONDS" -lt 30 ]
}

@test "status: an orchkit failure after pending (unreadable state) finishes error with the reason" {
  mkdir -p .git/orchkit && echo "not a database" > .git/orchkit/state.db
  run --separate-stderr coverage-gate check --task ORCH-5 --report pass.info --json
  [ "$status" -eq 3 ]
  [ "$(states | cut -d'|' -f1 | tr '\n' ' ')" = "pending error " ]
  [[ "$(states | tail -1)" == "error|ERROR: "* ]]
  ! grep -q SECRET <<< "$(states)"
}

@test "status: a forge that fails the pending post still gets the final state; the verdict stands" {
  set_fake_mode slow-once:8   # pending has a short budget (5s): it gives up, the final state goes
  SECONDS=0
  gate fail.info
  [ "$status" -eq 1 ]
  [ "$SECONDS" -lt 12 ]
  [ "$(states | cut -d'|' -f1 | tr '\n' ' ')" = "pending failure " ]
  [[ "$stderr" == *"warning: gitea"* ]]
}

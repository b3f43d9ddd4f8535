#!/usr/bin/env bats
# coverage-gate check end to end: real git repositories, real state file, the real binary.

load helpers
bats_require_minimum_version 1.5.0

setup() {
  REPO="$BATS_TEST_TMPDIR/repo"
  make_repo "$REPO"
  cd "$REPO"
  STATE="$REPO/.git/orchkit/state.db"
}

check() { run --separate-stderr coverage-gate check --json "$@"; }

@test "PASS above the floor, bootstrap said so, artefact written" {
  lcov_report cov.info src/a.c 9 10 src/b.c 8 10
  check --task ORCH-1 --report cov.info
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = PASS ]
  [ "$(json_field "$output" line_pct)" = "85.00" ]
  [ "$(json_field "$output" reasons)" = '["bootstrap"]' ]
  art=docs/work-items/ORCH-1/18-coverage-report.md
  [ -f "$art" ]
  grep -q '^coverage_status: PASS$' "$art"
  grep -q "^commit: $(git rev-parse HEAD)$" "$art"
  grep -q "^tree: $(git rev-parse HEAD^{tree})$" "$art"
  grep -q '^line_covered: 17$' "$art"
  grep -q '^baseline_pct: null$' "$art"
  grep -q '^reports: \[{path: cov.info, format: lcov, sha256: [0-9a-f]\{64\}}\]$' "$art"
}

@test "FAIL below the floor exits 1 and names below_min" {
  lcov_report cov.info src/a.c 7 10 src/b.c 8 10
  check --task ORCH-1 --report cov.info
  [ "$status" -eq 1 ]
  [ "$(json_field "$output" status)" = FAIL ]
  [ "$(json_field "$output" reasons)" = '["bootstrap", "below_min"]' ]
  grep -q '^coverage_status: FAIL$' docs/work-items/ORCH-1/18-coverage-report.md
}

@test "exactly at the floor passes; the printed number is truncated" {
  lcov_report cov.info src/a.c 8 10
  check --report cov.info --no-artefact
  [ "$status" -eq 0 ]
  lcov_report cov.info src/a.c 7999 10000
  check --report cov.info --no-artefact
  [ "$status" -eq 1 ]
  [ "$(json_field "$output" line_pct)" = "79.99" ]
}

@test "FAIL below baseline minus epsilon; PASS within epsilon" {
  coverage-gate baseline set 9000/10000 --reason "seed for the test"
  lcov_report cov.info src/a.c 8990 10000
  check --report cov.info --no-artefact
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" reasons)" = '["within_epsilon"]' ]
  [ "$(json_field "$output" baseline_pct)" = "90.00" ]
  lcov_report cov.info src/a.c 8989 10000
  check --report cov.info --no-artefact
  [ "$status" -eq 1 ]
  [ "$(json_field "$output" reasons)" = '["below_baseline"]' ]
}

@test "flags override the file: --min and --mode absolute" {
  coverage-gate baseline set 99 --reason "high baseline"
  lcov_report cov.info src/a.c 6 10
  check --report cov.info --no-artefact --mode absolute --min 60
  [ "$status" -eq 0 ]
  run coverage-gate check --show-config --min 60
  [ "$status" -eq 0 ]
  [[ "$output" == *'coverage.min = "60"  # flag'* ]]
  [[ "$output" == *'coverage.epsilon = "0.1"  # file'* ]]
  [[ "$output" == *'coverage.timeout = "30m"  # default'* ]]
}

@test "tool error is WARN and exit 0 (fail-open); --fail-closed is ERROR and exit 3" {
  check --task ORCH-2 --report missing.info
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = WARN ]
  [ "$(json_field "$output" reasons)" = '["report_missing"]' ]
  grep -q '^coverage_status: WARN$' docs/work-items/ORCH-2/18-coverage-report.md
  printf 'SF:a\nDA:1,1\n' > trunc.info
  check --report trunc.info --fail-closed --no-artefact
  [ "$status" -eq 3 ]
  [ "$(json_field "$output" status)" = ERROR ]
  [ "$(json_field "$output" reasons)" = '["report_invalid"]' ]
}

@test "coverage.command runs in the worktree and its report is read" {
  cat >> orchkit.toml <<'TOML'
command = ["sh", "-c", "printf 'SF:src/a.c\\nDA:1,1\\nDA:2,1\\nend_of_record\\n' > out.info; echo measuring"]
reports = ["out.info"]
TOML
  git commit -qam "policy: the command writes out.info"
  check --no-artefact
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" line_total)" = 2 ]
  [[ "$output" != *measuring* ]] || [[ "$(echo "$output" | tail -1)" == "{"* ]]
}

@test "a command that hangs is killed at the timeout, with its children: WARN" {
  cat >> orchkit.toml <<'TOML'
command = ["sh", "-c", "sleep 60 & echo $! > child.pid; sleep 60"]
reports = ["out.info"]
timeout = "1s"
TOML
  git commit -qam "policy: a hanging command"
  SECONDS=0
  check --no-artefact
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = WARN ]
  [ "$(json_field "$output" reasons)" = '["tool_error"]' ]
  [ "$SECONDS" -lt 10 ]
  child=$(cat child.pid)
  # gone, or a zombie waiting for init to reap it: either way no longer running
  ! kill -0 "$child" 2>/dev/null || [ "$(awk '{print $3}' /proc/$child/stat)" = Z ]
}

@test "a command that is not installed is a tool error, not a crash" {
  cat >> orchkit.toml <<'TOML'
command = ["no-such-coverage-tool-xyz"]
TOML
  git commit -qam "policy: a missing tool"
  check --no-artefact
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = WARN ]
  run --separate-stderr coverage-gate check --no-artefact --fail-closed
  [ "$status" -eq 3 ]
  [[ "$output" == *"not found on PATH"* ]]
}

@test "kill-switch: SKIPPED, exit 0, nothing measured" {
  ORCH_COVERAGE_ENABLED=0 run --separate-stderr coverage-gate check --json --report missing.info --no-artefact
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = SKIPPED ]
  [ "$(json_field "$output" reasons)" = '["disabled"]' ]
}

@test "out of scope: SKIPPED" {
  sed -i 's/self_hosting = true/self_hosting = false/' orchkit.toml
  git commit -qam "policy: not self-hosting"
  check --report missing.info --no-artefact
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" reasons)" = '["out_of_scope"]' ]
  ORCH_COVERAGE_SCOPE=acme/demo run --separate-stderr coverage-gate check --json --report missing.info --no-artefact
  [ "$(json_field "$output" reasons)" = '["report_missing"]' ]
}

@test "a tombstoned task is refused with exit 4 and nothing is written" {
  coverage-gate baseline set 50 --reason "create the state file"
  sql "$STATE" "INSERT INTO tombstones(kind, natural_key, generation, reason, at) VALUES('task','ORCH-9',1,'stop','t')"
  lcov_report cov.info src/a.c 9 10
  run coverage-gate check --task ORCH-9 --report cov.info
  [ "$status" -eq 4 ]
  [[ "$output" == *"ORCH-9 generation 1 is cancelled"* ]]
  [ ! -e docs/work-items/ORCH-9/18-coverage-report.md ]
  # generation 2 (re-created from To Analyse) is live again
  mkdir -p docs/work-items/ORCH-9
  printf -- '---\ntask: ORCH-9\nstage: analysis\ngeneration: 2\n---\n' > docs/work-items/ORCH-9/00-stage.md
  run coverage-gate check --task ORCH-9 --report cov.info
  [ "$status" -eq 0 ]
}

@test "bad input: unknown flag, bad config, bad task key" {
  run coverage-gate check --bogus
  [ "$status" -eq 2 ]
  echo 'bogus = 1' >> orchkit.toml
  git commit -qam "a broken policy on the target"
  run coverage-gate check --report x.info
  [ "$status" -eq 2 ]
  [[ "$output" == *"main:orchkit.toml:"*"unknown key"* ]]
  git reset -q --hard HEAD~1
  run coverage-gate check --task '../x' --report x.info
  [ "$status" -eq 2 ]
  run coverage-gate check --min 101 --report x.info
  [ "$status" -eq 2 ]
}

@test "patch coverage on a real branch with a rename and a deleted file" {
  git checkout -q -b task/ORCH-3-x
  git mv src/a.c src/renamed.c
  git rm -q src/b.c
  printf 'int n1;\nint n2;\nint n3;\nint n4;\n' > src/new.c
  echo 'int a11 = 11;' >> src/renamed.c
  git add -A && git commit -q -m change
  # renamed.c: line 11 is new and uncovered; new.c: lines 1-2 covered, 3-4 not.
  printf 'SF:src/renamed.c\n' > cov.info
  for i in $(seq 1 10); do echo "DA:$i,1" >> cov.info; done
  printf 'DA:11,0\nend_of_record\nSF:src/new.c\nDA:1,1\nDA:2,1\nDA:3,0\nDA:4,0\nend_of_record\n' >> cov.info
  check --task ORCH-3 --report cov.info --patch-min 50 --min 0
  [ "$status" -eq 1 ]
  [ "$(json_field "$output" patch_covered)" = 2 ]
  [ "$(json_field "$output" patch_total)" = 5 ]
  [ "$(json_field "$output" reasons)" = '["bootstrap", "patch_below_min"]' ]
  art=docs/work-items/ORCH-3/18-coverage-report.md
  grep -q '^patch_pct: "40.00"$' "$art"
  grep -q '| `src/new.c` | 2/4 | 50.00% | 3-4 |' "$art"
  grep -q '| `src/renamed.c` | 0/1 | 90.90% | 11 |' "$art"
  # inside Actions every uncovered changed range is a warning on its lines; outside, none
  [[ "$stderr" != *"::warning file="* ]]
  GITHUB_ACTIONS=true check --task ORCH-3 --report cov.info --patch-min 50 --min 0
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"::warning file=src/new.c,line=3,endLine=4::coverage-gate: changed line(s) not covered"* ]]
  [[ "$stderr" == *"::warning file=src/renamed.c,line=11,endLine=11::"* ]]
}

@test "annotations are bounded: 50 ranges on their lines, the rest summed up in one" {
  git checkout -q -b task/ORCH-4-x
  for i in $(seq 1 120); do printf 'int u%d;\nint c%d;\n' "$i" "$i"; done > src/many.c
  git add -A && git commit -q -m many
  # every odd line uncovered: 120 separate ranges
  { echo "SF:src/many.c"; for i in $(seq 1 240); do echo "DA:$i,$(( i % 2 == 0 ))"; done; echo end_of_record; } > cov.info
  GITHUB_ACTIONS=true check --task ORCH-4 --report cov.info --patch-min 90 --min 0
  [ "$status" -eq 1 ]
  [ "$(grep -c '^::warning file=src/many.c,' <<< "$stderr")" -eq 50 ]
  [[ "$stderr" == *"::warning::coverage-gate: 70 more uncovered range(s) not annotated"* ]]
}

@test "patch_min with no measurable changed line passes, said so" {
  git checkout -q -b task/ORCH-4-x
  echo "docs" > README.md && git add -A && git commit -q -m docs
  lcov_report cov.info src/a.c 9 10
  check --report cov.info --patch-min 90 --no-artefact
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" reasons)" = '["bootstrap", "patch_no_lines"]' ]
}

@test "a shallow clone is a clear tool error when patch coverage is required" {
  git clone -q --depth 1 "file://$REPO" "$BATS_TEST_TMPDIR/shallow"
  cd "$BATS_TEST_TMPDIR/shallow"
  lcov_report cov.info src/a.c 9 10
  run --separate-stderr coverage-gate check --json --report cov.info --patch-min 50 --no-artefact --fail-closed
  [ "$status" -eq 3 ]
  [[ "$output" == *"shallow clone"* || "$stderr" == *"shallow clone"* ]]
}

@test "baseline set requires --reason; history records actor and reason" {
  run coverage-gate baseline set 80
  [ "$status" -eq 2 ]
  run coverage-gate baseline set 80 --reason ""
  [ "$status" -eq 2 ]
  [ ! -e "$STATE" ]
  GITHUB_ACTOR=alice run coverage-gate baseline set 8123/9650 --reason "moved tests"
  [ "$status" -eq 0 ]
  run --separate-stderr coverage-gate baseline show --json
  [ "$(json_field "$output" line_pct)" = "84.17" ]
  GITHUB_ACTOR=bob run coverage-gate baseline set 70 --reason "lower on purpose"
  run --separate-stderr coverage-gate baseline history --json
  [ "$status" -eq 0 ]
  python3 - "$output" <<'PY'
import json, sys
rows = json.loads(sys.argv[1])
assert [r["event"] for r in rows] == ["override", "override"], rows
assert rows[0]["actor"] == "alice" and rows[0]["reason"] == "moved tests"
assert rows[1]["before"]["line_pct"] == "84.17" and rows[1]["after"]["line_pct"] == "70.00"
PY
}

@test "baseline show with no state file says so and creates nothing" {
  run --separate-stderr coverage-gate baseline show --json
  [ "$status" -eq 0 ]
  [ "$output" = null ]
  [ ! -e "$STATE" ]
}

@test "inside Actions: annotations and a step summary" {
  lcov_report cov.info src/a.c 5 10
  GITEA_ACTIONS=true GITHUB_STEP_SUMMARY="$BATS_TEST_TMPDIR/summary.md" run coverage-gate check --report cov.info --no-artefact
  [ "$status" -eq 1 ]
  [[ "$output" == *"::error::coverage-gate: Line coverage 50.00%"* ]]
  grep -q '## coverage-gate: FAIL' "$BATS_TEST_TMPDIR/summary.md"
}

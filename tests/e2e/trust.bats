#!/usr/bin/env bats
# A verdict that cannot be fooled (issue 11): one case per hole found by trying the binaries as a
# careless or adversarial pipeline would. Each asserts the exit code, the reason code and that no
# state or file changed when it must not. Real repositories, real hooks, real processes.
# (merge-verify's landing rules are in merge_verify.bats, stop-task's in stop_task.bats, outputs
# that are devices or FIFOs in outputs.bats.)

load helpers
bats_require_minimum_version 1.5.0

setup() {
  REPO="$BATS_TEST_TMPDIR/repo"
  make_repo "$REPO"
  cd "$REPO"
  STATE="$REPO/.git/orchkit/state.db"
}

check() { run --separate-stderr coverage-gate check --json "$@"; }
field() { json_field "$output" "$1"; }
has_reason() { python3 -c 'import json,sys; sys.exit(0 if sys.argv[2] in json.loads(sys.argv[1])["reasons"] else 1)' "$output" "$1"; }

# A committed measure command: an LCOV line per source line, uncovered where it says UNTESTED.
commit_measure_command() {
  cat > cov.sh <<'SH'
: > coverage.info
for f in src/*.c; do
  echo "SF:$f" >> coverage.info
  awk '{ printf "DA:%d,%d\n", NR, (index($0, "UNTESTED") ? 0 : 1) }' "$f" >> coverage.info
  echo end_of_record >> coverage.info
done
SH
  printf 'coverage.info\ndocs/\n' > .gitignore
  cat >> orchkit.toml <<'TOML'
command = ["sh", "cov.sh"]
reports = ["coverage.info"]
TOML
  git add -A && git commit -qm "policy: measure with cov.sh"
}

# untested_file PATH N: N lines nobody tests.
untested_file() { for i in $(seq 1 "$2"); do echo "int u$i = $i; /* UNTESTED */"; done > "$1"; }

# ---- 1. the policy comes from the target ----

@test "policy: a branch that sets min = 0 and adds untested code still FAILs (policy_changed)" {
  commit_measure_command
  git checkout -q -b task/ORCH-1-relax
  sed -i 's/^min = "80"/min = "0"/' orchkit.toml
  untested_file src/c.c 20
  git add -A && git commit -qm "relax the gate, add untested code"
  check --task ORCH-1
  [ "$status" -eq 1 ]
  [ "$(field status)" = FAIL ]
  has_reason policy_changed
  has_reason below_min
  [[ "$stderr" == *"changes the gate's policy (coverage.min)"* ]]
  art=docs/work-items/ORCH-1/18-coverage-report.md
  grep -q '^policy_changed: \[coverage.min\]$' "$art"
  grep -q '| `coverage.min` | `"80"` | `"0"` |' "$art"
  # once it has landed under the old policy, the relaxed policy is the target's
  git checkout -q main && git merge -q --no-ff --no-verify task/ORCH-1-relax -m "land it anyway"
  check --no-artefact
  [ "$status" -eq 0 ]
  [ "$(field status)" = PASS ]
  ! has_reason policy_changed
}

@test "policy: an orchkit.toml the target has not committed is not policy; a warning says how" {
  git rm -q --cached orchkit.toml && git commit -qm "no committed policy"
  sed -i 's/^min = "80"/min = "0"/' orchkit.toml   # untracked now, and relaxed
  lcov_report cov.info src/a.c 5 10
  check --report cov.info --no-artefact
  [ "$status" -eq 1 ]                      # the built-in floor of 80 decides
  has_reason below_min
  has_reason policy_changed
  [[ "$stderr" == *"is not policy"*"commit it to main, or pass --config"* ]]
  [ "$(field policy)" = "(built-in defaults: main has no committed orchkit.toml)" ]
}

@test "policy: a config given from outside the repository (--config, ORCHKIT_CONFIG) is the policy" {
  printf '[project]\nname = "acme/demo"\n[coverage]\nmin = "40"\n' > "$BATS_TEST_TMPDIR/ops.toml"
  lcov_report cov.info src/a.c 5 10
  check --report cov.info --no-artefact --config "$BATS_TEST_TMPDIR/ops.toml"
  [ "$status" -eq 0 ]
  ! has_reason policy_changed
  ORCHKIT_CONFIG="$BATS_TEST_TMPDIR/ops.toml" run --separate-stderr coverage-gate check --json --report cov.info --no-artefact
  [ "$status" -eq 0 ]
  [ "$(field min_pct)" = 40 ]
}

@test "policy: the pre-merge-commit hook judges a relaxing branch by the target's policy" {
  commit_measure_command
  sh "$ORCHKIT_SRC/hooks/install.sh" "$REPO" > /dev/null
  git checkout -q -b task/ORCH-2-relax
  sed -i 's/^min = "80"/min = "0"/' orchkit.toml
  untested_file src/c.c 20
  git add -A && git commit -qm "relax and add untested code"
  git checkout -q main
  run git merge --no-ff -m "merge ORCH-2" task/ORCH-2-relax
  [ "$status" -ne 0 ]
  [[ "$output" == *"merge blocked"* ]]
  [ "$(git rev-parse HEAD)" = "$(git rev-parse main)" ]
  grep -q '^coverage_status: FAIL$' docs/work-items/ORCH-2/18-coverage-report.md
  grep -q '^policy_changed: \[coverage.min\]$' docs/work-items/ORCH-2/18-coverage-report.md
  git merge --abort
}

@test "policy: a branch naming itself as the target is refused (exit 2)" {
  git checkout -q -b task/ORCH-3-self
  lcov_report cov.info src/a.c 9 10
  check --report cov.info --no-artefact --target task/ORCH-3-self
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"is a task branch"* ]]
}

# ---- 2. reports come from this run ----

@test "stale: a report left from an earlier run is report_stale, never PASS (and ERROR fail-closed)" {
  cat >> orchkit.toml <<'TOML'
command = ["true"]
reports = ["old.info"]
TOML
  git commit -qam "policy: a command that writes nothing"
  lcov_report old.info src/a.c 10 10
  touch -d '2020-01-01' old.info
  check --no-artefact
  [ "$status" -eq 0 ]
  [ "$(field status)" = WARN ]
  [ "$(field reasons)" = '["bootstrap", "report_stale"]' ] || [ "$(field reasons)" = '["report_stale"]' ]
  [ "$(field line_pct)" != "100.00" ] || [ "$(field status)" != PASS ]
  check --no-artefact --fail-closed
  [ "$status" -eq 3 ]
  [ "$(field status)" = ERROR ]
  has_reason report_stale
}

@test "command_failed is in the reasons and the sentence; a measured FAIL stays FAIL" {
  cat >> orchkit.toml <<'TOML'
command = ["sh", "-c", "printf 'SF:src/a.c\\nDA:1,1\\nDA:2,0\\nDA:3,0\\nend_of_record\\n' > out.info; exit 5"]
reports = ["out.info"]
TOML
  git commit -qam "policy: a failing command"
  check --no-artefact
  [ "$status" -eq 1 ]
  [ "$(field status)" = FAIL ]
  has_reason command_failed
  has_reason below_min
  [[ "$(field message)" == *"command_failed"*"exited with status 5"* ]]
  # the same failing command with a report that would pass: not a PASS
  sed -i 's/DA:2,0/DA:2,1/; s/DA:3,0/DA:3,1/' orchkit.toml
  git commit -qam "policy: passing numbers, failing command"
  check --no-artefact
  [ "$status" -eq 0 ]
  [ "$(field status)" = WARN ]
  has_reason command_failed
}

@test "a report that is a FIFO or a directory is refused at once, never read" {
  mkfifo fifo.info
  mkdir dir.info
  SECONDS=0
  run --separate-stderr timeout 20 coverage-gate check --json --report fifo.info --no-artefact
  [ "$status" -eq 0 ]
  [ "$(field status)" = WARN ]
  has_reason report_invalid
  [[ "$(field message)" == *"not a regular file"* ]]
  run --separate-stderr timeout 20 coverage-gate check --json --report dir.info --no-artefact
  [ "$status" -eq 0 ]
  has_reason report_invalid
  [ "$SECONDS" -lt 15 ]
}

# ---- 3. the measured HEAD must be caught up ----

@test "not caught up: the target moved on; FAIL with the command to catch up" {
  git checkout -q -b task/ORCH-4-x
  echo 'int x = 1;' >> src/a.c && git commit -qam "task work"
  git checkout -q main
  echo 'int b11 = 11;' >> src/b.c && git commit -qam "main moves on"
  git checkout -q task/ORCH-4-x
  lcov_report cov.info src/a.c 11 11 src/b.c 10 10
  check --task ORCH-4 --report cov.info
  [ "$status" -eq 1 ]
  [ "$(field status)" = FAIL ]
  has_reason not_caught_up
  [[ "$(field message)" == *"does not contain the tip of main"*"git merge origin/main"* ]]
  # caught up: it passes
  git merge -q --no-edit main
  lcov_report cov.info src/a.c 11 11 src/b.c 11 11
  check --task ORCH-4 --report cov.info
  [ "$status" -eq 0 ]
  ! has_reason not_caught_up
}

# ---- 5. misconfiguration is exit 2, naming the key or flag ----

@test "misconfiguration: each bad value is exit 2 naming the key, nothing written" {
  lcov_report cov.info src/a.c 9 10
  bad() {  # bad KEY TOML-LINE: commit the line under [coverage] or [task], expect exit 2 naming KEY
    git checkout -q -- orchkit.toml
    printf '%s\n' "$2" >> orchkit.toml
    git commit -qam "bad: $1"
    run --separate-stderr coverage-gate check --json --task ORCH-5 --report cov.info
    [ "$status" -eq 2 ] || { echo "# $1: status $status: $stderr" >&3; return 1; }
    [[ "$stderr" == *"$1"* ]] || { echo "# $1: $stderr" >&3; return 1; }
    [ "$(field exit)" = 2 ]
    [ ! -e docs/work-items/ORCH-5/18-coverage-report.md ]
    git reset -q --hard HEAD~1
  }
  bad coverage.scope 'scope = []'
  bad coverage.command 'command = []'
  bad coverage.command 'command = [""]'
  bad coverage.reports 'reports = []'
  bad coverage.timeout 'timeout = "0"'
  bad coverage.artefact 'artefact = "{artefacts_dir}/{tasks}/x.md"'
  printf '[task]\nkey_pattern = "[A-Z"\n' >> orchkit.toml && git commit -qam "bad key_pattern"
  check --report cov.info --no-artefact
  [ "$status" -eq 2 ] && [[ "$stderr" == *task.key_pattern* ]]
  git reset -q --hard HEAD~1
  for v in "" ",," " "; do
    ORCH_COVERAGE_SCOPE="$v" run --separate-stderr coverage-gate check --json --report cov.info --no-artefact
    [ "$status" -eq 2 ] && [[ "$stderr" == *"ORCH_COVERAGE_SCOPE"*coverage.scope* ]]
  done
  check --report cov.info --no-artefact --target 'bad..name'
  [ "$status" -eq 2 ] && [[ "$stderr" == *"--target 'bad..name' is not a valid branch name"* ]]
  run coverage-gate baseline set 50 --reason r --target 'a..b'
  [ "$status" -eq 2 ]
  [ ! -e "$STATE" ]
}

@test "misconfiguration: the other binaries' flags are exit 2" {
  run stop-task --task ORCH-6 --generation 0 --dry-run
  [ "$status" -eq 2 ] && [[ "$output" == *"--generation 0"* ]]
  run stop-task --task ORCH-6 --generation abc --dry-run
  [ "$status" -eq 2 ]
  run stop-task --task ORCH-6 --generation 99999999999999999999999 --dry-run
  [ "$status" -eq 2 ]
  run merge-verify --commit "$(git rev-parse HEAD)"
  [ "$status" -eq 2 ]
  run queue-report --out q.md --svg ./q.md
  [ "$status" -eq 2 ] && [ ! -e q.md ]
  run plane-status set --task ORCH-6 --stage analysis --issue not-a-uuid
  [ "$status" -eq 2 ] && [ ! -e docs/work-items/ORCH-6/00-stage.md ]
}

@test "a target that is a valid name but exists nowhere is exit 3 naming both places" {
  lcov_report cov.info src/a.c 9 10
  check --report cov.info --no-artefact --target develop
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"origin/develop"*"local branch"* ]]
  [ "$(field exit)" = 3 ]
}

@test "--show-config reports config problems too (exit 2)" {
  printf 'timeout = "0"\n' >> orchkit.toml && git commit -qam "bad timeout"
  run --separate-stderr coverage-gate check --show-config
  [ "$status" -eq 2 ]
  [[ "$output" == *'coverage.timeout = "0ms"'* || "$output" == *'coverage.timeout = "0'* ]]
  [[ "$stderr" == *coverage.timeout* ]]
}

@test "a broken [coverage] never blocks a stop: a warning there" {
  printf 'command = []\n' >> orchkit.toml && git commit -qam "broken coverage section"
  run --separate-stderr stop-task --task ORCH-7 --dry-run --json
  [ "$status" -eq 0 ]
  [ "$(field status)" = dry_run ]
  [[ "$stderr" == *"coverage.command"*"not used here"* ]]
}

# ---- 6. a damaged state file is exit 3 on every path ----

@test "a damaged state file is exit 3 with or without --task, naming the file" {
  mkdir -p .git/orchkit && head -c 4096 /dev/urandom > "$STATE"
  before=$(sha256sum < "$STATE")
  lcov_report cov.info src/a.c 9 10
  check --report cov.info --no-artefact
  [ "$status" -eq 3 ] && [[ "$stderr" == *"$STATE"* ]]
  check --task ORCH-8 --report cov.info
  [ "$status" -eq 3 ] && [ ! -e docs/work-items/ORCH-8/18-coverage-report.md ]
  run coverage-gate baseline show
  [ "$status" -eq 3 ]
  [ "$(sha256sum < "$STATE")" = "$before" ]
}

# ---- 7. shallow clones decide what they can ----

@test "shallow clone: the floor still FAILs; what needs history is shallow_clone, never a PASS" {
  git clone -q --depth 1 "file://$REPO" "$BATS_TEST_TMPDIR/shallow"
  cd "$BATS_TEST_TMPDIR/shallow"
  lcov_report cov.info src/a.c 5 10
  check --report cov.info --no-artefact
  [ "$status" -eq 1 ]
  [ "$(field status)" = FAIL ]
  has_reason below_min
  has_reason shallow_clone
  lcov_report cov.info src/a.c 9 10
  check --report cov.info --no-artefact --patch-min 50
  [ "$status" -eq 0 ]
  [ "$(field status)" = WARN ]
  has_reason shallow_clone
  [ "$(field patch_pct)" = null ]
}

# ---- 9. report paths that match no file are never a silent PASS ----

@test "report paths: a unique suffix is mapped and said; unmatched paths fail the patch check as a tool problem" {
  git checkout -q -b task/ORCH-9-x
  printf 'int c1;\nint c2;\n' > src/c.c && git add -A && git commit -qm "new file"
  # paths as an absolute build directory wrote them: a unique suffix maps them
  lcov_report cov.info /ci/build/src/a.c 10 10 /ci/build/src/c.c 0 2
  check --report cov.info --no-artefact --patch-min 50 --min 0
  [ "$status" -eq 1 ]
  has_reason patch_below_min
  [ "$(field remapped_paths)" != "[]" ]
  # paths that name nothing in the repository: not "no changed line is measurable"
  lcov_report cov.info gen/a.c 10 10 gen/c.c 2 2
  check --report cov.info --no-artefact --patch-min 50 --min 0
  [ "$status" -eq 0 ]
  [ "$(field status)" = WARN ]
  has_reason report_paths_unmatched
  [ "$(field unmatched_paths)" = '["gen/a.c", "gen/c.c"]' ]
  [ "$(field patch_pct)" = null ]
  [[ "$stderr" == *"match no tracked file"* ]]
}

@test "a patch with 0 measurable lines has patch_pct null; a WARN that measured nothing has line_pct null" {
  git checkout -q -b task/ORCH-10-x
  echo docs > README.md && git add -A && git commit -qm docs
  lcov_report cov.info src/a.c 9 10
  check --task ORCH-10 --report cov.info --patch-min 50
  [ "$status" -eq 0 ]
  [ "$(field patch_pct)" = null ]
  grep -q '^patch_pct: null$' docs/work-items/ORCH-10/18-coverage-report.md
  check --task ORCH-10 --report missing.info
  [ "$(field status)" = WARN ]
  [ "$(field line_pct)" = null ]
  grep -q '^line_pct: null$' docs/work-items/ORCH-10/18-coverage-report.md
}

# ---- 11. signals ----

@test "SIGTERM / SIGINT during check stop the command's process group; no verdict, no artefact; 143 / 130" {
  cat >> orchkit.toml <<'TOML'
command = ["sh", "-c", "sleep 300 & echo $! > child.pid; echo started > started; wait"]
reports = ["out.info"]
TOML
  printf 'child.pid\nstarted\n' > .gitignore
  git add -A && git commit -qm "policy: a slow command"
  for sig in TERM INT; do
    rm -f started child.pid
    coverage-gate check --task ORCH-11 > out.txt 2> err.txt &
    gate=$!
    for _ in $(seq 1 100); do [ -e started ] && break; sleep 0.05; done
    [ -e started ]
    kill -s "$sig" "$gate"
    rc=0; wait "$gate" || rc=$?
    if [ "$sig" = TERM ]; then [ "$rc" -eq 143 ]; else [ "$rc" -eq 130 ]; fi
    [ ! -e docs/work-items/ORCH-11/18-coverage-report.md ]
    ! grep -q -E 'PASS|FAIL|WARN' out.txt
    child=$(cat child.pid)
    for _ in $(seq 1 100); do kill -0 "$child" 2>/dev/null || break; [ "$(awk '{print $3}' /proc/$child/stat)" = Z ] && break; sleep 0.05; done
    ! kill -0 "$child" 2>/dev/null || [ "$(awk '{print $3}' /proc/$child/stat)" = Z ]
  done
}

# ---- 8. one rule for where records live ----

@test "records: an absolute artefacts_dir is honoured; a coverage.artefact outside it is refused (exit 4)" {
  printf '[task]\nartefacts_dir = "%s/arts"\n' "$BATS_TEST_TMPDIR" >> orchkit.toml && git commit -qam "absolute"
  lcov_report cov.info src/a.c 9 10
  check --task ORCH-12 --report cov.info
  [ "$status" -eq 0 ]
  [ -f "$BATS_TEST_TMPDIR/arts/ORCH-12/18-coverage-report.md" ]
  [ "$(field artefact)" = "$BATS_TEST_TMPDIR/arts/ORCH-12/18-coverage-report.md" ]
  git reset -q --hard HEAD~1
  sed -i 's/^\[coverage\]$/[coverage]\nartefact = "{artefacts_dir}\/..\/..\/..\/{task}.md"/' orchkit.toml
  git commit -qam "escaping artefact"
  check --task ORCH-12 --report cov.info
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"outside the artefacts directory"* ]]
  [ ! -e "$BATS_TEST_TMPDIR/ORCH-12.md" ]
}

@test "records: a permissive key_pattern cannot walk out; a key too long for a file name is refused before anything" {
  printf '[task]\nkey_pattern = ".+"\n' >> orchkit.toml && git commit -qam "permissive"
  lcov_report cov.info src/a.c 9 10
  check --task '../../../escape' --report cov.info
  [ "$status" -eq 4 ]
  [ ! -e "$BATS_TEST_TMPDIR/escape" ]
  long=$(printf 'K%.0s' $(seq 1 300))
  check --task "$long" --report cov.info
  [ "$status" -eq 4 ]
  run --separate-stderr stop-task --task "$long" --json
  [ "$status" -eq 4 ]
  [ ! -e "$STATE" ] || [ -z "$(sql "$STATE" "SELECT * FROM tombstones")" ]
}

@test "records: check --task on a branch that names another task is exit 2" {
  git checkout -q -b task/ORCH-13-x
  lcov_report cov.info src/a.c 9 10
  check --task ORCH-14 --report cov.info
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"belongs to task ORCH-13"* ]]
  [ ! -e docs/work-items/ORCH-14 ]
}

@test "records: plane-status set outside a git repository is exit 3, writing nothing" {
  mkdir "$BATS_TEST_TMPDIR/plain" && cd "$BATS_TEST_TMPDIR/plain"
  run --separate-stderr plane-status set --task ORCH-15 --stage analysis --json
  [ "$status" -eq 3 ]
  [ "$(field exit)" = 3 ]
  [ ! -e docs ]
}

# ---- 14. --json on every exit ----

@test "--json: one JSON object with error and exit on exit 2, 3 and 4, for all five binaries" {
  one_object() {  # the whole of stdout is one JSON object with "error" and the exit code
    python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); assert "error" in d and d["exit"]==int(sys.argv[1]), d' "$1" <<< "$output"
  }
  run --separate-stderr coverage-gate check --json --bogus;           [ "$status" -eq 2 ]; one_object 2
  run --separate-stderr coverage-gate measure --json --report nope.info; [ "$status" -eq 3 ]; one_object 3
  run --separate-stderr merge-verify --json --bogus;                  [ "$status" -eq 2 ]; one_object 2
  run --separate-stderr stop-task --json --task 'x/../y';             [ "$status" -eq 4 ]; one_object 4
  run --separate-stderr plane-status set --json --task ORCH-1 --stage nope; [ "$status" -eq 2 ]; one_object 2
  run --separate-stderr queue-report --json --bogus;                  [ "$status" -eq 2 ]; one_object 2
}

@test "a newline in a key never splits the one-line error; a verdict is printed once" {
  run --separate-stderr coverage-gate check --task $'ORCH-1\nforged: line' --report x.info
  [ "$status" -eq 2 ]
  [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
  [[ "$stderr" == *'ORCH-1\nforged'* ]]
  lcov_report cov.info src/a.c 5 10
  run --separate-stderr coverage-gate check --report cov.info --no-artefact
  [ "$status" -eq 1 ]
  [ "$(grep -c 'Line coverage 50.00%' <<< "$output$stderr")" -eq 1 ]
  [[ "$stderr" != *"error: FAIL"* && "$stderr" != *"error: Line coverage"* ]]
}

@test "the default coverage.command works with Debian 12's pytest and pytest-cov" {
  command -v pytest > /dev/null || skip "pytest is installed by make deps"
  mkdir -p tests && rm -f src/*.c
  printf 'def add(a, b):\n    return a + b\n\n\ndef unused():\n    return 0\n' > src/calc.py
  printf 'import sys, os\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))\nfrom calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n' > tests/test_calc.py
  printf 'coverage.xml\n.coverage\n__pycache__/\n.pytest_cache/\n' > .gitignore
  git add -A && git commit -qm "a python project"
  check --no-artefact --min 50
  [ "$status" -eq 0 ]
  [ "$(field status)" = PASS ]
  [ "$(field line_total)" = 4 ]
  [ "$(field line_covered)" = 3 ]
}

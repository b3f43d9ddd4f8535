#!/usr/bin/env bash
# `make demo`: a task's life through the orchkit chain, told on the terminal in under a minute.
# Temp repositories (a bare "origin" and the project's main worktree, orchkit's git hooks
# installed), the SQLite state file in .git/orchkit/state.db, no network (no Plane is configured:
# plane-status records each stage in 00-stage.md and says the board was skipped).
#   1. measure: the sample's coverage command (gcc --coverage + lcov) and its report
#   2. DEMO-1 adds mul() with a test: the pre-merge-commit hook gates the merge result (PASS),
#      post-merge runs merge-verify: the baseline is recorded
#   3. DEMO-2 adds divide() without a test: the hook blocks the merge (FAIL) and says which lines;
#      STOP: stop-task kills its agent, saves its uncommitted work, removes worktree and branch,
#      tombstones it; every binary refuses it now; To Analyse again starts generation 2
#   4. DEMO-3: a STOP arrives while its merge runs inside a critical window: deferred, then run
#      once the merge (and its ratchet) is done
#   5. the queue report (Markdown, and an SVG of the baseline history)
#   6. differential coverage (rule = "differential"): a deletion-only change passes where the
#      percent rule fails, and a test that stops reaching an untouched line is caught as LBC
set -euo pipefail
BIN=$(cd "${1:-build/bin}" && pwd)
SRC=$(cd "$(dirname "$0")" && pwd)
export PATH="$BIN:$PATH" ORCHKIT_BIN="$BIN" NO_COLOR=1
export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.invalid GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.invalid
export GIT_CONFIG_NOSYSTEM=1
unset ORCHKIT_CONFIG GITHUB_ACTIONS GITEA_ACTIONS GITHUB_STEP_SUMMARY PLANE_API_KEY TELEGRAM_BOT_TOKEN GITEA_TOKEN
WORK=$(mktemp -d /tmp/orchkit-demo.XXXXXX)
AGENTS=()
cleanup() {
  for p in "${AGENTS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
export HOME=$WORK
SECONDS=0
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '\033[2m$'; printf ' %q' "$@"; printf '\033[0m\n'; "$@"; }
# start_task KEY SLUG: what the pipeline's start command does for a task in To Analyse.
start_task() {
  plane-status set --task "$1" --stage to_analyse 2>/dev/null | head -1
  git worktree add -q "$WORK/worktrees/$1" -b "task/$1-$2" main
  plane-status set --task "$1" --stage analysis 2>/dev/null | head -1
}
fm() { sed -n "s/^$2: //p" "$1" | head -1 | tr -d '"'; }

REPO=$WORK/calc
cp -r "$SRC/sample" "$REPO"
cd "$REPO"
echo "docs/work-items/" >> .gitignore
git init -q -b main && git add -A && git commit -q -m "calc: add, sub, clamp, sign"
git clone -q --bare . "$WORK/origin.git" && git remote add origin "$WORK/origin.git" && git fetch -q origin

say "0. orchkit's git hooks go into the repository (an existing hook would be kept and chained)"
run sh "$SRC/../hooks/install.sh" "$REPO"

say "1. measure: run the sample's coverage command (gcc --coverage + lcov), read the report"
sh measure.sh >/dev/null
run coverage-gate measure --report coverage.info
coverage-gate measure --report coverage.info --json

say "2. DEMO-1 adds mul() with a test; its merge is gated by the hook, then verified"
start_task DEMO-1 mul
WT=$WORK/worktrees/DEMO-1
printf '\nint mul(int a, int b) { return a * b; }\n' >> "$WT/src/calc.c"
echo 'int mul(int a, int b);' >> "$WT/src/calc.h"
sed -i 's|  puts("tests passed");|  assert(mul(3, 4) == 12);\n  puts("tests passed");|' "$WT/tests/test_calc.c"
git -C "$WT" commit -qam "DEMO-1: mul, tested"
plane-status set --task DEMO-1 --stage merge 2>/dev/null | head -1
run git merge --no-ff --no-edit task/DEMO-1-mul
sed -n '1,22p' docs/work-items/DEMO-1/18-coverage-report.md
plane-status set --task DEMO-1 --stage done 2>/dev/null | head -1
run coverage-gate baseline show

say "3. DEMO-2 adds divide() and no test: the pre-merge-commit hook blocks the merge"
start_task DEMO-2 divide
WT=$WORK/worktrees/DEMO-2
cat >> "$WT/src/calc.c" <<'C'

int divide(int a, int b) {
  if (b == 0) return 0;
  int q = a / b;
  return q;
}
C
echo 'int divide(int a, int b);' >> "$WT/src/calc.h"
git -C "$WT" commit -qam "DEMO-2: divide (untested)"
git -C "$WT" push -q origin task/DEMO-2-divide
echo "/* half-done: a test for divide() */" >> "$WT/tests/test_calc.c"   # uncommitted work
(cd "$WT" && exec sleep 300) &                                           # the task's agent
AGENTS+=($!)
set +e
run git merge --no-ff --no-edit task/DEMO-2-divide
echo "exit code: $? — the merge was not made: HEAD is still $(git log -1 --format='%h %s')"
set -e
git merge --abort
say "the artefact docs/work-items/DEMO-2/18-coverage-report.md (body)"
sed -n '/^---$/,/^---$/!p' docs/work-items/DEMO-2/18-coverage-report.md | sed '/^## Worst files/,$d'

say "STOP DEMO-2: one declarative cancel (reconcile runs this when the board says STOP)"
run stop-task --task DEMO-2 --grace 1s --reason "STOP on the board"
kill -0 "${AGENTS[0]}" 2>/dev/null && echo "agent still running?!" || echo "the agent (pid ${AGENTS[0]}) is gone"
echo "saved work: $(ls docs/work-items/DEMO-2/*.patch)"
git ls-remote --heads origin task/DEMO-2-divide | grep -q . && echo "remote branch still there?!" || echo "origin/task/DEMO-2-divide is deleted"
say "every binary now refuses DEMO-2's cancelled generation (exit 4)"
for cmd in "coverage-gate check --task DEMO-2" "merge-verify --task DEMO-2 --no-fetch" \
           "stop-task guard --task DEMO-2 -- true" "plane-status set --task DEMO-2 --stage development"; do
  set +e
  $cmd >/dev/null 2>"$WORK/err"
  code=$?
  set -e
  printf '  %-52s exit %d: %s\n' "$cmd" "$code" "$(head -c 90 "$WORK/err")"
done
say "To Analyse again: DEMO-2 generation 2 starts from scratch"
start_task DEMO-2 divide
echo "generation $(fm docs/work-items/DEMO-2/00-stage.md generation), worktree at $(git -C "$WORK/worktrees/DEMO-2" log -1 --format='%h %s')"

say "4. DEMO-3: a STOP arrives while its merge runs inside a critical window"
start_task DEMO-3 neg
WT=$WORK/worktrees/DEMO-3
printf '\nint neg(int a) { return -a; }\n' >> "$WT/src/calc.c"
echo 'int neg(int a);' >> "$WT/src/calc.h"
sed -i 's|  puts("tests passed");|  assert(neg(3) == -3);\n  puts("tests passed");|' "$WT/tests/test_calc.c"
git -C "$WT" commit -qam "DEMO-3: neg, tested"
echo '$ stop-task guard --task DEMO-3 --kind merge -- sh -c "git merge ... && sleep 2" &'
stop-task guard --task DEMO-3 --kind merge -- sh -c 'git merge --no-ff --no-edit task/DEMO-3-neg >/dev/null 2>&1 && sleep 2' \
  > "$WORK/guard.log" 2>&1 &
guard=$!
STATE=.git/orchkit/state.db
for _ in $(seq 1 100); do
  [ -f "$STATE" ] && python3 -c 'import sqlite3,sys; sys.exit(0 if sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM leases WHERE task=?", ("DEMO-3",)).fetchone()[0] else 1)' "$STATE" 2>/dev/null && break
  sleep 0.05
done
run stop-task --task DEMO-3 --reason "STOP on the board"
wait "$guard"
grep -E "deferred|critical window" "$WORK/guard.log" | sed 's/^/  /'
echo "merged: $(git log -1 --format='%h %s'); worktree $([ -e "$WT" ] && echo "still there?!" || echo removed)"
run coverage-gate baseline history

say "5. the queue report"
run queue-report --svg "$WORK/queue-baseline.svg"
echo
echo "(and the baseline chart: $(wc -c < "$WORK/queue-baseline.svg") bytes of SVG)"

say "6. differential coverage: judge the change line by line (lcov's categories), not the percentage"
DIFF=$WORK/calc-diff
cp -r "$SRC/sample" "$DIFF" && cd "$DIFF"
printf '\nint unused(int v) {\n  return v * 7;\n}\n' >> src/calc.c
sed -i 's/^patch_min = .*/rule = "differential"/' orchkit.toml
printf '%s\n' docs/work-items/ build/ coverage.info >> .gitignore
git init -q -b main && git add -A && git commit -q -m "calc, with one function no test calls"
sh measure.sh >/dev/null
coverage-gate check --task DIFF-0 --report coverage.info >/dev/null || true
run merge-verify --task DIFF-0 --no-fetch
echo "the baseline now keeps its lines: $(fm docs/work-items/DIFF-0/18-coverage-report.md line_data_sha256 | cut -c1-12)… stored with it"

git checkout -q -b task/DIFF-1-drop-sign
sed -i '/^int sign/,/^}/d' src/calc.c && sed -i '/sign(/d' src/calc.h tests/test_calc.c
git commit -qam "DIFF-1: drop sign() and its tests (deletion only)"
sh measure.sh >/dev/null
echo "-- DIFF-1 deletes covered code and nothing else; under the percent rule:"
ORCH_COVERAGE_RULE=percent run coverage-gate check --task DIFF-1 --report coverage.info --no-artefact || true
echo "-- under rule = \"differential\" (DCB lines only inform):"
run coverage-gate check --task DIFF-1 --report coverage.info
git checkout -q main

git checkout -q -b task/DIFF-2-fewer-tests
sed -i '/sub(5, 3)/d' tests/test_calc.c
git commit -qam "DIFF-2: a test no longer calls sub() (src/calc.c untouched)"
sh measure.sh >/dev/null
echo "-- DIFF-2 touches no line of src/calc.c, but sub() lost its coverage:"
run coverage-gate check --task DIFF-2 --report coverage.info || true
sed -n '/^## Differential coverage/,/^## /p' docs/work-items/DIFF-2/18-coverage-report.md | sed '$d'
echo "the story took ${SECONDS}s"

#!/usr/bin/env bash
# coverage-gate check in the two places PERF.md sets a time for. Not a test.
#
#   bash bench/gate_bench.sh BIN_DIR            (BIN_DIR holds coverage-gate and bench-gen)
#
# patch   Patch coverage over a big diff (target: <= 200 ms for a 5k-file diff): a repository
#         whose branch `change` modifies BENCH_PATCH_FILES files (default 5000; 10 of each file's
#         60 lines) and an LCOV report covering every file. Timed, whole process:
#         `check --report R --patch-min 1 --no-artefact` on the branch (the number compared), the
#         same with --patch-min 0, the same on main (no diff: the check without the patch), and
#         `measure --report R` (reading the report alone); then the first again once the
#         objects are packed (git gc: a CI clone's are, a fresh local commit's are not).
# hook    `check --report` on a 20k-file report as a git hook runs it (target: <= 50 ms + the
#         read time): a repository tracking the BENCH_HOOK_FILES files (default 20000) of a
#         BENCH_HOOK_MB MB LCOV report (default 500; made by bench-gen), HEAD a merge candidate
#         changing 10 of them; `check --report R --artefact A` (reads, diffs, decides, writes the
#         artefact) against `measure --report R` on the same file. The overhead compared is the
#         difference of the medians.
#
# Prints progress on stderr and one Markdown table row per target on stdout; exits 1 when a run
# failed or the patch was not what was changed (a missed time is only reported).
# Environment: BENCH_PATCH_FILES=N, BENCH_HOOK_FILES=N, BENCH_HOOK_MB=N, BENCH_RUNS=N (median of
# max(N, 5) runs for these sub-second timings; default 3), BENCH_ONLY=patch|hook,
# BENCH_OUT=DIR (default: a temp dir, removed after), BENCH_KEEP=1 (keep the generated repositories
# and reports under BENCH_OUT/gate for profiling).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=$(cd "${1:-$here/../build/bin}" && pwd) || { echo "gate_bench: no bin dir ${1:-build/bin}" >&2; exit 2; }
CG=$BIN/coverage-gate
GEN=$BIN/bench-gen
for b in "$CG" "$GEN"; do
  [ -x "$b" ] || { echo "gate_bench: $b is missing (build coverage-gate and bench-gen)" >&2; exit 2; }
done
PATCH_FILES=${BENCH_PATCH_FILES:-5000}
HOOK_FILES=${BENCH_HOOK_FILES:-20000}
HOOK_MB=${BENCH_HOOK_MB:-500}
RUNS=${BENCH_RUNS:-3}
(( RUNS >= 5 )) || RUNS=5
ONLY=${BENCH_ONLY:-}
BAD=0
if [ -n "${BENCH_OUT:-}" ]; then
  OUT=$BENCH_OUT/gate
  mkdir -p "$OUT"
else
  OUT=$(mktemp -d /tmp/orchkit-gate-bench.XXXXXX)
  trap 'rm -rf "$OUT"' EXIT
fi
OUT=$(cd "$OUT" && pwd -P)
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
export GIT_CONFIG_NOSYSTEM=1
unset ORCHKIT_CONFIG GITHUB_ACTIONS GITEA_ACTIONS GITHUB_STEP_SUMMARY ORCH_COVERAGE_ENABLED ORCH_COVERAGE_SCOPE \
  ORCH_COVERAGE_MODE ORCH_COVERAGE_MIN ORCH_COVERAGE_EPSILON ORCH_COVERAGE_PATCH_MIN ORCH_COVERAGE_ON_TOOL_ERROR

# ms CMD...: median wall milliseconds of RUNS runs after one warm-up run (stdout kept in
# $OUT/last.out); a run that exits with 2 or more (not a verdict: an error) prints its error and
# makes the result "failed".
ms() {
  local t0 t1 times=() i rc=0
  "$@" > "$OUT/last.out" 2> "$OUT/last.err" || rc=$?
  for ((i = 0; i < RUNS && rc < 2; i++)); do
    t0=${EPOCHREALTIME/./}
    "$@" > "$OUT/last.out" 2> "$OUT/last.err" || rc=$?
    t1=${EPOCHREALTIME/./}
    times+=($((t1 - t0)))
  done
  if [ "$rc" -ge 2 ]; then
    echo "gate_bench: $* exited $rc: $(head -c 300 "$OUT/last.err")" >&2
    echo failed
    return 0
  fi
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f\n", a[int((NR+1)/2)] / 1000}'
}
# field KEY: a top-level number of the last run's JSON output
field() { sed -n "s/.*\"$1\":\\([0-9]*\\).*/\\1/p" "$OUT/last.out" | head -1; }

config() {  # config REPO: the policy the benches run under (the gate's numbers, not its verdict, matter)
  printf '[project]\nname = "acme/bench"\n[coverage]\nmode = "absolute"\nmin = "0"\n' > "$1/orchkit.toml"
}

# ---------------------------------------------------------------- patch coverage, big diff
if [ -z "$ONLY" ] || [ "$ONLY" = patch ]; then
  repo=$OUT/patch
  rm -rf "$repo"
  mkdir -p "$repo"
  echo "gate_bench: patch: a $PATCH_FILES-file diff" >&2
  git -C "$repo" init -q -b main
  config "$repo"
  # files of 60 lines on main; on the branch every 6th line edited (10 changed lines a file); the
  # report measures all 60 lines of every file, two in three covered
  gen_patch() {
    python3 - "$repo" "$PATCH_FILES" "$1" "$OUT/patch.info" <<'PY'
import os, sys
repo, n, phase, report = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rep = []
for i in range(n):
    rel = "src/m%02d/file_%05d.c" % (i % 50, i)
    path = os.path.join(repo, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mark = lambda l: " /* changed */" if phase == "change" and l % 6 == 0 else ""
    open(path, "w").writelines("int v%d_%d = %d;%s\n" % (i, l, l, mark(l)) for l in range(1, 61))
    rep.append("SF:%s\n" % rel)
    rep.extend("DA:%d,%d\n" % (l, 1 if (l + i) % 3 else 0) for l in range(1, 61))
    rep.append("end_of_record\n")
if phase == "change":
    open(report, "w").writelines(rep)
PY
  }
  gen_patch base
  git -C "$repo" add -A && git -C "$repo" commit -qm base
  git -C "$repo" checkout -q -b change
  gen_patch change
  git -C "$repo" commit -qam change
  report=$OUT/patch.info
  cat "$report" > /dev/null
  pm1=$(ms "$CG" check -C "$repo" --report "$report" --patch-min 1 --no-artefact --json)
  ptotal=$(field patch_total)
  pm0=$(ms "$CG" check -C "$repo" --report "$report" --patch-min 0 --no-artefact --json)
  git -C "$repo" checkout -q main
  nodiff=$(ms "$CG" check -C "$repo" --report "$report" --patch-min 1 --no-artefact --json)
  git -C "$repo" checkout -q change
  readonly_ms=$(ms "$CG" measure --report "$report" --json)
  # a fresh commit's objects are loose; a CI clone's are packed
  git -C "$repo" gc -q
  packed=$(ms "$CG" check -C "$repo" --report "$report" --patch-min 1 --no-artefact --json)
  want=$((PATCH_FILES * 10))
  verdict=$(awk -v x="$pm1" -v p="$ptotal" -v w="$want" 'BEGIN {print (x != "failed" && x <= 200 && p == w) ? "PASS" : "FAIL"}')
  echo "gate_bench: patch: check --patch-min 1: $pm1 ms (patch_total $ptotal, expected $want); --patch-min 0: $pm0 ms; on main (no diff): $nodiff ms; measure alone: $readonly_ms ms ($(stat -c %s "$report") bytes); objects packed: $packed ms" >&2
  echo "| patch coverage, $PATCH_FILES-file diff ($ptotal changed lines) | check $pm1 ms, loose objects (packed: $packed ms; patch-min 0: $pm0 ms; no diff: $nodiff ms; measure: $readonly_ms ms; the diff costs $(awk -v a="$pm1" -v b="$nodiff" 'BEGIN {printf "%.1f", a - b}') ms) | ≤ 200 ms | $verdict |"
  [ -n "${BENCH_KEEP:-}" ] || rm -rf "$repo" "$report"
  [ "$pm1" != failed ] && [ "$ptotal" = "$want" ] || BAD=1
fi

# ---------------------------------------------------------------- check in a hook, 20k-file report
if [ -z "$ONLY" ] || [ "$ONLY" = hook ]; then
  repo=$OUT/hook
  rm -rf "$repo"
  mkdir -p "$repo"
  report=$OUT/hook.info
  echo "gate_bench: hook: a $HOOK_FILES-file, ~$HOOK_MB MB LCOV report" >&2
  "$GEN" lcov "$report" --mb "$HOOK_MB" --files "$HOOK_FILES" --root "$repo" > "$report.meta"
  git -C "$repo" init -q -b main
  config "$repo"
  # every file of the report is tracked (its content is not read by the gate)
  python3 - "$repo" "$report" <<'PY'
import os, sys
repo, report = sys.argv[1], sys.argv[2]
n = 0
with open(report, "rb") as f:
    for line in f:
        if line.startswith(b"SF:"):
            path = line[3:].rstrip(b"\n").decode()
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "w").write("".join("line %d\n" % l for l in range(1, 201)) if n < 10 else "")
            n += 1
PY
  git -C "$repo" add -A && git -C "$repo" commit -qm base
  git -C "$repo" checkout -q -b merge
  # a merge candidate: 10 files changed
  for f in $(git -C "$repo" ls-files -- ':!orchkit.toml' | head -10); do sed -i '5,50{0~5s/$/ changed/}' "$repo/$f"; done
  git -C "$repo" commit -qam "merge candidate"
  cat "$report" > /dev/null
  mes=$(ms "$CG" measure --report "$report" --json)
  chk=$(ms "$CG" check -C "$repo" --report "$report" --artefact "$OUT/hook-artefact.md" --json)
  # the same without an artefact: no line data (every file's bitsets, for a PASS); the report is
  # still hashed (its digest is in the verdict) — what the rest of the overhead is made of
  bare=$(ms "$CG" check -C "$repo" --report "$report" --no-artefact --json)
  files=$(sed -n 's/^files=//p' "$report.meta")
  mb=$(awk -v b="$(stat -c %s "$report")" 'BEGIN {printf "%.0f", b / 1e6}')
  over=$(awk -v a="$chk" -v b="$mes" 'BEGIN {printf "%.1f", a - b}')
  verdict=$(awk -v c="$chk" -v m="$mes" -v o="$over" 'BEGIN {print (c != "failed" && m != "failed" && o <= 50) ? "PASS" : "FAIL"}')
  echo "gate_bench: hook: check $chk ms, measure $mes ms on $files files, $mb MB: overhead $over ms" >&2
  echo "| check --report in a hook, $files-file $mb MB LCOV | check $chk ms vs measure $mes ms: +$over ms (--no-artefact: $bare ms) | ≤ 50 ms + the read time | $verdict |"
  [ -n "${BENCH_KEEP:-}" ] || rm -rf "$repo" "$report" "$report.meta" "$OUT/hook-artefact.md"
  [ "$chk" != failed ] && [ "$mes" != failed ] || BAD=1
fi
exit "$BAD"

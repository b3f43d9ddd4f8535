#!/usr/bin/env bash
# stop-task on a process tree with TERM-ignorers (PERF.md target: all gone within grace + 0.5 s).
#
#   bash bench/stop_bench.sh BIN_DIR            (BIN_DIR holds stop-task; default build/bin)
#
# Builds a repository with a linked worktree of task ORCH-1 (as tests/e2e/stop_task.bats does),
# then a tree of BENCH_STOP_PROCS processes (default 200; a root and its descendants, four
# children a node) whose working directory is the worktree; every other one ignores SIGTERM. A
# supervisor outside the worktree, made the tree's child subreaper, reaps every process of the
# tree as it dies and notes when the last one did. Then `stop-task --task ORCH-1 --grace G`
# (BENCH_STOP_GRACE, default 1s) runs; measured from its start: the time until the last process
# of the tree was gone, and stop-task's own wall time (it also saves the worktree, removes it,
# deletes the branch and writes the tombstone). BENCH_RUNS runs (default 3), median. Prints the
# medians on stderr, then one Markdown table row on stdout; exits 1 when a process of the tree was
# left behind (a missed time is only reported). Not a test.
#
# Environment: BENCH_STOP_PROCS=N, BENCH_STOP_GRACE=DUR (1s, 500ms, ...), BENCH_RUNS=N,
# BENCH_OUT=DIR (default: a temp dir, removed after).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=$(cd "${1:-$here/../build/bin}" && pwd) || { echo "stop_bench: no bin dir ${1:-build/bin}" >&2; exit 2; }
ST=$BIN/stop-task
[ -x "$ST" ] || { echo "stop_bench: $ST is missing (build the stop-task target)" >&2; exit 2; }
PROCS=${BENCH_STOP_PROCS:-200}
GRACE=${BENCH_STOP_GRACE:-1s}
RUNS=${BENCH_RUNS:-3}
case $GRACE in
  *ms) grace_ms=${GRACE%ms} ;;
  *s) grace_ms=$(( ${GRACE%s} * 1000 )) ;;
  *) echo "stop_bench: BENCH_STOP_GRACE '$GRACE': use 1s or 500ms" >&2; exit 2 ;;
esac
if [ -n "${BENCH_OUT:-}" ]; then
  OUT=$BENCH_OUT/stop
  mkdir -p "$OUT"
else
  OUT=$(mktemp -d /tmp/orchkit-stop-bench.XXXXXX)
  trap 'rm -rf "$OUT"' EXIT
fi
cd "$OUT"  # never inside a worktree this bench stops
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
export GIT_CONFIG_NOSYSTEM=1
unset ORCHKIT_CONFIG GITHUB_ACTIONS GITEA_ACTIONS GITHUB_STEP_SUMMARY

# The supervisor: subreaper of the tree; prints "ready" once all PROCS run `sleep` with their cwd
# in the worktree, then the time (epoch seconds) the last of them was reaped, then exits. After
# 120 s it kills what is left of its own tree and exits 1.
cat > "$OUT/tree.py" <<'PY'
import ctypes, os, signal, sys, time
wt, n = sys.argv[1], int(sys.argv[2])
PR_SET_CHILD_SUBREAPER = 36
if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    sys.exit("tree: prctl(PR_SET_CHILD_SUBREAPER) failed")
r, w = os.pipe()

def node(first, count):
    # this process is node `first`: it forks its descendants first+1 .. first+count-1 as four
    # subtrees, then becomes `sleep 600` (a TERM-ignorer when `first` is odd); never returns
    try:
        os.chdir(wt)
        start, left, k = first + 1, count - 1, 4
        for size in [left // k + (1 if i < left % k else 0) for i in range(k)]:
            if size and os.fork() == 0:
                node(start, size)
            start += size
        if first % 2:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # stays ignored across exec
        os.write(w, b"%d\n" % os.getpid())
        os.execvp("sleep", ["sleep", "600"])
    finally:
        os._exit(127)

if os.fork() == 0:
    os.close(r)
    node(0, n)
os.close(w)
pids, buf = set(), b""
deadline = time.time() + 60
while len(pids) < n and time.time() < deadline:
    chunk = os.read(r, 65536)
    if not chunk:
        break
    buf += chunk
    *lines, buf = buf.split(b"\n")
    pids.update(int(x) for x in lines if x)
def running_sleep(p):
    try:
        with open("/proc/%d/stat" % p) as f:
            s = f.read()
        return s[s.rfind(")") + 2] != "Z" and os.readlink("/proc/%d/cwd" % p) == wt and "(sleep)" in s
    except OSError:
        return False
while not all(running_sleep(p) for p in pids) and time.time() < deadline:
    time.sleep(0.01)
if len(pids) != n or not all(running_sleep(p) for p in pids):
    print("notready %d" % len(pids), flush=True)
else:
    print("ready", flush=True)
reaped, last, deadline = 0, 0.0, time.time() + 120
while reaped < n:
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        break
    if pid == 0:
        if time.time() > deadline:
            break
        time.sleep(0.002)
        continue
    if pid in pids:
        reaped += 1
        last = time.time()
        pids.discard(pid)
for p in pids:  # only on failure: what is left of our own tree (unreaped, so never a reused pid)
    try:
        os.kill(p, signal.SIGKILL)
    except OSError:
        pass
print("%.6f %d" % (last, reaped), flush=True)
sys.exit(0 if reaped == n else 1)
PY

# run_once I: one repository, one tree, one stop; appends "all_gone_s stop_s signalled survivors".
run_once() {
  local i=$1 repo=$OUT/repo-$1 wt=$OUT/worktrees-$1/ORCH-1 sup line t0 t1 last reaped json
  rm -rf "$repo" "$OUT/worktrees-$i"
  mkdir -p "$repo/src"
  git -C "$repo" init -q -b main
  seq 1 10 > "$repo/src/a.c"
  printf '[project]\nname = "acme/bench"\n[task]\nworktrees_root = "../worktrees-%s"\n[stop]\ngrace = "%s"\n' "$i" "$GRACE" > "$repo/orchkit.toml"
  git -C "$repo" add -A && git -C "$repo" commit -qm init
  git -C "$repo" worktree add -q "$wt" -b task/ORCH-1-bench
  echo work >> "$wt/src/a.c"
  git -C "$wt" commit -qam "ORCH-1 work"
  wt=$(cd "$wt" && pwd -P)
  coproc SUP { exec python3 "$OUT/tree.py" "$wt" "$PROCS"; }
  sup=$SUP_PID
  read -r line <&"${SUP[0]}"
  if [ "$line" != ready ]; then
    echo "stop_bench: the process tree did not start ($line)" >&2
    kill "$sup" 2>/dev/null || true
    return 1
  fi
  t0=$EPOCHREALTIME
  json=$("$ST" -C "$repo" --task ORCH-1 --grace "$GRACE" --json 2>"$OUT/stop-$i.err") || {
    echo "stop_bench: stop-task failed: $(head -c 300 "$OUT/stop-$i.err")" >&2
  }
  t1=$EPOCHREALTIME
  read -r last reaped <&"${SUP[0]}" || { last=0; reaped=0; }
  wait "$sup" 2>/dev/null || true
  python3 - "$t0" "$t1" "$last" "$reaped" "$PROCS" "$json" >> "$OUT/runs" <<'PY'
import json, sys
t0, t1, last = map(float, sys.argv[1:4])
reaped, n = int(sys.argv[4]), int(sys.argv[5])
try:
    j = json.loads(sys.argv[6])
except ValueError:
    j = {}
gone = last - t0 if reaped == n else float("inf")
print("%.3f %.3f %s %s %d" % (gone, t1 - t0, j.get("signalled", "?"), j.get("survivors", "?"), n - reaped))
PY
  rm -rf "$repo" "$OUT/worktrees-$i"
}

: > "$OUT/runs"
for ((i = 1; i <= RUNS; i++)); do
  run_once "$i" || true
done
[ -s "$OUT/runs" ] || { echo "| stop-task, $PROCS-process tree, grace $GRACE | failed | all gone ≤ grace + 0.5 s | FAIL |"; exit 1; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]}'; }
gone=$(awk '{print $1}' "$OUT/runs" | median)
total=$(awk '{print $2}' "$OUT/runs" | median)
left=$(awk '{s += $5} END {print s + 0}' "$OUT/runs")
signalled=$(awk 'NR == 1 {print $3}' "$OUT/runs")
bound=$(awk -v g="$grace_ms" 'BEGIN {printf "%.3f", g / 1000 + 0.5}')
verdict=$(awk -v x="$gone" -v b="$bound" -v l="$left" 'BEGIN {print (x <= b && l == 0) ? "PASS" : "FAIL"}')
echo "stop_bench: $PROCS processes ($((PROCS / 2)) ignore TERM), grace $GRACE, $RUNS run(s): all gone after $gone s (median; bound $bound s), stop-task done after $total s; runs (gone_s stop_s signalled survivors left): $(tr '\n' ';' < "$OUT/runs")" >&2
echo "| stop-task, $PROCS-process tree ($((PROCS / 2)) ignore TERM), grace $GRACE | all gone after $gone s; stop-task exits after $total s; $signalled signalled, $left left (median of $RUNS) | all gone ≤ grace + 0.5 s = $bound s | $verdict |"
# exit 1 only when the stop did not do its job (a process left): a missed time is the table's news
[ "$left" = 0 ]

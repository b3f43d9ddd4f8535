#!/usr/bin/env bash
# queue-report over 10,000 task folders (PERF.md target: <= 1 s, whole process).
#
#   bash bench/queue_bench.sh BIN_DIR          (BIN_DIR holds queue-report; default build/bin)
#
# Makes a repository with BENCH_TASKS task folders (default 10000) under docs/work-items: every
# folder has a 00-stage.md and an 18-coverage-report.md with a realistic body (~3 KB, which
# queue-report must not read), one in ten a 90-stop.md, one in a hundred a broken artefact; and a
# state file with 500 baseline changes, tombstones and stop requests (python3's sqlite3, the
# schema of lib/orchkit/state/state.cpp). Page cache warm: one run first, then BENCH_RUNS (default 5)
# timed runs of Markdown and JSON + SVG. Prints the median seconds of each. Not a test.
#
# Environment: BENCH_TASKS=N, BENCH_RUNS=N, BENCH_OUT=DIR (default: a temp dir, removed after).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=$(cd "${1:-$here/../build/bin}" && pwd) || { echo "queue_bench: no bin dir ${1:-build/bin}" >&2; exit 2; }
QR=$BIN/queue-report
[ -x "$QR" ] || { echo "queue_bench: $QR is missing (build the queue-report target)" >&2; exit 2; }
TASKS=${BENCH_TASKS:-10000}
RUNS=${BENCH_RUNS:-5}
if [ -n "${BENCH_OUT:-}" ]; then
  OUT=$BENCH_OUT
  mkdir -p "$OUT"
else
  OUT=$(mktemp -d /tmp/orchkit-queue-bench.XXXXXX)
  trap 'rm -rf "$OUT"' EXIT
fi
REPO=$OUT/repo
rm -rf "$REPO"
mkdir -p "$REPO"
git -C "$REPO" init -q -b main
printf '[project]\nname = "acme/bench"\n[coverage]\nmin = "80"\n' > "$REPO/orchkit.toml"

python3 - "$REPO" "$TASKS" <<'PY'
import os, sqlite3, sys
repo, n = sys.argv[1], int(sys.argv[2])
root = os.path.join(repo, "docs", "work-items")
stages = ["analysis", "architecture", "development", "code_review", "merge", "awaiting_deploy", "done", "cancelled"]
statuses = ["PASS"] * 7 + ["FAIL", "WARN", "SKIPPED"]
body = "".join("| `src/module_%03d.py` | %d/%d | %d.%02d%% | 12-18, 40 |\n" % (i, 40 + i, 50 + i, 80 + i % 20, i) for i in range(40))
for i in range(1, n + 1):
    key = "ORCH-%d" % i
    d = os.path.join(root, key)
    os.makedirs(d)
    day = "2024-%02d-%02dT%02d:%02d:00Z" % (1 + i % 12, 1 + i % 28, i % 24, i % 60)
    with open(os.path.join(d, "00-stage.md"), "w") as f:
        f.write("---\ntask: %s\nstage: %s\nkey: in_progress\nstate_id: 7b3c2a1e-0000-4000-8000-%012d\ngeneration: 1\nupdated_at: %s\n---\n\nStage.\n"
                % (key, stages[i % len(stages)], i, day))
    cov = os.path.join(d, "18-coverage-report.md")
    if i % 100 == 0:
        open(cov, "w").write("this artefact was overwritten by something else\n" + body)
        continue
    covered, total = 8000 + (i * 7) % 1500, 10000
    with open(cov, "w") as f:
        f.write("---\ncoverage_status: %s\ntask: %s\ncommit: %040x\ntree: %040x\ntarget: main\nmode: both\n"
                "line_covered: %d\nline_total: %d\nline_pct: \"%d.%02d\"\nbaseline_pct: \"84.02\"\nbaseline_commit: %040x\n"
                "min_pct: \"80\"\nepsilon_pp: \"0.1\"\npatch_covered: 40\npatch_total: 44\npatch_pct: \"90.90\"\n"
                "reasons: [within_epsilon]\nreports: [{path: coverage.json, format: coveragepy-json, sha256: %064x}]\n"
                "generated_by: coverage-gate 0.1.0\n---\n\n# Coverage gate\n\n| file | lines | coverage | uncovered |\n| --- | --- | --- | --- |\n%s"
                % (statuses[i % len(statuses)], key, i, i, covered, total, covered // 100, covered % 100, i, i, body))
    if i % 10 == 0:
        with open(os.path.join(d, "90-stop.md"), "w") as f:
            f.write("---\ntask: %s\ngeneration: 1\nstatus: %s\nsaved_patch: null\nworktree_removed: true\nbranch_deleted: true\n"
                    "signalled: 2\nsurvivors: 0\nreason: bench\nupdated_at: %s\n---\n" % (key, "cancelled" if i % 20 else "stale", day))

db = os.path.join(repo, ".git", "orchkit", "state.db")
os.makedirs(os.path.dirname(db))
c = sqlite3.connect(db)
c.execute("PRAGMA journal_mode=WAL")
c.executescript("""
CREATE TABLE coverage_baseline(repo TEXT NOT NULL, branch TEXT NOT NULL, line_covered INTEGER NOT NULL, line_total INTEGER NOT NULL,
  commit_sha TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY(repo, branch));
CREATE TABLE coverage_history(id INTEGER PRIMARY KEY AUTOINCREMENT, repo TEXT NOT NULL, branch TEXT NOT NULL, event TEXT NOT NULL,
  old_covered INTEGER, old_total INTEGER, new_covered INTEGER, new_total INTEGER, commit_sha TEXT, task TEXT, actor TEXT, reason TEXT, at TEXT NOT NULL);
CREATE TABLE tombstones(kind TEXT NOT NULL, natural_key TEXT NOT NULL, generation INTEGER NOT NULL, original TEXT, reason TEXT, at TEXT NOT NULL,
  PRIMARY KEY(kind, natural_key, generation));
CREATE TABLE stop_requests(task TEXT NOT NULL, generation INTEGER NOT NULL, status TEXT NOT NULL, window TEXT, reason TEXT,
  steps TEXT NOT NULL DEFAULT '', requested_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY(task, generation));
CREATE TABLE leases(name TEXT PRIMARY KEY, holder TEXT NOT NULL, task TEXT, expires_at INTEGER NOT NULL, acquired_at TEXT NOT NULL);
PRAGMA user_version = 1;
""")
v = 8000
for i in range(500):
    old, v = v, v + (i % 3)
    c.execute("INSERT INTO coverage_history(repo, branch, event, old_covered, old_total, new_covered, new_total, commit_sha, task, actor, at) "
              "VALUES('acme/bench', 'main', ?, ?, 10000, ?, 10000, 'c', ?, 'ci', ?)",
              ("ratchet" if v > old else "kept", old, v, "ORCH-%d" % (i + 1), "2024-01-01T00:00:%02dZ" % (i % 60)))
c.execute("INSERT INTO coverage_baseline VALUES('acme/bench', 'main', ?, 10000, 'c', '2024-06-01T00:00:00Z')", (v,))
for i in range(10, n + 1, 20):
    c.execute("INSERT INTO tombstones VALUES('task', ?, 1, ?, 'bench', '2024-03-01T00:00:00Z')", ("ORCH-%d" % i, "ORCH-%d" % i))
for i in range(7, n + 1, 500):
    c.execute("INSERT INTO stop_requests VALUES(?, 1, 'deferred', 'merge:acme/bench:main', 'bench', '', '2024-03-01T00:00:00Z', '2024-03-01T00:00:00Z')",
              ("ORCH-%d" % i,))
c.commit()
PY

files=$(find "$REPO/docs/work-items" -type f | wc -l)
bytes=$(du -sk "$REPO/docs/work-items" | cut -f1)
echo "queue_bench: $TASKS task folders, $files files, ${bytes} KiB under $REPO/docs/work-items"

# median_seconds CMD...: the median wall time of RUNS runs, page cache warm.
median_seconds() {
  "$@" >/dev/null
  local times=()
  for _ in $(seq 1 "$RUNS"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null
    t1=$(date +%s%N)
    times+=($(( t1 - t0 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f\n", a[int((NR+1)/2)]/1e9}'
}

md=$(median_seconds "$QR" -C "$REPO" --out "$OUT/queue.md")
json=$(median_seconds "$QR" -C "$REPO" --format json --out "$OUT/queue.json" --svg "$OUT/queue.svg")
rows=$(awk '/^## Tasks/{on=1} /^## Coverage/{on=0} on && /^\| ORCH-/' "$OUT/queue.md" | wc -l)
[ "$rows" -eq "$TASKS" ] || { echo "queue_bench: the report lists $rows tasks, not $TASKS" >&2; exit 1; }
echo "queue-report, $TASKS task folders, Markdown:         $md s (median of $RUNS; target <= 1 s)"
echo "queue-report, $TASKS task folders, JSON + SVG chart: $json s (median of $RUNS)"

#!/usr/bin/env bats
# queue-report end to end. The fixture is built once by the real binaries on a real repository:
# coverage-gate check writes the artefacts, merge-verify bootstraps, ratchets and keeps the
# baseline, coverage-gate baseline set records an override; then hand-written artefacts from
# tests/fixtures/queue/work-items (stages, a cancellation, a stale stop, broken files) and state
# rows that stop-task would write (tombstones, a deferred stop in an open merge window).
# The Markdown and JSON are compared with golden files after masking what the real runs make
# volatile (commit ids, today's timestamps); UPDATE_GOLDEN=1 rewrites the golden files.

load helpers
bats_require_minimum_version 1.5.0

FIXTURE="$ORCHKIT_SRC/tests/fixtures/queue"

# gate TASK COVERED TOTAL [BASE] [ARGS...]: a task branch off BASE with one commit, gated.
gate() {
  local task=$1 covered=$2 total=$3 base=${4:-main}
  shift 3
  [ $# -gt 0 ] && shift
  git checkout -q -b "task/$task-x" "$base"
  echo "// $task" >> src/a.c
  git commit -qam "$task"
  lcov_report cov.info src/a.c "$covered" "$total"
  coverage-gate check --task "$task" --report cov.info "$@" >/dev/null 2>&1 || true
}

# land TASK [TARGET]: merge the task branch into TARGET, then merge-verify ratchets.
land() {
  local target=${2:-main}
  git checkout -q "$target"
  git merge -q --no-ff "task/$1-x" -m "Merge $1"
  GITHUB_ACTOR=merge-bot merge-verify --task "$1" --no-fetch >/dev/null
}

setup_file() {
  export REPO="$BATS_FILE_TMPDIR/repo"
  # Fixed dates make the commit ids stable too (the golden files still mask them).
  export GIT_AUTHOR_DATE="2024-05-01T12:00:00Z" GIT_COMMITTER_DATE="2024-05-01T12:00:00Z"
  make_repo "$REPO"
  cd "$REPO"
  printf '[project]\nname = "acme/demo"\nself_hosting = true\n[coverage]\nmin = "70"\nepsilon = "0.1"\n' > orchkit.toml
  git commit -qam "config"
  git branch release/1.x main
  local state="$REPO/.git/orchkit/state.db"

  gate T-1 80 100 && land T-1                           # bootstrap 80.00
  gate T-2 90 100 && land T-2                           # ratchet 90.00
  gate T-3 8995 10000 && land T-3                       # within epsilon: PASS, kept at 90.00
  GITHUB_ACTOR=alice coverage-gate baseline set 85 --reason "flaky integration tests moved to their own repo" >/dev/null
  gate R-1 75 100 release/1.x --target release/1.x && land R-1 release/1.x   # bootstrap on release/1.x
  gate T-4 60 100                                       # FAIL: below the floor and the baseline
  git checkout -q main
  git checkout -q -b task/T-5-x main && echo x >> src/b.c && git commit -qam T-5
  coverage-gate check --task T-5 --report missing.info >/dev/null 2>&1 || true   # WARN: no report
  gate T-6 88 100                                       # PASS, waiting for its merge
  git checkout -q main

  cp -R "$FIXTURE/work-items/." docs/work-items/
  # What stop-task and merge-verify record: T-6's stop deferred while its merge window is open,
  # T-7 cancelled (task, branch and Plane issue tombstoned).
  sql "$state" "INSERT INTO leases(name, holder, task, expires_at, acquired_at) VALUES('merge:acme/demo:main', 'ci-runner:4242', 'T-6', 4102444800000, '2024-05-05T09:30:00Z')"
  sql "$state" "INSERT INTO stop_requests(task, generation, status, window, reason, steps, requested_at, updated_at) VALUES('T-6', 1, 'deferred', 'merge:acme/demo:main', 'STOP on the board during the merge', '', '2024-05-05T09:31:00Z', '2024-05-05T09:31:00Z')"
  sql "$state" "INSERT INTO tombstones(kind, natural_key, generation, original, reason, at) VALUES('task', 'T-7', 1, 'T-7', 'STOP on the board: requirements changed', '2024-05-05T12:00:01Z')"
  sql "$state" "INSERT INTO tombstones(kind, natural_key, generation, original, reason, at) VALUES('branch', 'task/T-7-x', 1, 'task/T-7-x', 'STOP on the board: requirements changed', '2024-05-05T12:00:01Z')"
  sql "$state" "INSERT INTO tombstones(kind, natural_key, generation, original, reason, at) VALUES('plane_issue', '5d0c9a52-7f0e-4c1b-9d3e-0a1b2c3d4e5f', 1, '5d0c9a52-7f0e-4c1b-9d3e-0a1b2c3d4e5f', 'STOP on the board: requirements changed', '2024-05-05T12:00:01Z')"
  sql "$state" "INSERT INTO stop_requests(task, generation, status, window, reason, steps, requested_at, updated_at) VALUES('T-10', 1, 'stale', NULL, 'generation 2 is live', '', '2024-05-07T10:00:00Z', '2024-05-07T10:00:00Z')"
}

setup() {
  cd "$REPO"
  STATE="$REPO/.git/orchkit/state.db"
}

# mask: commit ids and the timestamps of today's real runs.
mask() {
  local d1 d2
  d1=$(date -u +%Y-%m-%d)
  d2=$(date -u -d yesterday +%Y-%m-%d)
  sed -E -e 's/[0-9a-f]{40}/<sha>/g' -e 's/`[0-9a-f]{12}`/`<sha12>`/g' \
    -e "s/($d1|$d2)T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/<now>/g"
}

# golden NAME TEXT: compares with tests/fixtures/queue/NAME (or rewrites it with UPDATE_GOLDEN=1).
golden() {
  local want="$FIXTURE/$1"
  if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    printf '%s\n' "$2" > "$want"
  fi
  diff -u "$want" <(printf '%s\n' "$2")
}

@test "Markdown matches the golden file (volatile values masked)" {
  run --separate-stderr queue-report
  [ "$status" -eq 0 ]
  [ -z "$stderr" ]
  golden expected.md "$(printf '%s\n' "$output" | mask)"
}

@test "JSON matches the golden file and has the blocks of GET /queue" {
  run --separate-stderr queue-report --format json
  [ "$status" -eq 0 ]
  golden expected.json "$(printf '%s\n' "$output" | mask)"
  python3 - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert set(["tasks", "coverage", "stop"]) <= set(d), d.keys()
keys = [t["key"] for t in d["tasks"]]
groups = [t["group"] for t in d["tasks"]]
order = ["fail", "deferred_stop", "warn", "broken", "live", "terminal"]
assert groups == sorted(groups, key=order.index), groups
assert keys[:3] == ["T-4", "T-6", "T-5"], keys
assert "templates" not in keys
main = [b for b in d["coverage"]["baselines"] if b["target"] == "main"][0]
assert [h["event"] for h in main["history"]] == ["bootstrap", "ratchet", "kept", "override"], main["history"]
o = main["history"][-1]
assert o["actor"] == "alice" and o["reason"] == "flaky integration tests moved to their own repo", o
assert main["line_pct"] == "85.00" and main["trend"]["overrides"] == 1
assert [s["task"] for s in d["stop"]["deferred"]] == ["T-6"] and d["stop"]["deferred"][0]["window_state"] == "held"
assert d["stop"]["cancelled"][0]["saved_patch"] == "docs/work-items/T-7/uncommitted-gen1.patch"
assert [s["task"] for s in d["stop"]["stale"]] == ["T-10"]
broken = {p["file"] for t in d["tasks"] for p in t["problems"]}
assert broken == {"docs/work-items/T-8/18-coverage-report.md", "docs/work-items/T-9/00-stage.md"}, broken
PY
}

@test "the same inputs give byte-identical output, with and without --now" {
  queue-report --out "$BATS_TEST_TMPDIR/a/queue.md" --svg "$BATS_TEST_TMPDIR/a/queue.svg"
  queue-report --out "$BATS_TEST_TMPDIR/b/queue.md" --svg "$BATS_TEST_TMPDIR/b/queue.svg"
  cmp "$BATS_TEST_TMPDIR/a/queue.md" "$BATS_TEST_TMPDIR/b/queue.md"
  cmp "$BATS_TEST_TMPDIR/a/queue.svg" "$BATS_TEST_TMPDIR/b/queue.svg"
  grep -qF '](queue.svg)' "$BATS_TEST_TMPDIR/a/queue.md"
  queue-report --format json --now 2024-06-01T00:00:00Z > "$BATS_TEST_TMPDIR/a.json"
  queue-report --format json --now 2024-06-01T00:00:00Z > "$BATS_TEST_TMPDIR/b.json"
  cmp "$BATS_TEST_TMPDIR/a.json" "$BATS_TEST_TMPDIR/b.json"
  grep -q '"generated_at": "2024-06-01T00:00:00Z"' "$BATS_TEST_TMPDIR/a.json"
  ! grep -q 'As of' "$BATS_TEST_TMPDIR/a/queue.md"
}

@test "inside Actions the Markdown also goes to the step summary" {
  GITHUB_STEP_SUMMARY="$BATS_TEST_TMPDIR/summary.md" queue-report --format json --out "$BATS_TEST_TMPDIR/q.json"
  grep -q '^# Queue report: acme/demo$' "$BATS_TEST_TMPDIR/summary.md"
  grep -q '^| T-4 | development | \*\*FAIL\*\* |' "$BATS_TEST_TMPDIR/summary.md"
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$BATS_TEST_TMPDIR/q.json"
}

@test "the SVG parses as XML, has a panel per target with the expected points and the floor; the Markdown links it" {
  mkdir -p "$BATS_TEST_TMPDIR/out/charts"
  run --separate-stderr queue-report --out "$BATS_TEST_TMPDIR/out/queue.md" --svg "$BATS_TEST_TMPDIR/out/charts/baseline.svg"
  [ "$status" -eq 0 ]
  grep -qF '![Baseline history per target branch](charts/baseline.svg)' "$BATS_TEST_TMPDIR/out/queue.md"
  python3 - "$BATS_TEST_TMPDIR/out/charts/baseline.svg" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == ns + "svg", root.tag
panels = {g.get("data-target"): g for g in root.iter(ns + "g") if g.get("class") == "panel"}
assert sorted(panels) == ["main", "release/1.x"], panels.keys()
def points(name):
    return [(c.get("data-event"), c.get("data-pct")) for c in panels[name].iter(ns + "circle")]
assert points("main") == [("bootstrap", "80.00"), ("ratchet", "90.00"), ("kept", "90.00"), ("override", "85.00")], points("main")
assert points("release/1.x") == [("bootstrap", "75.00")], points("release/1.x")
for name, g in panels.items():
    floors = [l for l in g.iter(ns + "line") if l.get("class") == "floor"]
    assert len(floors) == 1 and floors[0].get("data-pct") == "70.00", name
    line = [p for p in g.iter(ns + "polyline") if p.get("class") == "baseline"]
    assert len(line) == 1 and len(line[0].get("points").split()) == len(points(name)), name
    texts = " ".join(t.text or "" for t in g.iter(ns + "text"))
    assert "floor 70 %" in texts and "line coverage (%)" in texts, texts
PY
  if command -v rsvg-convert >/dev/null; then
    rsvg-convert -o "$BATS_TEST_TMPDIR/out/baseline.png" "$BATS_TEST_TMPDIR/out/charts/baseline.svg"
    [ -s "$BATS_TEST_TMPDIR/out/baseline.png" ]
  fi
}

@test "the state file is only read: its bytes do not change, and a missing one is never created" {
  before=$(cat "$STATE"* | sha256sum)
  queue-report --format json >/dev/null
  [ "$(cat "$STATE"* | sha256sum)" = "$before" ]

  fresh="$BATS_TEST_TMPDIR/fresh"
  make_repo "$fresh"
  mkdir -p "$fresh/docs/work-items/A-1"
  printf -- '---\ntask: A-1\nstage: analysis\n---\n' > "$fresh/docs/work-items/A-1/00-stage.md"
  run --separate-stderr queue-report -C "$fresh"
  [ "$status" -eq 0 ]
  [[ "$output" == *"No baseline yet: there is no state file"* ]]
  [[ "$output" == *"| A-1 | analysis | — |"* ]]
  [ ! -e "$fresh/.git/orchkit" ]
}

@test "broken and missing front matter are listed with their file, never a crash" {
  run --separate-stderr queue-report
  [ "$status" -eq 0 ]
  [[ "$output" == *'- `docs/work-items/T-8/18-coverage-report.md`: line 1: no front matter (the file must start with ---)'* ]]
  [[ "$output" == *'- `docs/work-items/T-9/00-stage.md`: line 4: the front matter has no closing --- (the file is truncated)'* ]]
  [[ "$output" == *"| T-12 | analysis | — |"* ]]  # unknown keys and nested YAML ignored
  # Harder cases in a copy: an empty file, a directory where a file should be, binary junk.
  cp -R docs/work-items "$BATS_TEST_TMPDIR/w"
  : > "$BATS_TEST_TMPDIR/w/T-1/00-stage.md"
  rm -f "$BATS_TEST_TMPDIR/w/T-2/18-coverage-report.md" && mkdir "$BATS_TEST_TMPDIR/w/T-2/18-coverage-report.md"
  head -c 3000 /dev/urandom > "$BATS_TEST_TMPDIR/w/T-3/90-stop.md"
  run --separate-stderr queue-report --artefacts "$BATS_TEST_TMPDIR/w" --format json
  [ "$status" -eq 0 ]
  python3 - "$output" "$BATS_TEST_TMPDIR/w" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
probs = {p["file"].replace(sys.argv[2], "W"): p["message"] for t in d["tasks"] for p in t["problems"]}
assert probs["W/T-1/00-stage.md"].startswith("line 1: no front matter"), probs
assert probs["W/T-2/18-coverage-report.md"] == "cannot read: Is a directory", probs
assert "W/T-3/90-stop.md" in probs, probs
PY
}

@test "exit codes: bad flag 2, bad --format or --now 2, missing --artefacts 3, unwritable --out 3, damaged state 3" {
  run --separate-stderr queue-report --bogus
  [ "$status" -eq 2 ]
  [[ "$stderr" == "queue-report: error: "* ]]
  run --separate-stderr queue-report --format html
  [ "$status" -eq 2 ]
  run --separate-stderr queue-report --now yesterday
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"--now 'yesterday' is not an ISO-8601 UTC time"* ]]
  run --separate-stderr queue-report --artefacts "$BATS_TEST_TMPDIR/nowhere"
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"nowhere: cannot list the artefacts directory"* ]]
  run --separate-stderr queue-report --out /proc/orchkit-nope/queue.md
  [ "$status" -eq 3 ]
  printf '[project]\nname = "acme/demo"\n[state]\npath = "%s/junk.db"\n' "$BATS_TEST_TMPDIR" > "$BATS_TEST_TMPDIR/junk.toml"
  head -c 4096 /dev/urandom > "$BATS_TEST_TMPDIR/junk.db"
  run --separate-stderr queue-report --config "$BATS_TEST_TMPDIR/junk.toml"
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"junk.db"* ]]
  run --separate-stderr queue-report --help
  [ "$status" -eq 0 ]
  [[ "$output" == *"Exit codes:"* ]]
  run --separate-stderr queue-report --show-config
  [ "$status" -eq 0 ]
  [[ "$output" == *'coverage.min = "70"'* ]]
}

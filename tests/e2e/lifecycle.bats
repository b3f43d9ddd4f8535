#!/usr/bin/env bats
# Whole task lives through the chain: real git with orchkit's hooks installed by hooks/install.sh,
# a real bare remote behind git daemon, one real state file, and the fake Plane, Telegram and Gitea.
#   A: To Analyse -> reconcile starts it -> tested work -> gate PASS -> merge (hooks: gate, then
#      merge-verify bootstraps the baseline) -> board Monitoring -> the queue report shows it.
#   B: coverage drops -> the pre-merge-commit hook blocks the merge -> STOP -> reconcile runs
#      stop-task (agent killed, work saved, worktree and remote branch gone, tombstone) -> every
#      binary refuses generation 1 -> To Analyse again -> generation 2 starts from scratch.
#   C: STOP while its merge runs inside a critical window -> deferred -> runs once, after the ratchet.
# The tests run in order and share one story (setup_file).

load helpers
bats_require_minimum_version 1.5.0

KEY="plane_api_SECRET_lifecycle"
P_ORCH=aaaaaaaa-0000-4000-8000-000000000001
st_id() { printf 'a0000000-0000-4000-8000-%012d' "$1"; }   # ORCH state N (see the seed)
item() { printf 'a1000000-0000-4000-8000-%012d' "$1"; }     # work item ORCH-N
# States: 1 Todo, 2 In Progress, 3 Done, 4 Blocked, 5 Cancelled, 6 STOP, 7 To Analyse, 8 Analysis,
# 9 Code Review, 10 Awaiting Deploy, 11 Deploying, 12 Monitoring.

setup_file() {
  export BATS_TEST_TMPDIR="$BATS_FILE_TMPDIR" HOME="$BATS_FILE_TMPDIR"
  export REPO="$BATS_FILE_TMPDIR/repo" WTS="$BATS_FILE_TMPDIR/worktrees" SEED="$BATS_FILE_TMPDIR/board.json"
  export PLANE_API_KEY="$KEY" TELEGRAM_BOT_TOKEN="123:SECRET-tg" GITEA_TOKEN="SECRET-gitea"
  python3 - "$SEED" "$P_ORCH" <<'PY'
import json, sys
names = ["Todo", "In Progress", "Done", "Blocked", "Cancelled", "STOP", "To Analyse", "Analysis",
         "Code Review", "Awaiting Deploy", "Deploying", "Monitoring"]
st = lambda pre, n: "%s-0000-4000-8000-%012d" % (pre, n)
json.dump({"workspace": "acme", "projects": {sys.argv[2]: {"identifier": "ORCH",
  "states": [{"id": st("a0000000", i + 1), "name": n} for i, n in enumerate(names)],
  "items": [{"id": st("a1000000", n), "sequence_id": n, "name": "task %d" % n, "state": st("a0000000", 7)}
            for n in (1, 2, 3)]}}}, open(sys.argv[1], "w"))
PY
  start_fake --plane-seed "$SEED" --plane-key "$KEY" --telegram-token 123:SECRET-tg --gitea-token SECRET-gitea 3>&-
  export FAKE_URL FAKE_LOG FAKE_PID
  make_remote_repo "$REPO" 3>&-
  export GIT_URL
  cd "$REPO"
  # the project: 20 lines of which 2 are untested (90%); its coverage command marks every line of
  # src/*.c covered unless it says UNTESTED
  sed -i 's/^int b9 = 9;/int b9 = 9; \/\/ UNTESTED/; s/^int b10 = 10;/int b10 = 10; \/\/ UNTESTED/' src/b.c
  cat > cov.sh <<'SH'
#!/bin/sh
: > coverage.info
for f in src/*.c; do
  echo "SF:$f" >> coverage.info
  awk '{ printf "DA:%d,%d\n", NR, (index($0, "UNTESTED") ? 0 : 1) }' "$f" >> coverage.info
  echo end_of_record >> coverage.info
done
SH
  printf 'coverage.info\ndocs/work-items/\n' > .gitignore
  cat >> orchkit.toml <<TOML
command = ["sh", "cov.sh"]
reports = ["coverage.info"]
timeout = "1m"
[task]
worktrees_root = "../worktrees"
[stop]
grace = "1s"
[plane]
base_url = "$FAKE_URL"
workspace = "acme"
start_command = ["$BATS_FILE_TMPDIR/start.sh", "{task}", "{issue}"]
[plane.projects.ORCH]
id = "$P_ORCH"
self_hosting = true
[plane.projects.ORCH.states]
to_analyse = "To Analyse"
analysis = "Analysis"
code_review = "Code Review"
monitoring = "Monitoring"
[notify.telegram]
chat_id = "42"
api_url = "$FAKE_URL"
[gitea]
api_url = "$FAKE_URL/api/v1"
TOML
  git add -A && git commit -qm "the project: coverage command, plane, notifications"
  git push -q origin main
  # the pipeline's start command: a fresh branch and worktree from the target, stage analysis
  cat > "$BATS_FILE_TMPDIR/start.sh" <<SH
#!/bin/sh
set -e
echo "\$1 \$2" >> "$BATS_FILE_TMPDIR/started.log"
cd "$REPO"
plane-status set --task "\$1" --stage to_analyse --issue "\$2" >/dev/null
git fetch -q origin main
git worktree add -q "$WTS/\$1" -b "task/\$1-work" origin/main
plane-status set --task "\$1" --stage analysis >/dev/null
SH
  chmod +x "$BATS_FILE_TMPDIR/start.sh"
  sh "$ORCHKIT_SRC/hooks/install.sh" "$REPO" > "$BATS_FILE_TMPDIR/install.log"
}

teardown_file() {
  for p in $(cat "$BATS_FILE_TMPDIR/agents" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  stop_git_daemon
  stop_fake
}

setup() { cd "$REPO"; STATE="$REPO/.git/orchkit/state.db"; }

board_state() {
  python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print([i["state"] for p in d["projects"].values() for i in p["items"] if i["id"]==sys.argv[2]][0])' "$SEED" "$(item "$1")"
}
# move N STATE: someone moves ORCH-N on the board (Plane's API, as the web UI does).
move() {
  curl -sf -X PATCH -H "X-Api-Key: $KEY" -H 'Content-Type: application/json' -d "{\"state\": \"$(st_id "$2")\"}" \
    "$FAKE_URL/api/v1/workspaces/acme/projects/$P_ORCH/work-items/$(item "$1")/" > /dev/null
}
fm() { sed -n "s/^$2: //p" "$1" | head -1 | tr -d '"'; }
remote_has() { git ls-remote --heads origin "$1" | grep -q .; }
running() { kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
baseline() { sql "$STATE" "SELECT line_covered||'/'||line_total FROM coverage_baseline WHERE branch='main'"; }
reconcile() { run --separate-stderr plane-status reconcile --json; ! grep -q SECRET <<< "$output$stderr"; }
# tested_file PATH N: N lines of code, all exercised by the tests.
tested_file() { for i in $(seq 1 "$2"); do echo "int ${1//[^a-z]/}_$i = $i;"; done > "$1"; }

# snapshot DIR: every entry's name, type, mode, content hash or link target.
snapshot() {
  (cd "$1" && for f in $(ls -A | sort); do
    if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else echo "$f $(stat -c %a "$f") $(sha256sum < "$f")"; fi
  done)
}

@test "installer: core.hooksPath respected, the user's hooks chained and run first, uninstall restores them" {
  r="$BATS_TEST_TMPDIR/own"
  make_repo "$r"
  git -C "$r" config core.hooksPath .githooks
  mkdir -p "$r/.githooks"
  printf '#!/bin/sh\necho "user pre-commit ran" >> "%s/user.log"\n[ ! -e "%s/refuse" ]\n' "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR" > "$r/.githooks/pre-commit"
  chmod 755 "$r/.githooks/pre-commit"
  printf '#!/bin/sh\necho "user post-merge ran $1" >> "%s/user.log"\n' "$BATS_TEST_TMPDIR" > "$r/.githooks/my-post-merge"
  chmod 700 "$r/.githooks/my-post-merge"
  ln -s my-post-merge "$r/.githooks/post-merge"
  before=$(snapshot "$r/.githooks")
  run sh "$ORCHKIT_SRC/hooks/install.sh" "$r"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"pre-commit: installed; your hook was kept as pre-commit.orchkit-chained and runs first"* ]]
  [[ "$output" == *"post-merge: installed; your hook was kept as post-merge.orchkit-chained"* ]]
  [[ "$output" == *"pre-merge-commit: installed"* ]]
  [[ "$output" == *"$r/.githooks (core.hooksPath)"* ]]
  [ ! -e "$r/.git/hooks/pre-merge-commit" ]
  grep -q orchkit-hook: "$r/.githooks/pre-commit"
  # the user's hooks still run, first, and still decide
  echo x >> "$r/src/a.c"
  git -C "$r" commit -qam "a commit"
  grep -q "user pre-commit ran" "$BATS_TEST_TMPDIR/user.log"
  touch "$BATS_TEST_TMPDIR/refuse"
  echo y >> "$r/src/a.c"
  ! git -C "$r" commit -qam "refused by the user's hook"
  rm "$BATS_TEST_TMPDIR/refuse"
  git -C "$r" checkout -q -b side && echo z > "$r/src/z.c" && git -C "$r" add src/z.c && git -C "$r" commit -qm side
  git -C "$r" checkout -q main
  ORCHKIT_HOOKS=0 git -C "$r" merge -q --no-ff --no-edit side
  grep -q "user post-merge ran 0" "$BATS_TEST_TMPDIR/user.log"
  # again: updated in place, nothing chained twice
  run sh "$ORCHKIT_SRC/hooks/install.sh" "$r"
  [ "$status" -eq 0 ]
  [[ "$output" == *"pre-commit: updated orchkit's hook"* ]]
  [ ! -e "$r/.githooks/pre-commit.orchkit-chained.orchkit-chained" ]
  run sh "$ORCHKIT_SRC/hooks/install.sh" --uninstall "$r"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"pre-commit: removed orchkit's hook; your hook is back in place"* ]]
  diff <(echo "$before") <(snapshot "$r/.githooks")
  # a hook that is not orchkit's is never touched by uninstall; a lost chain is refused
  run sh "$ORCHKIT_SRC/hooks/install.sh" --uninstall "$r"
  [[ "$output" == *"pre-commit: not orchkit's hook: left alone"* ]]
  cp "$r/.githooks/pre-commit" "$r/.githooks/pre-commit.orchkit-chained"
  run sh "$ORCHKIT_SRC/hooks/install.sh" "$r"
  [ "$status" -eq 3 ]
  [ ! -e "$r/.githooks/pre-merge-commit" ]
  run sh "$ORCHKIT_SRC/hooks/install.sh" "$BATS_TEST_TMPDIR/nowhere"
  [ "$status" -eq 2 ]
}

@test "install: the hooks are in place, and the start of the story is on the board" {
  grep -q "pre-merge-commit: installed" "$BATS_FILE_TMPDIR/install.log"
  grep -q "post-merge: installed" "$BATS_FILE_TMPDIR/install.log"
  [ -x .git/hooks/pre-merge-commit ] && [ -x .git/hooks/post-merge ]
  reconcile
  [ "$status" -eq 0 ]
  [ "$(sort "$BATS_FILE_TMPDIR/started.log" | cut -d' ' -f1 | tr '\n' ' ')" = "ORCH-1 ORCH-2 ORCH-3 " ]
  for n in 1 2 3; do
    [ -d "$WTS/ORCH-$n" ]
    [ "$(git -C "$WTS/ORCH-$n" symbolic-ref --short HEAD)" = "task/ORCH-$n-work" ]
    [ "$(fm "docs/work-items/ORCH-$n/00-stage.md" stage)" = analysis ]
    [ "$(board_state "$n")" = "$(st_id 8)" ]        # Analysis
  done
  # a second pass starts nothing twice (the items left To Analyse)
  reconcile
  [ "$(wc -l < "$BATS_FILE_TMPDIR/started.log")" = 3 ]
}

@test "task A: tested work passes the gate, the merge ratchets the baseline, the board shows Monitoring" {
  WT="$WTS/ORCH-1"
  tested_file "$WT/src/c.c" 10
  git -C "$WT" add -A && git -C "$WT" commit -qm "ORCH-1: c, with tests"
  git -C "$WT" push -q origin task/ORCH-1-work
  plane-status set --task ORCH-1 --stage code_review >/dev/null
  [ "$(board_state 1)" = "$(st_id 9)" ]
  # the merge: pre-merge-commit gates the merge result, post-merge verifies and ratchets
  run git merge --no-ff --no-edit task/ORCH-1-work
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"gating the merge of ORCH-1 into main"* ]]
  [[ "$output" == *"VERIFIED"* ]]
  [ "$(git rev-list --count HEAD^2..task/ORCH-1-work)" = 0 ]
  art=docs/work-items/ORCH-1/18-coverage-report.md
  [ "$(fm "$art" coverage_status)" = PASS ]
  [ "$(fm "$art" tree)" = "$(git rev-parse 'HEAD^{tree}')" ]   # the gate measured what was committed
  [ "$(fm "$art" line_pct)" = 93.33 ]
  [ "$(baseline)" = 28/30 ]
  [ "$(sql "$STATE" "SELECT event||':'||task FROM coverage_history")" = bootstrap:ORCH-1 ]
  git push -q origin main
  run plane-status set --task ORCH-1 --stage done --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" key)" = monitoring ]
  [ "$(board_state 1)" = "$(st_id 12)" ]
  # a success commit status went to Gitea for the gated commit
  grep -q "/statuses/$(fm "$art" commit)" "$FAKE_LOG"
  run queue-report
  [ "$status" -eq 0 ]
  echo "$output"
  grep -E '^\| *ORCH-1 *\|.*done.*PASS.*93\.33' <<< "$output"
}

@test "task B: coverage drops, the hook blocks the merge, STOP cancels it, generation 2 starts clean" {
  WT="$WTS/ORCH-2"
  for i in $(seq 1 10); do echo "int d$i = $i; // UNTESTED"; done > "$WT/src/d.c"
  git -C "$WT" add -A && git -C "$WT" commit -qm "ORCH-2: d, no tests"
  git -C "$WT" push -q origin task/ORCH-2-work
  echo "half-done work" >> "$WT/src/a.c"           # uncommitted: must be saved, never lost
  (cd "$WT" && exec sleep 300) 3>&- &
  agent=$!
  echo "$agent" >> "$BATS_FILE_TMPDIR/agents"
  head=$(git rev-parse HEAD)
  : > "$FAKE_LOG"
  run git merge --no-ff --no-edit task/ORCH-2-work
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"FAIL"* ]]
  [[ "$output" == *"merge blocked"* ]]
  [ "$(git rev-parse HEAD)" = "$head" ]            # nothing was committed
  git merge --abort
  # concluding the merge with `git commit` (git runs pre-commit, not pre-merge-commit): same gate
  git merge -q --no-ff --no-commit task/ORCH-2-work
  run git commit --no-edit
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"orchkit pre-commit: gating the merge of ORCH-2 into main"* ]]
  [ "$(git rev-parse HEAD)" = "$head" ]
  git merge --abort
  [ "$(fm docs/work-items/ORCH-2/18-coverage-report.md coverage_status)" = FAIL ]
  [ "$(baseline)" = 28/30 ]
  # Telegram was told, and Gitea got pending, then a failure status, for the gated merge result
  python3 - "$FAKE_LOG" "$(fm docs/work-items/ORCH-2/18-coverage-report.md commit)" <<'PY'
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert any(r["path"].endswith("/sendMessage") for r in reqs), reqs
st = [json.loads(r["body"])["state"] for r in reqs if r["path"] == "/api/v1/repos/acme/demo/statuses/" + sys.argv[2]]
assert st == ["pending", "failure"], st
PY
  # --no-verify is git's way past the hook: it is honoured (then undone here)
  run git merge --no-ff --no-edit --no-verify task/ORCH-2-work
  [ "$status" -eq 0 ]
  [[ "$output" != *"gating the merge"* ]]
  [[ "$output" == *"NOT VERIFIED"* || "$output" == *"should not have landed"* ]]   # post-merge reports it
  [ "$(baseline)" = 28/30 ]
  git reset -q --hard "$head"
  # STOP on the board; the scheduled reconcile runs stop-task
  move 2 6
  reconcile
  [ "$status" -eq 0 ]
  python3 - "$output" <<'PY'
import json, sys
a = [x for x in json.loads(sys.argv[1])["actions"] if x["task"] == "ORCH-2"]
assert len(a) == 1 and a[0]["action"] == "stop" and a[0]["ran"] and a[0]["stop_status"] == "cancelled" and a[0]["cancelled_shown"], a
PY
  ! running "$agent"
  [ ! -e "$WT" ]
  patch=$(ls docs/work-items/ORCH-2/*.patch)
  grep -q "half-done work" "$patch"
  ! remote_has task/ORCH-2-work
  ! git rev-parse -q --verify refs/heads/task/ORCH-2-work
  [ "$(sql "$STATE" "SELECT count(*) FROM tombstones WHERE kind='task' AND natural_key='ORCH-2' AND generation=1")" = 1 ]
  [ "$(board_state 2)" = "$(st_id 5)" ]            # Cancelled
  # every binary refuses generation 1 of ORCH-2 (exit 4)
  run coverage-gate check --task ORCH-2
  [ "$status" -eq 4 ]
  run merge-verify --task ORCH-2 --no-fetch
  [ "$status" -eq 4 ]
  run stop-task guard --task ORCH-2 -- true
  [ "$status" -eq 4 ]
  run plane-status set --task ORCH-2 --stage development
  [ "$status" -eq 4 ]
  run queue-report --format json
  [ "$status" -eq 0 ]
  python3 - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
rows = [t for t in d["tasks"] if t["key"] == "ORCH-2"]
assert rows and rows[0]["stage"] == "cancelled", rows
PY
  # To Analyse again: generation 2, a new branch from main, none of generation 1's work
  move 2 7
  reconcile
  [ "$status" -eq 0 ]
  [ "$(grep -c '^ORCH-2 ' "$BATS_FILE_TMPDIR/started.log")" = 2 ]
  [ "$(fm docs/work-items/ORCH-2/00-stage.md generation)" = 2 ]
  [ "$(fm docs/work-items/ORCH-2/00-stage.md stage)" = analysis ]
  [ -d "$WT" ]
  [ ! -e "$WT/src/d.c" ]
  ! grep -q "half-done" "$WT/src/a.c"
  [ "$(git -C "$WT" rev-list --count origin/main..HEAD)" = 0 ]
  run coverage-gate check -C "$WT" --task ORCH-2 --no-artefact
  [ "$status" -eq 0 ]
}

@test "task C: a STOP during its merge window is deferred and runs once, after the ratchet" {
  WT="$WTS/ORCH-3"
  tested_file "$WT/src/e.c" 10
  git -C "$WT" add -A && git -C "$WT" commit -qm "ORCH-3: e, with tests"
  git -C "$WT" push -q origin task/ORCH-3-work
  (cd "$WT" && exec sleep 300) 3>&- &
  agent=$!
  echo "$agent" >> "$BATS_FILE_TMPDIR/agents"
  # the merge step runs as a critical window of the task (the hooks gate and verify inside it)
  stop-task guard --task ORCH-3 --kind merge -- sh -c 'git merge --no-ff --no-edit task/ORCH-3-work && sleep 2' \
    > "$BATS_FILE_TMPDIR/merge-c.log" 2>&1 3>&- &
  guard=$!
  for _ in $(seq 1 100); do
    [ "$(sql "$STATE" "SELECT count(*) FROM leases WHERE task='ORCH-3'" 2>/dev/null)" -ge 1 ] && break
    sleep 0.05
  done
  move 3 6
  reconcile
  [ "$status" -eq 0 ]
  [ "$(sql "$STATE" "SELECT status FROM stop_requests WHERE task='ORCH-3'")" = deferred ]
  [ -e "$WT" ]
  running "$agent"
  [ "$(board_state 3)" = "$(st_id 6)" ]            # still STOP: not cancelled yet
  wait "$guard"
  cat "$BATS_FILE_TMPDIR/merge-c.log"
  # the merge landed and ratcheted; then the stop ran, once
  [ "$(git log -1 --format=%s)" = "Merge branch 'task/ORCH-3-work'" ]
  [ "$(baseline)" = 38/40 ]
  [ "$(sql "$STATE" "SELECT event FROM coverage_history WHERE task='ORCH-3'")" = ratchet ]
  [ "$(sql "$STATE" "SELECT status FROM stop_requests WHERE task='ORCH-3'")" = done ]
  [ "$(sql "$STATE" "SELECT count(*) FROM tombstones WHERE kind='task' AND natural_key='ORCH-3'")" = 1 ]
  ratchet_at=$(sql "$STATE" "SELECT at FROM coverage_history WHERE task='ORCH-3'")
  stop_at=$(sql "$STATE" "SELECT at FROM tombstones WHERE kind='task' AND natural_key='ORCH-3'")
  [[ ! "$stop_at" < "$ratchet_at" ]]
  ! running "$agent"
  [ ! -e "$WT" ]
  # the deferred stop's own last step showed Cancelled on the board; the next pass has nothing to do
  [ "$(board_state 3)" = "$(st_id 5)" ]
  reconcile
  [ "$status" -eq 0 ]
  python3 - "$output" <<'PY'
import json, sys
a = [x for x in json.loads(sys.argv[1])["actions"] if x["task"] == "ORCH-3"]
assert a == [], a
PY
  [ "$(sql "$STATE" "SELECT count(*) FROM stop_requests WHERE task='ORCH-3'")" = 1 ]
}

@test "the whole story: the baseline never went down, and the queue report tells it" {
  python3 - "$STATE" <<'PY'
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT event, old_covered, old_total, new_covered, new_total FROM coverage_history ORDER BY id").fetchall()
assert [r[0] for r in rows] == ["bootstrap", "ratchet"], rows
prev = None
for ev, oc, ot, nc, nt in rows:
    if prev: assert nc * prev[1] >= prev[0] * nt, (prev, rows)
    prev = (nc, nt)
PY
  run queue-report --out "$BATS_FILE_TMPDIR/queue.md" --svg "$BATS_FILE_TMPDIR/queue.svg"
  [ "$status" -eq 0 ]
  cat "$BATS_FILE_TMPDIR/queue.md"
  grep -qE '^\| *ORCH-1 ' "$BATS_FILE_TMPDIR/queue.md"
  grep -qE '^\| *ORCH-2 ' "$BATS_FILE_TMPDIR/queue.md"
  grep -qE '^\| *ORCH-3 ' "$BATS_FILE_TMPDIR/queue.md"
  grep -q '<svg' "$BATS_FILE_TMPDIR/queue.svg"
  # no secret anywhere the chain wrote
  ! grep -rq SECRET docs .git/orchkit "$BATS_FILE_TMPDIR/queue.md"
  # uninstall gives the repository back its hooks directory as it was
  sh "$ORCHKIT_SRC/hooks/install.sh" --uninstall "$REPO"
  [ ! -e .git/hooks/pre-merge-commit ] && [ ! -e .git/hooks/post-merge ] && [ ! -e .git/hooks/orchkit-hook.sh ]
}

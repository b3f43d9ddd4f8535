#!/usr/bin/env bats
# stop-task end to end: real process trees and signals, a real linked worktree, a real bare
# remote behind git daemon (so server hooks run), a real state file.

load helpers
bats_require_minimum_version 1.5.0

setup() {
  REPO="$BATS_TEST_TMPDIR/repo"
  make_remote_repo "$REPO"
  cd "$REPO"
  printf '[task]\nworktrees_root = "../worktrees"\n[stop]\ngrace = "1s"\n' >> orchkit.toml
  git commit -qam "config"
  git push -q origin main
  WT="$BATS_TEST_TMPDIR/worktrees/ORCH-1"
  git worktree add -q "$WT" -b task/ORCH-1-login
  echo "work" >> "$WT/src/a.c"
  git -C "$WT" commit -qam "ORCH-1 work"
  git -C "$WT" push -q origin task/ORCH-1-login
  STATE="$REPO/.git/orchkit/state.db"
  PIDS=()
}

teardown() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  stop_git_daemon
}

stop() { run --separate-stderr stop-task --json "$@"; [ "$status" -eq 0 ] || echo "# stop-task $*: $status $stderr" >&3; }
remote_has() { git ls-remote --heads origin "$1" | grep -q .; }
running() { kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

@test "a full cancel: processes, worktree, remote and local branch, tombstone; then already cancelled" {
  (cd "$WT" && exec sleep 300) &
  PIDS+=($!)
  agent=$!
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = cancelled ]
  [ "$(json_field "$output" signalled)" -ge 1 ]
  [ "$(json_field "$output" survivors)" = 0 ]
  ! running "$agent"
  [ ! -e "$WT" ]
  ! git worktree list | grep -q ORCH-1
  ! remote_has task/ORCH-1-login
  ! git rev-parse -q --verify refs/heads/task/ORCH-1-login
  git rev-parse -q --verify refs/heads/main
  remote_has main
  [ "$(sql "$STATE" "SELECT kind||':'||natural_key||':'||generation FROM tombstones ORDER BY kind, natural_key")" = "$(printf 'branch:task/ORCH-1-login:1\ntask:ORCH-1:1')" ]
  grep -q '^stage: cancelled' docs/work-items/ORCH-1/00-stage.md
  grep -q '^generation: 1' docs/work-items/ORCH-1/00-stage.md
  # no Plane project here: the board step fails as an indication, the cancel stands, and the
  # stage record (written once, by plane::report_stage) says the board was skipped
  grep -q '^board: skipped' docs/work-items/ORCH-1/00-stage.md
  python3 -c 'import json,sys; s={x["step"]: x["result"] for x in json.loads(sys.argv[1])["steps"]}; assert s["board"] == "failed" and s["tombstone"] == "done", s' "$output"
  grep -q '^status: cancelled' docs/work-items/ORCH-1/90-stop.md
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = already_cancelled ]
  # every binary now refuses the cancelled generation
  run coverage-gate check --task ORCH-1 --report x.info
  [ "$status" -eq 4 ]
  run merge-verify --task ORCH-1
  [ "$status" -eq 4 ]
  run stop-task guard --task ORCH-1 -- true
  [ "$status" -eq 4 ]
}

@test "guard: the command after -- is run verbatim, brackets and commas included" {
  run --separate-stderr stop-task guard --task ORCH-1 -- sh -c '[ -d / ] && echo "[a,b]" "$0"' '[x]'
  [ "$status" -eq 0 ]
  grep -qxF '[a,b] [x]' <<< "$stderr"   # the command's output goes to stderr (stdout is for --json)
  run --separate-stderr stop-task guard --task ORCH-1
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"a command is required"* ]]
  run --separate-stderr stop-task --task ORCH-1 -- true
  [ "$status" -eq 2 ]
}

@test "agent tree: TERM first, KILL only after the grace, a setsid escapee found by its cwd, 0 survivors" {
  cat > "$BATS_TEST_TMPDIR/agent.sh" <<'SH'
#!/bin/bash
# child: exits on TERM; grandchild: ignores TERM; escapee: double-forks, setsid, cwd in the worktree
out=$1
bash -c 'trap "echo term-child >> '"$out"'; exit 0" TERM; while :; do sleep 0.1; done' &
bash -c 'trap "echo term-ignored >> '"$out"'" TERM; while :; do sleep 0.1; done' &
setsid bash -c 'bash -c "trap \"\" TERM; while :; do sleep 0.1; done" & exit 0' &
wait
SH
  chmod +x "$BATS_TEST_TMPDIR/agent.sh"
  log="$BATS_TEST_TMPDIR/signals.log"
  (cd "$WT" && exec "$BATS_TEST_TMPDIR/agent.sh" "$log") &
  agent=$!
  PIDS+=($agent)
  sleep 0.5
  before=$(for p in /proc/[0-9]*; do [ "$(readlink "$p/cwd" 2>/dev/null)" = "$WT" ] && echo "${p#/proc/}"; done | wc -l)
  [ "$before" -ge 4 ]
  SECONDS=0
  stop --task ORCH-1 --grace 2s
  [ "$status" -eq 0 ]
  [ "$SECONDS" -ge 2 ]          # the TERM-ignorers were given the whole grace period
  [ "$(json_field "$output" survivors)" = 0 ]
  grep -q term-child "$log"
  grep -q term-ignored "$log"
  left=$(for p in /proc/[0-9]*; do c=$(readlink "$p/cwd" 2>/dev/null) || continue; case "$c" in "$WT"*) s=$(awk '{print $3}' "$p/stat" 2>/dev/null); [ "$s" = Z ] || echo "${p#/proc/}";; esac; done | wc -l)
  [ "$left" = 0 ]
}

@test "PID reuse: a registered agent that exited is never confused with a decoy" {
  sleep 300 &
  agent=$!
  PIDS+=($agent)
  stop-task register --task ORCH-1 --pid "$agent"
  start=$(awk '{print $2}' "$BATS_TEST_TMPDIR/worktrees/ORCH-1.agents")
  kill -9 "$agent"; wait "$agent" 2>/dev/null || true
  sleep 300 &              # the decoy, outside the worktree
  decoy=$!
  PIDS+=($decoy)
  # the registry now names the decoy's pid with the old agent's start time: a reused slot
  echo "$decoy $start" > "$BATS_TEST_TMPDIR/worktrees/ORCH-1.agents"
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  running "$decoy"
}

@test "a registered agent outside the worktree is stopped with its children" {
  bash -c 'sleep 300 & wait' &
  agent=$!
  PIDS+=($agent)
  sleep 0.2
  child=$(pgrep -P "$agent" sleep)
  stop-task register --task ORCH-1 --pid "$agent"
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  ! running "$agent"
  ! running "$child"
}

@test "dirty worktree: the patch is saved and applies on a fresh checkout, then the worktree goes" {
  echo "uncommitted" >> "$WT/src/b.c"
  git -C "$WT" rm -q src/a.c
  mkdir -p "$WT/new/dir" && echo "untracked file" > "$WT/new/dir/notes.txt"
  printf '\x00\x01binary' > "$WT/blob.bin"
  head=$(git -C "$WT" rev-parse HEAD)
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  patch=$(json_field "$output" saved_patch)
  [[ "$patch" == "$REPO/docs/work-items/ORCH-1/"*.patch ]]
  [ ! -e "$WT" ]
  # a fresh checkout of the commit the worktree was on (its objects outlive the branch)
  git worktree add -q --detach "$BATS_TEST_TMPDIR/fresh" "$head"
  cd "$BATS_TEST_TMPDIR/fresh"
  git apply --check "$patch"
  git apply "$patch"
  grep -q uncommitted src/b.c
  [ ! -e src/a.c ]
  [ "$(cat new/dir/notes.txt)" = "untracked file" ]
  cmp -s blob.bin <(printf '\x00\x01binary')
}

@test "a server-side pre-receive hook that rejects the delete: exit 3, then a re-run finishes" {
  hook="$BATS_TEST_TMPDIR/srv/remote.git/hooks/pre-receive"
  printf '#!/bin/sh\necho "deletes are frozen" >&2\nexit 1\n' > "$hook"
  chmod +x "$hook"
  stop --task ORCH-1
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"rejected"* ]]
  remote_has task/ORCH-1-login
  [ ! -e "$WT" ]                        # the steps before the push are done and journaled
  rm -f "$hook"
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = cancelled ]
  ! remote_has task/ORCH-1-login
  [[ "$output" == *'"step":"worktree","result":"already"'* ]]
}

@test "symlinked worktree path out of the root: refused with exit 4, nothing deleted" {
  outside="$BATS_TEST_TMPDIR/precious"
  mkdir -p "$outside" && echo keep > "$outside/file"
  mkdir -p "$BATS_TEST_TMPDIR/worktrees"
  ln -s "$outside" "$BATS_TEST_TMPDIR/worktrees/ORCH-2"
  stop --task ORCH-2
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"symlink"* ]]
  [ -f "$outside/file" ]
  [ -L "$BATS_TEST_TMPDIR/worktrees/ORCH-2" ]
}

@test "a directory in the root that is not a linked worktree of this repository: refused" {
  mkdir -p "$BATS_TEST_TMPDIR/worktrees/ORCH-3"
  echo keep > "$BATS_TEST_TMPDIR/worktrees/ORCH-3/file"
  stop --task ORCH-3
  [ "$status" -eq 4 ]
  [ -f "$BATS_TEST_TMPDIR/worktrees/ORCH-3/file" ]
}

@test "adversarial task keys are refused before anything happens" {
  for key in main ../x a/../b -x 'a b' '.git' 'ORCH-1/../../repo' 'ORCH-1;x' 'ОRCH-1'; do
    run stop-task --task "$key"
    [ "$status" -eq 4 ] || { echo "key '$key' gave $status" >&3; false; }
  done
  [ -e "$WT" ]
  remote_has task/ORCH-1-login
  remote_has main
}

@test "a protected name as the worktree's branch is refused and nothing is touched" {
  printf '[project]\nprotected_branches = ["main", "task/ORCH-1-*"]\n' > "$BATS_TEST_TMPDIR/p.toml"
  cat orchkit.toml >> "$BATS_TEST_TMPDIR/p.toml"
  sed -i '0,/^\[project\]$/!{/^\[project\]$/d}' "$BATS_TEST_TMPDIR/p.toml"
  run stop-task --task ORCH-1 --config "$BATS_TEST_TMPDIR/p.toml"
  [ "$status" -eq 4 ]
  [[ "$output" == *"protected"* ]]
  [ -e "$WT" ]
  remote_has task/ORCH-1-login
}

@test "dry run prints every action and takes none" {
  echo dirty >> "$WT/src/b.c"
  stop --task ORCH-1 --dry-run
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = dry_run ]
  [[ "$output" == *'"result":"would"'* ]]
  [ -e "$WT" ]
  remote_has task/ORCH-1-login
  [ ! -e "$STATE" ] || [ "$(sql "$STATE" "SELECT count(*) FROM tombstones")" = 0 ]
}

@test "kill-switch: disabled, nothing touched" {
  ORCH_STOP_STATUS_ENABLED=0 run --separate-stderr stop-task --json --task ORCH-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = disabled ]
  [ -e "$WT" ]
}

@test "deferral: a stop during a guard window runs exactly once when the window ends" {
  stop-task guard --task ORCH-1 -- sleep 2 &
  guard=$!
  PIDS+=($guard)
  for _ in $(seq 1 50); do
    [ -e "$STATE" ] && [ "$(sql "$STATE" "SELECT count(*) FROM leases" 2>/dev/null)" = 1 ] && break
    sleep 0.1
  done
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = deferred ]
  [ -e "$WT" ]
  wait "$guard"
  [ ! -e "$WT" ]
  [ "$(sql "$STATE" "SELECT status FROM stop_requests WHERE task='ORCH-1'")" = done ]
  [ "$(sql "$STATE" "SELECT count(*) FROM tombstones WHERE kind='task'")" = 1 ]
  stop --task ORCH-1
  [ "$(json_field "$output" status)" = already_cancelled ]
}

@test "deferral with --wait blocks until the window's owner ran it" {
  stop-task guard --task ORCH-1 -- sleep 2 &
  guard=$!
  PIDS+=($guard)
  for _ in $(seq 1 50); do
    [ -e "$STATE" ] && [ "$(sql "$STATE" "SELECT count(*) FROM leases" 2>/dev/null)" = 1 ] && break
    sleep 0.1
  done
  stop --task ORCH-1 --wait
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = cancelled ]
  [ ! -e "$WT" ]
  wait "$guard"
}

@test "kill stop-task at random points 50 times: a re-run always completes the same cancel" {
  for i in $(seq 1 50); do
    (cd "$WT" && exec sleep 300) &
    PIDS+=($!)
    stop-task --task ORCH-1 >/dev/null 2>&1 &
    s=$!
    sleep "0.0$((RANDOM % 10))$((RANDOM % 10))"
    kill -9 "$s" 2>/dev/null || true
    wait "$s" 2>/dev/null || true
    [ "$(sql "$STATE" "SELECT status FROM stop_requests WHERE task='ORCH-1'" 2>/dev/null)" = done ] && break
    # an interrupted run: the task is half-cancelled; recreate the process for the next round
  done
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  [[ "$(json_field "$output" status)" == cancelled || "$(json_field "$output" status)" == already_cancelled ]]
  [ ! -e "$WT" ]
  ! remote_has task/ORCH-1-login
  for p in "${PIDS[@]}"; do ! running "$p" || [ "$p" = "$$" ]; done
  [ "$(sql "$STATE" "SELECT count(*) FROM tombstones WHERE kind='task' AND natural_key='ORCH-1'")" = 1 ]
  run sql "$STATE" "PRAGMA integrity_check"
  [ "$output" = ok ]
}

@test "a stop killed mid-removal: the renamed leftover and git's stale entry are cleaned up" {
  # what a crash right after the rename-aside leaves behind
  mv "$WT" "$BATS_TEST_TMPDIR/worktrees/.orchkit-removing-ORCH-1-999"
  git worktree list | grep -q ORCH-1
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  [ ! -e "$BATS_TEST_TMPDIR/worktrees/.orchkit-removing-ORCH-1-999" ]
  ! git worktree list | grep -q ORCH-1
  ! git rev-parse -q --verify refs/heads/task/ORCH-1-login
  ! remote_has task/ORCH-1-login
}

@test "re-created after the cancel: a replayed stop of the old generation is stale and touches nothing" {
  stop --task ORCH-1
  [ "$(json_field "$output" status)" = cancelled ]
  # To Analyse again: generation 2 with a new worktree and branch
  printf -- '---\ntask: ORCH-1\nstage: analysis\ngeneration: 2\n---\n' > docs/work-items/ORCH-1/00-stage.md
  git worktree add -q "$WT" -b task/ORCH-1-again
  git -C "$WT" push -q origin task/ORCH-1-again
  (cd "$WT" && exec sleep 300) &
  PIDS+=($!)
  agent=$!
  stop --task ORCH-1 --generation 1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = stale ]
  running "$agent"
  [ -e "$WT" ]
  remote_has task/ORCH-1-again
  run coverage-gate check --task ORCH-1 --report missing.info --no-artefact
  [ "$status" -eq 0 ]
  stop --task ORCH-1 --generation 2
  [ "$(json_field "$output" status)" = cancelled ]
  ! running "$agent"
}

# restore_commands FILE: the shell block of 90-stop.md's "Getting the work back" section.
restore_commands() { sed -n '/^```sh$/,/^```$/p' "$1" | sed '1d;$d'; }

@test "commits not on main and a dirty worktree: on a fresh clone, 90-stop.md's commands restore the stopped tree" {
  echo "second" >> "$WT/src/b.c"
  git -C "$WT" commit -qam "ORCH-1 unpushed work"        # 2 commits off main, 1 of them only local
  tip=$(git -C "$WT" rev-parse HEAD)
  base=$(git merge-base "$tip" main)
  echo "uncommitted" >> "$WT/src/b.c"
  rm "$WT/src/a.c"
  mkdir -p "$WT/new/dir" && echo "untracked file" > "$WT/new/dir/notes.txt"
  printf '\x00\x01binary\xff' > "$WT/blob.bin"
  echo "*.log" > "$WT/.gitignore" && echo ignored > "$WT/build.log"
  snap="$BATS_TEST_TMPDIR/stopped"
  cp -a "$WT" "$snap" && rm -f "$snap/.git" "$snap/build.log"
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = cancelled ]
  bundle=$(json_field "$output" saved_bundle)
  [ "$bundle" = "$REPO/docs/work-items/ORCH-1/90-stop-generation-1.bundle" ]
  [ -f "$bundle" ] && [ -f "$(json_field "$output" saved_patch)" ]
  ! remote_has task/ORCH-1-login
  ! git rev-parse -q --verify refs/heads/task/ORCH-1-login
  md=docs/work-items/ORCH-1/90-stop.md
  grep -q "^worktree_head: $tip" "$md"
  grep -q "| refs/heads/task/ORCH-1-login | $tip | $base |" "$md"
  grep -qi "ignored by git.*not saved" "$md"
  # a fresh clone of the remote knows nothing of the branch any more
  git clone -q "$GIT_URL/remote.git" "$BATS_TEST_TMPDIR/fresh"
  cd "$BATS_TEST_TMPDIR/fresh"
  [ -z "$(git ls-remote --heads origin 'task/*')" ]
  restore_commands "$REPO/$md" > "$BATS_TEST_TMPDIR/restore.sh"
  [ -s "$BATS_TEST_TMPDIR/restore.sh" ]
  bash -e "$BATS_TEST_TMPDIR/restore.sh"
  [ "$(git rev-parse HEAD)" = "$tip" ]
  [ "$(git rev-parse task/ORCH-1-login)" = "$tip" ]
  rm -rf .git
  diff -r "$snap" .
}

@test "a detached HEAD with a commit on no branch is saved in the bundle too" {
  git -C "$WT" checkout -q --detach
  echo "detached" >> "$WT/src/b.c"
  git -C "$WT" commit -qam "on no branch"
  head=$(git -C "$WT" rev-parse HEAD)
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  git clone -q "$GIT_URL/remote.git" "$BATS_TEST_TMPDIR/fresh"
  cd "$BATS_TEST_TMPDIR/fresh"
  bash -e <(restore_commands "$REPO/docs/work-items/ORCH-1/90-stop.md")
  [ "$(git rev-parse HEAD)" = "$head" ]
}

@test "a worktree of the task outside the root: refused whole (exit 4), nothing killed, deleted or tombstoned; then it finishes" {
  outside="$BATS_TEST_TMPDIR/elsewhere"
  git worktree add -q "$outside" -b task/ORCH-1-extra
  (cd "$WT" && exec sleep 300) &
  PIDS+=($!)
  agent=$!
  stop --task ORCH-1
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"$outside"* && "$stderr" == *"git worktree remove"* && "$stderr" == *"nothing done"* ]]
  running "$agent"
  [ -e "$WT" ] && [ -e "$outside" ]
  remote_has task/ORCH-1-login
  git rev-parse -q --verify refs/heads/task/ORCH-1-extra
  [ ! -e "$STATE" ] || [ "$(sql "$STATE" "SELECT count(*) FROM tombstones")" = 0 ]
  [ ! -e docs/work-items/ORCH-1/90-stop.md ]
  git worktree remove "$outside"                     # what the message says to do
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = cancelled ]
  ! running "$agent"
  ! git rev-parse -q --verify refs/heads/task/ORCH-1-extra
}

@test "a locked worktree is refused before anything (exit 4): the process lives, nothing deleted" {
  git worktree lock --reason "agent busy" "$WT"
  (cd "$WT" && exec sleep 300) &
  PIDS+=($!)
  agent=$!
  stop --task ORCH-1
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"locked (agent busy)"* && "$stderr" == *"git worktree unlock"* ]]
  running "$agent"
  [ -e "$WT" ]
  remote_has task/ORCH-1-login
  git worktree unlock "$WT"
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  ! running "$agent"
}

@test "a branch of the task checked out in the main worktree is refused before anything" {
  git checkout -q -b task/ORCH-1-other
  stop --task ORCH-1
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"main worktree"* && "$stderr" == *"switch"* ]]
  [ -e "$WT" ]
  remote_has task/ORCH-1-login
}

@test "failed after the worktree step, the branch then checked out again in a linked worktree: a re-run finishes" {
  hook="$BATS_TEST_TMPDIR/srv/remote.git/hooks/pre-receive"
  printf '#!/bin/sh\nexit 1\n' > "$hook" && chmod +x "$hook"
  stop --task ORCH-1
  [ "$status" -eq 3 ]
  [ ! -e "$WT" ]
  # the branch is checked out again where the task's worktree was, with new uncommitted work
  git worktree add -q "$WT" task/ORCH-1-login
  echo "after the first stop" > "$WT/late.txt"
  rm -f "$hook"
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = cancelled ]
  [ ! -e "$WT" ]
  ! git worktree list | grep -q ORCH-1
  ! git rev-parse -q --verify refs/heads/task/ORCH-1-login
  ! remote_has task/ORCH-1-login
  grep -q "after the first stop" "$(json_field "$output" saved_patch)"
}

@test "failed after the worktree step, git's entry for a worktree left behind: a re-run prunes it and finishes" {
  hook="$BATS_TEST_TMPDIR/srv/remote.git/hooks/pre-receive"
  printf '#!/bin/sh\nexit 1\n' > "$hook" && chmod +x "$hook"
  stop --task ORCH-1
  [ "$status" -eq 3 ]
  git worktree add -q "$WT" task/ORCH-1-login && rm -rf "$WT"   # an entry whose directory is gone
  git worktree list | grep -q ORCH-1
  rm -f "$hook"
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  ! git worktree list | grep -q ORCH-1
  ! git rev-parse -q --verify refs/heads/task/ORCH-1-login
  ! remote_has task/ORCH-1-login
  [ -f docs/work-items/ORCH-1/90-stop-generation-1.bundle ] || grep -q "no bundle" docs/work-items/ORCH-1/90-stop.md
}

@test "a stop reads 00-stage.md once and writes it once" {
  plane-status set --task ORCH-1 --stage development > /dev/null 2>&1
  [ -f docs/work-items/ORCH-1/00-stage.md ]
  strace -f -qq -e trace=openat,rename,renameat,renameat2 -o "$BATS_TEST_TMPDIR/trace" stop-task --task ORCH-1 --json > /dev/null 2>&1
  grep -q '"stage": *"cancelled"\|^stage: cancelled' docs/work-items/ORCH-1/00-stage.md
  # reads: 00-stage.md opened read-only; the write goes through a temp file renamed over it
  [ "$(grep '00-stage.md"' "$BATS_TEST_TMPDIR/trace" | grep -c O_RDONLY)" -eq 1 ]
  [ "$(grep -E 'rename.*00-stage.md"' "$BATS_TEST_TMPDIR/trace" | grep -c ' = 0')" -eq 1 ]
}

#!/usr/bin/env bats
# state.backend = "git" end to end: a real bare remote behind git daemon, several fresh clones
# ("runners") of it, the real binaries. No runner shares a file with another: only the remote.

load helpers
bats_require_minimum_version 1.5.0

setup() {
  SEED="$BATS_TEST_TMPDIR/seed"
  make_remote_repo "$SEED"
  printf '[task]\nworktrees_root = "../worktrees"\n[stop]\ngrace = "1s"\n[state]\nbackend = "git"\n' >> "$SEED/orchkit.toml"
  git -C "$SEED" commit -qam "state on the forge"
  git -C "$SEED" push -q origin main
  SRV="$BATS_TEST_TMPDIR/srv/remote.git"
}

teardown() { stop_git_daemon; }

# runner NAME: a fresh clone of the remote, as an Actions job starts.
runner() {
  local dir="$BATS_TEST_TMPDIR/$1"
  git clone -q "$GIT_URL/remote.git" "$dir"
  echo "$dir"
}

# gate_and_land DIR TASK COVERED: a task branch gated at COVERED of 100 lines, merged to main
# and pushed, the way the PR gate and the merge do it.
gate_and_land() {
  local dir=$1 task=$2 covered=$3
  (
    cd "$dir"
    git pull -q --ff-only origin main
    git checkout -q -b "task/$task-x" main
    echo "// $task" >> src/a.c
    git commit -qam "$task"
    lcov_report cov.info src/a.c "$covered" 100
    coverage-gate check --task "$task" --report cov.info --min 50 --mode absolute > /dev/null 2>&1 || true
    git checkout -q main
    git merge -q --no-ff "task/$task-x" -m "Merge $task"
    git push -q origin main
  )
}

pct() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["line_pct"] if d else "none")'; }

@test "a ratchet on one runner is the baseline of another; git log shows the events" {
  A=$(runner a)
  B=$(runner b)
  gate_and_land "$A" T-1 80
  run --separate-stderr merge-verify -C "$A" --task T-1 --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" event)" = bootstrap ]
  [ ! -e "$A/.git/orchkit/state.db" ]
  [ "$(coverage-gate baseline show -C "$B" --json | pct)" = "80.00" ]

  # The gate runs on B, the merge is verified on A: the gate record travelled in the branch.
  gate_and_land "$B" T-2 90
  rm -rf "$A/docs/work-items"
  run --separate-stderr merge-verify -C "$A" --task T-2 --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" event)" = ratchet ]
  # ... and the line data with it: the next gate's differential check has lines to compare
  [ "$(json_field "$output" line_data)" = stored ]
  [ "$(coverage-gate baseline show -C "$B" --json | pct)" = "90.00" ]
  run git --git-dir="$SRV" log --format=%s orchkit/state
  [[ "$output" == *"ratchet main 80.00 -> 90.00 (T-2 at "* ]]
  [[ "$output" == *"bootstrap main 80.00 (T-1 at "* ]]
  run coverage-gate baseline history -C "$B" --json
  [ "$status" -eq 0 ]
  [ "$(python3 -c 'import json,sys; print(",".join(r["event"] for r in json.load(sys.stdin)))' <<< "$output")" = "bootstrap,ratchet" ]
  # queue-report on a third fresh checkout: the gates and the baseline come from the branch
  C=$(runner c)
  run --separate-stderr queue-report -C "$C" --json
  [ "$status" -eq 0 ]
  python3 - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
tasks = {t["key"]: t for t in d["tasks"]}
assert tasks["T-2"]["coverage"]["status"] == "PASS", tasks
assert tasks["T-1"]["coverage"]["line_pct"] == "80.00", tasks["T-1"]
assert d["coverage"]["baselines"][0]["line_pct"] == "90.00", d["coverage"]
PY
}

@test "a stop on runner A refuses the gate of the task on runner B (exit 4)" {
  A=$(runner a)
  B=$(runner b)
  run --separate-stderr stop-task -C "$A" --task ORCH-1 --json
  [ "$status" -eq 0 ]
  (cd "$B" && git checkout -q -b task/ORCH-1-x && lcov_report cov.info src/a.c 90 100)
  run --separate-stderr coverage-gate check -C "$B" --task ORCH-1 --report cov.info --min 50 --mode absolute
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"cancelled"* ]]
}

@test "a lease held on A makes B wait, and B proceeds once A releases it" {
  A=$(runner a)
  B=$(runner b)
  stop-task guard -C "$A" --task ORCH-5 -- sh -c 'sleep 3; touch "$0"' "$BATS_TEST_TMPDIR/a-done" 2> "$BATS_TEST_TMPDIR/a.err" &
  local guard=$!
  for _ in $(seq 1 100); do
    git --git-dir="$SRV" ls-tree -r --name-only orchkit/state leases 2>/dev/null | grep -q guard && break
    sleep 0.1
  done
  run git --git-dir="$SRV" ls-tree -r --name-only orchkit/state leases
  [[ "$output" == *"guard"* ]]
  run --separate-stderr stop-task guard -C "$B" --task ORCH-5 -- sh -c 'test -e "$0"' "$BATS_TEST_TMPDIR/a-done"
  [ "$status" -eq 0 ]
  wait "$guard"
  # released: no lease left behind
  run git --git-dir="$SRV" ls-tree -r --name-only orchkit/state leases
  [ -z "$output" ]
}

@test "a lease of a holder on another host makes B wait until it expires, then B proceeds" {
  A=$(runner a)
  B=$(runner b)
  # a window held by a runner on another host (not a process here: only its expiry frees it)
  local now_ms expires
  now_ms=$(($(date +%s%N) / 1000000))
  expires=$((now_ms + 3000))
  python3 - "$BATS_TEST_TMPDIR/lease.json" "$expires" <<'PY'
import json, sys
doc = {"orchkit_state": 1, "baselines": [], "lines": [], "history": [], "tombstones": [], "stops": [], "gates": [],
       "leases": [{"name": "guard:deploy:acme/demo:ORCH-6", "holder": "runner-elsewhere:4242", "task": "ORCH-6",
                   "expires_at_ms": int(sys.argv[2]), "acquired_at": "2026-12-02T00:00:00Z"}]}
open(sys.argv[1], "w").write(json.dumps(doc))
PY
  coverage-gate state import -C "$A" "$BATS_TEST_TMPDIR/lease.json"
  # B's command runs only once the window is B's: after the lease expired, never before
  run --separate-stderr stop-task guard -C "$B" --task ORCH-6 -- \
    sh -c 'test "$(($(date +%s%N) / 1000000))" -ge "$0"' "$expires"
  [ "$status" -eq 0 ] || { echo "# $stderr" >&3; false; }
  run git --git-dir="$SRV" log --format=%s orchkit/state
  [[ "$output" == *"lease guard:deploy:acme/demo:ORCH-6 taken by "* ]]
}

@test "24 runners racing 5 ratchets each: the maximum wins, one commit per event, no error" {
  A=$(runner a)
  gate_and_land "$A" T-0 50
  merge-verify -C "$A" --task T-0 > /dev/null 2>&1
  # Each runner proposes five values through the store's ratchet (the binary: merge-verify
  # --task on artefacts of the landed commit).
  local landed
  landed=$(git -C "$A" rev-parse HEAD)
  for r in $(seq 1 24); do
    git clone -q "$GIT_URL/remote.git" "$BATS_TEST_TMPDIR/r$r"
    for i in 1 2 3 4 5; do
      cov=$((50 + (r * 7 + i * 13) % 49))
      mkdir -p "$BATS_TEST_TMPDIR/r$r/art"
      sed -e "s/^task: .*/task: R$r-$i/" -e "s/^line_covered: .*/line_covered: $cov/" \
        -e "s/^line_pct: .*/line_pct: $cov.00/" \
        "$A/docs/work-items/T-0/18-coverage-report.md" > "$BATS_TEST_TMPDIR/r$r/art/R$r-$i.md"
    done
  done
  for r in $(seq 1 24); do
    (
      for i in 1 2 3 4 5; do
        merge-verify -C "$BATS_TEST_TMPDIR/r$r" --artefact art/R$r-$i.md --json > "$BATS_TEST_TMPDIR/r$r/out$i" 2> "$BATS_TEST_TMPDIR/r$r/err$i"
        echo $? > "$BATS_TEST_TMPDIR/r$r/rc$i"
      done
    ) &
  done
  wait
  errors=0 max=50
  for r in $(seq 1 24); do
    for i in 1 2 3 4 5; do
      [ "$(cat "$BATS_TEST_TMPDIR/r$r/rc$i")" -eq 0 ] || { errors=$((errors + 1)); cat "$BATS_TEST_TMPDIR/r$r/err$i" >&3; }
      cov=$((50 + (r * 7 + i * 13) % 49))
      [ "$cov" -le "$max" ] || max=$cov
    done
  done
  [ "$errors" -eq 0 ]
  [ "$(coverage-gate baseline show -C "$A" --json | pct)" = "$max.00" ]
  # 1 bootstrap + 120 events, each one commit with its history line.
  [ "$(git --git-dir="$SRV" log --format=%b orchkit/state | grep -c '^Orchkit-History: ')" -eq 121 ]
  [ "$(git --git-dir="$SRV" rev-list --merges orchkit/state | wc -l)" -eq 0 ]
}

@test "updaters killed at random instants: the branch stays one valid chain, a re-run converges" {
  A=$(runner a)
  gate_and_land "$A" T-0 50
  merge-verify -C "$A" --task T-0 > /dev/null 2>&1
  for r in $(seq 1 6); do git clone -q "$GIT_URL/remote.git" "$BATS_TEST_TMPDIR/k$r"; done
  for round in 1 2 3; do
    pids=()
    for r in $(seq 1 6); do
      stop-task -C "$BATS_TEST_TMPDIR/k$r" --task "K-$r$round" > /dev/null 2>&1 &
      pids+=($!)
    done
    sleep "0.$((RANDOM % 4))"
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ "$(git --git-dir="$SRV" rev-list --merges orchkit/state | wc -l)" -eq 0 ]
    # receive-packs of killed clients may still be finishing (their quarantine is not the repo's)
    local ok=0
    for _ in $(seq 1 20); do
      if git --git-dir="$SRV" fsck --no-dangling > "$BATS_TEST_TMPDIR/fsck" 2>&1; then ok=1; break; fi
      sleep 0.25
    done
    [ "$ok" = 1 ] || { cat "$BATS_TEST_TMPDIR/fsck" >&3; false; }
    git --git-dir="$SRV" rev-list --objects orchkit/state > /dev/null
  done
  # A re-run of every stop converges: each task ends tombstoned once.
  for round in 1 2 3; do
    for r in $(seq 1 6); do
      run --separate-stderr stop-task -C "$BATS_TEST_TMPDIR/k$r" --task "K-$r$round"
      [ "$status" -eq 0 ] || { echo "# K-$r$round: $status $stderr" >&3; false; }
    done
  done
  run git --git-dir="$SRV" ls-tree -r --name-only orchkit/state tombstones/task
  [ "$(echo "$output" | grep -c '/1.json$')" -eq 18 ]
}

@test "export -> import -> export is byte-identical, sqlite to git and back" {
  A=$(runner a)
  gate_and_land "$A" T-1 80
  merge-verify -C "$A" --task T-1 > /dev/null 2>&1
  stop-task -C "$A" --task ORCH-9 > /dev/null 2>&1
  coverage-gate state export -C "$A" --out "$BATS_TEST_TMPDIR/git1.json"
  grep -q '"event":"bootstrap"' "$BATS_TEST_TMPDIR/git1.json"
  grep -q '"key":"ORCH-9"' "$BATS_TEST_TMPDIR/git1.json"
  grep -q '"task": "T-1"' "$BATS_TEST_TMPDIR/git1.json"
  # git -> sqlite -> export
  printf '[state]\nbackend = "sqlite"\npath = "%s"\n' "$BATS_TEST_TMPDIR/s.db" > "$BATS_TEST_TMPDIR/sqlite.toml"
  coverage-gate state import -C "$A" --config "$BATS_TEST_TMPDIR/sqlite.toml" "$BATS_TEST_TMPDIR/git1.json"
  coverage-gate state export -C "$A" --config "$BATS_TEST_TMPDIR/sqlite.toml" --out "$BATS_TEST_TMPDIR/sql1.json"
  cmp "$BATS_TEST_TMPDIR/git1.json" "$BATS_TEST_TMPDIR/sql1.json"
  # a non-empty store is refused unless --replace
  run --separate-stderr coverage-gate state import -C "$A" --config "$BATS_TEST_TMPDIR/sqlite.toml" "$BATS_TEST_TMPDIR/git1.json"
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"--replace"* ]]
  # sqlite -> a fresh git branch (another remote) -> export
  git init -q --bare "$BATS_TEST_TMPDIR/srv/other.git"
  git -C "$A" remote add other "$GIT_URL/other.git"
  printf '[state]\nbackend = "git"\nremote = "other"\n' > "$BATS_TEST_TMPDIR/other.toml"
  coverage-gate state import -C "$A" --config "$BATS_TEST_TMPDIR/other.toml" "$BATS_TEST_TMPDIR/sql1.json"
  coverage-gate state export -C "$A" --config "$BATS_TEST_TMPDIR/other.toml" --out "$BATS_TEST_TMPDIR/git2.json"
  cmp "$BATS_TEST_TMPDIR/sql1.json" "$BATS_TEST_TMPDIR/git2.json"
  # a broken export is exit 2 naming the entry, and changes nothing
  sed 's/"kind":"task"/"kind":"bogus"/' "$BATS_TEST_TMPDIR/git1.json" > "$BATS_TEST_TMPDIR/bad.json"
  run --separate-stderr coverage-gate state import -C "$A" --config "$BATS_TEST_TMPDIR/sqlite.toml" --replace "$BATS_TEST_TMPDIR/bad.json"
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"tombstones[0]"* ]]
}

@test "the server hook refuses a rewind and a deletion; readers refuse a rewritten branch" {
  cp "$ORCHKIT_SRC/hooks/server/pre-receive" "$SRV/hooks/pre-receive"
  A=$(runner a)
  gate_and_land "$A" T-1 80
  merge-verify -C "$A" --task T-1 > /dev/null 2>&1
  gate_and_land "$A" T-2 90
  merge-verify -C "$A" --task T-2 > /dev/null 2>&1
  old=$(git --git-dir="$SRV" rev-parse orchkit/state~1)
  run git -C "$A" push -f origin "$old:refs/heads/orchkit/state"
  [ "$status" -ne 0 ]
  [[ "$output" == *"non-fast-forward"* ]]
  run git -C "$A" push origin ":refs/heads/orchkit/state"
  [ "$status" -ne 0 ]
  [[ "$output" == *"refusing to delete"* ]]
  # Without the hook a force push goes through; a reader that saw the newer tip refuses it.
  rm "$SRV/hooks/pre-receive"
  git -C "$A" push -q -f origin "$old:refs/heads/orchkit/state"
  run --separate-stderr coverage-gate baseline show -C "$A"
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"rewritten"* ]]
}

@test "a read-only remote: reads work, a ratchet is exit 3 naming the remote; unreachable is exit 3" {
  A=$(runner a)
  gate_and_land "$A" T-1 80
  merge-verify -C "$A" --task T-1 > /dev/null 2>&1
  B=$(runner b)
  gate_and_land "$B" T-2 90
  stop_git_daemon
  # the same repositories, served without receive-pack (started as every daemon here is: waited
  # for until it accepts, on another port when one is taken; a fixed sleep raced a loaded machine)
  GIT_DAEMON_READ_ONLY=1 start_git_daemon "$BATS_TEST_TMPDIR/srv"
  git -C "$B" remote set-url origin "$GIT_URL/remote.git"
  [ "$(coverage-gate baseline show -C "$B" --json | pct)" = "80.00" ]
  run --separate-stderr merge-verify -C "$B" --task T-2 --no-fetch --json
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"no permission to push origin/orchkit/state"* ]]
  [ "$(coverage-gate baseline show -C "$B" --json | pct)" = "80.00" ]
  stop_git_daemon
  run --separate-stderr coverage-gate baseline show -C "$B" --json
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"cannot be read"* ]]
}

@test "check --task reads tombstone, baseline and line data from one fetch; the line data travels" {
  A=$(runner a)
  gate_and_land "$A" T-1 80
  merge-verify -C "$A" --task T-1 > /dev/null 2>&1
  # the same remote, every upload-pack (fetch) and receive-pack (push) request written down
  stop_git_daemon
  printf '#!/bin/sh\necho "$1" >> "%s"\n' "$BATS_TEST_TMPDIR/requests" > "$BATS_TEST_TMPDIR/hook"
  chmod +x "$BATS_TEST_TMPDIR/hook"
  GIT_DAEMON_ARGS="--access-hook=$BATS_TEST_TMPDIR/hook" start_git_daemon "$BATS_TEST_TMPDIR/srv"
  git -C "$A" remote set-url origin "$GIT_URL/remote.git"
  cd "$A"
  git checkout -q -b task/T-2-x main
  echo "// T-2" >> src/a.c
  git commit -qam T-2
  lcov_report cov.info src/a.c 85 100
  : > "$BATS_TEST_TMPDIR/requests"
  run --separate-stderr coverage-gate check --task T-2 --report cov.info --min 50 --rule both --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = PASS ]
  # the baseline's line data came through the state branch too: the differential rule ran
  [ "$(json_field "$output" diff_unavailable)" = null ]
  echo "$output" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["diff"] is not None, d'
  # one fetch for every read (it was one per tombstone, baseline and line data), one more
  # before the compare-and-set push that shares the gate record
  [ "$(grep -c upload-pack "$BATS_TEST_TMPDIR/requests")" -eq 2 ]
  [ "$(grep -c receive-pack "$BATS_TEST_TMPDIR/requests")" -eq 1 ]
}

#!/usr/bin/env bats
# merge-verify end to end: a real bare remote behind git daemon, real state file, real binaries.

load helpers
bats_require_minimum_version 1.5.0

setup() {
  REPO="$BATS_TEST_TMPDIR/repo"
  make_remote_repo "$REPO"
  cd "$REPO"
  STATE="$REPO/.git/orchkit/state.db"
}

teardown() { stop_git_daemon; stop_fake; }

# gate_branch TASK COVERED: a task branch with one commit, gated PASS/FAIL at COVERED of 100 lines.
gate_branch() {
  local task=$1 covered=$2
  git checkout -q -b "task/$task-x" main
  echo "// $task" >> src/a.c
  git commit -qam "$task"
  lcov_report cov.info src/a.c "$covered" 100
  coverage-gate check --task "$task" --report cov.info --min 50 --mode absolute >/dev/null 2>&1 || true
}

# land TASK: merge the task branch into main and push it.
land() {
  git checkout -q main
  git merge -q --no-ff "task/$1-x" -m "Merge $1"
  git push -q origin main
}

verify() { run --separate-stderr merge-verify --json "$@"; }
baseline_pct() { coverage-gate baseline show --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["line_pct"] if d else "none")'; }

@test "bootstrap on the first merge, ratchet up, kept when lower" {
  gate_branch T-1 80
  land T-1
  verify --artefact docs/work-items/T-1/18-coverage-report.md
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" verified)" = true ]
  [ "$(json_field "$output" event)" = bootstrap ]
  [ "$(json_field "$output" baseline_before)" = null ]
  [ "$(baseline_pct)" = "80.00" ]

  gate_branch T-2 90
  land T-2
  verify --task T-2
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" event)" = ratchet ]
  [ "$(baseline_pct)" = "90.00" ]

  gate_branch T-3 85
  land T-3
  verify --task T-3
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" event)" = kept ]
  [ "$(json_field "$output" ratcheted)" = false ]
  [ "$(baseline_pct)" = "90.00" ]
  [ "$(sql "$STATE" "SELECT group_concat(event) FROM coverage_history")" = "bootstrap,ratchet,kept" ]
}

@test "verification fetches the target from the remote" {
  gate_branch T-1 80
  # land it from another clone: the local main never sees the merge until the fetch
  git clone -q "$GIT_URL/remote.git" "$BATS_TEST_TMPDIR/other"
  git -C "$BATS_TEST_TMPDIR/other" fetch -q "$REPO" task/T-1-x
  git -C "$BATS_TEST_TMPDIR/other" merge -q --no-ff FETCH_HEAD -m "Merge T-1"
  git -C "$BATS_TEST_TMPDIR/other" push -q origin main
  git checkout -q main
  verify --task T-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" verified)" = true ]
  # --no-fetch verifies against the local main, which never saw the merge
  verify --task T-1 --no-fetch
  [ "$status" -eq 1 ]
}

@test "a gated commit that is not in the target: exit 1, nothing ratcheted" {
  gate_branch T-1 80
  git checkout -q main
  verify --task T-1
  [ "$status" -eq 1 ]
  [ "$(json_field "$output" verified)" = false ]
  [ ! -e "$STATE" ] || [ "$(sql "$STATE" "SELECT count(*) FROM coverage_baseline")" = 0 ]
}

@test "a squash merge with the gated tree is verified" {
  gate_branch T-1 80
  git checkout -q main
  git merge -q --squash task/T-1-x && git commit -qm "T-1 (squashed)"
  git push -q origin main
  verify --task T-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" event)" = bootstrap ]
  [[ "$(json_field "$output" message)" == *"same tree"* ]]
}

@test "FAIL, garbage or missing artefacts: exit 1 and nothing changes" {
  gate_branch T-1 10
  grep -q '^coverage_status: FAIL' docs/work-items/T-1/18-coverage-report.md
  land T-1
  verify --task T-1
  [ "$status" -eq 1 ]
  verify --task T-9
  [ "$status" -eq 1 ]
  mkdir -p docs/work-items/T-8 && printf 'garbage\n' > docs/work-items/T-8/18-coverage-report.md
  verify --task T-8
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"18-coverage-report.md:1: no front matter"* ]]
  [ ! -e "$STATE" ] || [ "$(sql "$STATE" "SELECT count(*) FROM coverage_baseline")" = 0 ]
}

@test "WARN verifies but does not ratchet" {
  git checkout -q -b task/T-1-x main
  echo x >> src/a.c && git commit -qam x
  coverage-gate check --task T-1 --report missing.info >/dev/null 2>&1
  grep -q '^coverage_status: WARN' docs/work-items/T-1/18-coverage-report.md
  land T-1
  verify --task T-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" verified)" = true ]
  [ "$(json_field "$output" ratcheted)" = false ]
}

@test "a tombstoned task is refused with exit 4" {
  gate_branch T-1 80
  land T-1
  coverage-gate baseline set 10 --reason "make the state file"
  sql "$STATE" "INSERT INTO tombstones(kind, natural_key, generation, reason, at) VALUES('task','T-1',1,'stop','t')"
  verify --task T-1
  [ "$status" -eq 4 ]
  [ "$(baseline_pct)" = "10.00" ]
}

@test "a lease held by a live run: wait up to the bound, then exit 3 naming the holder" {
  gate_branch T-1 80
  land T-1
  coverage-gate baseline set 10 --reason "make the state file"
  far=$(( $(date +%s%3N) + 600000 ))
  sql "$STATE" "INSERT INTO leases(name, holder, task, expires_at, acquired_at) VALUES('merge:acme/demo:main','otherhost:4242','T-7',$far,'t')"
  SECONDS=0
  verify --task T-1 --lease-wait 1s
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"held by otherhost:4242 for T-7"* ]]
  [ "$SECONDS" -lt 10 ]
  [ "$(baseline_pct)" = "10.00" ]
  # expired: taken over
  sql "$STATE" "UPDATE leases SET expires_at = 1"
  verify --task T-1 --lease-wait 1s
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" event)" = ratchet ]
  [ "$(sql "$STATE" "SELECT count(*) FROM leases")" = 0 ]
}

@test "read-only state file, missing directory, full disk: exit 3, baseline unchanged" {
  gate_branch T-1 80
  land T-1
  coverage-gate baseline set 10 --reason "seed"
  # read-only: the immutable flag stops even root (skipped where the filesystem has no flags)
  if chattr +i "$STATE" 2>/dev/null; then
    verify --task T-1 --no-fetch
    chattr -i "$STATE"
    [ "$status" -eq 3 ]
    [[ "$stderr" == *"state"* ]]
    [ "$(baseline_pct)" = "10.00" ]
  fi
  printf '[project]\nname = "acme/demo"\n[state]\npath = "/proc/orchkit-nope/state.db"\n' > "$BATS_TEST_TMPDIR/missing.toml"
  verify --task T-1 --no-fetch --config "$BATS_TEST_TMPDIR/missing.toml"
  [ "$status" -eq 3 ]
  # full disk: a file-size limit stops every write to a fresh state file
  printf '[project]\nname = "acme/demo"\n[state]\npath = "%s/full/state.db"\n' "$BATS_TEST_TMPDIR" > "$BATS_TEST_TMPDIR/full.toml"
  run bash -c "trap '' XFSZ; ulimit -f 1; merge-verify --task T-1 --no-fetch --config '$BATS_TEST_TMPDIR/full.toml'"
  [ "$status" -eq 3 ]
  [ "$(baseline_pct)" = "10.00" ]
  verify --task T-1 --no-fetch
  [ "$status" -eq 0 ]
  [ "$(baseline_pct)" = "80.00" ]
}

# The pull request merge through the (fake) Gitea API: 409 head moved, 405, 500, slow (more in forge.bats).
merge_pr_setup() {
  gate_branch T-1 80
  echo "{\"7\": \"$(git rev-parse HEAD)\", \"8\": \"0000000000000000000000000000000000000000\", \"9\": {\"head\": \"$(git rev-parse HEAD)\", \"mergeable\": false}}" > "$BATS_TEST_TMPDIR/prs.json"
  start_fake --slow-seconds 90 --pr-heads "$BATS_TEST_TMPDIR/prs.json" --gitea-token tok
  printf '[gitea]\napi_url = "%s/api/v1"\n' "$FAKE_URL" >> orchkit.toml
  export GITEA_TOKEN=tok
  land T-1  # what the forge would have done on a successful merge
}

@test "--merge-pr: merged with head_commit_id = the gated commit, then ratcheted" {
  merge_pr_setup
  verify --task T-1 --merge-pr 7
  stop_fake
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" event)" = bootstrap ]
  python3 - "$FAKE_LOG" "$(git rev-parse task/T-1-x)" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert len(r) == 1 and r[0]["path"] == "/api/v1/repos/acme/demo/pulls/7/merge", r
assert json.loads(r[0]["body"]) == {"Do": "merge", "head_commit_id": sys.argv[2]}
PY
}

@test "--merge-pr: 409 head moved and 405 not mergeable are exit 1, nothing ratcheted" {
  merge_pr_setup
  verify --task T-1 --merge-pr 8
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"head moved"* ]]
  verify --task T-1 --merge-pr 9
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"not mergeable"* ]]
  stop_fake
  [ ! -e "$STATE" ] || [ "$(sql "$STATE" "SELECT count(*) FROM coverage_baseline")" = 0 ]
  [ ! -e "$STATE" ] || [ "$(sql "$STATE" "SELECT count(*) FROM leases")" = 0 ]
}

@test "--merge-pr: 500 and a slow forge are exit 3 within the budget, nothing ratcheted" {
  merge_pr_setup
  echo 'merge_timeout = "5s"' >> orchkit.toml  # the one POST waits this long (default 2m)
  set_fake_mode 500
  verify --task T-1 --merge-pr 7
  [ "$status" -eq 3 ]
  set_fake_mode slow:90
  SECONDS=0
  verify --task T-1 --merge-pr 7
  [ "$status" -eq 3 ]
  [ "$SECONDS" -lt 80 ]
  stop_fake
  [ "$(sql "$STATE" "SELECT count(*) FROM coverage_baseline")" = 0 ]
  ! grep -q '"tok"' <<< "$output$stderr"
}

# --- issue 11, item 4: merge-verify ratchets only from what landed, and never from the past ---

# baseline_row: "covered/total commit" of the stored baseline of main
baseline_row() { sql "$STATE" "SELECT line_covered||'/'||line_total||' '||commit_sha FROM coverage_baseline WHERE branch='main'"; }
art() { echo "docs/work-items/$1/18-coverage-report.md"; }

@test "a --no-ff merge: verified, the baseline records the merge commit" {
  gate_branch T-1 80
  gated=$(git rev-parse task/T-1-x)
  land T-1
  merge=$(git rev-parse main)
  [ "$merge" != "$gated" ]
  verify --task T-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" verified)" = true ]
  [ "$(json_field "$output" commit)" = "$gated" ]
  [ "$(json_field "$output" landed_commit)" = "$merge" ]
  [ "$(json_field "$output" landing)" = merge_commit ]
  [ "$(json_field "$output" stale)" = false ]
  [ "$(baseline_row)" = "80/100 $merge" ]
  [ "$(sql "$STATE" "SELECT event||' '||commit_sha FROM coverage_history")" = "bootstrap $merge" ]
}

@test "a squash merge: the baseline records the squash commit" {
  gate_branch T-1 80
  git checkout -q main
  git merge -q --squash task/T-1-x && git commit -qm "T-1 (squashed)"
  git push -q origin main
  verify --task T-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" landing)" = same_tree ]
  [ "$(json_field "$output" landed_commit)" = "$(git rev-parse main)" ]
  [ "$(baseline_row)" = "80/100 $(git rev-parse main)" ]
}

@test "an ancestor of the tip whose landing commit has another tree (the target moved): exit 1, baseline unchanged" {
  gate_branch T-0 60
  land T-0
  verify --task T-0
  [ "$status" -eq 0 ]
  before=$(baseline_row)
  gate_branch T-1 90
  # main moves on after the gate; the merge of the gated commit is then not what was gated
  git checkout -q main
  echo "int moved = 1;" >> src/b.c
  git commit -qam "main moved"
  land T-1
  git merge-base --is-ancestor task/T-1-x main   # the gated commit is in main's history
  verify --task T-1
  [ "$status" -eq 1 ]
  [ "$(json_field "$output" verified)" = false ]
  [ "$(json_field "$output" landed_commit)" = "$(git rev-parse main)" ]
  [[ "$stderr" == *"is not the gated tree"* ]]
  [ "$(baseline_row)" = "$before" ]
  [ "$(sql "$STATE" "SELECT count(*) FROM coverage_history")" = 1 ]
}

@test "a replayed older artefact after a newer ratchet: stale, a kept row, baseline unchanged, exit 0" {
  gate_branch T-1 95
  land T-1
  first=$(git rev-parse main)
  gate_branch T-2 90
  land T-2
  second=$(git rev-parse main)
  verify --task T-2
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" event)" = bootstrap ]
  # T-1 landed before T-2 and was measured without it: 95 % would ratchet, but it is the past
  verify --task T-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" verified)" = true ]
  [ "$(json_field "$output" ratcheted)" = false ]
  [ "$(json_field "$output" stale)" = true ]
  [ "$(json_field "$output" event)" = stale ]
  [ "$(json_field "$output" landed_commit)" = "$first" ]
  [[ "$(json_field "$output" message)" == *"stale"* ]]
  [ "$(baseline_row)" = "90/100 $second" ]
  [ "$(sql "$STATE" "SELECT event||' '||commit_sha||' '||task||' '||new_covered FROM coverage_history ORDER BY id")" = \
    "bootstrap $second T-2 90"$'\n'"kept $first T-1 90" ]
  [[ "$(sql "$STATE" "SELECT reason FROM coverage_history WHERE event='kept'")" == "stale: $first is older than"* ]]
  # the text output says so too
  run merge-verify --task T-1
  [ "$status" -eq 0 ]
  [[ "$output" == *"(stale)"* ]]
}

@test "two artefacts of the same landed commit ratchet to their maximum" {
  gate_branch T-1 80
  cp "$(art T-1)" "$BATS_TEST_TMPDIR/at80.md"
  # the same commit measured again (e.g. a re-run of the gate), at 90 %
  lcov_report cov.info src/a.c 90 100
  coverage-gate check --task T-1 --report cov.info --min 50 --mode absolute --artefact "$BATS_TEST_TMPDIR/at90.md" >/dev/null
  land T-1
  merge=$(git rev-parse main)
  verify --artefact "$BATS_TEST_TMPDIR/at80.md" --task T-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" event)" = bootstrap ]
  verify --artefact "$BATS_TEST_TMPDIR/at90.md" --task T-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" event)" = ratchet ]
  [ "$(json_field "$output" stale)" = false ]
  verify --artefact "$BATS_TEST_TMPDIR/at80.md" --task T-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" event)" = kept ]
  [ "$(baseline_row)" = "90/100 $merge" ]
}

@test "an artefact naming another task: exit 1, nothing changes" {
  gate_branch T-1 80
  land T-1
  verify --task T-2 --artefact "$(art T-1)"
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"gated task 'T-1', not T-2"* ]]
  mkdir -p docs/work-items/T-2 && cp "$(art T-1)" "$(art T-2)"
  verify --task T-2
  [ "$status" -eq 1 ]
  [ ! -e "$STATE" ] || [ "$(sql "$STATE" "SELECT count(*) FROM coverage_history")" = 0 ]
  # the artefact's own task still verifies
  verify --task T-1
  [ "$status" -eq 0 ]
}

@test "a front matter that disagrees with itself: exit 1, nothing changes" {
  gate_branch T-1 80
  land T-1
  a=$(art T-1)
  grep -q '^line_pct: "80.00"$' "$a"
  sed 's/^line_covered: 80$/line_covered: 120/; s/^line_pct: "80.00"$/line_pct: "120.00"/' "$a" > "$BATS_TEST_TMPDIR/more.md"
  verify --artefact "$BATS_TEST_TMPDIR/more.md"
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"line_covered 120 is larger than line_total 100"* ]]
  sed 's/^line_pct: "80.00"$/line_pct: "95.00"/' "$a" > "$BATS_TEST_TMPDIR/pct.md"
  verify --artefact "$BATS_TEST_TMPDIR/pct.md"
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"line_pct 95.00 is not 80/100 = 80.00"* ]]
  # a tree that is not its commit's tree (that of main before the merge)
  sed "s/^tree: .*/tree: $(git rev-parse 'main^1^{tree}')/" "$a" > "$BATS_TEST_TMPDIR/tree.md"
  verify --artefact "$BATS_TEST_TMPDIR/tree.md"
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"is not the tree"* ]]
  # a commit this repository does not have, with a tree it does not have either
  sed "s/^commit: .*/commit: $(printf 'f%.0s' $(seq 40))/; s/^tree: .*/tree: $(printf 'e%.0s' $(seq 40))/" "$a" > "$BATS_TEST_TMPDIR/gone.md"
  verify --artefact "$BATS_TEST_TMPDIR/gone.md"
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"nor its tree"* ]]
  [ ! -e "$STATE" ] || [ "$(sql "$STATE" "SELECT count(*) FROM coverage_history")" = 0 ]
}

@test "a hook's temporary commit (parent = the target tip, never pushed), then git merge --no-ff: the baseline records the merge" {
  gate_branch T-1 80
  git checkout -q main
  # what the pre-merge-commit hook does: the merge result as a temporary commit on top of main, gated
  git merge -q --no-ff --no-commit task/T-1-x
  tree=$(git write-tree)
  tmp=$(git commit-tree -p HEAD -m "orchkit: merge result gated" "$tree")
  git merge --abort
  git worktree add -q --detach "$BATS_TEST_TMPDIR/gated" "$tmp"
  lcov_report "$BATS_TEST_TMPDIR/cov.info" src/a.c 80 100
  coverage-gate check -C "$BATS_TEST_TMPDIR/gated" --task T-1 --report "$BATS_TEST_TMPDIR/cov.info" --min 50 --mode absolute >/dev/null
  git worktree remove --force "$BATS_TEST_TMPDIR/gated"
  grep -q "^commit: $tmp$" "$(art T-1)"
  # the real merge: another commit, the same tree
  git merge -q --no-ff task/T-1-x -m "Merge T-1"
  git push -q origin main
  merge=$(git rev-parse main)
  [ "$(git rev-parse 'main^{tree}')" = "$tree" ]
  ! git -C "$BATS_TEST_TMPDIR/srv/remote.git" cat-file -e "$tmp^{commit}" 2>/dev/null
  verify --task T-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" verified)" = true ]
  [ "$(json_field "$output" commit)" = "$tmp" ]
  [ "$(json_field "$output" landed_commit)" = "$merge" ]
  [ "$(json_field "$output" landing)" = same_tree ]
  [ "$(baseline_row)" = "80/100 $merge" ]
  [ "$(sql "$STATE" "SELECT count(*) FROM coverage_history WHERE commit_sha='$tmp'")" = 0 ]
}

@test "--commit without --task or --artefact is a usage error (exit 2)" {
  gate_branch T-1 80
  land T-1
  run merge-verify --commit "$(git rev-parse task/T-1-x)"
  [ "$status" -eq 2 ]
  [ ! -e "$STATE" ] || [ "$(sql "$STATE" "SELECT count(*) FROM coverage_history")" = 0 ]
}

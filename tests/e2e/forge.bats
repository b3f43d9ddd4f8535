#!/usr/bin/env bats
# The forge for real (issue 15): merge-verify --merge-pr against the fake Gitea's merge routes,
# which answer as Gitea's MergePullRequest / IsPullRequestMerged do (tests/fakes/README.md).
# Every answer is read, never guessed: a lost answer is asked about, a 405 may mean "already
# merged", a 409 is "head moved" only when Gitea says the head is out of date.

load helpers
bats_require_minimum_version 1.5.0

setup() {
  REPO="$BATS_TEST_TMPDIR/repo"
  make_remote_repo "$REPO"
  cd "$REPO"
  STATE="$REPO/.git/orchkit/state.db"
  PRS="$BATS_TEST_TMPDIR/prs.json"
  export GITEA_TOKEN=tok
}

teardown() { stop_git_daemon; stop_fake; }

verify() { run --separate-stderr merge-verify --json "$@"; }
art() { echo "docs/work-items/$1/18-coverage-report.md"; }
front() { sed -n "s/^$2: //p" "$(art "$1")" | head -n 1; }

# caught_up_gate TASK: a task branch one commit ahead, main moved on meanwhile, and the gate
# measured the caught-up HEAD (the PR head merged with main, as ci/orchkit-pr.yml does).
# Sets PR_HEAD (what Gitea knows) and MEASURED (the local merge Gitea never saw).
caught_up_gate() {
  local task=$1
  git checkout -q -b "task/$task-x" main
  echo "// $task" >> src/a.c
  git commit -qam "$task"
  PR_HEAD=$(git rev-parse HEAD)
  git push -q origin "task/$task-x"
  git checkout -q main
  echo "// main moved" >> src/b.c
  git commit -qam "main moved"
  git push -q origin main
  git checkout -q --detach "$PR_HEAD"
  git merge -q --no-ff --no-edit main
  MEASURED=$(git rev-parse HEAD)
  lcov_report cov.info src/a.c 80 100
  coverage-gate check --task "$task" --report cov.info --min 50 --mode absolute > /dev/null
}

# forge PRS_JSON [FAKE ARGS...]: the fake Gitea with these pull requests; [gitea] in orchkit.toml.
forge() {
  echo "$1" > "$PRS"
  shift
  start_fake --pr-heads "$PRS" --gitea-token tok "$@"
  printf '[gitea]\napi_url = "%s/api/v1"\n' "$FAKE_URL" >> orchkit.toml
}

# land_as_gitea TASK: what the forge does on a merge: the PR head merged into main, pushed.
land_as_gitea() {
  git checkout -q main
  git merge -q --no-ff "$PR_HEAD" -m "Merge $1 (gitea)"
  git push -q origin main
}

# posts / gets: how many merge POSTs and merge GETs the fake saw.
count() {
  python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if (lambda r: r["method"] == sys.argv[2] and r["path"].endswith(sys.argv[3]))(json.loads(l))))' "$FAKE_LOG" "$1" "$2"
}
posts() { count POST /pulls/7/merge; }
gets() { count GET /pulls/7/merge; }

@test "caught-up HEAD: the artefact records the PR head; the merge pins it, not the local merge" {
  caught_up_gate T-1
  [ "$(front T-1 commit)" = "$MEASURED" ]
  [ "$(front T-1 head_commit)" = "$PR_HEAD" ]
  [ "$MEASURED" != "$PR_HEAD" ]
  forge "{\"7\": \"$PR_HEAD\"}"
  land_as_gitea T-1
  verify --task T-1 --merge-pr 7
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" merge)" = merged ]
  [ "$(json_field "$output" verified)" = true ]
  python3 - "$FAKE_LOG" "$PR_HEAD" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert len(r) == 1, r
assert json.loads(r[0]["body"]) == {"Do": "merge", "head_commit_id": sys.argv[2]}, r[0]["body"]
assert r[0]["headers"]["Content-Type"] == "application/json"
PY
}

@test "a branch that merged the target and pushed it: its own commit is the head" {
  git checkout -q -b task/T-1-x main
  echo "// T-1" >> src/a.c && git commit -qam T-1
  git checkout -q main && echo "// main" >> src/b.c && git commit -qam main && git push -q origin main
  git checkout -q task/T-1-x && git merge -q --no-ff --no-edit main
  git push -q -u origin task/T-1-x
  git fetch -q origin
  lcov_report cov.info src/a.c 80 100
  coverage-gate check --task T-1 --report cov.info --min 50 --mode absolute > /dev/null
  [ "$(front T-1 head_commit)" = "$(git rev-parse HEAD)" ]
}

@test "the answer is lost after Gitea merged: asked once, reported merged, verified" {
  caught_up_gate T-1
  forge "{\"7\": \"$PR_HEAD\"}"
  set_fake_mode lost-once
  land_as_gitea T-1
  verify --task T-1 --merge-pr 7
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" merge)" = merged ]
  [ "$(json_field "$output" verified)" = true ]
  [[ "$stderr" == *"Gitea says it is merged"* ]]
  [ "$(posts)" = 1 ]   # never sent twice
  [ "$(gets)" = 1 ]
}

@test "a second merge is 405 with an empty message: already merged, verified" {
  caught_up_gate T-1
  forge "{\"7\": \"$PR_HEAD\"}"
  land_as_gitea T-1
  verify --task T-1 --merge-pr 7
  [ "$status" -eq 0 ]
  verify --task T-1 --merge-pr 7
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" merge)" = merged ]
  [[ "$stderr" == *"already merged"* ]]
  [ "$(posts)" = 2 ]
  grep -q '"status": 405' "$FAKE_LOG"
  grep -q '"status": 204' "$FAKE_LOG"
}

@test "409: head out of date is 'head moved'; a conflict and a hook show Gitea's message" {
  caught_up_gate T-1
  forge "{\"7\": \"0000000000000000000000000000000000000000\", \"8\": {\"head\": \"$PR_HEAD\", \"conflict\": true}, \"9\": {\"head\": \"$PR_HEAD\", \"push_rejected\": \"pre-receive: no\"}}"
  verify --task T-1 --merge-pr 7
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"head moved"* ]]
  [ "$(json_field "$output" merge)" = not_merged ]
  verify --task T-1 --merge-pr 8
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"merge conflict: CONFLICT (content): Merge conflict in src/a.c"* ]]
  [[ "$stderr" != *"head moved"* ]]
  verify --task T-1 --merge-pr 9
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"PushRejected with remote message: pre-receive: no"* ]]
  [[ "$stderr" != *"head moved"* ]]
  [ "$(gets)" = 0 ]  # a 409 is an answer: nothing to ask
  [ ! -e "$STATE" ] || [ "$(sql "$STATE" "SELECT count(*) FROM coverage_baseline")" = 0 ]
}

@test "423: the repository is archived: exit 3, not merged" {
  caught_up_gate T-1
  forge "{\"7\": {\"head\": \"$PR_HEAD\", \"archived\": true}}"
  verify --task T-1 --merge-pr 7
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"archived"* ]]
  [ "$(json_field "$output" merge)" = not_merged ]
}

@test "merge_style: sent as Do; a style the repository refuses (405) says so; a bad value is exit 2" {
  caught_up_gate T-1
  forge "{\"7\": {\"head\": \"$PR_HEAD\", \"styles\": [\"merge\", \"rebase\"]}}"
  echo 'merge_style = "squash"' >> orchkit.toml
  verify --task T-1 --merge-pr 7
  [ "$status" -eq 1 ]
  [[ "$stderr" == *"the merge style 'squash' is not allowed for this repository"* ]]
  [[ "$stderr" == *"[gitea] merge_style"* ]]
  python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; assert json.loads(r[0]["body"])["Do"] == "squash", r[0]' "$FAKE_LOG"
  [ "$(gets)" = 1 ]  # a 405 may mean "already merged": asked
  sed -i 's/merge_style = "squash"/merge_style = "octopus"/' orchkit.toml
  verify --task T-1 --merge-pr 7
  [ "$status" -eq 2 ]
  [[ "$stderr" == *"gitea.merge_style: 'octopus' is not one of merge, rebase, rebase-merge, squash, fast-forward-only"* ]]
  [ "$(posts)" = 1 ]
}

@test "5xx: not merged when Gitea says so, outcome unknown when it cannot be asked; sent once" {
  caught_up_gate T-1
  forge "{\"7\": \"$PR_HEAD\"}"
  set_fake_mode 500-once
  verify --task T-1 --merge-pr 7
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"Gitea says it is not merged: not merged"* ]]
  [ "$(json_field "$output" merge)" = not_merged ]
  [ "$(posts)" = 1 ]
  set_fake_mode 502
  verify --task T-1 --merge-pr 7
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"outcome unknown"* ]]
  [ "$(json_field "$output" merge)" = unknown ]
  [ "$(posts)" = 2 ]
  [ ! -e "$STATE" ] || [ "$(sql "$STATE" "SELECT count(*) FROM coverage_baseline")" = 0 ]
  ! grep -q 'tok' <<< "$output$stderr"
}

@test "a merge that times out and completes later: not merged when asked, merged on the next run" {
  caught_up_gate T-1
  forge "{\"7\": \"$PR_HEAD\"}"
  echo 'merge_timeout = "1s"' >> orchkit.toml
  set_fake_mode slow-once:3
  SECONDS=0
  verify --task T-1 --merge-pr 7
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"got no answer"* ]]
  [[ "$stderr" == *"not merged"* ]]
  [ "$SECONDS" -lt 10 ]
  sleep 3  # the slow request completes: Gitea merged after all
  land_as_gitea T-1
  verify --task T-1 --merge-pr 7
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"already merged"* ]]
  [ "$(json_field "$output" verified)" = true ]
  [ "$(posts)" = 2 ]
}

# --- stop-task's jobs step: the task's CI runs cancelled where the server has the Actions API ---

# stop_setup RUNS_JSON [FAKE ARGS...]: a task ORCH-1 with its branch on origin, and the fake
# Gitea with these Actions runs.
stop_setup() {
  printf '[task]\nworktrees_root = "../worktrees"\n[stop]\ngrace = "2s"\n' >> orchkit.toml
  git commit -qam "config"
  git push -q origin main
  git branch task/ORCH-1-login main
  git push -q origin task/ORCH-1-login
  echo "$1" > "$BATS_TEST_TMPDIR/runs.json"
  shift
  start_fake --gitea-token tok --actions-runs "$BATS_TEST_TMPDIR/runs.json" "$@"
  printf '[gitea]\napi_url = "%s/api/v1"\n' "$FAKE_URL" >> orchkit.toml
}
stop() { run --separate-stderr stop-task --json "$@"; }
# jobs_steps: the jobs step's lines of the report, "result: detail" each.
jobs_steps() { python3 -c 'import json,sys; print("\n".join(s["result"]+": "+s["detail"] for s in json.loads(sys.argv[1])["steps"] if s["step"]=="jobs"))' "$output"; }
run_posts() { python3 -c 'import json,sys; print(" ".join(r["path"].split("/actions/runs/")[1] for r in map(json.loads, open(sys.argv[1])) if r["method"]=="POST"))' "$FAKE_LOG"; }

B=task/ORCH-1-login
RUNS='[{"id": 11, "head_branch": "task/ORCH-1-login", "status": "queued", "display_title": "gate"},
       {"id": 12, "head_branch": "task/ORCH-1-login", "status": "in_progress", "display_title": "tests", "cancel_polls": 2},
       {"id": 13, "head_branch": "task/ORCH-1-login", "status": "in_progress", "display_title": "image", "sticky": true},
       {"id": 14, "head_branch": "task/ORCH-1-login", "status": "completed", "conclusion": "success"},
       {"id": 21, "head_branch": "task/ORCH-2-other", "status": "in_progress", "display_title": "not ours"},
       {"id": 22, "head_branch": "main", "status": "queued"}]'

@test "jobs: queued and running runs cancelled, one stuck in cancelling force-cancelled, each reported" {
  stop_setup "$RUNS"
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = cancelled ]
  jobs_steps
  [[ "$(jobs_steps)" == *"done: run 11 (gate) on $B: cancelled"* ]]
  [[ "$(jobs_steps)" == *"done: run 12 (tests) on $B: cancelled"* ]]
  [[ "$(jobs_steps)" == *"done: run 13 (image) on $B: force-cancelled"* ]]
  [[ "$(jobs_steps)" != *"run 14"* ]]
  # the cancels, then force-cancel only for the one still cancelling after the grace
  [ "$(run_posts)" = "11/cancel 12/cancel 13/cancel 13/force-cancel" ]
  # never another branch's run, never a finished one
  ! grep -q 'actions/runs/2[12]' <(python3 -c 'import json,sys; [print(r["path"]) for r in map(json.loads, open(sys.argv[1])) if r["method"]=="POST"]' "$FAKE_LOG")
  grep -q 'branch=task%2FORCH-1-login' "$FAKE_LOG"
}

@test "jobs: a server whose branch filter is broken: the answer's head_branch is checked, other branches untouched" {
  stop_setup "$RUNS" --actions-ignore-filters
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  [ "$(run_posts)" = "11/cancel 12/cancel 13/cancel 13/force-cancel" ]
  [[ "$(jobs_steps)" != *"not ours"* ]]
}

@test "jobs: a server without the Actions runs API (404): said once, the tombstone refuses them" {
  printf '[task]\nworktrees_root = "../worktrees"\n' >> orchkit.toml
  git branch task/ORCH-1-login main && git push -q origin task/ORCH-1-login
  start_fake --gitea-token tok
  printf '[gitea]\napi_url = "%s/api/v1"\n' "$FAKE_URL" >> orchkit.toml
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = cancelled ]
  [ "$(jobs_steps)" = "skipped: the Actions runs API is not supported by this server: the tombstone refuses them" ]
  [ "$(python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if "/actions/" in l))' "$FAKE_LOG")" = 1 ]
  [ "$(sql "$STATE" "SELECT count(*) FROM tombstones WHERE kind='task'")" = 1 ]
}

@test "jobs: a failing forge is an indication: the cancel stands; --dry-run cancels nothing" {
  stop_setup "$RUNS"
  stop --task ORCH-1 --dry-run
  [ "$status" -eq 0 ]
  [[ "$(jobs_steps)" == *"would: run 11 (gate) on $B: would cancel"* ]]
  [ "$(run_posts)" = "" ]
  set_fake_mode 500
  stop --task ORCH-1
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = cancelled ]
  [[ "$(jobs_steps)" == *"failed: listing the runs of $B failed"* ]]
  [ "$(sql "$STATE" "SELECT count(*) FROM tombstones WHERE kind='task'")" = 1 ]
}

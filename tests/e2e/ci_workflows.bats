#!/usr/bin/env bats
# ci/*.yml, parsed with python3-yaml and run: each job's `run:` steps in order with bash, in a real
# checkout of a real repository (a bare remote behind git daemon), with the Actions environment
# (GITEA_ACTIONS, GITHUB_SHA, GITHUB_REF, GITHUB_BASE_REF, GITHUB_HEAD_REF, GITHUB_STEP_SUMMARY,
# GITHUB_ENV, GITHUB_API_URL -> the fake Gitea/Plane/Telegram server). `uses:` steps are skipped
# (this test does the checkout), the step with id `image` is replaced by a marker command, and
# `if:` (success/always/failure) is honoured as the runner does: a broken chain fails this suite.

load helpers
bats_require_minimum_version 1.5.0

KEY="plane_api_SECRET_ci"
P_ORCH=aaaaaaaa-0000-4000-8000-000000000001
st_id() { printf 'a0000000-0000-4000-8000-%012d' "$1"; }
item() { printf 'a1000000-0000-4000-8000-%012d' "$1"; }

# The runner: python3 run_job.py WORKFLOW JOB; its inputs in the environment (VARS_JSON,
# SECRETS_JSON, REPLACE_JSON); prints one line per step and exits 0 iff the job succeeded.
write_runner() {
  cat > "$BATS_TEST_TMPDIR/run_job.py" <<'PY'
import json, os, re, subprocess, sys, tempfile, yaml

wf_path, job_id = sys.argv[1], sys.argv[2]
wf = yaml.safe_load(open(wf_path))
job = wf["jobs"][job_id]
vars_ = json.loads(os.environ.get("VARS_JSON", "{}"))
secrets = json.loads(os.environ.get("SECRETS_JSON", "{}"))
replace = json.loads(os.environ.get("REPLACE_JSON", "{}"))
github = {"sha": os.environ["GITHUB_SHA"], "ref": os.environ["GITHUB_REF"], "token": "job-token",
          "head_ref": os.environ.get("GITHUB_HEAD_REF", ""), "base_ref": os.environ.get("GITHUB_BASE_REF", ""),
          "repository": os.environ["GITHUB_REPOSITORY"], "workspace": os.environ["GITHUB_WORKSPACE"]}

def value(term, env):
    term = term.strip()
    if term.startswith("'") and term.endswith("'"):
        return term[1:-1].replace("''", "'")
    scope, _, name = term.partition(".")
    table = {"vars": vars_, "secrets": secrets, "github": github, "env": env,
             "runner": {"temp": os.environ["RUNNER_TEMP"]}}.get(scope)
    if table is None:
        raise SystemExit("unsupported expression: " + term)
    return table.get(name, "")

def expr(text, env):
    def one(m):
        for alt in m.group(1).split("||"):
            v = value(alt, env)
            if v:
                return v
        return ""
    return re.sub(r"\$\{\{(.*?)\}\}", one, str(text))

def condition(cond, failed):
    c = str(cond).strip()
    c = re.sub(r"^\$\{\{(.*)\}\}$", r"\1", c).strip()
    return {"always()": True, "success()": not failed, "failure()": failed, "cancelled()": False}[c]

env = dict(os.environ)
for scope in (wf.get("env") or {}, job.get("env") or {}):
    for k, v in scope.items():
        env[k] = expr(v, env)
failed = False
for i, step in enumerate(job["steps"]):
    name = step.get("name") or step.get("uses") or step.get("run", "").splitlines()[0]
    if not condition(step.get("if", "success()"), failed):
        print("SKIPPED  %s" % name, flush=True)
        continue
    if "uses" in step:
        print("USES     %s (%s: done by the test)" % (name, step["uses"]), flush=True)
        continue
    script = replace.get(step.get("id", ""), step["run"])
    senv = dict(env)
    for k, v in (step.get("env") or {}).items():
        senv[k] = expr(v, senv)
    script = expr(script, senv)
    fd, ghenv = tempfile.mkstemp(dir=os.environ["RUNNER_TEMP"])
    os.close(fd)
    senv["GITHUB_ENV"] = ghenv
    with tempfile.NamedTemporaryFile("w", suffix=".sh", dir=os.environ["RUNNER_TEMP"], delete=False) as f:
        f.write(script)
    cwd = os.path.join(env["GITHUB_WORKSPACE"], expr(step.get("working-directory", "."), senv))
    try:
        rc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", f.name], cwd=cwd, env=senv,
                            timeout=300).returncode
    except subprocess.TimeoutExpired:
        rc = 124
    for line in open(ghenv):
        k, sep, v = line.rstrip("\n").partition("=")
        if sep:
            env[k] = v
    ok = rc == 0 or step.get("continue-on-error") is True
    print("%s %s (exit %d)" % ("OK      " if rc == 0 else "FAILED  ", name, rc), flush=True)
    failed = failed or not ok
sys.exit(1 if failed else 0)
PY
}

setup() {
  write_runner
  export PLANE_API_KEY="$KEY" TELEGRAM_BOT_TOKEN= GITEA_TOKEN=   # the test's own calls; the jobs get secrets only
  SEED="$BATS_TEST_TMPDIR/board.json"
  python3 - "$SEED" "$P_ORCH" <<'PY'
import json, sys
names = ["Todo", "In Progress", "Done", "Blocked", "Cancelled", "STOP", "To Analyse", "Analysis",
         "Code Review", "Awaiting Deploy", "Deploying", "Monitoring"]
st = lambda pre, n: "%s-0000-4000-8000-%012d" % (pre, n)
json.dump({"workspace": "acme", "projects": {sys.argv[2]: {"identifier": "ORCH",
  "states": [{"id": st("a0000000", i + 1), "name": n} for i, n in enumerate(names)],
  "items": [{"id": st("a1000000", n), "sequence_id": n, "name": "task %d" % n, "state": st("a0000000", 2)}
            for n in (7, 8, 9)]}}}, open(sys.argv[1], "w"))
PY
  start_fake --plane-seed "$SEED" --plane-key "$KEY" --gitea-token job-token
  # the project: its coverage command marks every line of src/*.c covered unless it says UNTESTED
  REPO="$BATS_TEST_TMPDIR/dev"
  make_remote_repo "$REPO"
  cd "$REPO"
  cat > cov.sh <<'SH'
#!/bin/sh
: > coverage.info
for f in src/*.c; do
  echo "SF:$f" >> coverage.info
  awk '{ printf "DA:%d,%d\n", NR, (index($0, "UNTESTED") ? 0 : 1) }' "$f" >> coverage.info
  echo end_of_record >> coverage.info
done
SH
  printf '#!/bin/sh\necho "tests ran on $(git rev-parse HEAD)" >> "$TESTS_LOG"\n' > run-tests.sh
  printf 'coverage.info\ndocs/work-items/\norchkit-out/\norchkit-queue/\norchkit-reconcile/\n' > .gitignore
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
[plane.projects.ORCH]
id = "$P_ORCH"
self_hosting = true
[plane.projects.ORCH.states]
monitoring = "Monitoring"
TOML
  git add -A && git commit -qm "project" && git push -q origin main
  # the runner host's main worktree: state file, artefacts, task worktrees (ORCHKIT_MAIN_WORKTREE)
  MAIN="$BATS_TEST_TMPDIR/host/main"
  git clone -q "$GIT_URL/remote.git" "$MAIN"
  export TESTS_LOG="$BATS_TEST_TMPDIR/tests.log" MARKER="$BATS_TEST_TMPDIR/image-built"
}

teardown() { stop_git_daemon; stop_fake; }

# task_branch NAME FILE LINES [UNTESTED]: a task branch pushed to the remote from the dev clone.
task_branch() {
  git -C "$REPO" checkout -q -b "$1" main
  for i in $(seq 1 "$3"); do echo "int x$i = $i;${4:+ // UNTESTED}"; done > "$REPO/src/$2"
  git -C "$REPO" add -A && git -C "$REPO" commit -qm "$1" && git -C "$REPO" push -q origin "$1"
  git -C "$REPO" checkout -q main
}
# target_moves: main gets a commit after the branch point (the gate must see it: caught-up HEAD).
target_moves() {
  echo "int late = 1;" > "$REPO/src/late.c"
  git -C "$REPO" add -A && git -C "$REPO" commit -qm "main moves on" && git -C "$REPO" push -q origin main
}

# checkout WS REF: what actions/checkout does (fetch-depth: 0): a full clone at that commit.
checkout() {
  rm -rf "$1"
  git clone -q "$GIT_URL/remote.git" "$1"
  git -C "$1" checkout -q --detach "$2"
}

# run_job WORKFLOW JOB EVENT SHA REF [BASE HEAD]: the job in a fresh checkout, Actions env set.
run_job() {
  local wf=$1 job=$2 event=$3 sha=$4 ref=$5
  WS="$BATS_TEST_TMPDIR/runner/ws-$RANDOM"
  mkdir -p "$BATS_TEST_TMPDIR/runner/tmp"
  checkout "$WS" "$sha"
  SUMMARY="$BATS_TEST_TMPDIR/runner/summary-$RANDOM.md"
  : > "$SUMMARY"
  run --separate-stderr env -u ORCHKIT_CONFIG -u PLANE_API_KEY -u GITEA_TOKEN -u TELEGRAM_BOT_TOKEN GITEA_ACTIONS=true GITHUB_ACTIONS=true CI=true \
    GITHUB_EVENT_NAME="$event" GITHUB_SHA="$sha" GITHUB_REF="$ref" GITHUB_REF_NAME="${ref##*/}" \
    GITHUB_BASE_REF="${6:-}" GITHUB_HEAD_REF="${7:-}" GITHUB_REPOSITORY=acme/demo \
    GITHUB_SERVER_URL="$FAKE_URL" GITHUB_API_URL="$FAKE_URL/api/v1" GITHUB_WORKSPACE="$WS" \
    GITHUB_STEP_SUMMARY="$SUMMARY" RUNNER_TEMP="$BATS_TEST_TMPDIR/runner/tmp" \
    VARS_JSON="{${NO_MAIN_WORKTREE:-\"ORCHKIT_MAIN_WORKTREE\": \"$MAIN\",} \"ORCHKIT_TEST_COMMAND\": \"${TEST_COMMAND:-sh run-tests.sh}\"}" \
    SECRETS_JSON="{\"PLANE_API_KEY\": \"$KEY\"}" \
    REPLACE_JSON='{"image": "echo \"image of $(git rev-parse HEAD)\" > \"$MARKER\""}' \
    python3 "$BATS_TEST_TMPDIR/run_job.py" "$ORCHKIT_SRC/ci/$wf.yml" "$job"
  echo "$output"
  echo "$stderr"
}
fm() { sed -n "s/^$2: //p" "$1" | head -1 | tr -d '"'; }
board_state() {
  python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print([i["state"] for p in d["projects"].values() for i in p["items"] if i["id"]==sys.argv[2]][0])' "$SEED" "$(item "$1")"
}

@test "every workflow parses, has its stable name and job, and keeps secrets out of run: scripts" {
  python3 - "$ORCHKIT_SRC/ci" <<'PY'
import glob, os, re, sys, yaml
want = {"orchkit-pr": ("gate", "pull_request"), "orchkit-main": ("verify", "push"),
        "orchkit-reconcile": ("reconcile", "schedule")}
files = sorted(glob.glob(os.path.join(sys.argv[1], "*.yml")))
assert [os.path.basename(f)[:-4] for f in files] == sorted(want), files
for f in files:
    wf = yaml.safe_load(open(f))
    name = os.path.basename(f)[:-4]
    on = wf.get("on", wf.get(True))                 # YAML 1.1 reads the key `on` as true
    job, event = want[name]
    assert wf["name"] == name, (f, wf["name"])
    assert event in on, (f, on)
    assert list(wf["jobs"]) == [job] and wf["jobs"][job]["name"] == job, (f, wf["jobs"].keys())
    assert "concurrency" in wf and "group" in wf["concurrency"], f
    for step in wf["jobs"][job]["steps"]:
        assert "name" in step, (f, step)
        run = step.get("run", "")
        assert "secrets." not in run and "${{" not in run, (f, step["name"])   # env: only
        if step.get("uses", "").startswith("actions/checkout"):
            assert step["with"]["fetch-depth"] == 0, f
    for k, v in wf["jobs"][job]["env"].items():
        if "secrets." in str(v):
            assert re.fullmatch(r"\$\{\{ secrets\.[A-Z_]+( \|\| github\.token)? \}\}", v), (k, v)
pr = yaml.safe_load(open(os.path.join(sys.argv[1], "orchkit-pr.yml")))
assert pr["concurrency"]["cancel-in-progress"] is True and "head_ref" in pr["concurrency"]["group"]
steps = [s["name"] for s in pr["jobs"]["gate"]["steps"]]
order = ["caught-up HEAD", "tests", "coverage-gate", "image"]
assert [steps.index(s) for s in order] == sorted(steps.index(s) for s in order), steps
img = [s for s in pr["jobs"]["gate"]["steps"] if s.get("id") == "image"][0]
assert "if" not in img and "timeout" in img["run"]
PY
}

@test "PR chain: caught-up HEAD -> tests -> coverage-gate PASS -> image; then main: verify, board, queue" {
  task_branch task/ORCH-7-feature feature.c 10
  target_moves
  head=$(git rev-parse task/ORCH-7-feature)
  (cd "$MAIN" && plane-status set --task ORCH-7 --stage development --issue "$(item 7)" >/dev/null)
  run_job orchkit-pr gate pull_request "$head" refs/pull/1/head main task/ORCH-7-feature
  [ "$status" -eq 0 ]
  [ "$(grep -c '^OK ' <<< "$output")" -ge 5 ]
  ! grep -q '^FAILED' <<< "$output"
  grep -q '^USES .*actions/checkout' <<< "$output"
  # the tests and the image ran on the caught-up HEAD: the PR merged with the main that moved on
  caught=$(git -C "$WS" rev-parse HEAD)
  [ "$(git -C "$WS" rev-parse HEAD^1)" = "$head" ]
  [ "$(git -C "$WS" rev-parse HEAD^2)" = "$(git rev-parse main)" ]
  grep -q "tests ran on $caught" "$TESTS_LOG"
  [ "$(cat "$MARKER")" = "image of $caught" ]
  art="$MAIN/docs/work-items/ORCH-7/18-coverage-report.md"
  [ "$(fm "$art" coverage_status)" = PASS ]
  [ "$(fm "$art" commit)" = "$caught" ]
  [ "$(fm "$art" tree)" = "$(git merge-tree --write-tree main task/ORCH-7-feature)" ]
  [ -f "$WS/orchkit-out/18-coverage-report.md" ]
  grep -q "coverage-gate: PASS" "$SUMMARY"
  grep -q '/statuses/' "$FAKE_LOG"
  [ -L "$WS/.git/orchkit" ]
  # Gitea merges the PR (a merge commit with its message), main's push runs orchkit-main
  git merge -q --no-ff task/ORCH-7-feature -m "Merge pull request 'feature' (#1) from task/ORCH-7-feature into main"
  git push -q origin main
  run_job orchkit-main verify push "$(git rev-parse main)" refs/heads/main
  [ "$status" -eq 0 ]
  ! grep -q '^FAILED' <<< "$output"
  [[ "$output" == *"task: ORCH-7"* ]]
  [[ "$output" == *"VERIFIED"* ]]
  state="$MAIN/.git/orchkit/state.db"
  [ "$(sql "$state" "SELECT event||':'||task||':'||new_covered||'/'||new_total FROM coverage_history")" = bootstrap:ORCH-7:31/31 ]
  [ "$(board_state 7)" = "$(st_id 12)" ]          # Monitoring: a self-hosting project
  grep -qE '^\| *ORCH-7 ' "$WS/orchkit-queue/queue.md"
  grep -q '<svg' "$WS/orchkit-queue/queue-baseline.svg"
  grep -q "merge-verify: verified" "$SUMMARY"
  ! grep -rq SECRET "$MAIN/docs" "$WS/orchkit-queue" "$SUMMARY"
}

@test "any runner (state.backend = git, no main worktree): the ratchet and a STOP cross fresh checkouts" {
  printf '[state]\nbackend = "git"\n' >> orchkit.toml
  git commit -qam "state on the forge" && git push -q origin main
  task_branch task/ORCH-7-feature feature.c 10
  head=$(git rev-parse task/ORCH-7-feature)
  export NO_MAIN_WORKTREE=" "
  run_job orchkit-pr gate pull_request "$head" refs/pull/1/head main task/ORCH-7-feature
  [ "$status" -eq 0 ]
  ! grep -q '^FAILED' <<< "$output"
  ! grep -q 'ORCHKIT_MAIN_WORKTREE is not set' <<< "$output$stderr"
  pr_ws=$WS
  [ ! -L "$pr_ws/.git/orchkit" ]
  [ ! -e "$MAIN/docs/work-items/ORCH-7" ]
  git --git-dir="$BATS_TEST_TMPDIR/srv/remote.git" cat-file -e orchkit/state:gates/ORCH-7.md
  # Gitea merges; the push-to-main job runs in another fresh checkout on another runner
  git merge -q --no-ff task/ORCH-7-feature -m "Merge pull request 'feature' (#1) from task/ORCH-7-feature into main"
  git push -q origin main
  run_job orchkit-main verify push "$(git rev-parse main)" refs/heads/main
  [ "$status" -eq 0 ]
  ! grep -q '^FAILED' <<< "$output"
  [[ "$output" == *"VERIFIED"* ]]
  [ "$WS" != "$pr_ws" ]
  [ ! -e "$WS/.git/orchkit/state.db" ]
  run git --git-dir="$BATS_TEST_TMPDIR/srv/remote.git" log --format=%s orchkit/state
  [[ "$output" == *"bootstrap main 100.00 (ORCH-7 at "* ]]
  # a STOP handled on a third machine: the PR gate of the task, on a fresh runner, refuses it
  other="$BATS_TEST_TMPDIR/elsewhere"
  git clone -q "$GIT_URL/remote.git" "$other"
  stop-task -C "$other" --task ORCH-9 > /dev/null 2>&1
  task_branch task/ORCH-9-late late9.c 5
  run_job orchkit-pr gate pull_request "$(git rev-parse task/ORCH-9-late)" refs/pull/3/head main task/ORCH-9-late
  [ "$status" -eq 1 ]
  grep -Eq '^FAILED +coverage-gate \(exit 4\)' <<< "$output"
  grep -Eq '^SKIPPED +image' <<< "$output"
}

@test "PR chain: a coverage FAIL stops the chain before the image build; failing tests stop it before the gate" {
  task_branch task/ORCH-8-untested untested.c 20 yes
  head=$(git rev-parse task/ORCH-8-untested)
  run_job orchkit-pr gate pull_request "$head" refs/pull/2/head main task/ORCH-8-untested
  [ "$status" -eq 1 ]
  grep -Eq '^FAILED +coverage-gate \(exit 1\)' <<< "$output"
  grep -Eq '^OK +keep the coverage report' <<< "$output"      # if: always()
  grep -Eq '^SKIPPED +image' <<< "$output"
  [ ! -e "$MARKER" ]
  [ "$(fm "$MAIN/docs/work-items/ORCH-8/18-coverage-report.md" coverage_status)" = FAIL ]
  grep -q '::error::' <<< "$output$stderr"
  grep -q "coverage-gate: FAIL" "$SUMMARY"
  # the tests fail: neither the gate nor the image runs
  task_branch task/ORCH-9-ok ok.c 5
  TEST_COMMAND=false run_job orchkit-pr gate pull_request "$(git rev-parse task/ORCH-9-ok)" refs/pull/3/head main task/ORCH-9-ok
  [ "$status" -eq 1 ]
  grep -Eq '^FAILED +tests' <<< "$output"
  grep -Eq '^SKIPPED +coverage-gate' <<< "$output"
  grep -Eq '^SKIPPED +image' <<< "$output"
  [ ! -e "$MAIN/docs/work-items/ORCH-9/18-coverage-report.md" ]
  [ ! -e "$MARKER" ]
}

@test "PR chain: a PR that does not merge cleanly into the target fails at the caught-up HEAD" {
  git checkout -q -b task/ORCH-7-clash main
  echo "int clash = 1;" > src/a.c
  git commit -qam clash && git push -q origin task/ORCH-7-clash
  git checkout -q main
  echo "int clash = 2;" > src/a.c
  git commit -qam "main clashes" && git push -q origin main
  run_job orchkit-pr gate pull_request "$(git rev-parse task/ORCH-7-clash)" refs/pull/4/head main task/ORCH-7-clash
  [ "$status" -eq 1 ]
  grep -Eq '^FAILED +caught-up HEAD' <<< "$output"
  grep -Eq '^SKIPPED +coverage-gate' <<< "$output"
  [ ! -e "$MARKER" ]
}

@test "main chain: a push whose gated artefact does not match fails merge-verify and the job" {
  task_branch task/ORCH-7-feature feature.c 10
  run_job orchkit-pr gate pull_request "$(git rev-parse task/ORCH-7-feature)" refs/pull/1/head main task/ORCH-7-feature
  [ "$status" -eq 0 ]
  # the branch is rewritten after the gate, and that is what gets merged: not what was gated
  git checkout -q task/ORCH-7-feature && echo "int sneaky = 1; // UNTESTED" > src/sneaky.c && git add -A &&
    git commit -q --amend -m "amended after the gate" && git push -q -f origin task/ORCH-7-feature && git checkout -q main
  git merge -q --no-ff task/ORCH-7-feature -m "Merge pull request 'feature' (#1) from task/ORCH-7-feature into main"
  git push -q origin main
  run_job orchkit-main verify push "$(git rev-parse main)" refs/heads/main
  [ "$status" -eq 1 ]
  grep -Eq '^FAILED +merge-verify \(exit 1\)' <<< "$output"
  grep -Eq '^OK +queue-report' <<< "$output"                 # if: always()
  [ ! -e "$MAIN/.git/orchkit/state.db" ] || [ "$(sql "$MAIN/.git/orchkit/state.db" "SELECT count(*) FROM coverage_history")" = 0 ]
}

@test "reconcile: STOP on the board runs stop-task in the host's main worktree" {
  git -C "$MAIN" worktree add -q "$BATS_TEST_TMPDIR/host/worktrees/ORCH-8" -b task/ORCH-8-x
  git -C "$MAIN" push -q origin task/ORCH-8-x
  (cd "$MAIN" && plane-status set --task ORCH-8 --stage development --issue "$(item 8)" >/dev/null)
  curl -sf -X PATCH -H "X-Api-Key: $KEY" -H 'Content-Type: application/json' -d "{\"state\": \"$(st_id 6)\"}" \
    "$FAKE_URL/api/v1/workspaces/acme/projects/$P_ORCH/work-items/$(item 8)/" > /dev/null
  run_job orchkit-reconcile reconcile schedule "$(git rev-parse main)" refs/heads/main
  [ "$status" -eq 0 ]
  cat "$WS/orchkit-reconcile/reconcile.json"
  [ ! -e "$BATS_TEST_TMPDIR/host/worktrees/ORCH-8" ]
  ! git ls-remote --heads origin task/ORCH-8-x | grep -q .
  [ "$(board_state 8)" = "$(st_id 5)" ]
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [(a["action"], a["cancelled_shown"], a["warning"]) for a in d["actions"]] == [("stop", True, None)], d' \
    "$WS/orchkit-reconcile/reconcile.json"
}

#!/usr/bin/env bats
# plane-status end to end against the fake Plane (tests/fakes/fake_http.py --plane-seed): the
# status model with and without phase states, never-raise on every failure, --strict, the
# 00-stage.md record, pagination within the rate limit, and reconcile's STOP / To Analyse loop.
# The API key must never show up in any output, artefact or cache file.

load helpers
bats_require_minimum_version 1.5.0

KEY="plane_api_SECRET0123456789abcdef"
P_ORCH=aaaaaaaa-0000-4000-8000-000000000001
P_SHOP=bbbbbbbb-0000-4000-8000-000000000002
P_BIG=cccccccc-0000-4000-8000-000000000003

# State and item UUIDs: ORCH states a0..., SHOP states b0..., items a1... / b1... by number.
os() { printf 'a0000000-0000-4000-8000-%012d' "$1"; }   # ORCH state N
ss() { printf 'b0000000-0000-4000-8000-%012d' "$1"; }   # SHOP state N
oi() { printf 'a1000000-0000-4000-8000-%012d' "$1"; }   # ORCH item with sequence_id N
si() { printf 'b1000000-0000-4000-8000-%012d' "$1"; }   # SHOP item with sequence_id N

# write_seed FILE [BIG_COUNT]: ORCH has all twelve states, SHOP only Plane's defaults plus STOP
# and Cancelled (no phase states). BIG (optional) has BIG_COUNT generated items.
write_seed() {
  python3 - "$1" "${2:-0}" "$P_ORCH" "$P_SHOP" "$P_BIG" <<'PY'
import json, sys
out, big, p_orch, p_shop, p_big = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
st = lambda pre, n: "%s-0000-4000-8000-%012d" % (pre, n)
orch_names = ["Todo", "In Progress", "Done", "Blocked", "Cancelled", "STOP", "To Analyse", "Analysis",
              "Code Review", "Awaiting Deploy", "Deploying", "Monitoring", "Backlog"]
groups = {"Todo": "unstarted", "Done": "completed", "Cancelled": "cancelled", "Backlog": "backlog"}
shop_names = ["Todo", "In Progress", "Done", "Blocked", "Cancelled", "STOP"]
# ORCH items: 1-2 STOP, 3-6 and 8 To Analyse, 7 Todo, 9.. Todo
orch_states = {1: 6, 2: 6, 3: 7, 4: 7, 5: 7, 6: 7, 7: 1, 8: 7}
seed = {"workspace": "acme", "projects": {
  p_orch: {"identifier": "ORCH",
           "states": [{"id": st("a0000000", i + 1), "name": n, "group": groups.get(n, "started")}
                      for i, n in enumerate(orch_names)],
           "items": [{"id": st("a1000000", n), "sequence_id": n, "name": "orch %d" % n,
                      "state": st("a0000000", orch_states.get(n, 1))} for n in range(1, 13)]},
  p_shop: {"identifier": "SHOP",
           "states": [{"id": st("b0000000", i + 1), "name": n, "group": groups.get(n, "started")}
                      for i, n in enumerate(shop_names)],
           "items": [{"id": st("b1000000", n), "sequence_id": n, "name": "shop %d" % n,
                      "state": st("b0000000", 6 if n == 2 else 1)} for n in range(1, 4)]}}}
if big:
    seed["projects"][p_big] = {"identifier": "BIG",
        "states": [{"id": st("c0000000", i + 1), "name": n} for i, n in enumerate(shop_names + ["To Analyse"])],
        "items": [], "generate": {"count": big, "state": st("c0000000", 1), "start": 1}}
json.dump(seed, open(out, "w"), indent=1)
PY
}

write_config() {
  cat >> orchkit.toml <<TOML
[plane]
base_url = "$FAKE_URL"
workspace = "acme"
states_cache_ttl = "10m"
start_command = ["$BATS_TEST_TMPDIR/start.sh", "{task}", "{issue}"]
[plane.projects.ORCH]
id = "$P_ORCH"
self_hosting = true
[plane.projects.ORCH.states]
todo = "Todo"
in_progress = "In Progress"
done = "Done"
blocked = "Blocked"
cancelled = "Cancelled"
stop = "STOP"
to_analyse = "To Analyse"
analysis = "Analysis"
code_review = "Code Review"
awaiting_deploy = "Awaiting Deploy"
deploying = "Deploying"
monitoring = "Monitoring"
[plane.projects.SHOP]
id = "$P_SHOP"
self_hosting = false
[plane.projects.SHOP.states]
code_review = "Code Review"
TOML
}

add_big_config() {
  printf '[plane.projects.BIG]\nid = "%s"\n' "$P_BIG" >> orchkit.toml
}

setup() {
  REPO="$BATS_TEST_TMPDIR/repo"
  make_repo "$REPO"
  cd "$REPO"
  SEED="$BATS_TEST_TMPDIR/board.json"
  write_seed "$SEED"
  start_fake --plane-seed "$SEED" --plane-key "$KEY" --retry-after 1 --slow-seconds 30
  write_config
  export PLANE_API_KEY="$KEY"
  STATE="$REPO/.git/orchkit/state.db"
  cat > "$BATS_TEST_TMPDIR/start.sh" <<SH
#!/bin/sh
echo "\$@" >> "$BATS_TEST_TMPDIR/started.log"
SH
  chmod +x "$BATS_TEST_TMPDIR/start.sh"
}

teardown() { stop_fake; }

# pst ARGS...: plane-status with separate stderr; the key never shows in either.
pst() {
  run --separate-stderr plane-status "$@"
  no_leak
}
no_leak() {
  ! grep -q SECRET <<< "$output$stderr"
}
# fm FILE KEY: a front matter value, quotes removed.
fm() { sed -n "s/^$2: //p" "$1" | head -1 | tr -d '"'; }
stage_md() { echo "$REPO/docs/work-items/$1/00-stage.md"; }
# item_state ITEM_UUID: its state in the fake's written-back board.
item_state() {
  python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print([i["state"] for p in d["projects"].values() for i in p["items"] if i["id"]==sys.argv[2]][0])' "$SEED" "$1"
}
# requests METHOD REGEX: how many requests the fake logged whose path matches.
requests() {
  python3 -c 'import json,re,sys
print(sum(1 for l in open(sys.argv[1]) if l.strip() and json.loads(l)["method"]==sys.argv[2] and re.search(sys.argv[3], json.loads(l)["path"])))' "$FAKE_LOG" "$1" "$2"
}
statuses() { python3 -c 'import json,sys; print(" ".join(str(json.loads(l)["status"]) for l in open(sys.argv[1]) if l.strip()))' "$FAKE_LOG"; }
make_state_db() {
  mkdir -p "$(dirname "$STATE")"
  sql "$STATE" "CREATE TABLE IF NOT EXISTS tombstones(kind TEXT NOT NULL CHECK(kind IN ('task','branch','plane_issue')), natural_key TEXT NOT NULL, generation INTEGER NOT NULL, original TEXT, reason TEXT, at TEXT NOT NULL, PRIMARY KEY(kind, natural_key, generation))" > /dev/null
}
tombstone() { make_state_db; sql "$STATE" "INSERT INTO tombstones(kind, natural_key, generation, reason, at) VALUES('task','$1',$2,'test','t')" > /dev/null; }
# stage_file TASK STAGE [GEN]: a 00-stage.md as an earlier `set` would have left it.
stage_file() {
  mkdir -p "$REPO/docs/work-items/$1"
  printf -- '---\ntask: %s\nstage: %s\nkey: x\nstate_id: null\ngeneration: %s\nupdated_at: "t"\n---\n' "$1" "$2" "${3:-1}" \
    > "$(stage_md "$1")"
}
restart_fake() {
  local port=${FAKE_URL##*:}
  stop_fake
  start_fake --port "$port" --plane-seed "$SEED" --plane-key "$KEY" --retry-after 1 --slow-seconds 30 "$@"
}

@test "set: a project with every phase state resolves directly, records 00-stage.md, and is idempotent" {
  pst set --task ORCH-9 --stage code_review --issue "$(oi 9)" --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" key)" = code_review ]
  [ "$(json_field "$output" state_id)" = "$(os 9)" ]
  [ "$(json_field "$output" resolved_via)" = direct ]
  [ "$(json_field "$output" changed)" = true ]
  [ "$(json_field "$output" warning)" = null ]
  [ "$(item_state "$(oi 9)")" = "$(os 9)" ]
  f=$(stage_md ORCH-9)
  [ "$(fm "$f" task)" = ORCH-9 ]
  [ "$(fm "$f" stage)" = code_review ]
  [ "$(fm "$f" key)" = code_review ]
  [ "$(fm "$f" state_id)" = "$(os 9)" ]
  [ "$(fm "$f" generation)" = 1 ]
  [ "$(fm "$f" issue)" = "$(oi 9)" ]
  [ "$(fm "$f" project)" = ORCH ]
  [[ "$(fm "$f" updated_at)" =~ ^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T ]]
  # again, and `merge` (same key): no PATCH; the issue comes from 00-stage.md now
  pst set --task ORCH-9 --stage merge --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" changed)" = false ]
  [ "$(json_field "$output" issue)" = "$(oi 9)" ]
  [ "$(fm "$f" stage)" = merge ]
  [ "$(requests PATCH /work-items/)" = 1 ]
  # the states list came from the cache the second time
  [ "$(requests GET /states/)" = 1 ]
  [ -f "$REPO/.git/orchkit/plane-states-ORCH.json" ]
  ! grep -q SECRET "$REPO/.git/orchkit/plane-states-ORCH.json" "$f"
}

@test "set: every stage of the dispatch table on a self-hosting project with all phase states" {
  while read -r stage key n; do
    pst set --task ORCH-10 --stage "$stage" --issue "$(oi 10)" --json
    [ "$status" -eq 0 ]
    [ "$(json_field "$output" key)" = "$key" ]
    [ "$(json_field "$output" state_id)" = "$(os "$n")" ]
    [ "$(json_field "$output" resolved_via)" = direct ]
    [ "$(item_state "$(oi 10)")" = "$(os "$n")" ]
  done <<'TABLE'
to_analyse to_analyse 7
analysis analysis 8
architecture in_progress 2
development in_progress 2
code_review code_review 9
merge code_review 9
awaiting_deploy awaiting_deploy 10
deploying deploying 11
blocked blocked 4
done monitoring 12
TABLE
  # post-deploy health: degraded -> Blocked, healthy -> Done; the recorded stage stays done
  pst set --task ORCH-10 --stage monitoring --health degraded --json
  [ "$(json_field "$output" key)" = blocked ]
  [ "$(item_state "$(oi 10)")" = "$(os 4)" ]
  pst set --task ORCH-10 --stage monitoring --health healthy --json
  [ "$(json_field "$output" key)" = done ]
  [ "$(item_state "$(oi 10)")" = "$(os 3)" ]
  [ "$(fm "$(stage_md ORCH-10)" stage)" = done ]
  [ "$(fm "$(stage_md ORCH-10)" health)" = healthy ]
  pst set --task ORCH-10 --stage development --health healthy
  [ "$status" -eq 2 ]
}

@test "set: a project without phase states falls back to its own base states" {
  while read -r stage key via n; do
    pst set --task SHOP-1 --stage "$stage" --issue "$(si 1)" --json
    [ "$status" -eq 0 ]
    [ "$(json_field "$output" key)" = "$key" ]
    [ "$(json_field "$output" resolved_via)" = "$via" ]
    [ "$(json_field "$output" state_id)" = "$(ss "$n")" ]
    [ "$(json_field "$output" warning)" = null ]
    [ "$(item_state "$(si 1)")" = "$(ss "$n")" ]
  done <<'TABLE'
to_analyse to_analyse fallback 1
analysis analysis fallback 2
code_review code_review fallback 2
awaiting_deploy awaiting_deploy fallback 2
deploying deploying fallback 2
monitoring monitoring fallback 3
done done direct 3
cancelled cancelled direct 5
TABLE
  [ "$(fm "$(stage_md SHOP-1)" resolved_via)" = direct ]
}

@test "a state name missing: phase keys fall back, a base key is a warning (exit 0, --strict 3)" {
  # SHOP maps code_review to "Code Review", which it lacks: resolve says why
  pst resolve --project SHOP --key code_review --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" resolved_via)" = fallback ]
  [ "$(json_field "$output" state_id)" = "$(ss 2)" ]
  [[ "$(json_field "$output" why)" == *"'Code Review'"* ]]
  # a base key named after a state the project does not have
  echo 'blocked = "Stuck"' >> orchkit.toml   # the last table is [plane.projects.SHOP.states]
  pst set --task SHOP-3 --stage blocked --issue "$(si 3)" --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" state_id)" = null ]
  [ "$(json_field "$output" resolved_via)" = none ]
  [[ "$(json_field "$output" warning)" == *"'Stuck'"* ]]
  [[ "$stderr" == *"warning:"*"plane.projects.SHOP.states.blocked"* ]]
  [ "$(fm "$(stage_md SHOP-3)" stage)" = blocked ]
  [ "$(fm "$(stage_md SHOP-3)" board)" = failed ]
  pst set --task SHOP-3 --stage blocked --strict
  [ "$status" -eq 3 ]
  [[ "$stderr" == *"error:"*"(--strict)"* ]]
  [ "$(fm "$(stage_md SHOP-3)" stage)" = blocked ]
  [ "$(requests PATCH /)" = 0 ]
}

@test "a UUID of another project is never used" {
  pst set --task SHOP-1 --stage code_review --issue "$(si 1)"
  pst set --task SHOP-1 --stage monitoring
  pst set --task SHOP-1 --stage to_analyse
  # every PATCH on SHOP's paths carries one of SHOP's own states
  python3 - "$FAKE_LOG" "$P_SHOP" <<'PY'
import json, sys
n = 0
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["method"] == "PATCH":
        n += 1
        assert sys.argv[2] in r["path"], r["path"]
        assert json.loads(r["body"])["state"].startswith("b0000000-"), r["body"]
assert n == 3, n
PY
  # a SHOP item set through ORCH: ORCH's states on ORCH's path, which does not hold the item
  pst set --task SHOP-2 --project ORCH --stage code_review --issue "$(si 2)" --json
  [ "$status" -eq 0 ]
  [[ "$(json_field "$output" warning)" == *"no work item"* ]]
  [ "$(item_state "$(si 2)")" = "$(ss 6)" ]
  [ "$(requests PATCH /)" = 3 ]
  ! grep -q "a0000000-" <(grep PATCH "$FAKE_LOG" | grep "$P_SHOP")
}

@test "never-raise: 500, 429, reset, 401, 403 and slow are warnings; --strict makes them exit 3" {
  for mode in 500 429:1 reset 401 403; do
    rm -f "$REPO/.git/orchkit/plane-states-"*.json
    set_fake_mode "$mode"
    SECONDS=0
    pst set --task ORCH-11 --stage development --issue "$(oi 11)" --json
    [ "$status" -eq 0 ]
    [ "$SECONDS" -lt 20 ]
    [ "$(json_field "$output" warning)" != null ]
    [ "$(json_field "$output" changed)" = false ]
    [[ "$stderr" == *"warning:"* ]]
    [ "$(fm "$(stage_md ORCH-11)" stage)" = development ]
    [ "$(fm "$(stage_md ORCH-11)" board)" = failed ]
    pst set --task ORCH-11 --stage development --strict
    [ "$status" -eq 3 ]
  done
  [[ "$(json_field "$output" warning)" != *SECRET* ]]
  set_fake_mode slow:30
  SECONDS=0
  pst set --task ORCH-11 --stage analysis --timeout 1s --budget 3s --json
  [ "$status" -eq 0 ]
  [ "$SECONDS" -lt 10 ]
  [ "$(json_field "$output" warning)" != null ]
  [ "$(fm "$(stage_md ORCH-11)" stage)" = analysis ]
  set_fake_mode ok
  [ "$(item_state "$(oi 11)")" = "$(os 1)" ]
  # a refused key says so, without showing it
  PLANE_API_KEY="wrong-SECRET-key" pst set --task ORCH-11 --stage analysis --json
  [ "$status" -eq 0 ]
  [[ "$(json_field "$output" warning)" == *"PLANE_API_KEY"* ]]
  # no key at all
  PLANE_API_KEY= pst set --task ORCH-11 --stage analysis --json
  [ "$status" -eq 0 ]
  [[ "$(json_field "$output" warning)" == *"PLANE_API_KEY is not set"* ]]
  [ "$(item_state "$(oi 11)")" = "$(os 1)" ]
  ! grep -rq SECRET "$REPO/docs" "$REPO/.git/orchkit"
}

@test "a 429 once is retried after Retry-After and the update lands" {
  set_fake_mode 429-once:1
  pst set --task ORCH-12 --stage analysis --issue "$(oi 12)" --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" warning)" = null ]
  [ "$(item_state "$(oi 12)")" = "$(os 8)" ]
  [[ "$(statuses)" == 429* ]]
}

@test "set refuses a cancelled generation (exit 4); To Analyse starts generation N+1" {
  stage_file ORCH-9 development 1
  tombstone ORCH-9 1
  pst set --task ORCH-9 --stage development --issue "$(oi 9)"
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"cancelled"* ]]
  [ "$(fm "$(stage_md ORCH-9)" stage)" = development ]
  [ "$(requests PATCH /)" = 0 ]
  pst set --task ORCH-9 --stage to_analyse --issue "$(oi 9)" --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" generation)" = 2 ]
  [ "$(fm "$(stage_md ORCH-9)" generation)" = 2 ]
  [ "$(item_state "$(oi 9)")" = "$(os 7)" ]
  pst set --task ORCH-9 --stage analysis --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" generation)" = 2 ]
}

@test "an older server: work-items/ is 404, issues/ is used" {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["legacy"]=True; json.dump(d,open(sys.argv[1],"w"))' "$SEED"
  restart_fake
  pst set --task ORCH-9 --stage deploying --issue "$(oi 9)" --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" warning)" = null ]
  [ "$(item_state "$(oi 9)")" = "$(os 11)" ]
  [ "$(requests PATCH /issues/)" = 1 ]
  [ "$(requests PATCH /work-items/)" = 0 ]
}

# --- issue 15: Plane's answers read as Plane gives them ---

# seed_edit PYTHON: edits the seed (d) and restarts the fake on it.
seed_edit() {
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $1; json.dump(d,open(sys.argv[1],'w'))" "$SEED"
  restart_fake
}

@test "403: a bad key and a project the key's user is not a member of get different hints" {
  PLANE_API_KEY="wrong-SECRET-key" pst set --task ORCH-11 --stage analysis --json
  [ "$status" -eq 0 ]
  [ "$(statuses)" = 403 ]
  [[ "$(json_field "$output" warning)" == *"HTTP 403: Given API token is not valid (the API key was refused: set PLANE_API_KEY"* ]]
  seed_edit "d['projects']['$P_ORCH']['member']=False"
  pst set --task ORCH-11 --stage analysis --json
  [ "$status" -eq 0 ]
  [[ "$(json_field "$output" warning)" == *"You do not have permission to perform this action."* ]]
  [[ "$(json_field "$output" warning)" == *"not a member of project $P_ORCH"* ]]
  [[ "$(json_field "$output" warning)" != *"PLANE_API_KEY"* ]]
  pst set --task ORCH-11 --stage analysis --strict
  [ "$status" -eq 3 ]
}

@test "a work item that does not exist (JSON 404) is not taken for an old server: no issues/ request" {
  pst set --task ORCH-11 --stage analysis --issue a1000000-0000-4000-8000-000000009999 --json
  [ "$status" -eq 0 ]
  [[ "$(json_field "$output" warning)" == *"no work item a1000000-0000-4000-8000-000000009999"* ]]
  [ "$(requests GET /issues/)" = 0 ]
  [ "$(requests PATCH /issues/)" = 0 ]
}

@test "triage states are hidden from the states list, as Plane hides them" {
  seed_edit "d['projects']['$P_SHOP']['states'].append({'id': 'b0000000-0000-4000-8000-000000000099', 'name': 'Triage', 'group': 'triage', 'triage': True})"
  pst states --project SHOP --json
  [ "$status" -eq 0 ]
  python3 - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
names = [s["name"] for s in d["states"]]
assert "Triage" not in names and len(names) == 6, names
PY
}

@test "a validation error (a per-field list) is shown as text, not as JSON" {
  # a state id the server's serializer refuses (not a UUID): Plane answers {"state": ["..."]}
  seed_edit "[s.update(id='not-a-uuid') for s in d['projects']['$P_ORCH']['states'] if s['name']=='Analysis']; [i.update(state='not-a-uuid') for i in d['projects']['$P_ORCH']['items'] if i['state']=='a0000000-0000-4000-8000-000000000008']"
  pst set --task ORCH-11 --stage analysis --issue "$(oi 11)" --json
  [ "$status" -eq 0 ]
  [[ "$(json_field "$output" warning)" == *"HTTP 400: state: “not-a-uuid” is not a valid UUID."* ]]
  [[ "$(json_field "$output" warning)" != *'["'* ]]
}

@test "states and resolve: the key map, and rolling out a new state" {
  pst states --project SHOP --json
  [ "$status" -eq 0 ]
  python3 - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert d["project"] == "SHOP" and len(d["states"]) == 6, d
keys = {k["key"]: k for k in d["keys"]}
assert len(keys) == 12
assert keys["todo"]["resolved_via"] == "direct"
assert keys["code_review"]["resolved_via"] == "fallback" and keys["code_review"]["used_key"] == "in_progress"
assert keys["monitoring"]["state_id"] == keys["done"]["state_id"]
PY
  pst set --task SHOP-1 --stage code_review --issue "$(si 1)" --json
  [ "$(json_field "$output" resolved_via)" = fallback ]
  # the operator creates "Code Review" in SHOP ...
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["projects"][sys.argv[2]]["states"].append({"id":"b0000000-0000-4000-8000-000000000099","name":"Code Review"}); json.dump(d,open(sys.argv[1],"w"))' "$SEED" "$P_SHOP"
  restart_fake
  # ... `resolve` asks the server (and refreshes the cache): direct now, and so is the next set
  pst resolve --project SHOP --key code_review
  [ "$status" -eq 0 ]
  [[ "$output" == *"b0000000-0000-4000-8000-000000000099 (direct)"* ]]
  pst set --task SHOP-1 --stage merge --json
  [ "$(json_field "$output" resolved_via)" = direct ]
  [ "$(item_state "$(si 1)")" = b0000000-0000-4000-8000-000000000099 ]
  pst resolve --project NOPE --key todo
  [ "$status" -eq 2 ]
  pst resolve --project SHOP --key architecture
  [ "$status" -eq 2 ]
}

@test "reconcile lists 2,500 work items in 25 pages within the rate limit" {
  write_seed "$SEED" 2500
  add_big_config
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); p=d["projects"][sys.argv[2]]; p["items"]=[{"id":"dd000000-0000-4000-8000-000000009999","sequence_id":9999,"name":"x","state":"c0000000-0000-4000-8000-000000000006"}]; json.dump(d,open(sys.argv[1],"w"))' "$SEED" "$P_BIG"
  restart_fake
  : > "$FAKE_LOG"
  pst reconcile --project BIG --dry-run --json
  [ "$status" -eq 0 ]
  python3 - "$output" "$FAKE_LOG" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
p = d["projects"][0]
assert p["listed"] == 2501 and p["pages"] == 26, p
assert d["requests"] == 27, d["requests"]     # 1 states + 26 pages, no per-item GET
acts = d["actions"]
assert len(acts) == 1 and acts[0]["task"] == "BIG-9999" and acts[0]["action"] == "stop", acts
log = [json.loads(l) for l in open(sys.argv[2])]
assert len(log) == 27 and all(r["status"] == 200 for r in log), [r["status"] for r in log]
assert all(r["method"] == "GET" for r in log)
pages = [r for r in log if r["path"].endswith("/work-items/")]
assert [r["query"].split("cursor=")[1].split("&")[0] for r in pages][:3] == ["100:0:0", "100:1:0", "100:2:0"]
PY
  [ ! -e "$BATS_TEST_TMPDIR/started.log" ]
}

@test "reconcile pauses at X-RateLimit-Remaining: 0 instead of being throttled" {
  write_seed "$SEED" 2500
  add_big_config
  restart_fake --plane-rate-limit 10 --plane-rate-window 2
  : > "$FAKE_LOG"
  pst reconcile --project BIG --dry-run --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" rate_limit_pauses)" -ge 2 ]
  python3 - "$output" "$FAKE_LOG" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert d["projects"][0]["listed"] == 2500 and d["projects"][0]["pages"] == 25, d["projects"]
statuses = [json.loads(l)["status"] for l in open(sys.argv[2])]
assert 429 not in statuses and len(statuses) == 26, statuses
PY
}

# tombstoned TASK GEN: 1 when the state file has the task's tombstone, else 0.
tombstoned() { sql "$STATE" "SELECT count(*) FROM tombstones WHERE kind = 'task' AND natural_key = '$1' AND generation = $2"; }

# The board: ORCH-1, ORCH-2 in STOP; ORCH-3..6, ORCH-8 in To Analyse; ORCH-7 in Todo.
reconcile_fixture() {
  make_state_db
  stage_file ORCH-1 development 1
  stage_file ORCH-2 code_review 1
  tombstone ORCH-2 1                # already cancelled: only shows Cancelled
  stage_file ORCH-4 development 1
  tombstone ORCH-4 1                # cancelled; To Analyse again: generation 2
  stage_file ORCH-5 development 1   # live, not in analysis: left alone
  stage_file ORCH-6 analysis 1      # live in analysis: relaunched
  stage_file ORCH-8 done 1          # terminal: never restarted
}

@test "reconcile --dry-run lists what it would do and runs nothing" {
  reconcile_fixture
  run --separate-stderr plane-status reconcile --project ORCH --dry-run --json
  no_leak
  [ "$status" -eq 0 ]
  python3 - "$output" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
acts = {a["task"]: a for a in d["actions"]}
assert sorted(acts) == ["ORCH-1", "ORCH-2", "ORCH-3", "ORCH-4", "ORCH-5", "ORCH-6", "ORCH-8"], sorted(acts)
want = {"ORCH-1": "stop", "ORCH-2": "mark_cancelled", "ORCH-3": "start", "ORCH-4": "start",
        "ORCH-5": "skip", "ORCH-6": "relaunch", "ORCH-8": "skip"}
assert {k: a["action"] for k, a in acts.items()} == want, acts
assert all(not a["ran"] for a in acts.values())
# the stop runs in-process: no command, no status until it ran
assert acts["ORCH-1"]["command"] == [] and acts["ORCH-1"]["stop_status"] is None, acts["ORCH-1"]
assert acts["ORCH-1"]["generation"] == 1
assert acts["ORCH-3"]["command"][1:] == ["ORCH-3", "a1000000-0000-4000-8000-000000000003"]
assert "only from analysis" in acts["ORCH-5"]["reason"]
assert "terminal" in acts["ORCH-8"]["reason"]
PY
  [ ! -e "$BATS_TEST_TMPDIR/started.log" ]
  [ "$(tombstoned ORCH-1 1)" = 0 ]
  [ ! -e "$REPO/docs/work-items/ORCH-1/90-stop.md" ]
  [ "$(requests PATCH /)" = 0 ]
  [ "$(requests GET '/work-items/[^/]+/$')" = 0 ]
}

@test "reconcile: STOP -> the stop, in-process, then Cancelled; To Analyse -> the start command" {
  reconcile_fixture
  run --separate-stderr plane-status reconcile --json
  no_leak
  [ "$status" -eq 0 ]
  # the stop ran for ORCH-1 and SHOP-2 (not for ORCH-2, already cancelled), for the generation observed
  [ "$(tombstoned ORCH-1 1)" = 1 ]
  [ "$(tombstoned SHOP-2 1)" = 1 ]
  [ "$(fm "$(stage_md ORCH-1)" stage)" = cancelled ]
  [ "$(fm "$(stage_md ORCH-1)" issue)" = "$(oi 1)" ]
  [ "$(fm "$REPO/docs/work-items/ORCH-1/90-stop.md" status)" = cancelled ]
  python3 - "$output" <<'PY'
import json, sys
acts = {a["task"]: a for a in json.loads(sys.argv[1])["actions"]}
for k in ("ORCH-1", "SHOP-2"):
    assert acts[k]["stop_status"] == "cancelled" and acts[k]["cancelled_shown"] and acts[k]["ran"], acts[k]
assert acts["ORCH-2"]["action"] == "mark_cancelled" and acts["ORCH-2"]["cancelled_shown"], acts["ORCH-2"]
PY
  [ "$(item_state "$(oi 1)")" = "$(os 5)" ]
  [ "$(item_state "$(oi 2)")" = "$(os 5)" ]
  [ "$(item_state "$(si 2)")" = "$(ss 5)" ]
  # the start command ran for the new task, the cancelled one and the one in analysis
  sort "$BATS_TEST_TMPDIR/started.log" > "$BATS_TEST_TMPDIR/started.sorted"
  printf '%s\n' "ORCH-3 $(oi 3)" "ORCH-4 $(oi 4)" "ORCH-6 $(oi 6)" | diff - "$BATS_TEST_TMPDIR/started.sorted"
  # SHOP has no To Analyse state: nothing starts there, and that is not a warning
  [ "$(json_field "$output" warnings)" = "[]" ]
  # no per-item GET: one listing per project, then the three PATCHes to Cancelled (each once:
  # the stop shows Cancelled on the pass's board, reconcile does not set it a second time)
  [ "$(requests GET '/work-items/[^/]+/$')" = 0 ]
  [ "$(requests GET '/work-items/$')" = 2 ]
  [ "$(requests PATCH /work-items/)" = 3 ]
  # a second pass: the cancelled items are no longer in STOP; nothing is stopped twice
  run --separate-stderr plane-status reconcile --project ORCH --json
  [ "$status" -eq 0 ]
  python3 - "$output" <<'PY'
import json, sys
assert not [a for a in json.loads(sys.argv[1])["actions"] if a["action"] == "stop"]
PY
}

# started TASK: how many times the start command ran for TASK.
started() { grep -c "^$1 " "$BATS_TEST_TMPDIR/started.log" || true; }

@test "reconcile starts a task once: overlapping passes over a slow start command, then a pass after" {
  cat > "$BATS_TEST_TMPDIR/start.sh" <<SH
#!/bin/sh
echo "\$@" >> "$BATS_TEST_TMPDIR/started.log"
case "\$1" in ORCH-3) sleep 4;; esac
SH
  plane-status reconcile --project ORCH --json > "$BATS_TEST_TMPDIR/a.json" 2> "$BATS_TEST_TMPDIR/a.err" &
  local a=$!
  for _ in $(seq 100); do [ "$(started ORCH-3)" = 1 ] && break; sleep 0.05; done
  [ "$(started ORCH-3)" = 1 ]
  # a second pass while the first one's command runs: it leaves ORCH-3 to it
  run --separate-stderr plane-status reconcile --project ORCH --json
  [ "$status" -eq 0 ]
  python3 - "$output" <<'PY'
import json, sys
acts = {a["task"]: a for a in json.loads(sys.argv[1])["actions"]}
assert acts["ORCH-3"]["action"] == "skip" and not acts["ORCH-3"]["ran"], acts["ORCH-3"]
assert "still runs" in acts["ORCH-3"]["reason"], acts["ORCH-3"]
PY
  wait "$a"
  # every item in To Analyse started exactly once across both passes
  for t in ORCH-3 ORCH-4 ORCH-5 ORCH-6 ORCH-8; do [ "$(started $t)" = 1 ] || { cat "$BATS_TEST_TMPDIR/started.log"; false; }; done
  [ "$(sql "$STATE" "SELECT count(*) FROM start_records WHERE status = 'started' AND attempts = 1")" = 5 ]
  # the items are still in To Analyse (the pipeline has not moved them yet): a later pass starts nothing
  run --separate-stderr plane-status reconcile --project ORCH --json
  [ "$status" -eq 0 ]
  [ "$(wc -l < "$BATS_TEST_TMPDIR/started.log")" = 5 ]
  python3 - "$output" <<'PY'
import json, sys
acts = json.loads(sys.argv[1])["actions"]
assert all(a["action"] == "skip" and "once per generation" in a["reason"] for a in acts), acts
PY
  # a cancelled generation is a new one: it starts (once) again
  tombstone ORCH-4 1
  stage_file ORCH-4 development 1
  run --separate-stderr plane-status reconcile --project ORCH
  [ "$status" -eq 0 ]
  [ "$(started ORCH-4)" = 2 ]
  [ "$(sql "$STATE" "SELECT status FROM start_records WHERE task = 'ORCH-4' AND generation = 2")" = started ]
}

@test "reconcile: a failing start command is retried with backoff, never every pass" {
  sed -i 's/^start_command = .*/&\nstart_retry = "2s"/' orchkit.toml
  cat > "$BATS_TEST_TMPDIR/start.sh" <<SH
#!/bin/sh
echo "\$@" >> "$BATS_TEST_TMPDIR/started.log"
[ "\$1" != ORCH-5 ] || exit 3
SH
  run --separate-stderr plane-status reconcile --project ORCH
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"ORCH-5: the start command exited 3 (attempt 1): retried after 2s by a later pass"* ]]
  run --separate-stderr plane-status reconcile --project ORCH --json
  [ "$status" -eq 0 ]
  [ "$(started ORCH-5)" = 1 ]
  python3 - "$output" <<'PY'
import json, sys
a = [a for a in json.loads(sys.argv[1])["actions"] if a["task"] == "ORCH-5"][0]
assert a["action"] == "skip" and "attempt 1" in a["reason"] and "retry in" in a["reason"], a
PY
  sleep 2.2
  run --separate-stderr plane-status reconcile --project ORCH --json
  [ "$status" -eq 0 ]
  [ "$(started ORCH-5)" = 2 ]
  [[ "$stderr" == *"ORCH-5: the start command exited 3 (attempt 2): retried after 4s"* ]]
  run --separate-stderr plane-status reconcile --project ORCH --strict
  [ "$status" -eq 0 ]   # backing off is not a warning
  [ "$(started ORCH-5)" = 2 ]
  # the others started once, on the first pass
  [ "$(started ORCH-3)" = 1 ]
  [ "$(sql "$STATE" "SELECT attempts || ' ' || exit_code FROM start_records WHERE task = 'ORCH-5'")" = "2 3" ]
}

@test "reconcile: a stop that refuses is a warning for that item, and the pass goes on" {
  reconcile_fixture
  # the main worktree has the task's branch checked out: the stop refuses before doing anything
  git -C "$REPO" switch -q -c task/ORCH-1
  run --separate-stderr plane-status reconcile --project ORCH --json
  no_leak
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"warning:"*"ORCH-1: the stop failed: "*"task/ORCH-1 checked out"*"the item stays in STOP"* ]]
  [ "$(item_state "$(oi 1)")" = "$(os 6)" ]   # still STOP
  [ "$(tombstoned ORCH-1 1)" = 0 ]
  grep -q "^ORCH-3 " "$BATS_TEST_TMPDIR/started.log"   # the pass went on
  run --separate-stderr plane-status reconcile --project ORCH --strict
  [ "$status" -eq 3 ]
  # resolved: the next pass stops it
  git -C "$REPO" switch -q main
  run --separate-stderr plane-status reconcile --project ORCH
  [ "$status" -eq 0 ]
  [ "$(tombstoned ORCH-1 1)" = 1 ]
  [ "$(item_state "$(oi 1)")" = "$(os 5)" ]
}

@test "reconcile never raises on a board failure" {
  set_fake_mode 500
  pst reconcile --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" warnings)" != "[]" ]
  pst reconcile --strict
  [ "$status" -eq 3 ]
  set_fake_mode ok
  PLANE_API_KEY= pst reconcile
  [ "$status" -eq 0 ]
  [[ "$stderr" == *"PLANE_API_KEY is not set"* ]]
}

@test "usage errors: unknown stage, unknown project, bad task key" {
  pst set --task ORCH-1 --stage deploy
  [ "$status" -eq 2 ]
  pst set --task ORCH-1 --stage analysis --project NOPE
  [ "$status" -eq 2 ]
  pst set --task orch-1 --stage analysis
  [ "$status" -eq 2 ]
  pst set --task ORCH-1 --stage monitoring --health sick
  [ "$status" -eq 2 ]
  [ ! -e "$(stage_md ORCH-1)" ]
  pst
  [ "$status" -eq 2 ]
  pst --help
  [ "$status" -eq 0 ]
  [[ "$output" == *"Exit codes:"* ]]
}

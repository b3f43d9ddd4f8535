# Shared helpers for the bats suites: real git repositories built by script in a temp dir.
# ORCHKIT_BIN (the build's bin dir) and ORCHKIT_SRC (the source root) come from CTest.

: "${ORCHKIT_BIN:?set ORCHKIT_BIN to the build bin directory}"
: "${ORCHKIT_SRC:?set ORCHKIT_SRC to the source root}"
export PATH="$ORCHKIT_BIN:$PATH"
export GIT_AUTHOR_NAME=orchkit GIT_AUTHOR_EMAIL=orchkit@example.invalid
export GIT_COMMITTER_NAME=orchkit GIT_COMMITTER_EMAIL=orchkit@example.invalid
export GIT_CONFIG_NOSYSTEM=1 HOME="${BATS_TEST_TMPDIR:-/tmp}"
unset ORCHKIT_CONFIG GITHUB_ACTIONS GITEA_ACTIONS GITHUB_STEP_SUMMARY ORCH_COVERAGE_ENABLED ORCH_COVERAGE_SCOPE \
  ORCH_COVERAGE_MODE ORCH_COVERAGE_MIN ORCH_COVERAGE_EPSILON ORCH_COVERAGE_PATCH_MIN ORCH_COVERAGE_ON_TOOL_ERROR \
  ORCH_COVERAGE_RULE

# make_repo DIR: a repository on main with src/a.c (10 lines) and an origin-like identity.
make_repo() {
  local dir=$1
  mkdir -p "$dir/src"
  git -C "$dir" init -q -b main
  for i in $(seq 1 10); do echo "int a$i = $i;"; done > "$dir/src/a.c"
  for i in $(seq 1 10); do echo "int b$i = $i;"; done > "$dir/src/b.c"
  cat > "$dir/orchkit.toml" <<TOML
[project]
name = "acme/demo"
self_hosting = true
[coverage]
min = "80"
epsilon = "0.1"
TOML
  git -C "$dir" add -A
  git -C "$dir" commit -q -m "initial"
}

# lcov_report FILE PATH COVERED TOTAL [PATH COVERED TOTAL ...]: lines 1..TOTAL, the first COVERED hit.
lcov_report() {
  local out=$1
  shift
  : > "$out"
  while [ $# -gt 0 ]; do
    local path=$1 covered=$2 total=$3
    shift 3
    echo "SF:$path" >> "$out"
    for i in $(seq 1 "$total"); do
      if [ "$i" -le "$covered" ]; then echo "DA:$i,1"; else echo "DA:$i,0"; fi
    done >> "$out"
    echo "end_of_record" >> "$out"
  done
}

# json_field JSON KEY: one top-level field of a JSON object (strings unquoted).
json_field() {
  python3 -c 'import json,sys; v=json.loads(sys.argv[1]).get(sys.argv[2]); print("null" if v is None else (json.dumps(v) if isinstance(v,(list,dict,bool)) else v))' "$1" "$2"
}

# sql DB STATEMENT: runs one SQL statement with python3's sqlite3.
sql() {
  python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.argv[2]).fetchall(); c.commit(); print("\n".join("|".join(map(str,x)) for x in r))' "$1" "$2"
}

# start_git_daemon BASE: serves the bare repositories under BASE on 127.0.0.1 with push enabled
# (so server-side hooks run, unlike a file:// remote). Sets GIT_URL (git://127.0.0.1:PORT).
# $GIT_DAEMON_ARGS: more options for the daemon (e.g. --access-hook=PATH); GIT_DAEMON_READ_ONLY=1
# serves without receive-pack (every push refused).
start_git_daemon() {
  local base=$1 port tries=0 push=--enable=receive-pack
  [ "${GIT_DAEMON_READ_ONLY:-}" = 1 ] && push=
  while :; do
    port=$((20000 + RANDOM % 20000))
    git daemon --listen=127.0.0.1 --port="$port" --base-path="$base" --export-all $push \
      ${GIT_DAEMON_ARGS:-} --reuseaddr --detach --pid-file="$BATS_TEST_TMPDIR/git-daemon.pid" "$base" 2>/dev/null || true
    for _ in $(seq 1 50); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        # someone listens: ours only if it is still alive (git daemon writes its pid file,
        # then dies when another suite's daemon holds the port)
        sleep 0.2
        if kill -0 "$(cat "$BATS_TEST_TMPDIR/git-daemon.pid" 2>/dev/null)" 2>/dev/null; then
          GIT_URL="git://127.0.0.1:$port"
          return 0
        fi
        break
      fi
      sleep 0.05
    done
    stop_git_daemon
    tries=$((tries + 1))
    [ "$tries" -lt 5 ] || return 1
  done
}

stop_git_daemon() {
  local f="$BATS_TEST_TMPDIR/git-daemon.pid"
  if [ -f "$f" ]; then
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  fi
}

# make_remote_repo DIR: make_repo plus a bare remote served by git daemon as origin.
make_remote_repo() {
  local dir=$1
  make_repo "$dir"
  mkdir -p "$BATS_TEST_TMPDIR/srv"
  git clone -q --bare "$dir" "$BATS_TEST_TMPDIR/srv/remote.git"
  start_git_daemon "$BATS_TEST_TMPDIR/srv"
  git -C "$dir" remote add origin "$GIT_URL/remote.git"
  git -C "$dir" fetch -q origin
}

# start_fake [ARGS...]: the fake HTTP services (tests/fakes/fake_http.py) on 127.0.0.1.
# Sets FAKE_URL, FAKE_LOG (JSON lines), FAKE_MODE (write a mode into it: ok, 500, 429:1, slow:5, reset).
start_fake() {
  local d="$BATS_TEST_TMPDIR/fake"
  mkdir -p "$d"
  FAKE_LOG="$d/requests.jsonl"
  FAKE_MODE="$d/mode"
  : > "$FAKE_LOG"
  rm -f "$d/port"
  echo ok > "$FAKE_MODE"
  python3 "$ORCHKIT_SRC/tests/fakes/fake_http.py" --port-file "$d/port" --log "$FAKE_LOG" --control "$FAKE_MODE" "$@" \
    > "$d/stdout" 2> "$d/stderr" &
  FAKE_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$d/port" ] && break
    sleep 0.05
  done
  FAKE_URL="http://127.0.0.1:$(cat "$d/port")"
}

# stop_fake: stops the fake, then holds every request it saw to the contract (tests/contract): an
# operation of the official client with only fields and query parameters that operation defines.
# Fails the test otherwise; call it after stop_git_daemon in a teardown.
stop_fake() {
  if [ -n "${FAKE_PID:-}" ]; then
    kill "$FAKE_PID" 2>/dev/null || true
    wait "$FAKE_PID" 2>/dev/null || true
    FAKE_PID=
    check_contract "$FAKE_LOG"
  fi
}

# check_contract LOG: the requests of a fake's log against the clients' operations. CTest installs
# the clients once (the contract-clients fixture); a suite run by hand installs them here.
check_contract() {
  [ -s "$1" ] || return 0
  export CONTRACT_MODULES="${CONTRACT_MODULES:-${ORCHKIT_BIN:?}/../contract}"
  [ -d "$CONTRACT_MODULES/node_modules" ] || "$ORCHKIT_SRC/tests/contract/install.sh" "$CONTRACT_MODULES"
  local out
  if ! out=$(node "$ORCHKIT_SRC/tests/contract/check_requests.mjs" "$1" 2>&1); then
    printf 'contract: a request no official client would send (%s):\n%s\n' "$1" "$out" >&2
    return 1
  fi
}

# set_fake_mode MODE: atomically, so the fake never reads half a mode.
set_fake_mode() {
  echo "$1" > "$FAKE_MODE.tmp" && mv "$FAKE_MODE.tmp" "$FAKE_MODE"
}

fake_requests() { wc -l < "$FAKE_LOG" | tr -d ' '; }

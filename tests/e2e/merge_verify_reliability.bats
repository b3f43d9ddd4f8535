#!/usr/bin/env bats
# merge-verify under load and under SIGKILL (issue 4, item 7): a real SQLite state file, real
# merge-verify processes, a real repository whose main holds the gated commit. The artefacts are
# written by hand with the front matter coverage-gate writes (render_artefact), one per run, each
# proposing a random line_covered/line_total.
#
# 1. 16 processes x 150 runs on one state file: every run exit 0, final baseline = the highest
#    proposal (exact ratios), one bootstrap, a history row per run chaining old -> new, never a
#    decrease, integrity ok.
# 2. 200 SIGKILLs at random points of a run: integrity ok, the baseline never lower nor torn, and
#    the next run never waits for the dead run's lease (half the killed runs are still unreaped
#    zombies then: state/lease.cpp treats a zombie holder as dead).
# 3. The same for a hand-made lease of a zombie and of a vanished pid, deterministically.
# 4. SIGKILLs while the first run creates the state file: the next run bootstraps it, once.
#
# Sizes (defaults are the issue's): MV_REL_PROCS=16 MV_REL_RUNS=150 MV_REL_KILLS=200
# MV_REL_FIRST_KILLS=30. MV_REL_SEED fixes the random proposals (printed on failure). About
# 45 s on a quiet 2-core machine, 90 s on a loaded one.

load helpers
bats_require_minimum_version 1.5.0

setup() {
  REPO="$BATS_TEST_TMPDIR/repo"
  make_repo "$REPO"
  cd "$REPO"
  STATE="$REPO/.git/orchkit/state.db"
  GATED=$(git rev-parse HEAD)
  GATED_TREE=$(git rev-parse 'HEAD^{tree}')
  ARTS="$BATS_TEST_TMPDIR/arts"
  mkdir -p "$ARTS"
  LIVE_PARENT=
  exec {NAP}<> <(:)  # nap: sleeping without a fork, read -t on a pipe nobody writes to
  SEED=${MV_REL_SEED:-$(( $(date +%s) % 100000 ))}
  echo "# seed $SEED (MV_REL_SEED=$SEED reproduces the proposals)"
}

# artefact FILE COVERED TOTAL TASK: a PASS artefact for the commit on main, as coverage-gate writes it
# (line_pct truncated to two decimals: merge-verify refuses a front matter that disagrees with itself).
artefact() {
  local h=$(( $2 * 10000 / $3 )) frac
  printf -v frac %02d $((h % 100))
  cat > "$1" <<ART
---
coverage_status: PASS
task: $4
commit: $GATED
tree: $GATED_TREE
target: main
mode: both
line_covered: $2
line_total: $3
line_pct: "$((h / 100)).$frac"
baseline_pct: null
baseline_commit: null
min_pct: "0"
epsilon_pp: "0.1"
reasons: [bootstrap]
reports: [{path: cov.info, format: lcov, sha256: null}]
generated_by: coverage-gate reliability-test
---

# Coverage gate: PASS
ART
}

# propose I N: sets C and T, a random proposal that drifts upwards with I (0..N-1), so that
# concurrent runs keep raising the baseline instead of meeting 100 % early.
propose() {
  local i=$1 n=$2
  T=$(( (RANDOM * 32768 + RANDOM) % 60000 + 1000 ))
  C=$(( T * (i * 100 + RANDOM % 4000) / (n * 100 + 4000) ))
}

# The checks of the state file: one python3 coprocess for the whole test (a python3 start-up
# costs ~0.1-0.4 s on a loaded machine), asked once per probe; a fresh connection each time.
start_prober() {
  coproc PROBER { python3 -u -c '
import sqlite3, sys
for line in sys.stdin:
    c = sqlite3.connect(sys.argv[1], timeout=30)
    ok = c.execute("PRAGMA integrity_check").fetchall()
    b = c.execute("SELECT line_covered, line_total FROM coverage_baseline").fetchall()
    print("integrity=" + ",".join(r[0] for r in ok))
    print("baselines=%d" % len(b))
    print("baseline=" + ("%d %d" % b[0] if b else "none"))
    print("leases=%d" % c.execute("SELECT count(*) FROM leases").fetchone()[0])
    print("history=%d" % c.execute("SELECT count(*) FROM coverage_history").fetchone()[0])
    print("bootstraps=%d" % c.execute("SELECT count(*) FROM coverage_history WHERE event = ?", ("bootstrap",)).fetchone()[0])
    print("end")
    c.close()
' "$STATE"; }
}
# probe: sets PROBE to the prober's "key=value" lines about the state file now.
probe() {
  local line
  PROBE=
  echo probe >&"${PROBER[1]}"
  while IFS= read -r line <&"${PROBER[0]}"; do
    [ "$line" = end ] && return 0
    PROBE+="$line"$'\n'
  done
  return 1
}
# field KEY: one value from the last probe
field() { sed -n "s/^$1=//p" <<< "$PROBE"; }
# ratio_cmp A_COVERED A_TOTAL B_COVERED B_TOTAL: prints -1, 0 or 1 (exact: cross-multiplied).
ratio_cmp() {
  local l=$(( $1 * $4 )) r=$(( $3 * $2 ))
  if [ "$l" -lt "$r" ]; then echo -1; elif [ "$l" -gt "$r" ]; then echo 1; else echo 0; fi
}

# spawn PIDFILE CMD...: starts, in the background, a perl process that runs CMD as its child
# (output discarded), writes the child's pid to PIDFILE (atomically) and reaps the child only
# when sent SIGUSR1: until then a dead child stays a zombie, so its pid can never be reused
# under us (a kill can only hit our own process). The perl process (LIVE_PARENT) lives until
# SIGTERM.
spawn() {
  perl -e 'my ($f, @cmd) = @ARGV; my $p = fork() // die "fork: $!";
    if (!$p) { exec { $cmd[0] } @cmd; exit 127 }
    $SIG{USR1} = sub { waitpid($p, 0) };
    open(my $o, ">", "$f.tmp") or die; print $o "$p\n"; close $o; rename("$f.tmp", $f) or die;
    while (1) { sleep 600 }' "$@" > /dev/null 2>&1 3>&- &
  LIVE_PARENT=$!
}
# nap US: sleeps US microseconds without forking a process.
nap() { read -rt "$(printf '%d.%06d' $(($1 / 1000000)) $(($1 % 1000000)))" -u "$NAP" || true; }
# state_of PID: the process state letter (R, S, D, Z, ...), empty when it is gone.
state_of() { awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true; }
# reap PARENT CHILD: the spawn PARENT reaps its dead CHILD, then goes.
reap() {
  kill -USR1 "$1"
  until [ -z "$(state_of "$2")" ]; do :; done
  kill "$1"
  wait "$1" 2>/dev/null || true
  LIVE_PARENT=
}

teardown() {
  exec {NAP}<&-
  # a spawn parent left by a failure (never one already waited for: its pid may be reused)
  if [ -n "${LIVE_PARENT:-}" ]; then
    kill "$LIVE_PARENT" 2>/dev/null || true
  fi
  if [ -n "${PROBER_PID:-}" ]; then
    kill "$PROBER_PID" 2>/dev/null || true
    wait "$PROBER_PID" 2>/dev/null || true
  fi
}

@test "16 processes x 150 random ratchet proposals: 0 errors, final = max, 1 bootstrap, no decrease" {
  local procs=${MV_REL_PROCS:-16} runs=${MV_REL_RUNS:-150}
  loop() {
    local l=$1 i rc a
    RANDOM=$(( SEED * 31 + l ))
    for ((i = 0; i < runs; i++)); do
      propose "$i" "$runs"
      a="$ARTS/$l-$i.md"
      artefact "$a" "$C" "$T" "T-$l"
      rc=0
      merge-verify --no-fetch --artefact "$a" > "$ARTS/$l-$i.out" 2> "$ARTS/$l-$i.err" || rc=$?
      echo "$C $T $rc" >> "$ARTS/proposals"
      if [ "$rc" = 0 ]; then rm -f "$a" "$ARTS/$l-$i.out" "$ARTS/$l-$i.err"; fi
    done
  }
  SECONDS=0
  for ((l = 0; l < procs; l++)); do loop "$l" & done
  wait
  echo "# $((procs * runs)) runs in $SECONDS s"
  # every run exit 0 (the output of failed runs is kept for the failure message)
  failed=$(awk '$3 != 0' "$ARTS/proposals" | wc -l)
  if [ "$failed" != 0 ]; then
    awk '$3 != 0' "$ARTS/proposals" | head -5
    cat "$ARTS"/*.err | sort | uniq -c | sort -rn | head -10
  fi
  [ "$failed" = 0 ]
  [ "$(wc -l < "$ARTS/proposals")" = $((procs * runs)) ]
  run python3 - "$STATE" "$ARTS/proposals" <<'PY'
import sqlite3, sys
from fractions import Fraction as F
c = sqlite3.connect(sys.argv[1])
props = [tuple(map(int, l.split()[:2])) for l in open(sys.argv[2])]
best = max(F(cv, t) for cv, t in props)
errs = []
ok = c.execute("PRAGMA integrity_check").fetchall()
if ok != [("ok",)]: errs.append("integrity_check: %r" % ok)
base = c.execute("SELECT line_covered, line_total FROM coverage_baseline").fetchall()
if len(base) != 1: errs.append("%d baseline rows" % len(base))
elif F(*base[0]) != best: errs.append("final baseline %d/%d != max proposal %s" % (base[0] + (best,)))
elif tuple(base[0]) not in props: errs.append("final baseline %d/%d was never proposed" % base[0])
rows = c.execute("SELECT id, event, old_covered, old_total, new_covered, new_total FROM coverage_history ORDER BY id").fetchall()
if len(rows) != len(props): errs.append("%d history rows for %d runs" % (len(rows), len(props)))
boots = [r for r in rows if r[1] == "bootstrap"]
if len(boots) != 1: errs.append("%d bootstrap rows" % len(boots))
prev = None
for i, ev, oc, ot, nc, nt in rows:
    new = F(nc, nt)
    if ev == "bootstrap":
        if oc is not None: errs.append("row %d: a bootstrap with an old value" % i)
    else:
        old = F(oc, ot)
        if new < old: errs.append("row %d: %s %d/%d -> %d/%d decreases" % (i, ev, oc, ot, nc, nt))
        if ev == "ratchet" and not new > old: errs.append("row %d: a ratchet that does not raise" % i)
        if ev == "kept" and (oc, ot) != (nc, nt): errs.append("row %d: kept but changed" % i)
        if prev is not None and (oc, ot) != prev: errs.append("row %d: old %d/%d is not the previous new %d/%d" % ((i, oc, ot) + prev))
    prev = (nc, nt)
if c.execute("SELECT count(*) FROM leases").fetchone()[0] != 0: errs.append("a lease is left")
events = dict(c.execute("SELECT event, count(*) FROM coverage_history GROUP BY event").fetchall())
print("events:", events, "final:", "%d/%d" % base[0] if base else None)
print("\n".join(errs[:20]))
sys.exit(1 if errs else 0)
PY
  echo "$output"
  [ "$status" -eq 0 ]
}

@test "200 random SIGKILLs mid-ratchet: integrity ok, the baseline never lower, a dead run's lease never blocks" {
  # Every kill is followed by a normal run that must neither wait for the killed run's lease nor
  # see a torn baseline. Half the killed runs stay zombies (unreaped) during that next run.
  local kills=${MV_REL_KILLS:-200} k pid parent us left hist bc bt ac at nc nt took=0 leftover=0 committed=0 t0 t1 rc dur=30000
  RANDOM=$SEED
  # a first baseline, so that every kill races a ratchet rather than a bootstrap
  artefact "$ARTS/seed.md" 1000 100000 T-0
  merge-verify --no-fetch --artefact "$ARTS/seed.md" > /dev/null
  start_prober
  probe
  SECONDS=0
  for ((k = 0; k < kills; k++)); do
    read -r bc bt <<< "$(field baseline)"
    hist=$(field history)
    propose "$k" "$kills"
    artefact "$ARTS/kill.md" "$C" "$T" "T-$((k % 7))"
    # the kill lands at a random point of a run: between 1/8 and 7/8 of the last run's duration
    # (the state file's work is the last ~third, after the binary has loaded and read the repo)
    us=$(( dur / 8 + (RANDOM * 32768 + RANDOM) % (dur * 3 / 4 + 1) ))
    rm -f "$ARTS/pid"
    spawn "$ARTS/pid" merge-verify --no-fetch --artefact "$ARTS/kill.md"
    parent=$LIVE_PARENT
    until [ -e "$ARTS/pid" ]; do :; done
    pid=$(< "$ARTS/pid")
    nap "$us"
    kill -9 "$pid"
    # dead before the state file is looked at; then reaped (odd k), or left a zombie during the
    # next run (even k)
    until [ "$(state_of "$pid")" = Z ]; do :; done
    if ((k % 2)); then reap "$parent" "$pid"; fi
    probe
    [ "$(field integrity)" = ok ] || { echo "kill $k after ${us} us: integrity: $(field integrity)"; false; }
    [ "$(field baselines)" = 1 ]
    read -r ac at <<< "$(field baseline)"
    # never lower, never torn: the old baseline, or the killed run's proposal when that is higher
    if [ "$ac $at" != "$bc $bt" ]; then
      [ "$ac $at" = "$C $T" ] && [ "$(ratio_cmp "$ac" "$at" "$bc" "$bt")" = 1 ] ||
        { echo "kill $k after ${us} us: baseline $bc/$bt -> $ac/$at (proposal $C/$T)"; false; }
    fi
    if [ "$(field history)" -gt "$hist" ]; then committed=$((committed + 1)); fi
    left=$(field leases)
    [ "$left" = 0 ] || leftover=$((leftover + 1))
    echo "$k $us $dur $(( $(field history) > hist )) $left $((k % 2))" >> "$ARTS/kills"
    # the next run is never held up by the dead run's lease: no wait, taken over at once
    propose "$k" "$kills"
    artefact "$ARTS/next.md" "$C" "$T" T-next
    t0=${EPOCHREALTIME/./}
    rc=0
    merge-verify --no-fetch --artefact "$ARTS/next.md" --lease-wait 20s > /dev/null 2> "$ARTS/next.err" || rc=$?
    t1=${EPOCHREALTIME/./}
    stderr=$(cat "$ARTS/next.err")
    [ "$rc" -eq 0 ] || { echo "run after kill $k: exit $rc: $stderr"; false; }
    [[ "$stderr" != *"waiting for lease"* ]] || { echo "run after kill $k waited $(( (t1 - t0) / 1000 )) ms: $stderr"; false; }
    if [ "$left" != 0 ]; then
      [[ "$stderr" == *"took over lease"* ]] || { echo "run after kill $k: lease not taken over: $stderr"; false; }
      took=$((took + 1))
    fi
    if ! ((k % 2)); then reap "$parent" "$pid"; fi
    dur=$(( (dur * 3 + (t1 - t0)) / 4 ))
    probe
    [ "$(field integrity)" = ok ]
    [ "$(field leases)" = 0 ]
    read -r nc nt <<< "$(field baseline)"
    # baseline = max(after the kill, the proposal)
    if [ "$(ratio_cmp "$C" "$T" "$ac" "$at")" = 1 ]; then want="$C $T"; else want="$ac $at"; fi
    [ "$nc $nt" = "$want" ] || { echo "run after kill $k: baseline $ac/$at -> $nc/$nt for $C/$T"; false; }
  done
  echo "# $kills kills in $SECONDS s (a run takes ~$((dur / 1000)) ms): $committed committed a history row before the kill, $leftover left a lease ($took taken over)"
  # the kills really landed mid-run: some before the commit, and (over many kills: ~5 % of them
  # land there) some inside the lease window
  [ "$committed" -lt "$kills" ]
  [ "$kills" -lt 100 ] || [ "$leftover" -gt 0 ]
  run python3 - "$STATE" <<'PY'
import sqlite3, sys
from fractions import Fraction as F
c = sqlite3.connect(sys.argv[1])
bad = [r for r in c.execute("SELECT id, old_covered, old_total, new_covered, new_total FROM coverage_history WHERE old_total IS NOT NULL")
       if F(r[3], r[4]) < F(r[1], r[2])]
print(bad[:5])
sys.exit(1 if bad else 0)
PY
  [ "$status" -eq 0 ]
}

@test "a lease of a dead or killed-but-unreaped (zombie) run on this host is taken over at once" {
  artefact "$ARTS/a.md" 500 1000 T-1
  merge-verify --no-fetch --artefact "$ARTS/a.md" > /dev/null
  far=$(( $(date +%s%3N) + 600000 ))
  # a zombie: `true` exits, its parent never reaps it
  spawn "$ARTS/zpid" true
  parent=$LIVE_PARENT
  until [ -e "$ARTS/zpid" ]; do :; done
  zpid=$(< "$ARTS/zpid")
  until [ "$(state_of "$zpid")" = Z ]; do :; done
  # a pid that no longer exists at all
  sh -c 'exit 0' & gone=$!
  wait "$gone"
  for holder in "$HOSTNAME:$zpid" "$HOSTNAME:$gone"; do
    sql "$STATE" "INSERT INTO leases(name, holder, task, expires_at, acquired_at) VALUES('merge:acme/demo:main','$holder','T-9',$far,'t')"
    SECONDS=0
    run --separate-stderr merge-verify --no-fetch --artefact "$ARTS/a.md" --lease-wait 3s
    [ "$status" -eq 0 ] || { echo "holder $holder: exit $status after $SECONDS s: $stderr"; false; }
    [[ "$stderr" == *"took over lease merge:acme/demo:main from $holder"* ]] || { echo "holder $holder: $stderr"; false; }
    [[ "$stderr" != *"waiting for lease"* ]]
    [ "$(sql "$STATE" "SELECT count(*) FROM leases")" = 0 ]
  done
  reap "$parent" "$zpid"
}

@test "SIGKILL while the first run creates the state file: the next run bootstraps it, once" {
  local kills=${MV_REL_FIRST_KILLS:-30} k us pid rc dur=30000 t0 t1 out
  RANDOM=$SEED
  artefact "$ARTS/a.md" 700 1000 T-1
  start_prober
  for ((k = 0; k < kills; k++)); do
    rm -rf "$REPO/.git/orchkit"
    us=$(( (RANDOM * 32768 + RANDOM) % (dur + 1) ))
    rm -f "$ARTS/pid"
    spawn "$ARTS/pid" merge-verify --no-fetch --artefact "$ARTS/a.md"
    until [ -e "$ARTS/pid" ]; do :; done
    pid=$(< "$ARTS/pid")
    nap "$us"
    kill -9 "$pid"
    until [ "$(state_of "$pid")" = Z ]; do :; done
    reap "$LIVE_PARENT" "$pid"
    t0=${EPOCHREALTIME/./}
    rc=0
    out=$(merge-verify --no-fetch --json --artefact "$ARTS/a.md" --lease-wait 20s 2> "$ARTS/err") || rc=$?
    t1=${EPOCHREALTIME/./}
    dur=$(( (dur * 3 + (t1 - t0)) / 4 ))
    [ "$rc" = 0 ] || { echo "kill $k after $us us: the next run exited $rc: $(cat "$ARTS/err")"; false; }
    [[ "$(cat "$ARTS/err")" != *"waiting for lease"* ]]
    probe
    [ "$(field integrity)" = ok ]
    [ "$(field bootstraps)" = 1 ]
    [ "$(field baseline)" = "700 1000" ]
    [ "$(field leases)" = 0 ]
  done
}

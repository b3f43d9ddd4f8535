#!/usr/bin/env bash
# The git state store (docs/state.md) over a real `git daemon` on 127.0.0.1: update latency and
# successful updates per second with 1, 8 and 24 racing clones, and a read of a state branch with
# BENCH_STATE_EVENTS history commits and as many tombstones (default 10000; quick 2000).
#
#   bash bench/state_bench.sh BIN_DIR            (BIN_DIR holds state-git-bench)
#
# Prints the figures on stderr and one Markdown row per goal on stdout:
# "| what | measured | target | verdict |". Exit 1 when an update failed or the final baseline is
# not the highest proposal (a missed time is only reported). Not a test.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=$(cd "${1:-$here/../build/bin}" && pwd) || { echo "state_bench: no bin dir" >&2; exit 2; }
SB=$BIN/state-git-bench
[ -x "$SB" ] || { echo "state_bench: $SB is missing (build the state-git-bench target)" >&2; exit 2; }
EVENTS=${BENCH_STATE_EVENTS:-10000}
OUT=$(mktemp -d /tmp/orchkit-state-bench.XXXXXX)
pidfile=$OUT/daemon.pid
cleanup() { [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null; rm -rf "$OUT"; }
trap cleanup EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
export GIT_CONFIG_NOSYSTEM=1 HOME=$OUT
unset ORCHKIT_CONFIG GITHUB_ACTIONS GITEA_ACTIONS GITHUB_STEP_SUMMARY

mkdir -p "$OUT/srv" "$OUT/seed"
git -C "$OUT/seed" init -q -b main
printf '[project]\nname = "bench/repo"\n[state]\nbackend = "git"\n' > "$OUT/seed/orchkit.toml"
git -C "$OUT/seed" add -A && git -C "$OUT/seed" commit -qm seed
git clone -q --bare "$OUT/seed" "$OUT/srv/race.git"
git clone -q --bare "$OUT/seed" "$OUT/srv/big.git"
port=
for _ in 1 2 3 4 5; do
  p=$((20000 + RANDOM % 20000))
  git daemon --listen=127.0.0.1 --port="$p" --base-path="$OUT/srv" --export-all --enable=receive-pack \
    --reuseaddr --detach --pid-file="$pidfile" "$OUT/srv" 2>/dev/null || true
  for _ in $(seq 1 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break 2; fi
    sleep 0.05
  done
done
[ -n "$port" ] || { echo "state_bench: git daemon did not start" >&2; exit 1; }
url="git://127.0.0.1:$port"
for i in $(seq 1 24); do git clone -q "$url/race.git" "$OUT/c$i"; done

failed=0
row() { printf '| %s | %s | %s | %s |\n' "$@"; }
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<< "$2"; }
for n in 1 8 24; do
  updates=$(( n == 1 ? 20 : 5 ))
  dirs=()
  for i in $(seq 1 "$n"); do dirs+=("$OUT/c$i"); done
  line=$("$SB" race "${dirs[@]}" --updates "$updates" 2>>"$OUT/race.err") || failed=1
  echo "state_bench: $n racing clones: $line" >&2
  p50=$(field p50_ms "$line") p99=$(field p99_ms "$line") ups=$(field updates_per_s "$line")
  slow=$(field slowest_racer_s "$line") errs=$(field errors "$line") fin=$(field final "$line")
  if [ "$n" = 1 ]; then
    verdict=$(awk -v x="${p50:-999}" 'BEGIN {print (x <= 150) ? "PASS" : "FAIL"}')
    row "git state: uncontended update (1 clone × $updates)" "p50 ${p50:-?} ms, p99 ${p99:-?} ms; ${ups:-?} updates/s; errors ${errs:-?}; final ${fin:-?}" "≤ 150 ms" "$verdict"
  else
    target="≥ 20 updates/s, every racer ≤ 30 s"
    verdict=$(awk -v u="${ups:-0}" -v s="${slow:-99}" -v n="$n" 'BEGIN {print ((n < 24 || u >= 20) && s <= 30) ? "PASS" : "FAIL"}')
    [ "$n" = 24 ] || target="every racer ≤ 30 s"
    row "git state: $n racing clones × $updates updates" "${ups:-?} updates/s; p50 ${p50:-?} ms, p99 ${p99:-?} ms; slowest racer ${slow:-?} s; errors ${errs:-?}; final ${fin:-?}" "$target" "$verdict"
  fi
done

git clone -q "$url/big.git" "$OUT/b1"
fillline=$("$SB" fill "$OUT/b1" --events "$EVENTS" --tombstones "$EVENTS" 2>>"$OUT/race.err") || failed=1
echo "state_bench: $fillline" >&2
git clone -q "$url/big.git" "$OUT/b2"
rline=$("$SB" read "$OUT/b2" --runs 20 2>>"$OUT/race.err") || failed=1
echo "state_bench: read: $rline" >&2
p50=$(field p50_ms "$rline") first=$(field first_ms "$rline") p99=$(field p99_ms "$rline")
verdict=$(awk -v x="${p50:-999}" 'BEGIN {print (x <= 100) ? "PASS" : "FAIL"}')
row "git state: a read, $EVENTS history commits + $EVENTS tombstones" "p50 ${p50:-?} ms, p99 ${p99:-?} ms (fetch + baseline + tombstone); first read of a clone ${first:-?} ms (checks the whole chain)" "≤ 100 ms" "$verdict"
[ -s "$OUT/race.err" ] && tail -3 "$OUT/race.err" >&2
exit $failed

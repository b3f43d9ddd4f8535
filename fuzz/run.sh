#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (make fuzz; default 30), seeded from a temp copy of
# fuzz/corpus/<name>/ (the checked-in seeds are never written), with fuzz/dict/<name>.dict.
# Prints per target the executions and any crash; a crash is minimised and kept in
# FUZZ_BIN/artifacts/<name>/, and the exit status is 1.
#
#   bash fuzz/run.sh FUZZ_BIN [SECONDS]        e.g. bash fuzz/run.sh build-fuzz/fuzz 20
#
# FUZZ_TARGETS="lcov go" limits the run; FUZZ_JOBS is not used: the targets run one after another
# (the build machine has 2 cores and is shared).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=${1:?usage: fuzz/run.sh FUZZ_BIN [SECONDS]}
BIN=$(cd "$BIN" && pwd) || exit 2
SECONDS_EACH=${2:-30}
TARGETS=${FUZZ_TARGETS:-lcov cobertura jacoco go coveragepy gcovr llvmcov config frontmatter linedata xml}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

work=$(mktemp -d /tmp/orchkit-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
crashed=0
printf '%-18s %12s %10s %8s %8s  %s\n' target execs exec/s cov corpus result
for name in $TARGETS; do
  exe=$BIN/fuzz_$name
  if [ ! -x "$exe" ]; then
    printf '%-18s %s\n' "fuzz_$name" "MISSING ($exe; build target fuzzers)"
    crashed=1
    continue
  fi
  mkdir -p "$work/$name/corpus" "$BIN/artifacts/$name" "$BIN/logs"
  cp "$here/corpus/$name"/* "$work/$name/corpus/" 2>/dev/null
  dict=()
  [ -f "$here/dict/$name.dict" ] && dict=(-dict="$here/dict/$name.dict")
  log=$BIN/logs/$name.log
  "$exe" -max_len=65536 -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$BIN/artifacts/$name/" "${dict[@]}" "$work/$name/corpus" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corp=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
  if [ "$rc" = 0 ] && [ -z "$artifact" ]; then
    result="ok"
  else
    crashed=1
    result="CRASH (exit $rc): $(grep -m1 -E '^==[0-9]+==ERROR|runtime error|^SUMMARY|deadly signal|ERROR: libFuzzer' "$log" | cut -c1-120)"
    if [ -n "$artifact" ] && [ -f "$artifact" ]; then
      min="$artifact.min"
      "$exe" -minimize_crash=1 -max_total_time=30 -exact_artifact_path="$min" "$artifact" >"$log.minimize" 2>&1
      [ -f "$min" ] || min=$artifact
      result+=$'\n'"    input: $min ($(stat -c %s "$min") bytes), base64: $(head -c 2048 "$min" | base64 -w0)"
      result+=$'\n'"    reproduce: $exe $min    log: $log"
    fi
  fi
  printf '%-18s %12s %10s %8s %8s  %s\n' "fuzz_$name" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${corp:-?}" "$result"
done
exit "$crashed"

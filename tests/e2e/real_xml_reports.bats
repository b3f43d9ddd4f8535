#!/usr/bin/env bats
# Real reports from real tools: a small C program built with `gcc --coverage` and run, then
# `gcovr --cobertura` (gcovr 5.2) and `lcov --capture` (lcov 1.16); a Python package and its
# tests under coverage.py 6.5 with two source roots, then `coverage xml`. coverage-gate's totals
# must equal each tool's own summary of the same run.
#
# Env: ORCHKIT_BIN (the build's bin dir), ORCHKIT_SRC (the source root).

setup() {
  command -v gcc >/dev/null || skip "gcc is not installed"
  GATE="$ORCHKIT_BIN/coverage-gate"
  [ -x "$GATE" ] || { echo "no coverage-gate in ORCHKIT_BIN=$ORCHKIT_BIN" >&2; return 1; }
  PROJ="$BATS_TEST_TMPDIR/proj"
  mkdir -p "$PROJ/lib"
  cat >"$PROJ/lib/helper.c" <<'EOF'
#include "helper.h"

int twice(int v) {
  if (v > 1000)
    return 0;
  return 2 * v;
}

int unused(int v) {
  int r = v * 3;
  return r + 1;
}
EOF
  cat >"$PROJ/lib/helper.h" <<'EOF'
int twice(int v);
int unused(int v);
static inline int half(int v) {
  if (v < 0)
    return 0;
  return v / 2;
}
EOF
  cat >"$PROJ/main.c" <<'EOF'
#include <stdio.h>
#include "lib/helper.h"

static int classify(int x) {
  if (x < 0)
    return -1;
  else if (x == 0)
    return 0;
  return 1;
}

static void never(void) {
  puts("never");
  puts("called");
}

int main(int argc, char **argv) {
  (void)argv;
  int total = 0;
  for (int i = -2; i < argc; ++i)
    total += classify(i);
  if (total > 100)
    never();
  printf("%d %d %d\n", total, twice(total), half(total));
  return 0;
}
EOF
  cd "$PROJ"
  gcc --coverage -O0 -o prog main.c lib/helper.c
  ./prog >/dev/null
}

# The value of a key in coverage-gate's JSON output.
json_field() {
  python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

@test "gcovr --cobertura: coverage-gate's line totals equal gcovr's own" {
  command -v gcovr >/dev/null || skip "gcovr is not installed"
  gcovr -r . --cobertura -o cov.xml
  # The text report goes to a temp file: gcovr renames its output into place, so a device path
  # given as output would be replaced by a regular file when run as root.
  summary=$(gcovr -r . --print-summary -o "$BATS_TEST_TMPDIR/gcovr.txt" | grep '^lines:')
  # "lines: 71.4% (15 out of 21)"
  want_covered=$(sed -E 's/.*\(([0-9]+) out of ([0-9]+)\).*/\1/' <<<"$summary")
  want_total=$(sed -E 's/.*\(([0-9]+) out of ([0-9]+)\).*/\2/' <<<"$summary")
  [ "$want_total" -gt 10 ]
  [ "$want_covered" -gt 0 ] && [ "$want_covered" -lt "$want_total" ]
  # The root's own attributes are gcovr's totals too (written, never read by the parser).
  grep -q "lines-covered=\"$want_covered\" lines-valid=\"$want_total\"" cov.xml

  run "$GATE" measure --report cov.xml --json
  [ "$status" -eq 0 ]
  [ "$(json_field line_covered <<<"$output")" = "$want_covered" ]
  [ "$(json_field line_total <<<"$output")" = "$want_total" ]
  [ "$(json_field files <<<"$output")" = 3 ]
  [[ "$output" == *'"format":"cobertura"'* ]]
}

@test "gcovr --cobertura, gzipped and forced with @cobertura: the same totals" {
  command -v gcovr >/dev/null || skip "gcovr is not installed"
  gcovr -r . --cobertura-pretty -o cov.xml
  run "$GATE" measure --report cov.xml --json
  [ "$status" -eq 0 ]
  plain="$output"
  gzip -c cov.xml >cov.xml.gz
  run "$GATE" measure --report cov.xml.gz@cobertura --json
  [ "$status" -eq 0 ]
  [ "$(json_field line_total <<<"$output")" = "$(json_field line_total <<<"$plain")" ]
  [ "$(json_field line_covered <<<"$output")" = "$(json_field line_covered <<<"$plain")" ]
}

@test "lcov --capture: coverage-gate's line totals equal lcov --summary" {
  command -v lcov >/dev/null || skip "lcov is not installed"
  lcov --quiet --capture --directory . --output-file cov.info
  summary=$(lcov --summary cov.info 2>&1 | grep 'lines\.')
  # "  lines......: 68.2% (15 of 22 lines)"
  want_covered=$(sed -E 's/.*\(([0-9]+) of ([0-9]+) lines\).*/\1/' <<<"$summary")
  want_total=$(sed -E 's/.*\(([0-9]+) of ([0-9]+) lines\).*/\2/' <<<"$summary")
  [ "$want_total" -gt 10 ]
  [ "$want_covered" -gt 0 ] && [ "$want_covered" -lt "$want_total" ]

  run "$GATE" measure --report cov.info --json
  [ "$status" -eq 0 ]
  [ "$(json_field line_covered <<<"$output")" = "$want_covered" ]
  [ "$(json_field line_total <<<"$output")" = "$want_total" ]
  [[ "$output" == *'"format":"lcov"'* ]]
}

@test "a truncated gcovr report is exit 3 naming the file and the line" {
  command -v gcovr >/dev/null || skip "gcovr is not installed"
  gcovr -r . --cobertura-pretty -o cov.xml
  head -c 1500 cov.xml >cut.xml
  run "$GATE" measure --report cut.xml --json
  [ "$status" -eq 3 ]
  [[ "$output" == *'"error":"cut.xml:'*'truncated'* ]]
}

@test "an entity bomb in a Cobertura report is refused at once" {
  {
    echo '<?xml version="1.0"?>'
    echo '<!DOCTYPE coverage [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
    prev=a
    for n in b c d e f g h i j k; do
      printf '<!ENTITY %s "%s">\n' "$n" "$(printf "&$prev;%.0s" 1 2 3 4 5 6 7 8 9 10)"
      prev=$n
    done
    echo ']><coverage><sources><source>&k;</source></sources></coverage>'
  } >bomb.xml
  run timeout 10 "$GATE" measure --report bomb.xml
  [ "$status" -eq 3 ]
  [[ "$output" == *"bomb.xml:2: the DOCTYPE has an internal subset, refused"* ]]
}

# The coverage.py command: Debian's module under its own python, or its wrapper script.
coverage_py() {
  if /usr/bin/python3 -c 'import coverage' 2>/dev/null; then
    /usr/bin/python3 -m coverage "$@"
  elif command -v python3-coverage >/dev/null; then
    python3-coverage "$@"
  else
    return 127
  fi
}

@test "coverage.py xml with two source roots: test files are found under the second <source>" {
  coverage_py --version >/dev/null 2>&1 || skip "python3-coverage is not installed"
  export GIT_AUTHOR_NAME=orchkit GIT_AUTHOR_EMAIL=orchkit@example.invalid
  export GIT_COMMITTER_NAME=orchkit GIT_COMMITTER_EMAIL=orchkit@example.invalid GIT_CONFIG_NOSYSTEM=1
  PY="$BATS_TEST_TMPDIR/py"
  mkdir -p "$PY/pkg" "$PY/tests"
  cd "$PY"
  : >pkg/__init__.py
  printf 'def sign(x):\n    if x > 0:\n        return 1\n    elif x < 0:\n        return -1\n    return 0\n\n\ndef unused(v):\n    r = v * 3\n    return r + 1\n' >pkg/calc.py
  printf 'import sys\n\nsys.path.insert(0, ".")\nfrom pkg import calc  # noqa: E402\n\n\ndef check():\n    assert calc.sign(3) == 1\n    assert calc.sign(0) == 0\n\n\ncheck()\n' >tests/test_calc.py
  printf '[run]\nsource = pkg, tests\n' >.coveragerc
  printf '[project]\nname = "acme/py"\nself_hosting = true\n[coverage]\nmin = "0"\n' >orchkit.toml
  printf '.coverage\ncov.xml\n__pycache__/\n' >.gitignore
  git init -q -b main && git add -A && git commit -q -m initial
  # The task adds two statements to the test file: the def runs, its body does not.
  git checkout -q -b task/ORCH-7-tests
  printf '\n\ndef also_never():\n    return 6\n' >>tests/test_calc.py
  git commit -q -am "a helper in the tests"

  coverage_py run tests/test_calc.py
  coverage_py xml -o cov.xml
  # coverage.py writes test_calc.py relative to its second source root, /…/py/tests.
  grep -q "<source>$PY/tests</source>" cov.xml
  grep -q 'filename="test_calc.py"' cov.xml
  want=$(coverage_py report | awk '$1 == "TOTAL" { print $2 - $3, $2 }')
  grep -q "lines-valid=\"${want#* }\" lines-covered=\"${want% *}\"" cov.xml

  run "$GATE" measure --report cov.xml --json
  [ "$status" -eq 0 ]
  [ "$(json_field line_covered <<<"$output") $(json_field line_total <<<"$output")" = "$want" ]
  [ "$(json_field files <<<"$output")" = 3 ]

  # Patch coverage sees the test file's new lines only if it is read as tests/test_calc.py.
  run "$GATE" check --json --task ORCH-7 --report cov.xml --patch-min 0
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(json_field patch_covered <<<"$output")" = 1 ]
  [ "$(json_field patch_total <<<"$output")" = 2 ]
  grep -q '| `tests/test_calc.py` | 1/2 |' docs/work-items/ORCH-7/18-coverage-report.md
}

#!/usr/bin/env bats
# The JSON report parsers against the real tools: coverage.py, gcovr and llvm-cov write a report
# of a small program, and `coverage-gate measure` must find the same line totals as the tool's
# own summary. Needs python3-coverage, gcc + gcovr, clang + llvm-14; a missing tool skips its test.

setup() {
  : "${ORCHKIT_BIN:?set ORCHKIT_BIN to the bin directory of a build}"
  cd "$BATS_TEST_TMPDIR"
}

# "covered total" as `coverage-gate measure --json` reports them for one report.
measure() {
  run "$ORCHKIT_BIN/coverage-gate" measure --report "$1" --json
  [ "$status" -eq 0 ] || { echo "coverage-gate failed: $output" >&2; return 1; }
  python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(d["line_covered"], d["line_total"])' "$output"
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

# A module with what makes coverage.py's executed_lines differ from its statements: an excluded
# def that runs when its class is defined, and module and class docstrings that run.
write_python_project() {
  cat > mod.py <<'EOF'
"""A module docstring: executed, but not a statement."""


def sign(x):
    if x > 0:
        return 1
    elif x < 0:
        return -1
    return 0


def never_called(items):
    total = 0
    for i in items:
        total += i
    return total


class Box:
    """A class docstring."""

    def __init__(self, v):
        self.v = v

    def get(self):  # pragma: no cover
        return self.v
EOF
  cat > test_mod.py <<'EOF'
import mod

assert mod.sign(3) == 1
assert mod.sign(0) == 0
b = mod.Box(2)
EOF
}

# coverage.py's own totals: the JSON's, after checking that `coverage report` says the same.
coveragepy_totals() {
  json_totals=$(python3 -c 'import json, sys; t = json.load(open(sys.argv[1]))["totals"]; print(t["covered_lines"], t["num_statements"])' "$1")
  report_totals=$(coverage_py report | awk '$1 == "TOTAL" { print $2 - $3, $2 }')
  [ "$json_totals" = "$report_totals" ] || { echo "coverage json says $json_totals, coverage report $report_totals" >&2; return 1; }
  echo "$json_totals"
}

# Whether the report shows the quirk the parser handles: executed_lines that are not statements.
has_non_statement_executed_lines() {
  python3 - "$1" <<'EOF'
import json, sys
files = json.load(open(sys.argv[1]))["files"]
sys.exit(0 if any(len(f["executed_lines"]) != f["summary"]["covered_lines"] for f in files.values()) else 1)
EOF
}

@test "coverage.py JSON: totals equal the covered_lines and num_statements of coverage.py" {
  coverage_py --version >/dev/null 2>&1 || skip "python3-coverage is not installed"
  write_python_project
  coverage_py run --source=. test_mod.py
  coverage_py json -o coverage.json
  expected=$(coveragepy_totals coverage.json)
  got=$(measure coverage.json)
  echo "coverage.py: $expected, coverage-gate: $got"
  [ "$got" = "$expected" ]
  [ "$got" != "0 0" ]
  has_non_statement_executed_lines coverage.json
}

@test "coverage.py JSON with branch coverage: still line totals, not percent_covered" {
  coverage_py --version >/dev/null 2>&1 || skip "python3-coverage is not installed"
  write_python_project
  coverage_py run --branch --source=. test_mod.py
  coverage_py json --pretty-print -o coverage.json
  expected=$(coveragepy_totals coverage.json)
  got=$(measure coverage.json)
  echo "coverage.py: $expected, coverage-gate: $got"
  [ "$got" = "$expected" ]
  # The case is only meaningful if branches move coverage.py's percentage away from lines.
  python3 - coverage.json <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))["totals"]
assert t["num_branches"] > 0
assert abs(t["percent_covered"] - 100.0 * t["covered_lines"] / t["num_statements"]) > 0.01, t
EOF
}

# A C program with noncode lines, excluded lines, an uncalled function and a partial branch.
write_c_program() {
  cat > prog.c <<'EOF'
#include <stdio.h>
#include <stdlib.h>

static int f(int x) {
  if (x > 0)
    return 1;
  else
    return 2;
}

static int unused(void) { return 3; }

static int excluded(void) {  // GCOVR_EXCL_LINE
  return 4;                  // GCOVR_EXCL_LINE
}

static int a(int x) { return x + 1; }
static int b(int x) { return x * 2; }

int main(int argc, char **argv) {
  int s = 0;
  for (int i = 0; i < 3; i++) s += f(argc);
  if (argc > 5) { s += unused() + excluded(); }
  s += a(argc);
  if (argc > 3)
    s += b(atoi(argv[1]));
  printf("%d\n", s);
  return 0;
}
EOF
}

# Two functions on one line, which llvm-cov counts as two lines in its summary (and which
# gcovr 5.2 cannot read from gcc 12's gcov output).
add_one_line_functions() {
  sed -i 's/^static int b(int x) { return x \* 2; }$/static int c(int x) { return x - 1; } static int b(int x) { return c(x) * 2; }/' prog.c
  grep -q 'static int c(int x)' prog.c
}

@test "gcovr JSON: totals equal the line summary of gcovr" {
  command -v gcc >/dev/null || skip "gcc is not installed"
  command -v gcovr >/dev/null || skip "gcovr is not installed"
  write_c_program
  gcc --coverage -O0 prog.c -o prog
  ./prog
  gcovr -r . --json -o gcovr.json
  gcovr -r . --json-summary -o summary.json
  expected=$(python3 -c 'import json; d = json.load(open("summary.json")); print(d["line_covered"], d["line_total"])')
  # --print-summary says the same: "lines: 81.8% (9 out of 11)"
  printed=$(gcovr -r . --print-summary | sed -n 's/^lines: .*(\([0-9]*\) out of \([0-9]*\))$/\1 \2/p')
  got=$(measure gcovr.json)
  echo "gcovr: $expected (printed $printed), coverage-gate: $got"
  [ "$expected" = "$printed" ]
  [ "$got" = "$expected" ]
  # The report has noncode lines, which must not count.
  grep -q '"gcovr/noncode": true' gcovr.json || python3 -c 'import json, sys; d = json.load(open("gcovr.json")); sys.exit(0 if any(l["gcovr/noncode"] for f in d["files"] for l in f["lines"]) else 1)'
}

@test "llvm-cov export JSON: totals equal the lines of llvm-cov report" {
  command -v clang >/dev/null || skip "clang is not installed"
  command -v llvm-profdata-14 >/dev/null || skip "llvm-profdata-14 is not installed"
  command -v llvm-cov-14 >/dev/null || skip "llvm-cov-14 is not installed"
  write_c_program
  add_one_line_functions
  clang -fprofile-instr-generate -fcoverage-mapping -O0 prog.c -o prog
  LLVM_PROFILE_FILE=prog.profraw ./prog
  llvm-profdata-14 merge -sparse prog.profraw -o prog.profdata
  llvm-cov-14 export -format=text -instr-profile=prog.profdata ./prog > llvm.json
  expected=$(python3 -c 'import json; t = json.load(open("llvm.json"))["data"][0]["totals"]["lines"]; print(t["covered"], t["count"])')
  # llvm-cov report's TOTAL row: ... Lines, Missed Lines are fields 8 and 9 (LLVM 14).
  reported=$(llvm-cov-14 report -instr-profile=prog.profdata ./prog | awk '$1 == "TOTAL" { print $8 - $9, $8 }')
  got=$(measure llvm.json)
  echo "llvm-cov export: $expected, report: $reported, coverage-gate: $got"
  [ "$expected" = "$reported" ]
  [ "$got" = "$expected" ]
}

# gen_c_module FILE PREFIX N: N functions PREFIX1..PREFIXN, each with a two-condition branch.
gen_c_module() {
  local g
  {
    echo '#include "mods.h"'
    for g in $(seq 1 "$3"); do
      printf 'int %s%d(int x) {\n  if (x > %d || x == -%d)\n    return x - %d;\n  return x + 1;\n}\n' "$2" "$g" "$g" "$g" "$g"
    done
  } >"$1"
}

@test "llvm-cov export without -summary-only: sniffed as llvm-cov-json though \"type\" is past the sniff window" {
  command -v clang-14 >/dev/null || skip "clang-14 is not installed"
  command -v llvm-profdata-14 >/dev/null || skip "llvm-profdata-14 is not installed"
  command -v llvm-cov-14 >/dev/null || skip "llvm-cov-14 is not installed"
  # alpha.c sorts first and its branch records alone outgrow the 64 KiB head; eight more files
  # push "type" (written last, after "data") far beyond it.
  gen_c_module alpha.c alpha_ 1500
  for f in 1 2 3 4 5 6 7 8; do gen_c_module "mod$f.c" "m${f}_" 60; done
  {
    for g in $(seq 1 1500); do echo "int alpha_$g(int x);"; done
    for f in 1 2 3 4 5 6 7 8; do for g in $(seq 1 60); do echo "int m${f}_$g(int x);"; done; done
  } >mods.h
  {
    echo '#include <stdio.h>'
    echo '#include "mods.h"'
    echo 'int main(int argc, char **argv) {'
    echo '  (void)argv;'
    echo '  int s = 0;'
    for g in $(seq 1 3 1500); do echo "  s += alpha_$g(argc * $g);"; done
    for f in 1 2 3 4 5 6 7 8; do for g in $(seq 1 2 60); do echo "  s += m${f}_$g(argc + $g);"; done; done
    echo '  printf("%d\n", s);'
    echo '  return 0;'
    echo '}'
  } >main.c
  clang-14 -fprofile-instr-generate -fcoverage-mapping -O0 -o prog main.c alpha.c mod*.c
  LLVM_PROFILE_FILE=prog.profraw ./prog >/dev/null
  llvm-profdata-14 merge -sparse prog.profraw -o prog.profdata
  llvm-cov-14 export -instr-profile=prog.profdata ./prog >llvm.json
  # The case only means something if neither "type" nor the first "segments" is in the head.
  python3 - llvm.json <<'PY'
import sys
text = open(sys.argv[1], "rb").read()
head = 64 * 1024
assert text.startswith(b'{"data":[{"files":['), text[:40]
assert text.find(b'"type":"llvm.coverage.json.export"') > 10 * head, text.find(b'"type"')
assert text.find(b'"segments"') > head, text.find(b'"segments"')
PY
  expected=$(python3 -c 'import json; t = json.load(open("llvm.json"))["data"][0]["totals"]["lines"]; print(t["covered"], t["count"])')
  # llvm-cov report's TOTAL row: ... Lines, Missed Lines are fields 8 and 9 (LLVM 14).
  reported=$(llvm-cov-14 report -instr-profile=prog.profdata ./prog | awk '$1 == "TOTAL" { print $8 - $9, $8 }')
  run "$ORCHKIT_BIN/coverage-gate" measure --report llvm.json --json
  [ "$status" -eq 0 ] || { echo "coverage-gate failed: $output" >&2; return 1; }
  [[ "$output" == *'"format":"llvm-cov-json"'* ]]
  got=$(python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(d["line_covered"], d["line_total"], d["files"])' "$output")
  echo "llvm-cov export: $expected, report: $reported, coverage-gate: $got"
  [ "$expected" = "$reported" ]
  [ "$got" = "$expected 10" ]
  # Gzipped, the sniffer reads the head of the decompressed stream: the same answer.
  gzip -c llvm.json >llvm.json.gz
  run "$ORCHKIT_BIN/coverage-gate" measure --report llvm.json.gz --json
  [ "$status" -eq 0 ]
  [[ "$output" == *'"format":"llvm-cov-json"'* ]]
  [[ "$output" == *"\"line_covered\":${expected% *},"* ]]
}

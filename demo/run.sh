#!/usr/bin/env bash
# `make demo`: the coverage gate on a small bundled C project, in a temp repository.
# 1. measure a real LCOV report made by gcc --coverage + lcov;
# 2. a branch that adds tested code: the gate PASSes (bootstrap: the floor alone decides);
# 3. merge it and record the baseline (merge-verify ratchets it);
# 4. a branch that adds untested code: the gate FAILs and says which lines to test.
set -euo pipefail
BIN=$(cd "${1:-build/bin}" && pwd)
SRC=$(cd "$(dirname "$0")" && pwd)
export PATH="$BIN:$PATH" NO_COLOR=1
export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.invalid GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.invalid
unset ORCHKIT_CONFIG GITHUB_ACTIONS GITEA_ACTIONS
WORK=$(mktemp -d /tmp/orchkit-demo.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

REPO=$WORK/calc
cp -r "$SRC/sample" "$REPO"
cd "$REPO"
git init -q -b main && git add -A && git commit -q -m "calc: add, sub, clamp, sign"

say "1. measure: run the sample's coverage command (gcc --coverage + lcov), read the report"
sh measure.sh >/dev/null
coverage-gate measure --report coverage.info
coverage-gate measure --report coverage.info --json

say "2. task/DEMO-1 adds mul() with a test: the gate passes"
git checkout -q -b task/DEMO-1-mul
printf '\nint mul(int a, int b) { return a * b; }\n' >> src/calc.c
echo 'int mul(int a, int b);' >> src/calc.h
sed -i 's|  puts("tests passed");|  assert(mul(3, 4) == 12);\n  puts("tests passed");|' tests/test_calc.c
git commit -qam "calc: mul"
coverage-gate check --task DEMO-1 2>/dev/null || true
cat docs/work-items/DEMO-1/18-coverage-report.md | sed -n '1,25p'

say "3. merge DEMO-1 into main and verify: the baseline is recorded"
git checkout -q main && git merge -q --no-ff task/DEMO-1-mul -m "Merge DEMO-1"
if merge-verify --artefact docs/work-items/DEMO-1/18-coverage-report.md --no-fetch 2>/dev/null; then :; else
  # merge-verify not built yet in this version: seed the baseline by the audited override instead.
  covered=$(grep '^line_covered:' docs/work-items/DEMO-1/18-coverage-report.md | cut -d' ' -f2)
  total=$(grep '^line_total:' docs/work-items/DEMO-1/18-coverage-report.md | cut -d' ' -f2)
  coverage-gate baseline set "$covered/$total" --reason "demo: baseline from the DEMO-1 merge"
fi
coverage-gate baseline show

say "4. task/DEMO-2 adds divide() and no test: the gate fails (exit 1)"
git checkout -q -b task/DEMO-2-divide
cat >> src/calc.c <<'C'

int divide(int a, int b) {
  if (b == 0) return 0;
  int q = a / b;
  return q;
}
C
echo 'int divide(int a, int b);' >> src/calc.h
git commit -qam "calc: divide (untested)"
set +e
coverage-gate check --task DEMO-2 2>/dev/null
echo "exit code: $?"
set -e
say "the artefact docs/work-items/DEMO-2/18-coverage-report.md"
cat docs/work-items/DEMO-2/18-coverage-report.md

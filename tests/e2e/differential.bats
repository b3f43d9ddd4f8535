#!/usr/bin/env bats
# Differential coverage end to end (issue 14): a real C project built with `gcc --coverage`, run,
# and captured by `lcov --capture` (lcov 1.16), and a Python package measured by python3-coverage
# (coverage.py 6.5, `coverage xml`). The baseline is bootstrapped by the real merge-verify, which
# stores the gate's line data; the next gate categorises HEAD's lines against it.
#
# Env: ORCHKIT_BIN (the build's bin dir), ORCHKIT_SRC (the source root).

load helpers
bats_require_minimum_version 1.5.0

# The C project: four functions, one never called; the driver calls the rest.
write_calc() {
  mkdir -p src tests
  cat > src/calc.c <<'EOF'
int add(int a, int b) {
  int r = a + b;
  return r;
}

int sub(int a, int b) {
  int r = a - b;
  return r;
}

int mul(int a, int b) {
  int r = a * b;
  return r;
}

int unused(int a) {
  int r = a * 7;
  return r;
}
EOF
  cat > tests/main.c <<'EOF'
int add(int a, int b);
int sub(int a, int b);
int mul(int a, int b);
int main(void) {
  int t = add(1, 2);
  t += sub(5, 3);
  t += mul(2, 2);
  return t == 9 ? 0 : 1;
}
EOF
}

# measure: build, run and capture this tree's coverage into cov.info (fresh .gcda every time).
measure() {
  rm -f ./*.gcda ./*.gcno prog
  gcc --coverage -O0 -o prog src/calc.c tests/main.c
  ./prog
  lcov --quiet --capture --directory . --output-file cov.info 2>/dev/null
}

setup() {
  command -v gcc >/dev/null || skip "gcc is not installed"
  command -v lcov >/dev/null || skip "lcov is not installed"
  REPO="$BATS_TEST_TMPDIR/repo"
  mkdir -p "$REPO"
  cd "$REPO"
  git init -q -b main
  write_calc
  cat > orchkit.toml <<'TOML'
[project]
name = "acme/calc"
[coverage]
rule = "differential"
min = "50"
epsilon = "0.1"
TOML
  printf '%s\n' '*.gcda' '*.gcno' prog cov.info 'docs/work-items/' > .gitignore
  git add -A
  git commit -q -m "calc"
  STATE="$REPO/.git/orchkit/state.db"
  # The baseline: main gated as T-0, verified by merge-verify (bootstrap, with its line data).
  measure
  coverage-gate check --task T-0 --report cov.info >/dev/null 2>&1
  run --separate-stderr merge-verify --task T-0 --no-fetch --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" event)" = bootstrap ]
  [ "$(json_field "$output" line_data)" = stored ]
  git checkout -q -b task/T-1-x
}

gate() { run --separate-stderr coverage-gate check --task T-1 --report cov.info --json "$@"; }
diff_count() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])["diff"][sys.argv[2]])' "$output" "$1"; }

@test "the line data survives merge-verify: stored with the landing commit, hash as the artefact says" {
  [ "$(sql "$STATE" "SELECT count(*) FROM coverage_baseline_lines")" = 1 ]
  [ "$(sql "$STATE" "SELECT commit_sha FROM coverage_baseline_lines")" = "$(git rev-parse main)" ]
  want=$(sed -n 's/^line_data_sha256: //p' docs/work-items/T-0/18-coverage-report.md)
  [ "${#want}" -eq 64 ]
  [ "$(sha256sum docs/work-items/T-0/18-coverage-report.lines.gz | cut -c1-64)" = "$want" ]
  [ "$(sql "$STATE" "SELECT sha256 FROM coverage_baseline_lines")" = "$want" ]
  # and read back by the next gate: an unchanged tree is all CBC/UBC
  measure
  gate
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = PASS ]
  [ "$(diff_count CBC)" -gt 0 ]
  [ "$(diff_count UBC)" -gt 0 ]
  [ "$(diff_count UNC)" = 0 ]
  [ "$(diff_count LBC)" = 0 ]
}

@test "deletion only: passes under differential (DCB), fails under percent" {
  # delete mul() and its call: covered code goes, the total percentage drops
  sed -i '11,14d' src/calc.c
  sed -i '/mul/d' tests/main.c
  sed -i 's/t == 9/t == 5/' tests/main.c
  git commit -qam "drop mul"
  measure
  gate
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = PASS ]
  [ "$(diff_count DCB)" -ge 3 ]
  [ "$(diff_count UNC)" = 0 ]
  [ "$(diff_count LBC)" = 0 ]
  grep -q '^diff: {GNC: ' docs/work-items/T-1/18-coverage-report.md
  grep -q '^rule: differential' docs/work-items/T-1/18-coverage-report.md

  ORCH_COVERAGE_RULE=percent gate
  [ "$status" -eq 1 ]
  [ "$(json_field "$output" status)" = FAIL ]
  [[ "$(json_field "$output" reasons)" == *below_baseline* ]]
  gate --rule percent --no-artefact
  [ "$status" -eq 1 ]
  [[ "$(json_field "$output" reasons)" == *below_baseline* ]]
  gate --rule both --no-artefact
  [ "$status" -eq 1 ]
  gate --rule percentage --no-artefact
  [ "$status" -eq 2 ]
  [[ "$stderr$output" == *"--rule"* ]]
}

@test "LBC: an untouched line that loses coverage fails, named with its lines and an annotation" {
  # the driver stops calling sub(); src/calc.c is not touched
  sed -i '/sub(5, 3)/d' tests/main.c
  sed -i 's/t == 9/t == 7/' tests/main.c
  git commit -qam "stop testing sub"
  git diff --quiet main -- src/calc.c
  measure
  GITHUB_ACTIONS=true gate
  [ "$status" -eq 1 ]
  [ "$(json_field "$output" status)" = FAIL ]
  [[ "$(json_field "$output" reasons)" == *lost_coverage* ]]
  [ "$(diff_count LBC)" -ge 2 ]
  lbc=$(python3 -c 'import json,sys; print([f["lbc_lines"] for f in json.loads(sys.argv[1])["diff_files"] if f["path"]=="src/calc.c"][0])' "$output")
  [[ "$lbc" == 6-8 || "$lbc" == 7-8 || "$lbc" == 6-9 ]]
  lbc_first=${lbc%%-*}
  [[ "$stderr" == *"::warning file=src/calc.c,line=$lbc_first,"* ]]
  grep -q 'lost coverage (LBC)' docs/work-items/T-1/18-coverage-report.md
}

@test "UNC within max_new_uncovered passes; over it fails with new_uncovered" {
  cat >> src/calc.c <<'EOF'

int untested(int a) {
  int r = a - 7;
  return r;
}
EOF
  git commit -qam "an untested function"
  measure
  cfg="$BATS_TEST_TMPDIR/budget.toml"
  printf '[project]\nname = "acme/calc"\n[coverage]\nrule = "differential"\nmin = "50"\nmax_new_uncovered = 3\n' > "$cfg"
  gate --config "$cfg"
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" status)" = PASS ]
  [ "$(diff_count UNC)" = 3 ]
  sed -i 's/max_new_uncovered = 3/max_new_uncovered = 2/' "$cfg"
  gate --config "$cfg"
  [ "$status" -eq 1 ]
  [[ "$(json_field "$output" reasons)" == *new_uncovered* ]]
  [[ "$(json_field "$output" message)" == *"UNC 3"* ]]
}

@test "no line data for the baseline: said so, the percent rule decides" {
  sql "$STATE" "DELETE FROM coverage_baseline_lines" >/dev/null
  sed -i '11,14d' src/calc.c
  sed -i '/mul/d' tests/main.c
  sed -i 's/t == 9/t == 5/' tests/main.c
  git commit -qam "drop mul"
  measure
  gate
  [ "$status" -eq 1 ]
  [[ "$(json_field "$output" reasons)" == *differential_unavailable* ]]
  [[ "$(json_field "$output" reasons)" == *below_baseline* ]]
  [ "$(json_field "$output" diff)" = null ]
  [[ "$(json_field "$output" diff_unavailable)" == *"no stored line data"* ]]
}

@test "merge-verify refuses line data that is not what the artefact hashed, and ratchets anyway" {
  sed -i '16,19d' src/calc.c  # unused() goes: the percentage rises, so merge-verify ratchets
  git commit -qam "drop unused"
  measure
  gate
  [ "$status" -eq 0 ]
  printf 'garbage' | gzip > docs/work-items/T-1/18-coverage-report.lines.gz
  git checkout -q main
  git merge -q --ff-only task/T-1-x
  run --separate-stderr merge-verify --task T-1 --no-fetch --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" event)" = ratchet ]
  [[ "$(json_field "$output" line_data)" == refused:* ]]
  [ "$(sql "$STATE" "SELECT commit_sha FROM coverage_baseline_lines")" != "$(git rev-parse main)" ]
}

@test "a ratchet moves the line data to the landing commit; the next gate compares with it" {
  sed -i '16,19d' src/calc.c  # unused() goes: the percentage rises
  git commit -qam "drop unused"
  measure
  gate
  [ "$status" -eq 0 ]
  git checkout -q main
  git merge -q --no-ff --no-edit task/T-1-x
  run --separate-stderr merge-verify --task T-1 --no-fetch --json
  [ "$status" -eq 0 ]
  [ "$(json_field "$output" event)" = ratchet ]
  [ "$(json_field "$output" line_data)" = stored ]
  landed=$(git rev-parse main)
  [ "$(sql "$STATE" "SELECT commit_sha FROM coverage_baseline_lines")" = "$landed" ]
  # T-2 is measured against the new baseline: unused() is no longer there to be deleted
  git checkout -q -b task/T-2-x
  sed -i '/sub(5, 3)/d' tests/main.c
  sed -i 's/t == 9/t == 7/' tests/main.c
  git commit -qam "stop testing sub"
  measure
  run --separate-stderr coverage-gate check --task T-2 --report cov.info --json
  [ "$status" -eq 1 ]
  [ "$(json_field "$output" baseline_commit)" = "$landed" ]
  [ "$(diff_count LBC)" -ge 2 ]
  [ "$(diff_count DCB)" -ge 1 ]   # the deleted call in tests/main.c
  [ "$(diff_count DUB)" = 0 ]     # unused() was deleted before this baseline
}

@test "a FAIL writes no line data (merge-verify never stores a failed gate's lines)" {
  sed -i '/sub(5, 3)/d' tests/main.c
  sed -i 's/t == 9/t == 7/' tests/main.c
  git commit -qam "stop testing sub"
  measure
  gate
  [ "$status" -eq 1 ]
  [ ! -e docs/work-items/T-1/18-coverage-report.lines.gz ]
  ! grep -q '^line_data_sha256:' docs/work-items/T-1/18-coverage-report.md
}

@test "python3-coverage: a file under its [coverage.files] floor fails while the total passes" {
  command -v python3-coverage >/dev/null || skip "python3-coverage is not installed"
  P="$BATS_TEST_TMPDIR/py"
  mkdir -p "$P/pkg" && cd "$P"
  git init -q -b main
  : > pkg/__init__.py
  { for i in $(seq 1 30); do printf 'def f%s(x):\n    return x + %s\n\n' "$i" "$i"; done; } > pkg/big.py
  printf 'def used(x):\n    return x\n\ndef spare(x):\n    y = x * 2\n    return y\n' > pkg/core.py
  { echo 'import pkg.big as b, pkg.core as c'; for i in $(seq 1 30); do echo "b.f$i(1)"; done; echo 'c.used(1)'; } > run_tests.py
  printf '[project]\nname = "acme/py"\n[coverage]\nmin = "80"\n[coverage.files]\n"pkg/core*" = "90"\n' > orchkit.toml
  printf '%s\n' .coverage coverage.xml 'docs/' > .gitignore
  git add -A && git commit -q -m py
  /usr/bin/python3-coverage run --source=pkg run_tests.py
  /usr/bin/python3-coverage xml -o coverage.xml >/dev/null
  run --separate-stderr coverage-gate check --report coverage.xml --json
  [ "$status" -eq 1 ]
  [ "$(json_field "$output" status)" = FAIL ]
  [ "$(json_field "$output" reasons)" = '["bootstrap", "file_below_min"]' ]
  pct=$(json_field "$output" line_pct)
  [ "${pct%%.*}" -ge 80 ]
  [[ "$(json_field "$output" files_below_min)" == *'"path": "pkg/core.py"'* ]]
  [[ "$(json_field "$output" files_below_min)" != *big.py* ]]
}

#!/usr/bin/env bats
# Outputs never replace what they should not: a path given for an output (--artefact, --out,
# --svg, the state path) that exists and is not a regular file is written in place (a character
# device) or refused with exit 4 naming it (a FIFO, a directory, a symlink), never renamed over.
# No test here names the real /dev/null: a regression would turn it into a file (we run as root).
# The in-place case uses a character device made here (mknod c 1 3, the same as /dev/null).

load helpers
bats_require_minimum_version 1.5.0

setup() {
  REPO="$BATS_TEST_TMPDIR/repo"
  make_repo "$REPO"
  cd "$REPO"
  lcov_report cov.info src/a.c 9 10 src/b.c 8 10
}

teardown() {
  [ -c /dev/null ]  # whatever happened above, the real one is still a device
}

# own_null PATH: a character device like /dev/null at PATH, or skip where mknod is not allowed.
own_null() { mknod "$1" c 1 3 2>/dev/null || skip "mknod is not permitted here"; }

@test "coverage-gate check --artefact on a character device: written in place, still a device" {
  dev="$BATS_TEST_TMPDIR/null"
  own_null "$dev"
  run --separate-stderr coverage-gate check --report cov.info --artefact "$dev"
  [ "$status" -eq 0 ]
  [ -c "$dev" ]
  [ -z "$(ls "$BATS_TEST_TMPDIR" | grep '\.tmp\.')" ]    # no temporary file left beside it
}

@test "coverage-gate check --artefact on a FIFO: refused (exit 4), the FIFO stays, nothing blocks" {
  fifo="$BATS_TEST_TMPDIR/art.fifo"
  mkfifo "$fifo"
  run --separate-stderr timeout 20 coverage-gate check --report cov.info --artefact "$fifo"
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"$fifo"*"FIFO"* ]]
  [ -p "$fifo" ]
}

@test "queue-report --out on a FIFO: refused (exit 4) naming it, never opened, still a FIFO" {
  fifo="$BATS_TEST_TMPDIR/queue.fifo"
  mkfifo "$fifo"
  run --separate-stderr timeout 20 queue-report --out "$fifo"
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"$fifo"*"FIFO"* ]]
  [ -p "$fifo" ]
}

@test "queue-report --out on a character device: written in place" {
  dev="$BATS_TEST_TMPDIR/null"
  own_null "$dev"
  run --separate-stderr queue-report --out "$dev"
  [ "$status" -eq 0 ]
  [ -c "$dev" ]
}

@test "queue-report --svg on a directory: refused (exit 4), the directory unchanged and empty" {
  mkdir "$BATS_TEST_TMPDIR/chart.svg"
  run --separate-stderr queue-report --out "$BATS_TEST_TMPDIR/queue.md" --svg "$BATS_TEST_TMPDIR/chart.svg"
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"chart.svg"*"directory"* ]]
  [ -d "$BATS_TEST_TMPDIR/chart.svg" ]
  [ -z "$(ls -A "$BATS_TEST_TMPDIR/chart.svg")" ]
}

@test "queue-report --out on a symlink: refused, the link and the file it names untouched" {
  echo keep > "$BATS_TEST_TMPDIR/precious"
  ln -s "$BATS_TEST_TMPDIR/precious" "$BATS_TEST_TMPDIR/queue.md"
  run --separate-stderr queue-report --out "$BATS_TEST_TMPDIR/queue.md"
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"symbolic link"* ]]
  [ -L "$BATS_TEST_TMPDIR/queue.md" ]
  [ "$(cat "$BATS_TEST_TMPDIR/precious")" = keep ]
}

@test "a state path that is a FIFO: refused (exit 4), no -wal or -shm made beside it" {
  fifo="$BATS_TEST_TMPDIR/state.fifo"
  mkfifo "$fifo"
  printf '[state]\npath = "%s"\n' "$fifo" >> orchkit.toml
  run --separate-stderr timeout 20 stop-task --task ORCH-1
  [ "$status" -eq 4 ]
  [[ "$stderr" == *"$fifo"*"not a regular file"* ]]
  [ -p "$fifo" ]
  [ ! -e "$fifo-wal" ] && [ ! -e "$fifo-shm" ] && [ ! -e "$fifo-journal" ]
}

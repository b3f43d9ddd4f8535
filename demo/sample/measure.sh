#!/bin/sh
# The sample project's coverage command: build with gcov instrumentation, run the tests,
# capture an LCOV tracefile (what `coverage.command` runs in a real project).
set -e
rm -rf build && mkdir -p build
gcc --coverage -O0 -o build/test_calc src/*.c tests/*.c
./build/test_calc
lcov --quiet --capture --directory build --output-file coverage.info --exclude '*/tests/*' >/dev/null 2>&1 ||
  lcov --quiet --capture --directory build --output-file coverage.info >/dev/null

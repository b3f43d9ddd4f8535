#!/bin/sh
# The house rules that a reader relies on (docs/architecture.md), checked on every test run:
#  1. each C (or heavy C++) library's headers are included only by its adapter files;
#  2. nothing under lib/ includes anything from tools/;
#  3. no orchkit binary starts another: no path to a sibling binary is built anywhere (the stop,
#     the stage record and the board are library calls, lib/orchkit/stop and lib/orchkit/plane).
# Usage: layering.sh SOURCE_ROOT. Prints every breach; exit 1 when there is one.
set -u
root=${1:?usage: layering.sh SOURCE_ROOT}
cd "$root" || exit 2
bad=0

# allowed HEADER-PATTERN ADAPTER-REGEX: files under lib/ tools/ bench/ fuzz/ tests/ that include
# <HEADER-PATTERN...> must match ADAPTER-REGEX.
allowed() {
  found=$(grep -rlE "#include <$1" lib tools bench fuzz tests --include='*.cpp' --include='*.hpp' 2>/dev/null | sort)
  for f in $found; do
    if ! printf '%s\n' "$f" | grep -qE "^($2)$"; then
      echo "layering: $f includes <$1...>: only $2 may (see docs/architecture.md, rule 2)"
      bad=1
    fi
  done
}

allowed 'git2' 'lib/orchkit/git/[a-z_]*\.(cpp|hpp)'
allowed 'sqlite3\.h' 'lib/orchkit/state/db\.cpp'
allowed 'curl/' 'lib/orchkit/http\.cpp'
allowed 'boost/process' 'lib/orchkit/process/proc\.cpp'
allowed 'expat' 'lib/orchkit/xml\.cpp'
allowed 'zlib\.h' 'lib/orchkit/util/gzip\.cpp'
allowed 'mbedtls/' 'lib/orchkit/git/tls(_test)?\.cpp'
allowed 'openssl/' 'lib/orchkit/util/sha256\.cpp'
allowed 'toml\+\+' 'lib/orchkit/config\.cpp'
allowed 'simdjson' 'lib/orchkit/json\.cpp|lib/orchkit/coverage/json_[a-z_]*\.(cpp|hpp)'
allowed 'CLI/' 'lib/orchkit/cli\.cpp|tools/[a-z-]+/cli\.cpp'

for f in $(grep -rlE '#include "(coverage-gate|merge-verify|stop-task|plane-status|queue-report)/' lib 2>/dev/null); do
  echo "layering: $f includes a tool's header: lib/ knows no tool (docs/architecture.md, rule 1)"
  bad=1
done

for f in $(grep -rlE 'self_dir|"/(coverage-gate|merge-verify|stop-task|plane-status|queue-report)"' lib tools \
  --include='*.cpp' --include='*.hpp' 2>/dev/null | grep -v '_test\.cpp$'); do
  echo "layering: $f builds the path of an orchkit binary: no binary starts another (docs/architecture.md, rule 3)"
  bad=1
done

[ "$bad" -eq 0 ] && echo "layering: every library header stays in its adapter; lib/ includes no tool; no binary starts another"
exit "$bad"

#!/bin/sh
# install.sh DIR: the pinned clients into DIR/node_modules (npm ci), redone when the lock changed.
# Fails (never skips) when npm or the registry is unavailable.
set -eu
src=$(dirname "$0"); dir=$1
mkdir -p "$dir"
if [ -d "$dir/node_modules" ] && cmp -s "$src/package-lock.json" "$dir/package-lock.json"; then exit 0; fi
cp "$src/package.json" "$src/package-lock.json" "$dir/"
command -v npm >/dev/null || { echo "contract: npm not installed (make deps)" >&2; exit 1; }
(cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null) ||
  { echo "contract: npm ci failed: is the npm registry reachable?" >&2; rm -rf "$dir/node_modules"; exit 1; }

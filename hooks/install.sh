#!/bin/sh
# hooks/install.sh [--uninstall] REPO — install (or remove) orchkit's git hooks in REPO.
#
# Installs pre-merge-commit, pre-commit and post-merge plus their shared orchkit-hook.sh into the
# repository's hooks directory — core.hooksPath when it is set, else <git dir>/hooks. A hook that
# is already there and is not orchkit's is never overwritten: it is renamed <name>.orchkit-chained
# and orchkit's hook runs it first (its failure stops the commit as before). --uninstall removes
# orchkit's hooks and renames the chained ones back: the directory is as it was before.
# Re-running the install updates orchkit's hooks in place. Every action is printed.
set -eu

HOOKS="pre-merge-commit pre-commit post-merge"
LIB=orchkit-hook.sh
MARK="orchkit-hook:"
SRC=$(cd "$(dirname "$0")" && pwd)

usage() {
  echo "usage: $0 [--uninstall] REPO" >&2
  exit 2
}

uninstall=0
case "${1:-}" in
  --uninstall) uninstall=1; shift ;;
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
[ $# -eq 1 ] || usage
repo=$1
[ -d "$repo" ] || { echo "install.sh: error: $repo: no such directory" >&2; exit 2; }
dir=$(git -C "$repo" rev-parse --path-format=absolute --git-path hooks 2>/dev/null) ||
  { echo "install.sh: error: $repo: not a git repository" >&2; exit 2; }
where="$dir"
if git -C "$repo" config core.hooksPath >/dev/null 2>&1; then where="$dir (core.hooksPath)"; fi

ours() { [ -f "$1" ] && grep -q "$MARK" "$1" 2>/dev/null; }

if [ "$uninstall" = 1 ]; then
  for h in $HOOKS; do
    dst="$dir/$h"
    if ours "$dst"; then
      rm -f "$dst"
      if [ -e "$dst.orchkit-chained" ] || [ -L "$dst.orchkit-chained" ]; then
        mv "$dst.orchkit-chained" "$dst"
        echo "$h: removed orchkit's hook; your hook is back in place"
      else
        echo "$h: removed orchkit's hook"
      fi
    elif [ -e "$dst" ]; then
      echo "$h: not orchkit's hook: left alone"
    else
      echo "$h: not installed"
    fi
  done
  if ours "$dir/$LIB"; then rm -f "$dir/$LIB"; fi
  echo "orchkit hooks uninstalled from $where"
  exit 0
fi

# Refuse before touching anything when a previous chain would be lost.
for h in $HOOKS; do
  dst="$dir/$h"
  if { [ -e "$dst" ] || [ -L "$dst" ]; } && ! ours "$dst" && { [ -e "$dst.orchkit-chained" ] || [ -L "$dst.orchkit-chained" ]; }; then
    echo "install.sh: error: $dst and $dst.orchkit-chained both exist and neither is orchkit's (merge them by hand, then re-run)" >&2
    exit 3
  fi
done

mkdir -p "$dir"
cp "$SRC/$LIB" "$dir/$LIB.tmp.$$" && mv "$dir/$LIB.tmp.$$" "$dir/$LIB"
for h in $HOOKS; do
  dst="$dir/$h"
  if ours "$dst"; then
    what="updated orchkit's hook"
  elif [ -e "$dst" ] || [ -L "$dst" ]; then
    mv "$dst" "$dst.orchkit-chained"
    what="installed; your hook was kept as $h.orchkit-chained and runs first"
  else
    what="installed"
  fi
  cp "$SRC/$h" "$dst.tmp.$$"
  chmod 755 "$dst.tmp.$$"
  mv "$dst.tmp.$$" "$dst"
  echo "$h: $what"
done
echo "orchkit hooks installed in $where"
echo "they run coverage-gate and merge-verify from \$ORCHKIT_BIN or PATH; uninstall: $0 --uninstall $repo"

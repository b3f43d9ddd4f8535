# orchkit-hook: shared by the orchkit git hooks (sourced, never run). POSIX sh.
# Installed beside the hooks by hooks/install.sh; see docs/chain.md.
#
# The binaries come from $ORCHKIT_BIN when it holds them, else from PATH.
# Environment: ORCHKIT_TASK forces the task key; ORCHKIT_HOOKS=0 turns every orchkit hook off.

orchkit_say() { printf 'orchkit %s: %s\n' "$ORCHKIT_HOOK" "$*" >&2; }

# orchkit_bin NAME: the path of an orchkit binary, or nothing.
orchkit_bin() {
  if [ -n "${ORCHKIT_BIN:-}" ] && [ -x "$ORCHKIT_BIN/$1" ]; then
    printf '%s\n' "$ORCHKIT_BIN/$1"
  else
    command -v "$1" 2>/dev/null
  fi
}

# orchkit_chain ARGS...: runs the hook this one took the place of (<name>.orchkit-chained), first.
orchkit_chain() {
  _prev="$(dirname "$0")/$ORCHKIT_HOOK.orchkit-chained"
  [ -x "$_prev" ] || return 0
  "$_prev" "$@"
}

# orchkit_setting KEY: one effective config value (what `coverage-gate --show-config` prints).
orchkit_setting() {
  printf '%s\n' "$ORCHKIT_SHOWN" | sed -n "s/^$1 = \"\\(.*\\)\"  # .*/\\1/p" | head -n 1
}

# orchkit_task_of REF: the task key a branch name carries (task/ORCH-27-slug -> ORCH-27), or nothing.
orchkit_task_of() {
  _ref=${1#refs/heads/}
  _ref=${_ref#refs/remotes/}
  _ref=${_ref#remotes/}
  _ref=${_ref#origin/}
  _ref=${_ref%%[~^]*}
  case $_ref in
    "$ORCHKIT_PREFIX"*) ;;
    *) return 0 ;;
  esac
  printf '%s\n' "${_ref#"$ORCHKIT_PREFIX"}" | grep -oE "^($ORCHKIT_PATTERN)" | head -n 1
}

# orchkit_merged_task [COMMIT]: the task of the branch being merged. Sources, first that answers:
# $ORCHKIT_TASK; the names `git merge` was given (GIT_REFLOG_ACTION="merge task/ORCH-27-x");
# the branch that names COMMIT (git name-rev over the task branches).
orchkit_merged_task() {
  if [ -n "${ORCHKIT_TASK:-}" ]; then printf '%s\n' "$ORCHKIT_TASK"; return 0; fi
  case ${GIT_REFLOG_ACTION:-} in
    merge\ *)
      for _w in ${GIT_REFLOG_ACTION#merge }; do
        _t=$(orchkit_task_of "$_w")
        if [ -n "$_t" ]; then printf '%s\n' "$_t"; return 0; fi
      done ;;
  esac
  [ -n "${1:-}" ] || return 0
  _name=$(git name-rev --name-only --no-undefined --refs="refs/heads/$ORCHKIT_PREFIX*" \
    --refs="refs/remotes/origin/$ORCHKIT_PREFIX*" "$1" 2>/dev/null) || return 0
  orchkit_task_of "$_name"
}

# orchkit_setup HOOK: common start; returns 1 when the hook has nothing to do.
orchkit_setup() {
  ORCHKIT_HOOK=$1
  if [ "${ORCHKIT_HOOKS:-1}" = 0 ]; then return 1; fi
  ORCHKIT_CG=$(orchkit_bin coverage-gate)
  if [ -z "$ORCHKIT_CG" ]; then
    orchkit_say "coverage-gate is not installed (PATH, or ORCHKIT_BIN): skipped"
    return 1
  fi
  ORCHKIT_TOP=$(git rev-parse --show-toplevel) || return 1
  ORCHKIT_COMMON=$(git rev-parse --path-format=absolute --git-common-dir) || return 1
  ORCHKIT_SHOWN=$(cd "$ORCHKIT_TOP" && env -u GIT_INDEX_FILE "$ORCHKIT_CG" --show-config 2>/dev/null)
  ORCHKIT_TARGET=$(orchkit_setting project.target_branch)
  ORCHKIT_PREFIX=$(orchkit_setting task.branch_prefix)
  ORCHKIT_PATTERN=$(orchkit_setting task.key_pattern)
  ORCHKIT_BRANCH=$(git symbolic-ref --short -q HEAD)
  # Only merges into the target branch are gated: catching a task branch up with main is not.
  if [ "$ORCHKIT_BRANCH" != "${ORCHKIT_TARGET:-main}" ]; then return 1; fi
  # The artefact of a merge that names no task (merge-verify reads it in post-merge).
  ORCHKIT_UNTASKED="$ORCHKIT_COMMON/orchkit/pre-merge-commit.md"
  return 0
}

# orchkit_gate_merge: coverage-gate check on the merge result as git is about to record it.
# The index is the merge result and HEAD the target: the index is written as a temporary commit
# (parent HEAD, so patch coverage is exactly what the merge brings) and measured in a temporary
# detached worktree, so the artefact names the tree that will be committed and nothing untracked
# in the user's worktree leaks into the measurement. Returns the gate's exit code.
orchkit_gate_merge() {
  _tree=$(git write-tree) || { orchkit_say "git write-tree failed: the index has conflicts"; return 3; }
  _commit=$(GIT_AUTHOR_NAME=orchkit GIT_AUTHOR_EMAIL=orchkit@localhost GIT_COMMITTER_NAME=orchkit \
    GIT_COMMITTER_EMAIL=orchkit@localhost git commit-tree -p HEAD -m "orchkit: merge result gated by $ORCHKIT_HOOK" "$_tree") ||
    return 3
  _task=$(orchkit_merged_task "$(git rev-parse -q --verify MERGE_HEAD)")
  _tmp=$(mktemp -d "${TMPDIR:-/tmp}/orchkit-merge.XXXXXX") || return 3
  env -u GIT_INDEX_FILE git worktree add -q --detach "$_tmp/wt" "$_commit" >/dev/null 2>&1 ||
    { orchkit_say "cannot check out the merge result in $_tmp/wt"; rm -rf "$_tmp"; return 3; }
  if [ -n "$_task" ]; then
    set -- --task "$_task"
    rm -f "$ORCHKIT_UNTASKED"
    orchkit_say "gating the merge of $_task into $ORCHKIT_BRANCH (tree ${_tree%"${_tree#????????????}"})"
  else
    set -- --artefact "$ORCHKIT_UNTASKED"
    orchkit_say "gating a merge into $ORCHKIT_BRANCH that names no task (tree ${_tree%"${_tree#????????????}"})"
  fi
  env -u GIT_INDEX_FILE -u GIT_DIR -u GIT_WORK_TREE -u GIT_PREFIX "$ORCHKIT_CG" check -C "$_tmp/wt" --target "$ORCHKIT_BRANCH" "$@"
  _rc=$?
  env -u GIT_INDEX_FILE git worktree remove --force "$_tmp/wt" >/dev/null 2>&1
  rm -rf "$_tmp"
  env -u GIT_INDEX_FILE git worktree prune >/dev/null 2>&1
  if [ "$_rc" -ne 0 ]; then
    orchkit_say "merge blocked: coverage-gate exited $_rc (1 FAIL, 2 config, 3 error, 4 cancelled task)."
    orchkit_say "back out with 'git merge --abort'; bypass the gate with 'git merge --no-verify'."
  fi
  return "$_rc"
}

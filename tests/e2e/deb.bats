#!/usr/bin/env bats
# `make install` into a PREFIX, and the Debian package (`cpack -G DEB`): what they carry, the
# runtime Depends computed by dpkg-shlibdeps, and (as root) a real `dpkg -i`, the binaries run,
# `dpkg -r`. cmake --install is cheap and always runs; cpack rebuilds nothing but takes a while,
# so it runs only with ORCHKIT_TEST_DEB=1 (keeps `make test` fast).

load helpers
bats_require_minimum_version 1.5.0

BUILD_DIR=$(cd "$ORCHKIT_BIN/.." && pwd)

@test "cmake --install PREFIX: the five binaries, the hooks and their installer, the workflows, the docs" {
  prefix="$BATS_TEST_TMPDIR/prefix"
  run cmake --install "$BUILD_DIR" --prefix "$prefix"
  [ "$status" -eq 0 ]
  for b in coverage-gate merge-verify stop-task plane-status queue-report; do
    [ -x "$prefix/bin/$b" ]
    "$prefix/bin/$b" --version | grep -q "^$b "
  done
  for h in pre-merge-commit pre-commit post-merge install.sh; do [ -x "$prefix/share/orchkit/hooks/$h" ]; done
  [ -f "$prefix/share/orchkit/hooks/orchkit-hook.sh" ]
  for w in orchkit-pr orchkit-main orchkit-reconcile; do [ -f "$prefix/share/orchkit/ci/$w.yml" ]; done
  [ -f "$prefix/share/doc/orchkit/chain.md" ]
  # the installed hooks work from there: install into a repository, then uninstall
  make_repo "$BATS_TEST_TMPDIR/repo"
  run sh "$prefix/share/orchkit/hooks/install.sh" "$BATS_TEST_TMPDIR/repo"
  [ "$status" -eq 0 ]
  [ -x "$BATS_TEST_TMPDIR/repo/.git/hooks/pre-merge-commit" ]
}

@test "cpack -G DEB: name, version, maintainer, computed Depends; dpkg -i as root, run, dpkg -r" {
  [ "${ORCHKIT_TEST_DEB:-0}" = 1 ] || skip "set ORCHKIT_TEST_DEB=1 to build the package (slow)"
  out="$BATS_TEST_TMPDIR/pkg"
  run cpack -G DEB -B "$out" --config "$BUILD_DIR/CPackConfig.cmake"
  echo "$output"
  [ "$status" -eq 0 ]
  deb=$(ls "$out"/orchkit_*.deb)
  [ "$(dpkg-deb -f "$deb" Package)" = orchkit ]
  [ -n "$(dpkg-deb -f "$deb" Version)" ]
  [[ "$(dpkg-deb -f "$deb" Maintainer)" == *"<"*"@"*">"* ]]
  depends=$(dpkg-deb -f "$deb" Depends)
  echo "Depends: $depends"
  [[ "$depends" == *libsqlite3* ]]    # computed from the binaries by dpkg-shlibdeps (libgit2 is static)
  [[ "$depends" == *libsqlite3* ]]
  [[ "$depends" == *libc6* ]]
  [[ "$depends" == *git* ]]
  [[ "$depends" == *libcurl4* ]]      # dlopen()ed: declared by hand
  dpkg-deb -c "$deb" | grep -q './usr/bin/coverage-gate$'
  dpkg-deb -c "$deb" | grep -q './usr/share/orchkit/hooks/pre-merge-commit$'
  dpkg-deb -c "$deb" | grep -q './usr/share/orchkit/ci/orchkit-pr.yml$'
  if [ "$(id -u)" != 0 ] || dpkg-query -W orchkit >/dev/null 2>&1; then
    skip "not root, or an orchkit package is already installed: dpkg -i not tried"
  fi
  run dpkg -i "$deb"
  echo "$output"
  [ "$status" -eq 0 ]
  run /usr/bin/coverage-gate --version
  dpkg -r orchkit >/dev/null
  [ "$status" -eq 0 ]
  [[ "$output" == "coverage-gate "* ]]
  ! dpkg-query -W orchkit >/dev/null 2>&1 || [ "$(dpkg-query -W -f='${Status}' orchkit)" != "install ok installed" ]
  [ ! -e /usr/bin/coverage-gate ]
}

# orchkit — front door. `make test` and `make demo` work on a fresh Debian 12 machine.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc)
FUZZ_SECONDS ?= 30

DEB_PACKAGES := g++ cmake make pkg-config git bats python3 nodejs \
  libgit2-dev libcli11-dev libsimdjson-dev libtomlplusplus-dev libsqlite3-dev \
  libboost-dev libboost-filesystem-dev catch2 libcurl4-openssl-dev libssl-dev libexpat1-dev zlib1g-dev \
  lcov gcovr python3-coverage python3-pytest python3-pytest-cov llvm-14 clang clang-format-14 time \
  python3-yaml curl dpkg-dev file ca-certificates strace

.PHONY: all deps build test demo bench asan fuzz format check-format install install-hooks uninstall-hooks deb clean

all: build

# Installs only what is missing; `apt-get update` once, only when something is.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "make deps: all Debian packages present"; fi
	@# npm: Debian's own package, unless the installed nodejs brings it (NodeSource's does, and
	@# Debian's npm conflicts with that nodejs)
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }

# `| deps`: under make -j the configure must wait for the packages it looks for.
$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DORCHKIT_WERROR=ON

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	@bash demo/run.sh $(BUILD)/bin

bench: build
	@bash bench/run.sh $(BUILD)/bin

# Unit and e2e tests under ASan+UBSan. ASAN/UBSAN/LSAN_OPTIONS (tests/lsan.supp) are set per test
# by CTest (CMakeLists.txt), so they reach every binary the bats suites run, and a plain `ctest` in
# $(ASAN_BUILD) behaves the same; the sanitizer-reports test fails on any report. ctest's exit code
# is the target's.
asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DORCHKIT_WERROR=ON -DORCHKIT_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)

fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DORCHKIT_FUZZ=ON
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers
	@bash fuzz/run.sh $(FUZZ_BUILD)/fuzz $(FUZZ_SECONDS)

# .clang-format is the style; the formatter is pinned to Debian 12's clang-format-14 (in DEB_PACKAGES).
CLANG_FORMAT ?= clang-format-14
FORMAT_FILES = find lib tools fuzz bench \( -name '*.cpp' -o -name '*.hpp' \) -print0

format:
	$(FORMAT_FILES) | xargs -0 $(CLANG_FORMAT) -i

check-format:
	$(FORMAT_FILES) | xargs -0 $(CLANG_FORMAT) --dry-run --Werror

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# make install-hooks REPO=/path/to/repo: orchkit's git hooks into REPO (core.hooksPath respected,
# an existing hook kept and chained); make uninstall-hooks REPO=... puts everything back.
install-hooks:
	@test -n "$(REPO)" || { echo "usage: make install-hooks REPO=/path/to/repo" >&2; exit 2; }
	@sh hooks/install.sh "$(REPO)"

uninstall-hooks:
	@test -n "$(REPO)" || { echo "usage: make uninstall-hooks REPO=/path/to/repo" >&2; exit 2; }
	@sh hooks/install.sh --uninstall "$(REPO)"

# The Debian package (CPack): build/orchkit_<version>_<arch>.deb, Depends computed by dpkg-shlibdeps.
deb: build
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

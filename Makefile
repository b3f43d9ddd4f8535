# orchkit — front door. `make test` and `make demo` work on a fresh Debian 12 machine.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc)
FUZZ_SECONDS ?= 30

DEB_PACKAGES := g++ cmake make pkg-config git bats python3 \
  libgit2-dev libcli11-dev libsimdjson-dev libtomlplusplus-dev libsqlite3-dev \
  libboost-dev libboost-filesystem-dev catch2 libcurl4-openssl-dev libssl-dev libexpat1-dev zlib1g-dev \
  lcov gcovr python3-coverage llvm-14 clang time

.PHONY: all deps build test demo bench asan fuzz format check-format install clean

all: build

# Installs only what is missing; `apt-get update` once, only when something is.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "make deps: all Debian packages present"; fi

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DORCHKIT_WERROR=ON

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	@bash demo/run.sh $(BUILD)/bin

bench: build
	@bash bench/run.sh $(BUILD)/bin

asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DORCHKIT_WERROR=ON -DORCHKIT_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DORCHKIT_FUZZ=ON
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers
	@bash fuzz/run.sh $(FUZZ_BUILD)/fuzz $(FUZZ_SECONDS)

format:
	find lib tools fuzz bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

check-format:
	find lib tools fuzz bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format --dry-run --Werror

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

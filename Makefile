# The two entry points (see README.md): `make demo` and `make test`. Both install what is
# missing first, so they work on a fresh Debian 12 machine.
SHELL := /bin/bash
JOBS ?= $(shell nproc)

.PHONY: all deps build demo test test-asan bench bench-ownership format tidy clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

demo: build
	@scripts/demo.sh build/release/src/portwarden

test: build
	@ctest --preset release -j $(JOBS)

# ASan + UBSan build of everything, all tests.
test-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan -j $(JOBS)

bench: build
	@scripts/bench.sh

# Ownership benchmark with the SciPy and networkx baselines (docs/PERFORMANCE.md).
bench-ownership: build
	@scripts/bench-ownership.sh

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build

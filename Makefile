# devenv: build, test, bench, demo. Every target installs what it needs on a fresh machine
# (as root: Debian's packages); nothing here names a registry or mirror host.
SHELL := /bin/bash
export PATH := $(PATH):/opt/swift/usr/bin
PREFIX ?= /usr/local
SWIFT ?= swift
# Parallel jobs for swift build; the machines have 2 cores.
JOBS ?= 2
BIN := .build/debug
RELEASE_BIN := .build/release

.PHONY: build release test unit-test toml-suite engine test-tools test-images lint bench demo install clean

build:
	$(SWIFT) build -j $(JOBS)

# The shipped binaries link the Swift runtime statically: a third less start-up time. libstdc++
# and libgcc too (the runtime needs them): the loader then binds no libstdc++, which was half
# of devenv's start (about 1.6 million instructions of symbol lookups, issue 14). glibc stays
# shared: a static glibc cannot load the NSS modules (systemd, LDAP) that getpwuid may need
# (it crashes when it tries). Without a libstdc++.a the build links it as before.
STATIC_LIBS := .build/static-libs
LIBSTDCXX_A := $(shell $(dir $(shell command -v $(SWIFT) 2>/dev/null))clang -print-file-name=libstdc++.a 2>/dev/null)
# Concrete generic types (Dictionary<String, String>, [NamedSetting], ...) are reached through
# the compiler's metadata accessors, not by demangling their names at run time: on first use the
# runtime decoded each name and checked each generic requirement (String: Hashable ...) by
# scanning every protocol conformance in the binary, about 2.5 million instructions of every
# command's ~10 (issue 14, measured with callgrind). Same code, a slightly smaller binary.
# Linked at a fixed address (-no-pie): as a position-independent executable the loader first
# applied its ~40,000 relative relocations at every start (about 0.5 million instructions, and
# a copy of each page they touch), before devenv could start its one docker call: -no-pie halved
# the start (`devenv --version`: 1.0 to 0.5 million instructions, 290 to 165 page faults).
# Trade-off: devenv's own code and data are at the same address in every run (glibc, the heap
# and the stack are still randomised), as the docker CLI's are (/usr/local/bin/docker is no PIE
# either). --no-export-dynamic: the Swift toolchain's static-stdlib link exports every public
# symbol (6,000) into the dynamic table that the runtime's start-up scans with dladdr (0.2
# million instructions); nothing looks devenv's symbols up at run time. --disable-local-rpath:
# no $ORIGIN run path, so the loader does not probe a dozen missing libm/libc paths beside the
# binary first.
RELEASE_FLAGS := --static-swift-stdlib $(if $(filter /%,$(LIBSTDCXX_A)),-Xlinker -L$(CURDIR)/$(STATIC_LIBS) -Xswiftc -Xclang-linker -Xswiftc -static-libgcc) \
	-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors \
	-Xswiftc -Xclang-linker -Xswiftc -no-pie -Xlinker --no-export-dynamic --disable-local-rpath
# Laid out by use: each Swift function in a section of its own (-function-sections), and the ones
# devenv's everyday commands run placed together, in the order Sources/devenv/link-order.txt lists
# them (gold's --section-ordering-file; Tests/Scripts/generate-link-order.sh writes the list from
# callgrind runs on a real engine). Code is paged in on first use, 64 KiB around each fault, and a
# fault costs about 2 us here: scattered over 14 MB of text, it took a fault per 64 KiB touched
# (status 286 to 260 page faults, --version 176 to 152; issue 14). The standard library's own
# code is one section and keeps its order. A stale list costs only start-up time: the linker
# ignores names it no longer finds and places new functions where it would without the list.
RELEASE_FLAGS += -Xswiftc -Xfrontend -Xswiftc -function-sections -Xlinker --section-ordering-file=$(CURDIR)/Sources/devenv/link-order.txt

release:
	@if [ -f "$(LIBSTDCXX_A)" ]; then mkdir -p $(STATIC_LIBS) && ln -sf "$(LIBSTDCXX_A)" $(STATIC_LIBS)/libstdc++.a; fi
	$(SWIFT) build -c release -j $(JOBS) $(RELEASE_FLAGS) --product devenv
	$(SWIFT) build -c release -j $(JOBS) $(RELEASE_FLAGS) --product toml-test-decoder
	$(SWIFT) build -c release -j $(JOBS) $(RELEASE_FLAGS) --product tui-demo

# Every test: lint, the public TOML suite, then all Swift test targets with a real engine
# brought up first (integration tests skip with a reason when none can be had, and fail
# instead when DEVENV_REQUIRE_ENGINE=1).
test: lint build toml-suite engine test-tools
	$(SWIFT) build --build-tests -j $(JOBS)
	Tests/Scripts/engine-report.sh
	SWIFT="$(SWIFT)" Tests/Scripts/swift-test.sh

unit-test: build
	$(SWIFT) test -j $(JOBS) --skip IntegrationTests --skip EndToEndTests

# The public toml-test suite: TOML_TEST_SUITE=DIR, else ../shared/toml-test when it is there. In a
# plain clone it is absent: the target then says so and passes, unless DEVENV_REQUIRE_TOML_SUITE=1
# (.ci/run sets it).
TOML_TEST_SUITE ?= $(firstword $(wildcard ../shared/toml-test ../../shared/toml-test))
export TOML_TEST_SUITE

toml-suite: build
	Tests/Scripts/toml-suite.sh $(BIN)/toml-test-decoder "$(TOML_TEST_SUITE)"

# A Docker engine that answers, and the locally built base images the tests use; then rootful
# Podman (installed as root, test images copied from Docker), rootless Podman (a test user
# with subordinate ids and their own store) and rootless Docker (a dockerd run by the test user
# devenv-rldocker, 1600, on unix:///run/user/1600/docker.sock, left running like the shared
# engine; `Tests/Scripts/ensure-rootless-docker.sh stop` ends it), each saying whether its tests
# can run and why not. DEVENV_REQUIRE_ENGINES=docker,podman,podman-rootless,docker-rootless
# makes a missing one fail.
engine:
	Tests/Scripts/ensure-engine.sh
	Tests/Scripts/build-test-images.sh
	Tests/Scripts/ensure-podman.sh
	Tests/Scripts/ensure-rootless-podman.sh
	Tests/Scripts/ensure-rootless-docker.sh

# zsh and fish (the completion tests run them), tmux (end-to-end): installed when root.
test-tools:
	Tests/Scripts/ensure-test-tools.sh

# Pure targets must not reach the system: only DevEnvSystem may call posix_spawn, termios & co.
lint:
	Tests/Scripts/lint.sh

# Every figure from the shipped static build, with its goal and PASS/MISS (PARTS=scaffold for
# the image-build figures, which take several minutes more).
bench: release engine
	Tests/Scripts/bench.sh $(RELEASE_BIN) $(PARTS)

demo: build engine
	Tests/Scripts/demo.sh $(BIN)/devenv

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/devenv/profiles
	install -m 755 $(RELEASE_BIN)/devenv $(DESTDIR)$(PREFIX)/bin/devenv
	install -m 644 Profiles/*.toml $(DESTDIR)$(PREFIX)/share/devenv/profiles/
	# Completions where each shell looks by default (bash-completion, zsh's site-functions, fish's vendor dir).
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	$(RELEASE_BIN)/devenv completion bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/devenv
	$(RELEASE_BIN)/devenv completion zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_devenv
	$(RELEASE_BIN)/devenv completion fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/devenv.fish

clean:
	rm -rf .build

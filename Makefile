# Shortcuts for the scripts in scripts/ (which work without make too).
.PHONY: demo test tsan bench bench-record samples deps eval-ownership eval-ownership-heldout install

demo:
	./scripts/demo.sh

test:
	./scripts/test.sh

# ThreadSanitizer on render (progress bar live), batch, diff and record (CI runs it).
tsan:
	./scripts/tsan.sh

bench:
	./scripts/bench.sh

bench-record:
	./scripts/bench-record.sh

deps:
	./scripts/install-deps.sh

# Precision and recall of the ownership inference on one set of programs with known truth
# (docs/OWNERSHIP.md): `make eval-ownership` scores set 0 (Tests/OwnershipPrograms, the programs the
# first rules were written with); `make eval-ownership SET=N` scores Tests/OwnershipProgramsHeldOutN
# (SET=1: Tests/OwnershipProgramsHeldOut), held out from the rules frozen before it was written and
# tuning material for the later ones; `make eval-ownership-heldout` scores the newest held-out set.
SET ?= 0
HELDOUT_SET = 17
OWNERSHIP_PROGRAMS = $(if $(filter 0,$(1)),Tests/OwnershipPrograms,Tests/OwnershipProgramsHeldOut$(filter-out 1,$(1)))
eval-ownership:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval --programs $(call OWNERSHIP_PROGRAMS,$(SET))

eval-ownership-heldout:
	$(MAKE) eval-ownership SET=$(HELDOUT_SET)

# Regenerates the bundled samples (deterministic: the files must not change).
samples:
	swift run memscope-samples samples
	swift run memscope-samples --malformed samples/malformed

# Installs memscope into PREFIX (default /usr/local): PREFIX/bin/memscope, whose report
# templates are compiled in, and the recorder's PREFIX/lib/memscope/libmemscope-preload.so,
# where `memscope record` looks for it. Builds a release first; BUILT=DIR installs the
# binaries already built in DIR instead (the install test passes its debug build).
PREFIX ?= /usr/local
BUILT ?=
install:
ifeq ($(BUILT),)
	swift build -c release --product memscope
	$(MAKE) install BUILT=.build/release PREFIX="$(PREFIX)"
else
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/lib/memscope"
	install -m 755 "$(BUILT)/memscope" "$(DESTDIR)$(PREFIX)/bin/memscope"
	install -m 644 "$(BUILT)/memscope_memscope.resources/libmemscope-preload.so" "$(DESTDIR)$(PREFIX)/lib/memscope/libmemscope-preload.so"
endif

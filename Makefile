# Shortcuts for the scripts in scripts/ (which work without make too).
.PHONY: demo test tsan bench bench-record samples deps eval-ownership eval-ownership-heldout eval-ownership-tuned2 eval-ownership-tuned3 eval-ownership-tuned4 eval-ownership-tuned5 eval-ownership-tuned6 eval-ownership-tuned7 eval-ownership-tuned8 eval-ownership-tuned9 eval-ownership-tuned10 eval-ownership-tuned11 eval-ownership-tuned12 eval-ownership-tuned13 install

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

# Precision and recall of the ownership inference on Tests/OwnershipPrograms.
eval-ownership:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval

# The programs kept apart from the thirteenth rules (docs/OWNERSHIP.md, "Held out"; set 14): C, C++ and Rust.
# eval-ownership-tuned2 … -tuned13: the programs held out from the first … twelfth rules, which the
# later rules were written with.
eval-ownership-heldout:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval --programs Tests/OwnershipProgramsHeldOut14

eval-ownership-tuned13:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval --programs Tests/OwnershipProgramsHeldOut13

eval-ownership-tuned12:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval --programs Tests/OwnershipProgramsHeldOut12

eval-ownership-tuned11:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval --programs Tests/OwnershipProgramsHeldOut11

eval-ownership-tuned2:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval --programs Tests/OwnershipProgramsHeldOut

eval-ownership-tuned3:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval --programs Tests/OwnershipProgramsHeldOut2

eval-ownership-tuned4:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval --programs Tests/OwnershipProgramsHeldOut3

eval-ownership-tuned5:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval --programs Tests/OwnershipProgramsHeldOut4

eval-ownership-tuned6:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval --programs Tests/OwnershipProgramsHeldOut5

eval-ownership-tuned7:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval --programs Tests/OwnershipProgramsHeldOut6 && .build/debug/memscope-ownership-eval --programs Tests/OwnershipProgramsHeldOut7

eval-ownership-tuned8:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval --programs Tests/OwnershipProgramsHeldOut8

eval-ownership-tuned9:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval --programs Tests/OwnershipProgramsHeldOut9

eval-ownership-tuned10:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval --programs Tests/OwnershipProgramsHeldOut10

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

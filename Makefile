# Shortcuts for the scripts in scripts/ (which work without make too).
.PHONY: demo test bench bench-record samples deps eval-ownership

demo:
	./scripts/demo.sh

test:
	./scripts/test.sh

bench:
	./scripts/bench.sh

bench-record:
	./scripts/bench-record.sh

deps:
	./scripts/install-deps.sh

# Precision and recall of the ownership inference on Tests/OwnershipPrograms.
eval-ownership:
	swift build --product memscope && swift build --product memscope-ownership-eval && .build/debug/memscope-ownership-eval

# Regenerates the bundled samples (deterministic: the files must not change).
samples:
	swift run memscope-samples samples
	swift run memscope-samples --malformed samples/malformed

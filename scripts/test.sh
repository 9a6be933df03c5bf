#!/usr/bin/env bash
# Runs the whole test suite: unit tests per stage, the CLI end to end, and the figures
# against heaptrack_print on the same events.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
# Every product first: `--build-tests` alone leaves an existing memscope executable unlinked
# after a library it uses changed (seen 2026-12-07), and the CLI tests run that executable.
swift build
swift build --build-tests
swift test --skip-build

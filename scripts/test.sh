#!/usr/bin/env bash
# Runs the whole test suite: unit tests per stage, the CLI end to end, and the figures
# against heaptrack_print on the same events.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
swift build --build-tests
swift test --skip-build

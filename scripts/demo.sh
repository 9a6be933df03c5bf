#!/usr/bin/env bash
# Builds memscope (release) and runs its main job on a bundled sample.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
swift build -c release --product memscope
.build/release/memscope render --force samples/server-leak.msd

#!/usr/bin/env bash
# Records samples/recorded/*.msd from the C programs in samples/programs/ with
# `memscope record`. The dumps differ from run to run in addresses, times and pids
# (and in module paths, which name this machine's files), never in the figures that
# samples/EXPECTED.md lists and the tests check.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
swift build -c release --product memscope >/dev/null
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
mkdir -p samples/recorded
gcc -g -O1 -pthread -o "$build/minihttpd" samples/programs/minihttpd.c
gcc -g -O1 -o "$build/image-double-free" samples/programs/image-double-free.c
.build/release/memscope record -o samples/recorded/minihttpd.msd -- "$build/minihttpd"
.build/release/memscope record -o samples/recorded/image-double-free.msd -- "$build/image-double-free" || true

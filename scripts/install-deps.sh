#!/usr/bin/env bash
# Installs the Debian packages memscope needs to build and test. Idempotent: apt runs
# only when a package is missing. Needs root (or sudo) on a fresh machine.
set -euo pipefail

packages=(
  libzstd-dev        # zstd-compressed dumps
  libcairo2-dev      # the report's pictures
  libpng-dev         # the PNG writer (CPNGWriter; libcairo2-dev pulls it in too)
  libpango1.0-dev
  libgraphviz-dev    # the ownership graph's layout (Graphviz dot, libgvc)
  fonts-dejavu-core  # the one font the pictures use
  chromium-headless-shell  # browser tests of the report (run without network)
  zlib1g-dev
  heaptrack          # reference figures in the tests (heaptrack_print)
  valgrind           # memcheck, the reference for the recorder's figures
  gcc                # builds the recorder's preload library and the test programs
  g++                # a C++ test program (container types from symbols)
  libunwind-dev      # the recorder's stack unwinder
  libdw-dev          # DWARF symbolization (elfutils)
  libelf-dev
  libiberty-dev      # C++ and Rust demangling
  time               # /usr/bin/time for the benchmark
  sqlite3            # real programs nobody here wrote, recorded by the tests
  git
  ripgrep
  elfutils           # eu-addr2line -i: the reference for inline chains
  binutils           # addr2line -i: the other reference
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

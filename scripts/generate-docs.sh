#!/usr/bin/env bash
# Regenerates the man page and the shell completions from the CLI definition
# (swift-argument-parser). The tests check that the committed files are current.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product memscope
mkdir -p docs/man docs/completions
.build/debug/memscope --generate-completion-script bash > docs/completions/memscope.bash
.build/debug/memscope --generate-completion-script zsh > docs/completions/_memscope
.build/debug/memscope --generate-completion-script fish > docs/completions/memscope.fish
swift package --allow-writing-to-package-directory generate-manual --date 2026-11-25 >/dev/null
cp .build/plugins/GenerateManual/outputs/memscope/memscope.1 docs/man/memscope.1
echo "Wrote docs/man/memscope.1 and docs/completions/"

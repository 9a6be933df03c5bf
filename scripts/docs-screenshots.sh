#!/usr/bin/env bash
# The README's screenshots of four reports, light and dark: a recorded optimized C++ program
# (Tests/RealPrograms/stl.cc), a recorded optimized Rust program (shapes.rs), a heaptrack
# import and a massif import. Writes docs/images/report-{cpp,rust,heaptrack,massif}-{light,dark}.png.
# Needs the build prerequisites, g++, rustc and chromium-headless-shell (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product memscope >/dev/null
memscope=.build/release/memscope
out=bench-out/docs-screenshots
mkdir -p "$out" docs/images
g++ -O2 -g -pthread -o "$out/stl" Tests/RealPrograms/stl.cc
rustc -C opt-level=3 -g -o "$out/shapes" Tests/RealPrograms/shapes.rs
rm -f "$out"/*.msd*
"$memscope" record -o "$out/stl.msd" -- "$out/stl" >/dev/null 2>&1
"$memscope" record -o "$out/shapes.msd" -- "$out/shapes" >/dev/null 2>&1
"$memscope" render -q --force "$out/stl.msd" -o "$out/cpp.html"
"$memscope" render -q --force "$out/shapes.msd" -o "$out/rust.html"
rm -f "$out"/stl.heaptrack*
heaptrack -o "$out/stl.heaptrack" "$out/stl" >/dev/null 2>&1
"$memscope" render -q --force "$out"/stl.heaptrack.* -o "$out/heaptrack.html"
"$memscope" render -q --force Tests/Fixtures/imports/massif.out.workload -o "$out/massif.html"
browser=$(command -v chromium-headless-shell || command -v chromium)
for name in cpp rust heaptrack massif; do
  for theme in light dark; do
    flags=(--no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 --window-size=1280,1500
           "--screenshot=$PWD/docs/images/report-$name-$theme.png" --virtual-time-budget=3000)
    [ "$theme" = dark ] && flags+=(--force-dark-mode --blink-settings=preferredColorScheme=0)
    unshare --net "$browser" "${flags[@]}" "file://$PWD/$out/$name.html" 2>/dev/null \
      || "$browser" "${flags[@]}" --host-resolver-rules="MAP * ~NOTFOUND" "file://$PWD/$out/$name.html" 2>/dev/null
  done
done
# Palette PNGs weigh a third as much (Pillow, if installed).
python3 -c 'import sys
from PIL import Image
for p in sys.argv[1:]: Image.open(p).convert("RGB").quantize(colors=256).save(p, optimize=True)' docs/images/report-*.png 2>/dev/null || true
ls -la docs/images/report-*.png

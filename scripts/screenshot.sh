#!/usr/bin/env bash
# Screenshots a report in headless Chromium with the network cut off (unshare --net).
# Usage: scripts/screenshot.sh REPORT.html OUT.png [WIDTH] [HEIGHT]
set -euo pipefail
html=$(realpath "$1")
out=$(realpath -m "$2")
width=${3:-1400}
height=${4:-2400}
flags=(--no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1
       "--window-size=$width,$height" "--screenshot=$out" --virtual-time-budget=3000)
browser=$(command -v chromium-headless-shell || command -v chromium)
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
  unshare --net "$browser" "${flags[@]}" "file://$html" 2>/dev/null
else
  "$browser" "${flags[@]}" --host-resolver-rules="MAP * ~NOTFOUND" "file://$html" 2>/dev/null
fi

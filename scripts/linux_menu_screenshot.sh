#!/usr/bin/env bash
# The README's proof that the Linux archive installs a working menu entry: unpack the archive into a
# throwaway home, run its install.sh, open the LXDE panel's menu on a virtual screen, screenshot the
# entry under Education, click it and screenshot the app it starts.
# usage: scripts/linux_menu_screenshot.sh [build/DeepMine-linux.tar.gz] [docs/screenshots]
# Needs Debian's xvfb, lxpanel and xdotool (not part of `make test`).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
archive=$(realpath "${1:-$here/build/DeepMine-linux.tar.gz}")
outdir=$(realpath "${2:-$here/docs/screenshots}")
py="$here/.venv/bin/python"
for tool in Xvfb lxpanel xdotool; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install xvfb lxpanel xdotool)" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
tar xzf "$archive" -C "$tmp"
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/.local/share" XDG_CONFIG_HOME="$tmp/home/.config"
mkdir -p "$HOME"
"$tmp/DeepMine-linux/install.sh"
display=:$(( 90 + RANDOM % 100 ))
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
export DISPLAY=$display
sleep 2
lxpanel >/dev/null 2>&1 &
sleep 5
grab() {  # grab.py OUT [x y w h]: the screen, or a part of it
    QT_QPA_PLATFORM=xcb "$py" - "$@" <<'EOF'
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(["grab"])
pixmap = app.primaryScreen().grabWindow(0)
if len(sys.argv) == 6:
    x, y, w, h = map(int, sys.argv[2:])
    pixmap = pixmap.copy(x, y, w, h)
pixmap.save(sys.argv[1])
EOF
}
xdotool mousemove 13 787 click 1      # the panel's menu button, bottom left
sleep 2
xdotool mousemove 60 610              # Education
sleep 2
grab "$outdir/linux-menu-entry.png" 0 560 520 240
xdotool mousemove 260 610 click 1     # DeepMine Workbench
sleep 25
grab "$outdir/linux-started-from-menu.png"
echo "$outdir/linux-menu-entry.png $outdir/linux-started-from-menu.png"

#!/bin/sh
# Remove the menu entry and icon that install.sh added. Your data (saved models, handwriting
# samples, settings) stays in ~/.local/share/DeepMine; delete that folder to remove it too.
set -eu
data="${XDG_DATA_HOME:-$HOME/.local/share}"
rm -f "$data/applications/deepmine.desktop" \
      "$data/icons/hicolor/256x256/apps/deepmine.png" "$data/icons/hicolor/64x64/apps/deepmine.png"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
echo "DeepMine Workbench was removed from the menu. Your data is still in ${data}/DeepMine."

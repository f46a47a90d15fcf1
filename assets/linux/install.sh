#!/bin/sh
# Install DeepMine Workbench for the current user: a menu entry and an icon that point at this
# folder. Nothing is copied outside your home folder; run ./uninstall.sh to remove them again.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exe="$here/DeepMine/DeepMine"
if [ ! -x "$exe" ]; then
    echo "install.sh: $exe is missing; run this script from the unpacked DeepMine folder." >&2
    exit 1
fi
data="${XDG_DATA_HOME:-$HOME/.local/share}"
mkdir -p "$data/applications" "$data/icons/hicolor/256x256/apps" "$data/icons/hicolor/64x64/apps"
cp "$here/DeepMine/_internal/assets/icons/deepmine.png" "$data/icons/hicolor/256x256/apps/deepmine.png"
cp "$here/DeepMine/_internal/assets/icons/deepmine-64.png" "$data/icons/hicolor/64x64/apps/deepmine.png"
# The entry names the executable by its full path (quoted: the folder may contain spaces).
sed -e "s|^Exec=.*|Exec=\"$exe\" %F|" -e "s|^TryExec=.*|TryExec=$exe|" \
    "$here/deepmine.desktop" > "$data/applications/deepmine.desktop"
chmod 644 "$data/applications/deepmine.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "DeepMine Workbench is in your applications menu (Education). To remove it: $here/uninstall.sh"

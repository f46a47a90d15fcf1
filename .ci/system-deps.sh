#!/usr/bin/env bash
# Debian packages for the checks that need a system tool (they skip without it): Xvfb for
# screenshots, poppler for PDF pages as images, Chromium for the HTML report, the Qt xcb libraries.
# The app and `make test` need none of them; only what is missing is installed.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v Xvfb >/dev/null || need+=(xvfb)
dpkg -s libxcb-icccm4 >/dev/null 2>&1 || need+=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-xinerama0 libxcb-xkb1 libxcb-shape0 libxcb-randr0 libegl1 libgl1 libfontconfig1 libdbus-1-3)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}"
fi

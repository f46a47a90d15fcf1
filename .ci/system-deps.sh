#!/usr/bin/env bash
# Install the Debian packages the tests need, only when something is missing.
set -euo pipefail
need=()
fc-list 2>/dev/null | grep -qi "Noto Sans CJK\|WenQuanYi" || need+=(fonts-noto-cjk fonts-wqy-microhei)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v Xvfb >/dev/null || need+=(xvfb)
dpkg -s libxcb-icccm4 >/dev/null 2>&1 || need+=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-xinerama0 libxcb-xkb1 libxcb-shape0 libxcb-randr0 libegl1 libgl1 libfontconfig1 libdbus-1-3)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}"
fi

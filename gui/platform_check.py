"""Before the QApplication: can Qt's X11 (xcb) platform plugin load on this Linux machine?

Qt's xcb plugin links a dozen X libraries that fresh Debian/Ubuntu installs often lack
(``libxcb-cursor0``, ``libxcb-icccm4``, …). Without them Qt prints "Could not load the Qt
platform plugin "xcb"" and aborts the process. Here ``ldd`` names the missing files first, so
the launcher can print one line with the packages to install and exit 2 instead.

Qt-free on purpose (no PySide6 import; the plugin is found from PySide6's package folder), so it
runs before anything of Qt is loaded.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

LDD_TIMEOUT_S = 15
# Debian/Ubuntu package of each library Qt's xcb (and wayland) plugins link.
PACKAGE_OF_LIBRARY = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-ewmh.so.2": "libxcb-ewmh2",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$")


def platforms_qt_will_try(environ: dict[str, str] | None = None) -> list[str]:
    """The window-system plugins Qt tries, in order; empty when no xcb/wayland plugin is involved
    (``QT_QPA_PLATFORM=offscreen``, ``vnc``…) or no display is set at all."""
    env = os.environ if environ is None else environ
    asked = env.get("QT_QPA_PLATFORM", "").strip()
    if asked:
        names = [n.split(":", 1)[0].strip() for n in asked.split(";") if n.strip()]
        if not names or any(n != "xcb" and not n.startswith("wayland") for n in names):
            return []  # another platform (or a fallback Qt needs no X libraries for)
        return ["wayland" if n.startswith("wayland") else "xcb" for n in names]
    wayland = bool(env.get("WAYLAND_DISPLAY")) and env.get("XDG_SESSION_TYPE", "").lower() != "x11"
    if wayland:
        return ["wayland", "xcb"]  # Qt 6 prefers wayland in a Wayland session and falls back to xcb
    return ["xcb"] if env.get("DISPLAY") else []


def plugin_path(platform: str) -> Path | None:
    """``PySide6/Qt/plugins/platforms/libq<platform>.so``, found without importing PySide6."""
    spec = importlib.util.find_spec("PySide6")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / "Qt" / "plugins" / "platforms" / f"libq{platform}.so"
        if path.is_file():
            return path
    return None


def missing_libraries(plugin: Path) -> list[str] | None:
    """Libraries ``ldd`` reports "not found" for ``plugin``, in its order; None when ``ldd`` is
    absent or fails (then nothing can be said, and Qt gets its chance)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    try:
        out = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=LDD_TIMEOUT_S,
                             env=dict(os.environ, LC_ALL="C"))
    except (OSError, subprocess.SubprocessError):
        return None
    found: list[str] = []
    for line in out.stdout.splitlines():
        match = _NOT_FOUND.match(line)
        if match and match[1] not in found:
            found.append(match[1])
    return found


def packages_for(libraries: list[str]) -> list[str]:
    """The Debian/Ubuntu package of each library; an unknown one is named as the file itself."""
    packages: list[str] = []
    for library in libraries:
        package = PACKAGE_OF_LIBRARY.get(library, library)
        if package not in packages:
            packages.append(package)
    return packages


def missing_platform_packages(environ: dict[str, str] | None = None) -> list[str]:
    """Packages to install so the window can open: empty when a plugin Qt will try can load (or
    when nothing can be checked: not Linux, no ``ldd``, no plugin file)."""
    if not sys.platform.startswith("linux"):
        return []
    tried = platforms_qt_will_try(environ)
    if "xcb" not in tried:
        return []
    missing_xcb: list[str] = []
    for platform in tried:
        plugin = plugin_path(platform)
        missing = missing_libraries(plugin) if plugin is not None else None
        if not missing:  # loadable, or nothing known about it: Qt will manage or say so itself
            return []
        if platform == "xcb":
            missing_xcb = missing
    return packages_for(missing_xcb)  # the X11 plugin's: the fallback that works in any session


def platform_problem(lang: str | None = None, environ: dict[str, str] | None = None) -> str | None:
    """One line naming the packages to install, or None when Qt can open its window."""
    packages = missing_platform_packages(environ)
    if not packages:
        return None
    from engine.core.i18n import t

    return t("deepmine: the window cannot open: Qt's X11 (xcb) platform plugin needs system libraries "
             "that are missing. Install them with: sudo apt install {packages}",
             lang=lang, packages=" ".join(packages))

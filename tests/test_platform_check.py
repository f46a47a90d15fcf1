"""`deepmine` on a display whose machine lacks the X libraries Qt's xcb plugin links: one line naming
the Debian/Ubuntu packages to install and exit 2, never Qt's abort.

The missing libraries come from a fake ``ldd`` put first on PATH (the real plugin is checked, the
machine's real libraries are not needed either way)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gui import platform_check

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's xcb plugin is Linux only")

LDD_FOUND = """\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /x/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f86)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f86)
"""
LDD_MISSING = LDD_FOUND + """\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibfoo-unknown.so.7 => not found
"""


def fake_ldd(folder: Path, xcb_output: str, wayland_output: str = LDD_FOUND) -> Path:
    """A directory holding an ``ldd`` that prints ``xcb_output`` for the xcb plugin, ``wayland_output``
    for any other file: put first on PATH."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "xcb.txt").write_text(xcb_output)
    (folder / "other.txt").write_text(wayland_output)
    script = folder / "ldd"
    script.write_text(f'#!/bin/sh\ncase "$1" in\n  *libqxcb.so) cat "{folder}/xcb.txt" ;;\n'
                      f'  *) cat "{folder}/other.txt" ;;\nesac\n')
    script.chmod(0o755)
    return folder


def display_env(bin_dir: Path | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")}
    env.update(DISPLAY=":97", DEEPMINE_LANG="en", PYTHONPATH=str(ROOT), **extra)
    if bin_dir is not None:
        env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def launch(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The real entry point of the ``deepmine`` script, in a fresh process."""
    return subprocess.run([sys.executable, "-m", "gui.launcher", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


@pytest.fixture
def xcb_plugin() -> Path:
    plugin = platform_check.plugin_path("xcb")
    if plugin is None:
        pytest.skip("this PySide6 has no xcb platform plugin file")
    return plugin


def test_missing_x_libraries_are_one_line_naming_the_packages_and_exit_2(tmp_path, xcb_plugin) -> None:
    result = launch(display_env(fake_ldd(tmp_path / "bin", LDD_MISSING)))
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.returncode == 2, result.stderr[-2000:]
    assert len(lines) == 1, result.stderr[-2000:]
    assert lines[0].startswith("deepmine: the window cannot open")
    assert lines[0].endswith("sudo apt install libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libfoo-unknown.so.7")
    assert "Could not load the Qt platform plugin" not in result.stderr and result.stdout == ""


def test_the_line_speaks_chinese_with_lang(tmp_path, xcb_plugin) -> None:
    result = launch(display_env(fake_ldd(tmp_path / "bin", LDD_MISSING)), "--lang", "zh_CN")
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.returncode == 2 and len(lines) == 1, result.stderr[-2000:]
    assert "无法打开窗口" in lines[0] and "libxcb-icccm4 libxcb-keysyms1" in lines[0]


def test_the_command_line_never_runs_the_check(tmp_path) -> None:
    """`deepmine --version` and every subcommand work on a machine without the X libraries."""
    result = launch(display_env(fake_ldd(tmp_path / "bin", LDD_MISSING)), "--version")
    assert result.returncode == 0 and "DeepMine" in result.stdout, result.stderr[-2000:]


def first_on_path(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")


def test_a_complete_plugin_passes(tmp_path, monkeypatch, xcb_plugin) -> None:
    first_on_path(monkeypatch, fake_ldd(tmp_path / "bin", LDD_FOUND))
    assert platform_check.missing_libraries(xcb_plugin) == []
    assert platform_check.missing_platform_packages(display_env(None)) == []


def test_without_ldd_nothing_is_claimed(tmp_path, monkeypatch, xcb_plugin) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert platform_check.missing_libraries(xcb_plugin) is None
    assert platform_check.missing_platform_packages(display_env(None)) == []


def test_on_wayland_the_xcb_libraries_matter_only_when_wayland_cannot_load(tmp_path, monkeypatch, xcb_plugin) -> None:
    if platform_check.plugin_path("wayland") is None:
        pytest.skip("this PySide6 has no wayland platform plugin file")
    wayland = display_env(None, WAYLAND_DISPLAY="wayland-0", XDG_SESSION_TYPE="wayland")
    first_on_path(monkeypatch, fake_ldd(tmp_path / "ok", LDD_MISSING, LDD_FOUND))
    assert platform_check.missing_platform_packages(wayland) == []
    first_on_path(monkeypatch, fake_ldd(tmp_path / "broken", LDD_MISSING, "\tlibwayland-client.so.0 => not found\n"))
    assert platform_check.missing_platform_packages(wayland)[:2] == ["libxcb-icccm4", "libxcb-keysyms1"]
    first_on_path(monkeypatch, fake_ldd(tmp_path / "forced", LDD_MISSING, LDD_FOUND))
    assert platform_check.missing_platform_packages(dict(wayland, QT_QPA_PLATFORM="xcb"))[0] == "libxcb-icccm4"


@pytest.mark.parametrize(("env", "tried"), [
    ({"DISPLAY": ":0"}, ["xcb"]),
    ({}, []),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, []),
    ({"QT_QPA_PLATFORM": "xcb"}, ["xcb"]),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, ["wayland", "xcb"]),
    ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, ["wayland", "xcb"]),
    ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}, ["xcb"]),
])
def test_which_plugins_qt_will_try(env, tried) -> None:
    assert platform_check.platforms_qt_will_try(env) == tried

"""The Linux archive's install.sh and uninstall.sh, run on an unpacked tree in a private home."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the scripts are for Linux desktops")


def unpacked(tmp_path: Path) -> Path:
    """What ``tar xzf DeepMine-linux.tar.gz`` gives, with a stand-in executable (path with a space)."""
    top = tmp_path / "my apps" / "DeepMine-linux"
    icons = top / "DeepMine" / "_internal" / "assets" / "icons"
    icons.mkdir(parents=True)
    for name in ("deepmine.png", "deepmine-64.png"):
        shutil.copy(ROOT / "assets" / "icons" / name, icons / name)
    exe = top / "DeepMine" / "DeepMine"
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    for name in ("install.sh", "uninstall.sh"):
        shutil.copy(ROOT / "assets" / "linux" / name, top / name)
    shutil.copy(ROOT / "assets" / "deepmine.desktop", top / "deepmine.desktop")
    return top


def test_install_adds_a_menu_entry_that_starts_the_app_and_uninstall_removes_it(tmp_path) -> None:
    top = unpacked(tmp_path)
    data = tmp_path / "share"
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(data), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["sh", str(top / "install.sh")], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    entry = (data / "applications" / "deepmine.desktop").read_text(encoding="utf-8")
    exe = top / "DeepMine" / "DeepMine"
    assert f'Exec="{exe}" %F' in entry and "Name[zh_CN]=深度挖掘工作台" in entry
    assert (data / "icons" / "hicolor" / "256x256" / "apps" / "deepmine.png").exists()
    done = subprocess.run(["sh", str(top / "uninstall.sh")], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert not (data / "applications" / "deepmine.desktop").exists()
    assert not (data / "icons" / "hicolor" / "256x256" / "apps" / "deepmine.png").exists()


def test_install_outside_the_unpacked_folder_says_what_is_wrong(tmp_path) -> None:
    script = tmp_path / "install.sh"
    shutil.copy(ROOT / "assets" / "linux" / "install.sh", script)
    done = subprocess.run(["sh", str(script)], env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "run this script from the unpacked DeepMine folder" in done.stderr

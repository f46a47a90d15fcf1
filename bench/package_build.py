"""``make package``: build the one-folder app from build.spec, then prove it works.

Steps: PyInstaller build → size and compressed size → ``--self-test`` of the built app
(offscreen) from dist/ and from a read-only copy under a path with spaces and non-ASCII
characters → start-up probe with the person's own saved model. Figures go to ``build/package.json``
(``make bench`` folds them into its report). Any failed step exits non-zero.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from bench.common import startup_probe

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist" / "DeepMine"
EXE = DIST / ("DeepMine.exe" if sys.platform == "win32" else "DeepMine")
OUT = ROOT / "build" / "package.json"


def top_sizes(path: Path, n: int = 20) -> list[list]:
    """The biggest files and folders inside the bundle (MB, path), to see what a cut would save."""
    sizes: dict[Path, int] = {}
    for f in path.rglob("*"):
        if f.is_file() and not f.is_symlink():
            size = f.lstat().st_size
            for parent in [f, *f.relative_to(path).parents][:-1]:
                key = parent if parent.is_absolute() else path / parent
                sizes[key] = sizes.get(key, 0) + size
    ranked = sorted(sizes.items(), key=lambda kv: -kv[1])
    return [[round(b / 1e6, 1), str(p.relative_to(path))] for p, b in ranked[:n]]


def make_archive(dist: Path, out: Path) -> None:
    """``DeepMine-linux/``: the app folder, the menu entry and the scripts that install it for one user."""
    top = "DeepMine-linux"
    with tarfile.open(out, "w:gz", compresslevel=9) as tar:
        tar.add(dist, arcname=f"{top}/DeepMine")
        for name in ("install.sh", "uninstall.sh"):
            tar.add(ROOT / "assets" / "linux" / name, arcname=f"{top}/{name}")
        tar.add(ROOT / "assets" / "deepmine.desktop", arcname=f"{top}/deepmine.desktop")


def folder_mb(path: Path) -> float:
    """Bytes on disk as a person sees them: each file once (PyInstaller links some libraries)."""
    return round(sum(f.lstat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6, 1)


def self_test(exe: Path, home: Path) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DEEPMINE_HOME=str(home))
    started = time.monotonic()
    result = subprocess.run([str(exe), "--self-test"], env=env, capture_output=True, text=True, timeout=900,
                            cwd=tempfile.gettempdir())
    print(result.stdout, end="")
    if result.returncode != 0:
        print(result.stderr[-4000:], file=sys.stderr)
        raise SystemExit(f"package: the self-test of {exe} failed (exit {result.returncode})")
    return round(time.monotonic() - started, 1)


def startup(exe: Path, home: Path) -> dict[str, float]:
    return startup_probe([str(exe)], dict(os.environ, QT_QPA_PLATFORM="offscreen", DEEPMINE_HOME=str(home)))


def home_with_cached_model() -> Path:
    """A data dir where the person trained a model (a quick MLP, saved as the panel saves it):
    the start-up probe then loads their model instead of the shipped one."""
    home = Path(tempfile.mkdtemp(prefix="deepmine-package-home-"))
    bench_models = ROOT / "build" / "bench_home" / "models"
    if bench_models.exists():
        shutil.copytree(bench_models, home / "models")
        return home
    code = ("from engine.core.tasks import run_task\n"
            "from engine.digits.models import DigitParams\n"
            "from engine.digits.service import DigitSettings, train_and_save_task\n"
            "run_task(train_and_save_task(DigitParams.default('mlp'), DigitSettings('offline', False)))\n")
    subprocess.run([sys.executable, "-c", code], env=dict(os.environ, DEEPMINE_HOME=str(home)), check=True,
                   cwd=ROOT, capture_output=True)
    return home


def main() -> int:
    figures: dict[str, object] = {}
    started = time.monotonic()
    clean = ["--clean"] if os.environ.get("DEEPMINE_PACKAGE_CLEAN", "1") != "0" else []
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", *clean, "--log-level", "WARN",
                    "--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build" / "pyinstaller"),
                    str(ROOT / "build.spec")], check=True, cwd=ROOT)
    figures["package.build_seconds"] = round(time.monotonic() - started, 1)
    figures["package.size_mb"] = folder_mb(DIST)
    figures["package.top20"] = top_sizes(DIST)
    archive = ROOT / "build" / "DeepMine-linux.tar.gz"
    make_archive(DIST, archive)
    figures["package.archive_mb"] = round(archive.stat().st_size / 1e6, 1)
    print(json.dumps(figures), flush=True)

    home = Path(tempfile.mkdtemp(prefix="deepmine-self-test-home-"))
    figures["package.self_test_seconds"] = self_test(EXE, home)
    if any(home.iterdir()):
        raise SystemExit("package: the self-test wrote into the data dir it was given")

    # a read-only install under a path with spaces and non-ASCII characters
    odd = Path(tempfile.gettempdir()) / "深度 学习" / "Deep Mine app"
    shutil.rmtree(odd.parent, ignore_errors=True)
    shutil.copytree(DIST, odd, symlinks=True)
    for path in [odd, *odd.rglob("*")]:
        if not path.is_symlink():
            mode = path.stat().st_mode
            path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        self_test(odd / EXE.name, Path(tempfile.mkdtemp(prefix="deepmine-odd-home-")))
        figures["package.read_only_odd_path"] = "passed"
    finally:
        for path in [odd, *odd.rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | stat.S_IWUSR)
        shutil.rmtree(odd.parent, ignore_errors=True)

    first = []
    for _ in range(2):  # an empty data folder: the shipped model must answer the first drawing
        empty = Path(tempfile.mkdtemp(prefix="deepmine-first-start-"))
        first.append(startup(EXE, empty).get("digit_model_ready"))
        shutil.rmtree(empty, ignore_errors=True)
    figures["package.first_prediction_seconds.first_start"] = first[-1]

    home = home_with_cached_model()
    startup(EXE, home)  # first start warms the OS file cache
    warm = startup(EXE, home)
    figures["package.window_shown_seconds"] = warm.get("window_shown")
    figures["package.first_prediction_seconds"] = warm.get("digit_model_ready")
    shutil.rmtree(home, ignore_errors=True)

    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(figures, indent=2, sort_keys=True))
    print(json.dumps(figures, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The one place that decides which font draws Chinese — in plots (matplotlib), PDF reports
(fpdf2) and, through ``gui.common.app``, the Qt GUI.

The app ships its own CJK font (``assets/fonts/DeepMineSansSC-Regular.ttf``: Noto Sans CJK SC
subset to GB 2312 plus Latin and CJK punctuation, TrueType outlines; see the README there), so
Chinese never turns into boxes on a machine without a CJK font. A system CJK font is preferred
only when it has TrueType outlines (matplotlib embeds those as Type 42, fpdf2 subsets them
reliably) and covers at least everything the shipped one covers: the shipped font is the floor.

Nothing here reads matplotlib's font cache: that cache can be stale (fonts installed after it
was built are invisible to it), so fonts are registered by file with ``addfont``. Set
``DEEPMINE_CJK_FONT=bundled`` to always use the shipped font, or to a font file to use that one.
No Qt import: the engine stays GUI-free.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

BUNDLED_FILE = "DeepMineSansSC-Regular.ttf"
BUNDLED_FAMILY = "DeepMine Sans SC"
LATIN_FAMILY = "DejaVu Sans"
ENV_OVERRIDE = "DEEPMINE_CJK_FONT"

# Well-known TrueType-outline CJK fonts where fontconfig is not the way to find fonts. Each is
# still checked (glyf outlines, coverage) before it is used, so a wrong guess costs nothing.
_WINDOWS_FONTS = (("msyh.ttc", 0), ("msyh.ttf", 0), ("Deng.ttf", 0), ("simhei.ttf", 0))
_MAC_FONTS = ("/System/Library/Fonts/PingFang.ttc", "/System/Library/Fonts/STHeiti Medium.ttc",
              "/System/Library/Fonts/STHeiti Light.ttc")

_MAX_CANDIDATES = 8  # each is opened to check its outlines and coverage: bound the start-up cost
_lock = threading.Lock()
_warned: set[frozenset[str]] = set()
_mpl_registered: dict[tuple[str, int], str] = {}


@dataclass(frozen=True)
class _FontFile:
    family: str
    truetype_outlines: bool
    codepoints: frozenset[int]


def fonts_asset_dir() -> Path:
    """``assets/fonts`` in a checkout, or inside the frozen (PyInstaller) bundle."""
    base = getattr(sys, "_MEIPASS", None)
    root = Path(base) if base else Path(__file__).resolve().parents[2]
    return root / "assets" / "fonts"


def bundled_cjk_font() -> Path:
    """The CJK font shipped with the app: the guaranteed floor for Chinese text."""
    return fonts_asset_dir() / BUNDLED_FILE


def latin_font_file(name: str = "DejaVuSans.ttf") -> Path:
    """A DejaVu file from matplotlib's own data (always present, whatever the system has)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


@lru_cache(maxsize=32)
def _read_font(path: str, index: int) -> _FontFile | None:
    """Family, outline flavour and character coverage of one font file (None if unreadable)."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, fontNumber=index if path.lower().endswith((".ttc", ".otc")) else -1, lazy=True)
        name = font["name"]
        family = name.getBestFamilyName() or name.getDebugName(1) or Path(path).stem
        cmap = font.getBestCmap() or {}
        info = _FontFile(family, "glyf" in font, frozenset(cmap))
        font.close()
        return info
    except Exception as exc:  # noqa: BLE001 — a damaged or exotic font file: just not a candidate
        log.debug("cannot read font %s#%d: %s", path, index, exc)
        return None


def _system_candidates() -> list[tuple[Path, int]]:
    """Installed Chinese fonts that may have TrueType outlines (not yet checked): the platform's
    usual ones first, then fontconfig's in path order (deterministic)."""
    found: list[tuple[Path, int]] = []
    if sys.platform == "win32":
        fonts = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        found += [(fonts / name, index) for name, index in _WINDOWS_FONTS]
    elif sys.platform == "darwin":
        found += [(Path(p), 0) for p in _MAC_FONTS]
    fc_list = shutil.which("fc-list")
    if fc_list and sys.platform != "win32":
        # fontconfig (honours FONTCONFIG_FILE); "TrueType" here means glyf outlines, not CFF.
        try:
            out = subprocess.run([fc_list, ":lang=zh-cn:fontformat=TrueType", "--format=%{file}|%{index}\\n"],
                                 capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError) as exc:
            log.debug("fc-list failed: %s", exc)
            out = ""
        for line in sorted(set(out.splitlines())):
            file, _, index = line.rpartition("|")
            if file and index.isdigit():
                found.append((Path(file), int(index)))
    return [(path, index) for path, index in found if path.is_file()]


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, Path, int]:
    """(family, file, index in a .ttc) of the font that draws Chinese everywhere in the app.

    A system font with TrueType outlines that covers all the shipped font covers wins (wider
    coverage); otherwise the shipped font. ``FileNotFoundError`` only on a broken install
    (shipped font missing) and no usable system font.
    """
    bundled = bundled_cjk_font()
    override = os.environ.get(ENV_OVERRIDE, "").strip()
    if override and override.lower() != "bundled":
        info = _read_font(override, 0)
        if info is not None:
            return info.family, Path(override), 0
        log.warning("%s=%s is not a readable font; ignoring it", ENV_OVERRIDE, override)
    floor = _read_font(str(bundled), 0) if bundled.is_file() else None
    if override.lower() != "bundled":
        for path, index in _system_candidates()[:_MAX_CANDIDATES]:
            info = _read_font(str(path), index)
            if info is None or not info.truetype_outlines:
                continue
            if floor is None or floor.codepoints <= info.codepoints:
                log.info("CJK font: %s (%s#%d)", info.family, path, index)
                return info.family, path, index
    if floor is None:
        raise FileNotFoundError(f"the shipped CJK font {bundled} is missing or unreadable")
    log.info("CJK font: %s (shipped, %s)", floor.family, bundled)
    return floor.family, bundled, 0


def find_cjk_font() -> tuple[str, str] | None:
    """(family, file path) of the CJK font, or None on a broken install (older callers)."""
    try:
        family, path, _ = cjk_font()
    except FileNotFoundError as exc:
        log.error("%s", exc)
        return None
    return family, str(path)


def configure_matplotlib() -> str:
    """Let matplotlib draw Chinese: register the CJK font file, Latin from DejaVu Sans first.

    Glyph fallback (matplotlib ≥ 3.6) works across an explicit ``font.family`` list, so Latin
    comes from DejaVu Sans and every character it lacks from the CJK font. Safe to call per
    figure (registers the file once); returns the CJK family, or DejaVu Sans alone on a broken
    install (logged).
    """
    import matplotlib
    from matplotlib import font_manager

    try:
        _, path, index = cjk_font()
    except FileNotFoundError as exc:
        log.error("Chinese text in plots will show as boxes: %s", exc)
        matplotlib.rcParams["font.family"] = [LATIN_FAMILY]
        matplotlib.rcParams["axes.unicode_minus"] = False
        return LATIN_FAMILY
    key = (str(path), index)
    with _lock:
        family = _mpl_registered.get(key)
        if family is None:
            manager = font_manager.fontManager
            same = lambda e: Path(e.fname) == path and getattr(e, "index", 0) == index  # noqa: E731
            if not any(same(e) for e in manager.ttflist):
                manager.addfont(str(path))
            family = next((e.name for e in manager.ttflist if same(e)), None) or cjk_font()[0]
            _mpl_registered[key] = family
    matplotlib.rcParams["font.family"] = [LATIN_FAMILY, family]
    sans = [f for f in matplotlib.rcParams["font.sans-serif"] if f not in (LATIN_FAMILY, family)]
    matplotlib.rcParams["font.sans-serif"] = [LATIN_FAMILY, family, *sans]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family


def add_pdf_fonts(pdf: Any) -> str | None:
    """Register the report fonts with an fpdf2 ``FPDF``: "body" (DejaVu Sans, with B/I),
    "mono" (DejaVu Sans Mono) and "cjk", set as fallback so Chinese inside any run of text is
    drawn, not dropped. Returns the CJK family, or None when it could not be embedded (logged).
    """
    pdf.add_font("body", "", str(latin_font_file("DejaVuSans.ttf")))
    pdf.add_font("body", "B", str(latin_font_file("DejaVuSans-Bold.ttf")))
    pdf.add_font("body", "I", str(latin_font_file("DejaVuSans-Oblique.ttf")))
    pdf.add_font("mono", "", str(latin_font_file("DejaVuSansMono.ttf")))
    try:
        family, path, index = cjk_font()
        for style in ("", "B", "I"):
            pdf.add_font("cjk", style, str(path), collection_font_number=index)
        pdf.set_fallback_fonts(["cjk"], exact_match=False)
    except Exception as exc:  # noqa: BLE001 — a font that cannot be embedded: Latin still works
        log.warning("no CJK font usable in the PDF, Chinese text would be missing: %s", exc)
        return None
    return family


@lru_cache(maxsize=1)
def _latin_codepoints() -> frozenset[int]:
    info = _read_font(str(latin_font_file()), 0)
    return info.codepoints if info else frozenset(range(0x20, 0x7F))


def _cjk_codepoints() -> frozenset[int]:
    try:
        _, path, index = cjk_font()
    except FileNotFoundError:
        return frozenset()
    info = _read_font(str(path), index)
    return info.codepoints if info else frozenset()


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` that neither DejaVu Sans nor the CJK font can draw (they would show
    as boxes or vanish). Control characters (newlines, tabs) are not counted. Logs a warning
    once per distinct set, so callers can check every label without flooding the log.
    """
    if text.isascii() and text.isprintable():
        return set()
    covered = _latin_codepoints() | _cjk_codepoints()
    missing = {c for c in set(text) if ord(c) not in covered and unicodedata.category(c) != "Cc"}
    if missing:
        key = frozenset(missing)
        with _lock:
            first = key not in _warned
            _warned.add(key)
        if first:
            log.warning("no font draws %s (%s): they will show as boxes",
                        "".join(sorted(missing)), ", ".join(f"U+{ord(c):04X}" for c in sorted(missing)))
    return missing

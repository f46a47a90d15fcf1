"""Regenerate assets/fonts/DeepMineSansSC-Regular.ttf: the CJK font the app ships, so Chinese
renders in plots, PDF reports and the GUI on a machine without any system CJK font.

Source: Noto Sans CJK SC Regular (face 2 of ``NotoSansCJK-Regular.ttc``) from Debian's
``fonts-noto-cjk`` package, SIL Open Font License 1.1. What this script does to it:

1. subsets it to GB 2312 (every valid code 0xA1A1-0xF7FE: 6,763 hanzi plus its symbols, kana,
   Greek, Cyrillic, pinyin) plus Basic Latin, Latin-1, General Punctuation, CJK Symbols and
   Punctuation and Halfwidth/Fullwidth Forms — all of the app's Chinese text and far more;
2. converts the CFF (cubic) outlines to TrueType (quadratic, ``glyf``) with fontTools' cu2qu,
   the way fontTools' ``otf2ttf`` snippet does: matplotlib cannot embed CFF-flavoured fonts as
   Type 42 and fpdf2 embeds TrueType outlines most reliably;
3. renames the family to "DeepMine Sans SC": the upstream licence reserves the font name
   "Source" (Adobe) and a modified font must not pass for the original Noto release;
4. writes ``assets/fonts/OFL.txt`` (the upstream copyright line and the OFL text that the
   package carries) and ``assets/fonts/README.md`` (provenance, ranges, sha256).

The output is deterministic for a given source font and fontTools version (timestamps are kept
from the source), so a re-run shows whether the committed file still matches.

Requirements (build time only, not app dependencies):
    * fontTools (``.venv/bin/pip install fonttools``; matplotlib already depends on it);
    * the source font: either ``apt-get install fonts-noto-cjk`` (then it is found at
      /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc), or ``--from-deb``, which runs
      ``apt-get download fonts-noto-cjk`` and unpacks the .deb into a temporary folder with
      ``dpkg-deb -x`` without installing the font system-wide (so the machine stays a fair test
      of "no system CJK font"), or ``--source PATH`` for an already unpacked copy.

Usage:
    .venv/bin/python scripts/make_cjk_font.py --from-deb
    .venv/bin/python scripts/make_cjk_font.py --source /path/NotoSansCJK-Regular.ttc --index 2
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools import version as fonttools_version
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont, newTable

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "assets" / "fonts"
OUT_NAME = "DeepMineSansSC-Regular.ttf"
FAMILY = "DeepMine Sans SC"
PS_NAME = "DeepMineSansSC-Regular"
DEB_PACKAGE = "fonts-noto-cjk"
DEB_FONT = Path("usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEB_COPYRIGHT = Path("usr/share/doc/fonts-noto-cjk/copyright")
SC_INDEX = 2  # the collection's order: JP, KR, SC, TC, HK, then the Mono faces

# Ranges kept besides GB 2312 (inclusive).
EXTRA_RANGES = {
    "Basic Latin": (0x0020, 0x007E),
    "Latin-1 Supplement": (0x00A0, 0x00FF),
    "General Punctuation": (0x2000, 0x206F),
    "CJK Symbols and Punctuation": (0x3000, 0x303F),
    "Halfwidth and Fullwidth Forms": (0xFF00, 0xFFEF),
}
MAX_ERR = 1.0  # cu2qu tolerance in font units (of 1000): invisible at any text size
# The upstream LICENSE's first line (googlefonts/noto-cjk), which the OFL asks to keep.
UPSTREAM_NOTICE = "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'."


def gb2312_chars() -> set[str]:
    """Every character GB 2312 encodes: rows 0xA1-0xF7, cells 0xA1-0xFE, valid codes only."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def wanted_codepoints() -> set[int]:
    points = {ord(c) for c in gb2312_chars()}
    for lo, hi in EXTRA_RANGES.values():
        points.update(range(lo, hi + 1))
    return points


def subset(font: TTFont, codepoints: set[int]) -> None:
    """Keep only ``codepoints`` (and the glyphs their default layout features reach)."""
    options = Options()
    # Horizontal shaping only: "locl" would pull in the JP/KR/TC glyph forms, "vert" vertical ones.
    options.layout_features = ["ccmp", "calt", "kern", "liga", "mark", "mkmk", "rlig"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False  # CFF hints do not survive the conversion anyway
    options.desubroutinize = True
    options.drop_tables += ["VORG", "BASE", "vhea", "vmtx"]  # vertical layout: not used by the app
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)


def cff_to_glyf(font: TTFont) -> None:
    """Replace the CFF table by TrueType quadratic outlines (fontTools' otf2ttf recipe)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions"):
        setattr(maxp, field, 0)
    maxp.maxComponentElements = max(len(getattr(g, "components", []) or []) for g in glyphs.values())
    maxp.compile(font)
    font["post"].formatType = 3.0  # names are given by name_glyphs_by_character()
    font.sfntVersion = "\000\001\000\000"


def name_glyphs_by_character(font: TTFont) -> TTFont:
    """CID-keyed CFF names (cid01234) say nothing: reload without names (post format 3), which
    makes fontTools name each glyph after its character (uni4E2D), then store those names."""
    buf = io.BytesIO()
    font["post"].formatType = 3.0
    font.save(buf)
    buf.seek(0)
    font = TTFont(buf, recalcTimestamp=False)
    font.getGlyphOrder()
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    return font


def rename_family(font: TTFont, source_version: str) -> None:
    """Give the modified font its own name (OFL §3: no reserved names on modified versions)."""
    name = font["name"]
    for name_id in (1, 2, 3, 4, 6, 7, 16, 17, 18, 21, 22, 25):
        name.removeNames(nameID=name_id)
    name.names = [r for r in name.names if r.platformID == 3]  # one Windows-Unicode set is enough
    version = font["head"].fontRevision
    records = {
        1: FAMILY,
        2: "Regular",
        3: f"{version:.3f};DEEPMINE;{PS_NAME}",
        4: FAMILY,
        5: f"Version {version:.3f}; subset of Noto Sans CJK SC {source_version}, TrueType outlines",
        6: PS_NAME,
        10: ("DeepMine Sans SC is a modified version of Noto Sans CJK SC (SIL OFL 1.1): subset to "
             "GB 2312 plus Latin and CJK punctuation, CFF outlines converted to TrueType."),
    }
    for name_id, text in records.items():
        name.setName(text, name_id, 3, 1, 0x409)
    font["OS/2"].achVendID = "NONE"
    font["OS/2"].fsType = 0  # installable embedding, as upstream


def source_font(args: argparse.Namespace, work: Path) -> tuple[Path, Path | None, str]:
    """(font file, Debian copyright file or None, package description) of the source."""
    if args.source:
        copyright_file = Path(args.copyright) if args.copyright else None
        return Path(args.source), copyright_file, args.package_version or "unknown package version"
    if args.from_deb:
        subprocess.run(["apt-get", "download", DEB_PACKAGE], cwd=work, check=True)
        deb = next(work.glob(f"{DEB_PACKAGE}_*.deb"))
        subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "x")], check=True)
        version = subprocess.run(["dpkg-deb", "-f", str(deb), "Version"], capture_output=True, text=True,
                                 check=True).stdout.strip()
        return work / "x" / DEB_FONT, work / "x" / DEB_COPYRIGHT, f"{DEB_PACKAGE} {version}"
    installed = Path("/") / DEB_FONT
    if not installed.exists():
        sys.exit(f"{installed} not found: apt-get install {DEB_PACKAGE}, or run with --from-deb / --source")
    version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", DEB_PACKAGE], capture_output=True,
                             text=True).stdout.strip() or "unknown version"
    return installed, Path("/") / DEB_COPYRIGHT, f"{DEB_PACKAGE} {version}"


def ofl_text(copyright_file: Path | None) -> str:
    """The OFL 1.1 text as the Debian package carries it, with the upstream copyright line."""
    if copyright_file is None or not copyright_file.exists():
        existing = OUT_DIR / "OFL.txt"
        if existing.exists():
            return existing.read_text(encoding="utf-8")
        sys.exit("no licence text: pass --copyright /usr/share/doc/fonts-noto-cjk/copyright")
    text = copyright_file.read_text(encoding="utf-8")
    block = text.split("License: SIL-1.1\n", 2)[2].split("\nLicense: ", 1)[0]
    lines = []
    for line in block.splitlines():
        line = line[1:] if line.startswith(" ") else line
        lines.append("" if line == "." else line)
    body = "\n".join(lines).strip("\n")
    header = (f"{UPSTREAM_NOTICE}\n"
              "DeepMine Sans SC (DeepMineSansSC-Regular.ttf) is a Modified Version of Noto Sans CJK SC\n"
              "made by scripts/make_cjk_font.py; it does not use the Reserved Font Name.\n\n"
              "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
              "This license is copied below, and is also available with a FAQ at:\n"
              "https://openfontlicense.org\n\n")
    return header + body + "\n"


def readme(package: str, source_version: str, font: TTFont, size: int, digest: str, counts: dict[str, int]) -> str:
    ranges = "\n".join(f"  - {label}: U+{lo:04X}–U+{hi:04X}" for label, (lo, hi) in EXTRA_RANGES.items())
    return f"""# Bundled CJK font

`{OUT_NAME}` — family **{FAMILY}** — lets Chinese render in plots (matplotlib), PDF reports
(fpdf2) and the Qt GUI on machines without any system CJK font. `engine/core/fonts.py` finds
it (also inside the PyInstaller bundle, where `build.spec` copies `assets/fonts`).

- **Source**: Noto Sans CJK SC Regular {source_version} (face {SC_INDEX} of
  `NotoSansCJK-Regular.ttc`), from the Debian package `{package}`.
- **Licence**: SIL Open Font License 1.1, see `OFL.txt` beside this file. Upstream copyright:
  "{UPSTREAM_NOTICE}"
  This file is a Modified Version: its family is renamed to "{FAMILY}" (name table IDs 1-6),
  so it uses neither the Reserved Font Name "Source" nor the name of the original Noto release.
- **What was done** (`scripts/make_cjk_font.py`, fontTools {fonttools_version}):
  - subset to GB 2312 — every valid code 0xA1A1–0xF7FE: {counts["hanzi"]} hanzi and
    {counts["gb_symbols"]} symbols (punctuation, full-width forms, kana, Greek, Cyrillic, pinyin,
    box drawing) — plus
{ranges}
  - CFF outlines converted to TrueType quadratic outlines (`glyf`) with cu2qu (max error
    {MAX_ERR} unit of 1000), as fontTools' `otf2ttf` snippet does; hinting dropped;
    vertical-layout tables dropped; glyphs named `uniXXXX`.
- **Result**: {counts["codepoints"]} code points, {font["maxp"].numGlyphs} glyphs, {size:,} bytes.
- **sha256**: `{digest}`

Regenerate (deterministic for the same source and fontTools version):

    .venv/bin/pip install fonttools        # matplotlib already depends on it
    .venv/bin/python scripts/make_cjk_font.py --from-deb   # apt-get download + dpkg-deb -x, no install

Characters outside the subset (rare hanzi, GBK/Big5-only forms, emoji) are not drawn by this
font: `engine.core.fonts.missing_glyphs()` reports them, and a system CJK font with TrueType
outlines is preferred when one is installed.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", help="a Noto Sans CJK .ttc/.otf already on disk")
    parser.add_argument("--index", type=int, default=SC_INDEX, help="face in a .ttc (default: 2, SC)")
    parser.add_argument("--copyright", help="the Debian copyright file holding the OFL text (with --source)")
    parser.add_argument("--package-version", help="what --source came from, for the README")
    parser.add_argument("--from-deb", action="store_true", help=f"apt-get download {DEB_PACKAGE} and unpack it")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path, copyright_file, package = source_font(args, Path(tmp))
        font = TTFont(path, fontNumber=args.index if path.suffix.lower() in (".ttc", ".otc") else -1,
                      recalcTimestamp=False, recalcBBoxes=True)
        if "CFF " not in font:
            sys.exit(f"{path} (face {args.index}) has no CFF table: expected Noto Sans CJK")
        source_version = f"{font['head'].fontRevision:.3f}"
        if "Noto Sans CJK SC" not in (font["name"].getDebugName(1) or ""):
            sys.exit(f"{path} face {args.index} is {font['name'].getDebugName(1)!r}, not Noto Sans CJK SC")
        codepoints = wanted_codepoints()
        subset(font, codepoints)
        cff_to_glyf(font)
        font = name_glyphs_by_character(font)
        rename_family(font, source_version)
        args.out_dir.mkdir(parents=True, exist_ok=True)
        out = args.out_dir / OUT_NAME
        font.save(out)
        licence = ofl_text(copyright_file)

    font = TTFont(out)
    cmap = font.getBestCmap()
    gb = gb2312_chars()
    hanzi = {c for c in gb if re.match(r"[\u4e00-\u9fff]", c)}
    missing = sorted(c for c in gb if ord(c) not in cmap)
    if missing:
        print(f"warning: {len(missing)} GB 2312 characters are not in the source font: {''.join(missing)}")
    counts = {"hanzi": len(hanzi), "gb_symbols": len(gb) - len(hanzi), "codepoints": len(cmap)}
    data = out.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    (args.out_dir / "OFL.txt").write_text(licence, encoding="utf-8")
    (args.out_dir / "README.md").write_text(readme(package, source_version, font, len(data), digest, counts),
                                            encoding="utf-8")
    print(f"{out}: {len(data):,} bytes, {len(cmap)} code points, {font['maxp'].numGlyphs} glyphs, sha256 {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Chinese renders without any system CJK font: the shipped font covers GB 2312, and plots,
PDF reports and Qt widgets draw Chinese in a process whose fontconfig knows no fonts and whose
matplotlib cache is empty. A negative control (a "CJK" font without Chinese) proves the checks
would catch boxes."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "assets" / "fonts" / "DeepMineSansSC-Regular.ttf"
SAMPLE = "深度挖掘 准确率 训练"
HANZI = set(SAMPLE.replace(" ", ""))


def gb2312() -> tuple[set[str], set[str]]:
    """(hanzi, symbols) of GB 2312, from Python's codec: every valid code 0xA1A1-0xF7FE."""
    hanzi, symbols = set(), set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                char = bytes((hi, lo)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            (hanzi if hi >= 0xB0 else symbols).add(char)
    return hanzi, symbols


def test_bundled_font_covers_gb2312_and_latin_with_real_outlines() -> None:
    from fontTools.ttLib import TTFont

    from engine.core.fonts import BUNDLED_FAMILY, bundled_cjk_font

    assert bundled_cjk_font() == FONT and FONT.is_file()
    assert FONT.stat().st_size <= 8 * 1024 * 1024
    font = TTFont(FONT)
    assert "glyf" in font and "CFF " not in font, "must be TrueType outlines (Type 42 / fpdf2)"
    assert font["name"].getBestFamilyName() == BUNDLED_FAMILY
    assert font["OS/2"].fsType == 0  # installable: matplotlib and fpdf2 may embed it
    cmap = font.getBestCmap()
    hanzi, symbols = gb2312()
    assert len(hanzi) == 6763
    assert sorted(c for c in hanzi | symbols if ord(c) not in cmap) == []
    latin = [*range(0x20, 0x7F), *range(0xA0, 0x100)]
    assert [hex(c) for c in latin if c not in cmap] == []
    for char in "，。、：；！？「」《》（）—…·％０９ＡＺ":
        assert ord(char) in cmap, char
    # every hanzi has an outline (a cmap entry pointing at an empty glyph would still be a box)
    glyf = font["glyf"]
    empty = [c for c in hanzi if glyf[cmap[ord(c)]].numberOfContours <= 0]
    assert empty == []
    assert ord("𠀀") not in cmap  # a subset, not the whole font: the test below relies on it

    readme = (FONT.parent / "README.md").read_text(encoding="utf-8")
    assert hashlib.sha256(FONT.read_bytes()).hexdigest() in readme, "README.md sha256 is stale"
    licence = (FONT.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Reserved Font Name" in licence


@pytest.fixture
def bundled_only(monkeypatch: pytest.MonkeyPatch):
    """This process's font choice pinned to the shipped font, and the choice cache reset."""
    from engine.core import fonts

    monkeypatch.setenv(fonts.ENV_OVERRIDE, "bundled")
    fonts.cjk_font.cache_clear()
    yield fonts
    fonts.cjk_font.cache_clear()


def test_missing_glyphs_reports_only_what_no_font_draws(bundled_only, caplog) -> None:
    fonts = bundled_only
    with caplog.at_level(logging.WARNING, logger="engine.core.fonts"):
        assert fonts.missing_glyphs("深度 abc 𠀀") == {"𠀀"}
        assert fonts.missing_glyphs("深度 abc 𠀀") == {"𠀀"}
    warned = [r for r in caplog.records if "𠀀" in r.getMessage()]
    assert len(warned) == 1, "one warning per character set, not per call"
    assert fonts.missing_glyphs("深度挖掘 accuracy — 95%，准确率：0.98。\n\t“训练”") == set()
    assert fonts.missing_glyphs("Ωμ ½ → ≤ ✓") == set()  # DejaVu Sans draws these
    assert fonts.missing_glyphs("张喆 test") == {"喆"}  # outside GB 2312: the subset's edge, reported


def test_a_truetype_cjk_font_from_fontconfig_is_preferred(tmp_path, monkeypatch) -> None:
    """A system font is found through fontconfig (not matplotlib's cache) and used when it has
    TrueType outlines and covers at least the shipped font."""
    from engine.core import fonts

    if not shutil.which("fc-list"):
        pytest.skip("no fontconfig on this machine")
    system = tmp_path / "sysfonts"
    system.mkdir()
    copy = system / "SystemCJK.ttf"
    copy.write_bytes(FONT.read_bytes())
    monkeypatch.setenv("FONTCONFIG_FILE", str(_fonts_conf(tmp_path, [system])))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(fonts.ENV_OVERRIDE, raising=False)
    fonts.cjk_font.cache_clear()
    try:
        assert fonts.cjk_font() == ("DeepMine Sans SC", copy, 0)
        monkeypatch.setenv(fonts.ENV_OVERRIDE, "bundled")
        fonts.cjk_font.cache_clear()
        assert fonts.cjk_font()[1] == FONT
    finally:
        fonts.cjk_font.cache_clear()


def _fonts_conf(tmp: Path, dirs: list[Path]) -> Path:
    conf = tmp / "fonts.conf"
    body = "".join(f"<dir>{d}</dir>" for d in dirs)
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                    f"<fontconfig>{body}<cachedir>{tmp / 'fc-cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    return conf


def _run_isolated(tmp: Path, script: str, font_dirs: list[Path] | None = None,
                  extra_env: dict[str, str] | None = None) -> dict:
    """Run ``script`` in a fresh interpreter whose fontconfig knows only ``font_dirs`` (none by
    default) and whose matplotlib config/cache dir is empty; return the JSON it prints last."""
    mpl = tmp / "mplconfig"
    mpl.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEEPMINE_CJK", "MPL", "FONTCONFIG"))}
    env.update(FONTCONFIG_FILE=str(_fonts_conf(tmp, font_dirs or [])), MPLCONFIGDIR=str(mpl),
               XDG_CACHE_HOME=str(tmp / "cache"), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               PYTHONDONTWRITEBYTECODE="1")
    env.update(extra_env or {})
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(script), str(tmp)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


PLOTS_AND_PDF = r"""
    import json, logging, sys, warnings
    from pathlib import Path

    out = Path(sys.argv[1])
    logs = []

    class Keep(logging.Handler):
        def emit(self, record):
            logs.append(record.getMessage())

    logging.getLogger().addHandler(Keep(level=logging.WARNING))
    warnings.simplefilter("always")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import matplotlib
        matplotlib.use("Agg")
        from matplotlib import font_manager
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from engine.core import fonts

        family = fonts.configure_matplotlib()
        assert fonts.configure_matplotlib() == family  # idempotent
        fig = Figure(figsize=(5, 3.5), layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.plot([1, 2, 3], [0.5, 0.8, 0.9], label="训练 accuracy")
        ax.plot([1, 2, 3], [0.4, 0.7, 0.85], label="准确率")
        ax.set_title("深度挖掘 准确率 训练")
        ax.set_xlabel("训练 epoch")
        ax.set_ylabel("准确率 −1")
        ax.legend()
        fig.savefig(out / "plot.png", dpi=80)
        fig.savefig(out / "plot_type3.pdf")
        with matplotlib.rc_context({"pdf.fonttype": 42}):
            fig.savefig(out / "plot_type42.pdf")

        from fpdf import FPDF

        pdf = FPDF(format="A4", unit="mm")
        pdf_family = fonts.add_pdf_fonts(pdf)
        pdf.add_page()
        pdf.set_font("body", "B", 16)
        pdf.multi_cell(0, 9, "深度挖掘 Workbench", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("body", "", 11)
        pdf.multi_cell(0, 6, "模型 accuracy: 准确率 95.2%，训练 12 轮。", new_x="LMARGIN", new_y="NEXT")
        pdf.output(str(out / "report.pdf"))

        family_file = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    print(json.dumps({
        "family": family,
        "cjk": [fonts.cjk_font()[0], str(fonts.cjk_font()[1]), fonts.cjk_font()[2]],
        "bundled": str(fonts.bundled_cjk_font()),
        "mpl_family_file": family_file,
        "rc_family": list(matplotlib.rcParams["font.family"]),
        "pdf_family": pdf_family,
        "warnings": [f"{w.category.__name__}: {w.message}" for w in caught],
        "logs": logs,
    }))
"""


def _glyph_trouble(result: dict) -> list[str]:
    bad = re.compile(r"missing from|glyph|findfont|not found|boxes", re.IGNORECASE)
    return [m for m in result["warnings"] + result["logs"] if bad.search(m)]


def _pdf_text_and_fonts(path: Path) -> tuple[str, set[str]]:
    reader = PdfReader(str(path))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    names: set[str] = set()
    for page in reader.pages:
        for font in (page["/Resources"].get_object().get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
    return text, names


def test_chinese_plots_and_pdfs_need_no_system_font(tmp_path) -> None:
    result = _run_isolated(tmp_path, PLOTS_AND_PDF)
    # the shipped font was chosen (fontconfig offers nothing) and matplotlib resolved it by file
    assert result["cjk"] == ["DeepMine Sans SC", str(FONT), 0]
    assert result["family"] == "DeepMine Sans SC" and result["pdf_family"] == "DeepMine Sans SC"
    assert result["rc_family"] == ["DejaVu Sans", "DeepMine Sans SC"]
    assert Path(result["mpl_family_file"]) == FONT
    assert _glyph_trouble(result) == [], result
    assert (tmp_path / "plot.png").stat().st_size > 5_000

    text, names = _pdf_text_and_fonts(tmp_path / "plot_type42.pdf")
    assert any("DeepMineSansSC" in n for n in names), names
    for word in SAMPLE.split():
        assert word in text, (word, text)
    _, names3 = _pdf_text_and_fonts(tmp_path / "plot_type3.pdf")
    assert any("DeepMineSansSC" in n for n in names3), names3

    text, names = _pdf_text_and_fonts(tmp_path / "report.pdf")
    assert any("DeepMineSansSC" in n for n in names), names
    assert "深度挖掘" in text and "准确率" in text and "训练" in text, text
    assert "Workbench" in text and "95.2%" in text


def test_negative_control_a_font_without_chinese_is_caught(tmp_path) -> None:
    """Same run with a 'CJK' font that has no Chinese: the checks above must see the boxes."""
    from engine.core.fonts import latin_font_file

    dejavu = latin_font_file("DejaVuSans.ttf")
    result = _run_isolated(tmp_path, PLOTS_AND_PDF, extra_env={"DEEPMINE_CJK_FONT": str(dejavu)})
    assert result["cjk"][1] == str(dejavu)
    assert any("missing from font" in m for m in _glyph_trouble(result)), result
    text, _ = _pdf_text_and_fonts(tmp_path / "report.pdf")
    assert "深度挖掘" not in text


QT_WIDGETS = r"""
    import json, sys
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])

    def render(font, text="深度"):
        img = QImage(120, 60, QImage.Format.Format_ARGB32)
        img.fill(QColor("white"))
        p = QPainter(img)
        p.setFont(font)
        p.setPen(QColor("black"))
        p.drawText(QPointF(4, 44), text)
        p.end()
        return bytes(img.constBits())

    def sized(font):
        font = QFont(font)
        font.setPixelSize(32)
        return font

    before = render(sized(app.font()))
    from gui.common.app import create_app
    assert create_app() is app
    create_app()  # twice: registers once
    after = render(sized(app.font()))
    cjk = sized(QFont("DeepMine Sans SC"))
    direct = render(cjk)
    print(json.dumps({
        "families": [f for f in QFontDatabase.families() if "DeepMine" in f],
        "app_families": app.font().families(),
        "before_is_after": before == after,
        "after_is_cjk": after == direct,
        "blank": direct == render(cjk, ""),
    }))
"""


def test_qt_widgets_fall_back_to_the_shipped_font(tmp_path) -> None:
    import matplotlib

    latin_only = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu: a machine without CJK
    result = _run_isolated(tmp_path, QT_WIDGETS, font_dirs=[latin_only])
    assert result["families"] == ["DeepMine Sans SC"]
    assert result["app_families"][-1] == "DeepMine Sans SC" and len(result["app_families"]) == 2
    assert not result["blank"], "the CJK font drew nothing"
    assert result["after_is_cjk"], "widget text does not use the shipped font for Chinese"
    assert not result["before_is_after"], "Chinese looked the same before the font was registered"

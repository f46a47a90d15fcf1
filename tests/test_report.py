"""Reports of a real session (tiny real models): the numbers in the PDF and HTML are the
session's, files are written whole or not at all, and Chinese reports read as Chinese."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from engine.digits.models import DigitParams

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def session():
    from engine.houses.boston import load_boston
    from engine.digits.training import train_digit_model
    from engine.houses.models import HouseParams, train_house_models
    from engine.digits.mnist import load_offline_sample
    from engine.core.session import DrawnDigit, PricedHouse, Session

    data = load_offline_sample()
    model = train_digit_model(data.subset(800), DigitParams(arch="mlp", epochs=1, augment=False, typeset_copies=0))
    s = Session()
    s.digit_model = model.info
    for i, k in enumerate((0, 1500, 3100, 4900)):
        p = model.predict(data.x[k])
        s.add_digit(DrawnDigit(p.input28, p.digit, p.confidence, [float(v) for v in p.probabilities],
                               corrected_label=7 if i == 2 else None))
    houses = load_boston()
    models = train_house_models(houses, HouseParams(n_trees=20, boosting_iter=40))
    s.house_models = models.info
    for rm, truth in ((5.9, None), (7.8, 41.3), (12.0, None)):
        pred = models.predict(dict(houses.medians(), RM=rm))
        s.add_house(PricedHouse(pred, models.explain(pred), truth))
    return s


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


class TextAndImages(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.images: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "img":
            self.images.append(dict(attrs)["src"])


def test_pdf_holds_the_sessions_figures_predictions_and_labels(session, tmp_path) -> None:
    from engine.workbench import write_workbench_report as write_report

    out = write_report(session, tmp_path / "report.pdf")
    text = pdf_text(out)
    info = session.digit_model
    assert f"{info.evaluation.accuracy:.1%}" in text
    assert info.train_provenance.sha256[:16] in text
    for d in session.digits:
        assert f"{d.confidence:.1%}" in text
    assert re.search(r"3\s+\d\s+[\d.]+%\s+7", text), "the corrected label stands in the drawn digit's row"
    for score in session.house_models.cv:
        assert f"{score.mse:.2f}" in text and f"{score.r2:.3f}" in text
    for house in session.houses:
        assert f"{house.prediction.price:.1f}" in text
        assert house.explanation.split(" → ")[0].split(" and ")[0] in text
    assert "true price 41.3" in text
    assert "page 1 of" in text
    reader = PdfReader(out)
    assert len(reader.pages) >= 3
    images = [img for page in reader.pages for img in page.images]
    assert len(images) >= 6, "curves, confusion matrix, mistakes, drawings, scatter, importances"
    assert min(img.image.width for img in images) >= 600, "figures are embedded at print resolution"


def test_html_is_one_self_contained_page_with_the_same_numbers(session, tmp_path) -> None:
    from engine.workbench import write_workbench_report as write_report

    out = write_report(session, tmp_path / "report.html")
    html = out.read_text(encoding="utf-8")
    parser = TextAndImages()
    parser.feed(html)
    text = " ".join(parser.text)
    assert parser.images and all(src.startswith("data:image/png;base64,") for src in parser.images)
    assert not re.search(r'(src|href)="(?!data:)', html), "nothing loaded from outside the file"
    assert 'name="viewport"' in html and "@media print" in html and "max-width: 100%" in html
    assert f"{session.digit_model.evaluation.accuracy:.1%}" in text
    for house in session.houses:
        assert f"{house.prediction.price:.1f}" in text
    assert "Reproducibility" in text and "tensorflow" in text


def test_sections_can_be_chosen(session, tmp_path) -> None:
    from engine.workbench import write_workbench_report as write_report

    text = pdf_text(write_report(session, tmp_path / "houses.pdf", ["houses"]))
    assert "Houses priced in this session" in text
    assert "Digits drawn in this session" not in text


def test_unwritable_path_fails_cleanly_and_leaves_nothing(session, tmp_path) -> None:
    from engine.core.errors import DeepMineError
    from engine.workbench import write_workbench_report as write_report

    with pytest.raises(DeepMineError, match="folder .* does not exist"):
        write_report(session, tmp_path / "missing" / "report.pdf")
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(DeepMineError):
        write_report(session, blocker / "report.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_full_disk_keeps_the_old_report_intact(session, tmp_path, monkeypatch) -> None:
    import errno

    from engine.core import atomic
    from engine.core.errors import DeepMineError
    from engine.workbench import write_workbench_report as write_report

    out = tmp_path / "report.html"
    out.write_text("the old report")

    def full(path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_fsync_file", full)
    with pytest.raises(DeepMineError, match="No space left"):
        write_report(session, out)
    assert out.read_text() == "the old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_existing_file_needs_permission_to_be_replaced(session, tmp_path) -> None:
    from engine.core.errors import InputError
    from engine.workbench import write_workbench_report as write_report

    out = tmp_path / "report.html"
    out.write_text("mine")
    with pytest.raises(InputError, match="already exists"):
        write_report(session, out, overwrite=False)
    assert out.read_text() == "mine"


def test_chinese_report_has_chinese_headings_and_no_missing_glyphs(session, tmp_path, recwarn) -> None:
    from engine.core.i18n import set_language
    from engine.workbench import write_workbench_report as write_report

    set_language("zh_CN")
    out = write_report(session, tmp_path / "报告.pdf")
    text = pdf_text(out)
    for heading in ("深度挖掘工作台报告", "数字：神经网络", "房价：决策树与它的对手", "5 折交叉验证", "可复现性"):
        assert heading in text
    glyph_warnings = [w for w in recwarn if "missing from font" in str(w.message)]
    assert glyph_warnings == [], "plots in the report drew Chinese with a font that has it"


@pytest.mark.slow
def test_cli_report_writes_and_refuses_to_overwrite_without_force(tmp_path) -> None:
    import os

    env = dict(os.environ, DEEPMINE_HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT))
    out = tmp_path / "cli.html"
    run = lambda *a: subprocess.run([sys.executable, "-m", "gui.launcher", "report", str(out), *a],  # noqa: E731
                                    capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    first = run("--sections", "houses", "--house", "RM=7.5,LSTAT=4")
    assert first.returncode == 0, first.stderr[-1000:]
    assert "Report saved" in first.stdout
    html = out.read_text(encoding="utf-8")
    assert "House 2" in html
    second = run("--sections", "houses")
    assert second.returncode == 2
    assert second.stderr.strip().splitlines()[-1].startswith("deepmine: error:")
    assert "--force" in second.stderr
    assert run("--sections", "houses", "--force").returncode == 0


def test_characters_no_font_can_draw_are_reported_loudly(tmp_path) -> None:
    """A report must not say only "saved" when part of it will show as empty boxes."""
    from engine.core.session import Session
    from engine.core.tasks import run_task
    from engine.report.document import SectionProvider, write_report_task
    from engine.report.model import Paragraph, Section

    def section(session, lang):
        return Section("user", "Imported data", [Paragraph("Houses from 𠀀𠀁 street.csv")])

    notices = []
    out = run_task(write_report_task(Session(), tmp_path / "r.html", [SectionProvider("user", section)]),
                   lambda p: notices.append(p) if p.stage == "notice" else None)
    assert out.exists()
    assert len(notices) == 1 and "𠀀" in notices[0].message and "𠀁" in notices[0].message
    assert sorted(notices[0].data["missing_glyphs"]) == ["𠀀", "𠀁"]

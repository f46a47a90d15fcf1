"""The Chinese HTML report as a reader sees it: opened in a real browser (headless Chromium),
its figures drawn with every Chinese glyph. Skips, saying why, where no Chromium is installed."""

from __future__ import annotations

import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.fixture(scope="module")
def chinese_session():
    from engine.core.session import PricedHouse, Session
    from engine.houses.boston import load_boston
    from engine.houses.models import HouseParams, train_house_models

    houses = load_boston()
    models = train_house_models(houses, HouseParams(n_trees=10, boosting_iter=20))
    session = Session()
    session.house_models = models.info
    pred = models.predict(houses.medians())
    session.add_house(PricedHouse(pred, models.explain(pred, lang="zh_CN")))
    return session


def test_chinese_figures_draw_every_glyph(tmp_path, chinese_session) -> None:
    """Drawing the report's figures in Chinese raises no missing-glyph warning (boxes in a figure)."""
    from engine.workbench import write_workbench_report

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_workbench_report(chinese_session, tmp_path / "报告.html", ["houses"], lang="zh_CN")
    glyphs = [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    assert glyphs == []
    html = (tmp_path / "报告.html").read_text(encoding="utf-8")
    assert "房" in html and html.count("data:image/png;base64,") >= 2


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian: apt-get install chromium) to render the page")
def test_chinese_html_report_renders_in_a_browser(tmp_path, chinese_session) -> None:
    from PIL import Image

    from engine.workbench import write_workbench_report

    page = write_workbench_report(chinese_session, tmp_path / "report.html", ["houses"], lang="zh_CN")
    shot = tmp_path / "page.png"
    result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             f"--screenshot={shot}", "--window-size=1000,2400", page.as_uri()],
                            capture_output=True, text=True, timeout=120)
    assert shot.exists(), result.stderr[-2000:]
    pixels = np.asarray(Image.open(shot).convert("L"), dtype=np.float32)
    assert pixels.std() > 10, "the page rendered blank"
    assert (pixels < 128).mean() > 0.01, "almost no text or figure was drawn"

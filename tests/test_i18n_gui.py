"""The GUI in Simplified Chinese: every visible string translated (walked widget by widget
against English), plots drawn with a font that has the characters, layouts that still fit."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QGroupBox, QLabel, QLineEdit, QTabWidget,
                               QTableWidget, QWidget)

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "assets" / "i18n" / "deepmine_zh_CN.ts"
# Words that stay as they are in Chinese text: feature names, acronyms, file patterns, names.
KEEP = re.compile(r"\b(CRIM|ZN|INDUS|CHAS|NOX|RM|AGE|DIS|RAD|TAX|PTRATIO|B|LSTAT|MEDV|MNIST|CNN|MLP|PDF|HTML|CSV|MSE|"
                  r"MAE|RMSE|Adam|Dropout|English|Keras|scikit-learn|Ctrl|Del|Boston|png|jpg|jpeg|bmp|gif|tif|tiff|"
                  r"webp|npz|gz|txt|csv|pdf|html|sha256|mlxtend)\b")


@pytest.fixture(scope="module")
def compiled_qm(tmp_path_factory) -> Path:
    """An ``assets`` folder holding the .qm compiled from today's .ts as `make translations`
    does (pyside6-lrelease) — in a temporary folder: tests never write into the repo."""
    assets = tmp_path_factory.mktemp("assets")
    qm = assets / "i18n" / "deepmine_zh_CN.qm"
    qm.parent.mkdir()
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), "-silent", str(TS), "-qm", str(qm)], check=True)
    assert qm.stat().st_size > 1000
    return assets


@pytest.fixture
def compiled_translations(compiled_qm: Path, monkeypatch) -> Path:
    """The app loads its translations from the freshly compiled .qm."""
    import gui.common.i18n

    monkeypatch.setattr(gui.common.i18n, "assets_dir", lambda: compiled_qm)
    return compiled_qm / "i18n" / "deepmine_zh_CN.qm"


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every string a person can read in ``root``, in a stable order."""
    out: list[tuple[str, str]] = []
    widgets = [root, *root.findChildren(QWidget)]
    for i, w in enumerate(widgets):
        where = f"{i}:{type(w).__name__}:{w.objectName()}"
        if isinstance(w, QLabel):
            out.append((where, w.text()))
        if isinstance(w, QAbstractButton):
            out.append((where, w.text()))
        if isinstance(w, QGroupBox):
            out.append((where, w.title()))
        if isinstance(w, QTabWidget):
            out += [(f"{where}:tab{j}", w.tabText(j)) for j in range(w.count())]
        if isinstance(w, QComboBox):
            out += [(f"{where}:item{j}", w.itemText(j)) for j in range(w.count())]
        if isinstance(w, QLineEdit):
            out.append((where, w.placeholderText()))
        if isinstance(w, QTableWidget):
            out += [(f"{where}:col{j}", w.horizontalHeaderItem(j).text()) for j in range(w.columnCount())
                    if w.horizontalHeaderItem(j)]
        out.append((f"{where}:tip", w.toolTip()))
        if w.isWindow():
            out.append((f"{where}:title", w.windowTitle()))
    for action in root.findChildren(QAction):
        out.append((f"action:{action.objectName()}:{action.text()}", action.text()))
    return out


def needs_translation(text: str) -> bool:
    plain = re.sub(r"<[^>]+>", " ", text)  # rich text tags
    plain = KEEP.sub(" ", plain)
    return re.search(r"[A-Za-z]{2,}", plain) is not None


def build_windows(qtbot, lang: str):
    from gui.common.export_dialog import ExportDialog
    from gui.houses.dialogs import ColumnMappingDialog
    from gui.common.i18n import install_translators
    from gui.main_window import MainWindow

    install_translators(QApplication.instance(), lang)
    window = MainWindow()
    qtbot.addWidget(window)
    export = ExportDialog(window.session, window)
    mapping = ColumnMappingDialog("houses.csv", ["price", "rooms", "crime"], True, window)
    return window, [window, export, mapping]


def test_every_visible_string_has_a_chinese_translation(qtbot, compiled_translations) -> None:
    from gui.common.i18n import install_translators

    try:
        _, english = build_windows(qtbot, "en")
        en = [t for w in english for t in visible_texts(w)]
        _, chinese = build_windows(qtbot, "zh_CN")
        zh = [t for w in chinese for t in visible_texts(w)]
    finally:
        install_translators(QApplication.instance(), "en")
    assert len(en) == len(zh), "both languages build the same widgets"
    untranslated = sorted({e for (where, e), (_, z) in zip(en, zh)
                           if e and e == z and needs_translation(e) and "action:language_" not in where
                           and ":mapping_" not in where})  # the CSV's own column names are data
    assert not untranslated, f"{len(untranslated)} strings have no Chinese: {untranslated[:20]}"
    assert any("深度挖掘工作台" in z for _, z in zh)


def test_chinese_plots_find_a_cjk_font_and_draw_no_boxes(qtbot, compiled_translations) -> None:
    from engine.core.fonts import configure_matplotlib, find_cjk_font
    from gui.common.i18n import install_translators

    if find_cjk_font() is None:
        pytest.skip("no CJK font on this machine: `make system-deps` installs fonts-noto-cjk")
    try:
        window, _ = build_windows(qtbot, "zh_CN")
        assert configure_matplotlib() is not None
        canvases = [window.digit_tab.panel.curves, window.digit_tab.panel.confusion]
        assert "轮次" in window.digit_tab.panel.curves.figure.axes[0].get_xlabel()
        assert window.digit_tab.probabilities.x_label == "数字"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for canvas in canvases:
                canvas.draw()
    finally:
        install_translators(QApplication.instance(), "en")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []


def test_chinese_layout_fits_a_small_window(qtbot, compiled_translations) -> None:
    from gui.common.i18n import install_translators

    try:
        window, _ = build_windows(qtbot, "zh_CN")
        hint = window.minimumSizeHint()
    finally:
        install_translators(QApplication.instance(), "en")
    assert hint.width() <= 1024 and hint.height() <= 640, hint

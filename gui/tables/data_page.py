"""The Tables workspace's Data page: the first rows, each column's profile, and a column's histogram or
bar chart (the target's distribution when it is the target)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QHeaderView, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from gui.common.rendered_figure import RenderedFigure
from gui.tables.plots import TablePlots

if TYPE_CHECKING:  # pandas
    from engine.tables.service import OpenedTable

PREVIEW_ROWS = 100
# Shown through tr(name): the column kinds and the line label (marked here so that lupdate finds them).
SHOWN_NAMES = (QT_TRANSLATE_NOOP("TablesTab", "number"), QT_TRANSLATE_NOOP("TablesTab", "text"),
               QT_TRANSLATE_NOOP("TablesTab", "date"), QT_TRANSLATE_NOOP("TablesTab", "line"),
               QT_TRANSLATE_NOOP("TablesTab", "row"))


def read_only_table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def shown_number(value: object) -> str:
    """A cell's number in four significant digits; "—" for NaN, text as it is."""
    if value is None:
        return ""
    if isinstance(value, float):
        return "—" if value != value else f"{value:.4g}"
    try:
        return f"{float(value):.4g}"
    except (TypeError, ValueError):
        return str(value)


class TableDataPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots = TablePlots(self)
        self.opened: OpenedTable | None = None
        self.target = ""
        self.preview = read_only_table(self, "tablePreview", [])
        self.profile_table = read_only_table(self, "columnProfileTable", [  # the workspace's context, as before
            QCoreApplication.translate("TablesTab", "column"),
            QCoreApplication.translate("TablesTab", "type"),
            QCoreApplication.translate("TablesTab", "missing"),
            QCoreApplication.translate("TablesTab", "distinct"),
            QCoreApplication.translate("TablesTab", "min / top"),
            QCoreApplication.translate("TablesTab", "max"),
            QCoreApplication.translate("TablesTab", "mean")])
        self.profile_table.currentCellChanged.connect(lambda row, *_: self.draw_column(row))
        self.column_plot = RenderedFigure(self)  # drawn off the GUI thread: a 200k-row table's first paint
        self.column_plot.setObjectName("columnPlot")
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.addWidget(self.profile_table)
        lower.addWidget(self.column_plot)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.preview)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def show_table(self, opened: OpenedTable, target: str) -> None:
        self.opened, self.target = opened, target
        frame = opened.table.frame.head(PREVIEW_ROWS)
        self.preview.setColumnCount(len(frame.columns))
        self.preview.setHorizontalHeaderLabels([str(c) for c in frame.columns])
        self.preview.setRowCount(len(frame))
        for j, column in enumerate(frame.columns):
            for i, value in enumerate(frame[column].tolist()):
                self.preview.setItem(i, j, QTableWidgetItem("" if value is None or value != value else str(value)))
        self.profile_table.setRowCount(len(opened.profiles))
        for i, p in enumerate(opened.profiles):
            low = ", ".join(f"{k} ({v})" for k, v in p.top[:3]) if p.top else shown_number(p.minimum)
            cells = [p.name, QCoreApplication.translate("TablesTab", p.kind), str(p.missing), str(p.distinct), low,
                     shown_number(p.maximum),
                     shown_number(p.mean)]
            for j, text in enumerate(cells):
                self.profile_table.setItem(i, j, QTableWidgetItem(text))
        names = [p.name for p in opened.profiles]
        self.draw_column(names.index(target) if target in names else len(names) - 1)

    def set_target(self, target: str) -> None:
        self.target = target

    def clear(self) -> None:
        self.opened, self.target = None, ""
        self.preview.setRowCount(0)
        self.preview.setColumnCount(0)
        self.profile_table.setRowCount(0)
        self.column_plot.clear()

    def draw_column(self, row: int) -> None:
        if self.opened is None or not 0 <= row < len(self.opened.profiles):
            return
        profile = self.opened.profiles[row]
        self.column_plot.show_figure(self.plots.column_fill(profile, profile.name == self.target))

    def shutdown(self, msecs: int = 3000) -> bool:
        return self.column_plot.shutdown(msecs)

"""Compare workspace: deep learning and data mining side by side on pixels and on a table.

The engine's comparison runs as one task under this workspace's ``TaskOwner``; finished cells
arrive as progress and are drawn at once, so a cancelled run still shows (and caches) what it
measured. Re-running reads cached cells back instantly. The table half runs on Boston or on the
table open in the Tables workspace, read through the hook ``set_table_source`` (the window wires it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton, QSplitter,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from engine.compare.figures import draw_learning_curves, draw_score_vs_time
from engine.compare.presets import ComparePreset, explanation_title, get_preset, short_title
from engine.compare.readings import compare_readings
from engine.compare.results import CompareCell, CompareResult, TableInfo, fmt_mse
from engine.compare.runner import app_compare_task
from engine.compare.table_source import TableSource
from engine.worker import in_worker
from engine.core.i18n import get_language
from engine.core.session import Session
from engine.core.tasks import Progress
from gui.common.durations import duration_text
from gui.common.rendered_figure import RenderedFigure
from gui.common.tasks import TaskOwner

RUN = "compare"
BOSTON, OPEN_TABLE = "boston", "open"  # the table half's choices
PRESETS = ("quick", "full")
REDRAW_EVERY_S = 0.5  # cells can arrive quickly from the cache: redraw the plots at most twice a second


class CompareTab(QWidget):
    statusMessage = Signal(str)
    comparisonFinished = Signal()  # a run ended with every cell (benchmarks and tests wait on it)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tasks = TaskOwner(self)
        self.result: CompareResult | None = None
        self.cells: list[CompareCell] = []
        self._preset = get_preset("quick")
        self._last_draw = 0.0
        self._table_source: Callable[[], TableSource | None] = lambda: None
        self._table_info: TableInfo | None = None  # the person's table of the run shown, once the engine names it
        self._shown_elsewhere: TableInfo | None = None  # a shown run's table, not (yet) the one open in Tables
        self._generation = 0  # a cleared screen ignores what a run started before it still reports

        self.preset = QComboBox(self)
        self.preset.setObjectName("comparePreset")
        self.preset.addItem(self.tr("Quick (about 3 minutes)"), "quick")
        self.preset.addItem(self.tr("Full (up to all training digits; long)"), "full")
        self.table_choice = QComboBox(self)
        self.table_choice.setObjectName("compareTableCombo")
        self.table_choice.addItem(self.tr("Boston houses"), BOSTON)
        self.table_choice.addItem("", OPEN_TABLE)
        self.table_choice.setToolTip(self.tr("The table the tree models and the network are compared on; the "
                                             "digits half is the same either way."))
        self.run_button = QPushButton(self.tr("Run the comparison"), self)
        self.run_button.setObjectName("compareRunButton")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("compareCancelButton")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("compareProgress")
        self.progress.setRange(0, 100)
        self.status = QLabel(self._first_status(), self)
        self.status.setObjectName("compareStatus")
        self.status.setWordWrap(True)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Preset:"), self))
        controls.addWidget(self.preset)
        controls.addWidget(QLabel(self.tr("Table:"), self))
        controls.addWidget(self.table_choice)
        controls.addWidget(self.run_button)
        controls.addWidget(self.cancel_button)
        controls.addWidget(self.progress, 1)

        self.curves = RenderedFigure(self)
        self.costs = RenderedFigure(self)
        self.summary = QTableWidget(0, 4, self)
        self.summary.setObjectName("compareSummary")
        self.summary.setHorizontalHeaderLabels([self.tr("Dimension"), self.tr("Digits (pixels), measured"),
                                                self.tr("Houses (table), measured"), self.tr("Reading")])
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 8, self)
        self.table.setObjectName("compareTable")
        self.table.setHorizontalHeaderLabels([self.tr("Task"), self.tr("Model"), self.tr("Training size"),
                                              self.tr("Score"), self.tr("Training time (s)"),
                                              self.tr("Prediction (ms/item)"), self.tr("Size on disk (KB)"),
                                              self.tr("Explanation")])
        for table in (self.summary, self.table):
            table.verticalHeader().setVisible(False)
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setStretchLastSection(True)
        for col in (1, 2, 3):
            self.summary.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)

        pages = QTabWidget(self)
        pages.setObjectName("comparePages")
        pages.addTab(self.curves, self.tr("Learning curves"))
        pages.addTab(self.costs, self.tr("Score vs. training time"))
        pages.addTab(self.table, self.tr("Every result"))
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(pages)
        split.addWidget(self.summary)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([560, 360])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self.refresh_table_choice()
        self._draw()

    def _first_status(self) -> str:
        return self.tr("Runs decision trees, forests, boosting and neural networks on the digits (pixels) and on "
                       "the houses (a table), at growing training-set sizes. Finished results are kept: a re-run is "
                       "instant.")

    def clear(self) -> None:
        """No comparison (a new project): the table, the readings, the curves and the status as at start-up."""
        self._generation += 1
        self.tasks.cancel(RUN)
        self.result, self.cells, self._table_info, self._shown_elsewhere = None, [], None, None
        self.table.setRowCount(0)
        self.progress.setValue(0)
        self.status.setText(self._first_status())
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.table_choice.setCurrentIndex(0)
        self.refresh_table_choice()
        self._draw()

    # -- the table half ----------------------------------------------------------------------
    def set_table_source(self, source: Callable[[], TableSource | None]) -> None:
        """``source()`` gives the table open in the Tables workspace with its chosen target (None when
        there is none); it is asked when the choice is shown and when a run starts."""
        self._table_source = source
        self.refresh_table_choice()

    def refresh_table_choice(self) -> None:
        """Name the open table in the choice (enabled only when there is one with a target)."""
        source = self._table_source()
        model = self.table_choice.model()
        item = model.item(1) if hasattr(model, "item") else None
        if source is None:
            self.table_choice.setItemText(1, self.tr("The table open in Tables (open one and choose its target)"))
            if item is not None:
                item.setEnabled(False)
            if self.table_choice.currentData() == OPEN_TABLE:
                self.table_choice.setCurrentIndex(0)
        else:
            self.table_choice.setItemText(1, self.tr("The table open in Tables: {table}").format(table=source.label))
            if item is not None:
                item.setEnabled(True)
            shown = self._shown_elsewhere
            if shown is not None and _same_table(shown, source):  # the results shown are of the table now open
                self._shown_elsewhere = None
                self.table_choice.setCurrentIndex(1)
                self.status.setText(self._done_text(self.result) if self.result is not None else self.status.text())

    def choose_open_table(self) -> bool:
        """Choose the open table (as a person picking it in the combo would); False when none is open."""
        self.refresh_table_choice()
        if self._table_source() is None:
            return False
        self.table_choice.setCurrentIndex(1)
        return True

    def showEvent(self, event) -> None:  # noqa: N802 — the person may have changed the target meanwhile
        self.refresh_table_choice()
        super().showEvent(event)

    # -- running -------------------------------------------------------------------------
    def run(self, preset: ComparePreset | None = None) -> None:
        """Run the preset chosen in the combo (quick or full: the only ones offered), or ``preset``
        (tests pass their own tiny one); a running comparison is replaced."""
        self._preset = preset if isinstance(preset, ComparePreset) else get_preset(self.preset.currentData())
        table = self._table_source() if self.table_choice.currentData() == OPEN_TABLE else None
        if self.table_choice.currentData() == OPEN_TABLE and table is None:
            self.refresh_table_choice()
            self.status.setText(self.tr("Open a table in Tables and choose its target first."))
            return
        self.cells = []
        self.result = None
        self._table_info = self._shown_elsewhere = None
        self.progress.setValue(0)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.status.setText(self.tr("Starting…"))
        # In the TensorFlow worker: training there cannot hold this window's interpreter lock (it did,
        # for up to 1.5 s at a time, when the comparison ran on a thread).
        self._generation += 1
        self.tasks.start(RUN, in_worker, app_compare_task, self._preset, table,
                         on_progress=self._current(self._progress), on_done=self._current(self._done),
                         on_error=self._current(self._failed), on_cancelled=self._current(self._cancelled),
                         on_ended=self._ended)

    def _current(self, callback: Callable) -> Callable:
        """``callback`` only while the screen still shows this run (not after ``clear``)."""
        generation = self._generation
        return lambda *args: callback(*args) if generation == self._generation else None

    def cancel(self) -> None:
        self.tasks.cancel(RUN)
        self.status.setText(self.tr("Cancelling… finished results are kept."))

    def shutdown(self, msecs: int = 3000) -> bool:
        rendered = [canvas.shutdown(msecs) for canvas in (self.curves, self.costs)]
        return self.tasks.shutdown(msecs) and all(rendered)

    def _progress(self, p: Progress) -> None:
        if p.fraction is not None:
            self.progress.setValue(int(round(p.fraction * 100)))
        eta = p.data.get("eta_seconds")
        self.status.setText(p.message if eta is None else
                            self.tr("{step} — about {eta} left").format(step=p.message, eta=duration_text(eta)))
        if isinstance(p.data.get("table"), TableInfo):
            self._table_info = p.data["table"]
        cell = p.data.get("cell")
        if isinstance(cell, CompareCell):
            self.cells.append(cell)
            self._add_row(cell)
            if time.monotonic() - self._last_draw >= REDRAW_EVERY_S:
                self._draw()

    def _done(self, result: CompareResult) -> None:
        self.result = result
        self._table_info = result.table
        self.cells = list(result.cells)
        if len(self.cells) != self.table.rowCount():  # rows arrive with their cells: refill only if one is missing
            self._fill_table()
        self.session.compare = result
        self._draw()
        self.status.setText(self._done_text(result))
        self.statusMessage.emit(self.tr("The comparison is ready."))
        self.comparisonFinished.emit()

    def _done_text(self, result: CompareResult) -> str:
        cached = sum(c.cached for c in result.cells)
        text = self.tr("Done in {time}: {n} results ({cached} from earlier runs).").format(
            time=duration_text(result.seconds), n=len(result.cells), cached=cached)
        lines = [text, *(result.table.notices if result.table else [])]
        if self._shown_elsewhere is not None:
            lines.append(self.tr("The results shown are of the table {table}; open it in Tables to run on it "
                                 "again.").format(table=self._shown_elsewhere.label))
        return "\n".join(lines)

    def show_result(self, result: CompareResult) -> None:
        """Show a comparison run earlier (a reopened project) as if it had just finished; the table choice
        names its table when that table is open in Tables (or as soon as it is opened there)."""
        self._preset = result.preset
        self.table.setRowCount(0)  # its rows, never the previous run's (the count alone may match)
        self._shown_elsewhere = result.table
        self.table_choice.setCurrentIndex(0)  # Boston, unless its table is the one open (refresh_table_choice)
        self._done(result)
        self.refresh_table_choice()

    def _failed(self, exc: BaseException) -> None:
        message = self.tr("The comparison stopped: {reason}").format(reason=exc)
        self.status.setText(message)
        self.statusMessage.emit(message)

    def _cancelled(self) -> None:
        self.status.setText(self.tr("Cancelled. {n} finished results are kept and will be reused.").format(
            n=len(self.cells)))
        self._draw()

    def _ended(self) -> None:
        if not self.tasks.is_running(RUN):
            self.run_button.setEnabled(True)
            self.cancel_button.setEnabled(False)

    # -- showing -------------------------------------------------------------------------
    def _partial(self) -> CompareResult:
        return self.result or CompareResult(self._preset, list(self.cells), complete=False, table=self._table_info)

    def _fill_table(self) -> None:
        self.table.setRowCount(0)
        for cell in self.cells:
            self._add_row(cell)

    def _add_row(self, cell: CompareCell) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        score = f"{cell.score:.3f}" if cell.metric == "accuracy" else \
            f"MSE {cell.score:.2f}" if cell.task == "houses" else f"MSE {fmt_mse(cell.score)}"
        task = {"digits": self.tr("Digits"), "houses": self.tr("Houses")}.get(
            cell.task, self._table_info.label if self._table_info else self.tr("Your table"))
        values = (task,
                  short_title(cell.task, cell.model), f"{cell.size:,}", score, f"{cell.train_seconds:.2f}",
                  f"{cell.predict_ms:.3f}", f"{cell.size_bytes / 1024:,.0f}", explanation_title(cell.explanation))
        for col, value in enumerate(values):
            item = QTableWidgetItem(value)
            if col >= 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, col, item)

    def _draw(self) -> None:
        """Curves and readings for what has been measured so far; the figures render off this thread."""
        self._last_draw = time.monotonic()
        result = self._partial()
        time_x = self.tr("training time, seconds (log scale)")
        half = result.table_task
        rows_x = self.tr("training rows (log scale)")
        size_x = {"digits": self.tr("training digits (log scale)"), half: rows_x}
        score_y = {"digits": self.tr("accuracy on held-out digits"), half: self.tr("cross-validated MSE")}
        titles = {"digits": self.tr("Digits (pixels)"), half: self.tr("Houses (table)")}
        if half == "table":
            info = result.table
            if (info.metric if info else next((c.metric for c in result.cells if c.task == "table"), "")) == "accuracy":
                score_y[half] = self.tr("cross-validated accuracy")
            titles[half] = info.label if info else self.tr("Your table")
        self.summary.setHorizontalHeaderItem(2, QTableWidgetItem(
            self.tr("{table}, measured").format(table=titles[half]) if half == "table"
            else self.tr("Houses (table), measured")))
        self.curves.show_figure(partial(_fill_pair, draw_learning_curves, result, size_x, score_y, titles))
        self.costs.show_figure(partial(_fill_pair, draw_score_vs_time, result, dict.fromkeys(titles, time_x),
                                       score_y, titles))
        readings = compare_readings(result, get_language()) if result.cells else []
        self.summary.setRowCount(len(readings))
        for row, reading in enumerate(readings):
            for col, value in enumerate((reading.title, reading.digits, reading.houses, reading.text)):
                self.summary.setItem(row, col, QTableWidgetItem(value))
        self.summary.resizeRowsToContents()


def _same_table(info: TableInfo, source: TableSource) -> bool:
    """The run's table is the one open in Tables: same name, target and rows (hashing every cell here would
    hold the window up on a large table)."""
    return info.label == source.label and info.rows_read == source.table.rows


def _fill_pair(draw, result: CompareResult, xlabels: dict[str, str], ylabels: dict[str, str],
               titles: dict[str, str], figure) -> None:
    """Digits beside houses in one figure (runs on the figure's render thread)."""
    for ax, task in zip(figure.subplots(1, 2), ("digits", result.table_task)):
        draw(ax, result, task, partial(short_title, task), xlabels[task], ylabels[task], titles[task])

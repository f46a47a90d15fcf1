"""The Tables workspace (数据表): open any table, see it, choose roles and the target, mine it, read the
cross-validation, the leakage notice and the recommended model, explain a row, predict.

Reading and profiling run on the workspace's ``TaskOwner``; mining (which may train the Keras MLP)
runs in the app's TensorFlow worker through ``in_worker``. The GUI thread never reads a file or fits
a model: it only shows results and asks the fitted models for single predictions.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMenu, QMessageBox,
                               QProgressBar, QPushButton, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from engine.core.session import Session
from engine.tables.service import TableWorkspace
from engine.tables.settings import EXAMPLES, MineSettings, model_label
from engine.tables.tasks import mine_in_worker, open_table_task
from engine.worker import in_worker
from gui.common.plots import PlotCanvas
from gui.common.settings import app_settings
from gui.common.tasks import TaskOwner
from gui.tables.form_page import FormPage
from gui.tables.plots import TablePlots

OPEN, MINE, BATCH = "open-table", "mine", "batch"
PREVIEW_ROWS = 100
FILTER = QT_TRANSLATE_NOOP("TablesTab", "Tables (*.csv *.tsv *.txt *.xlsx *.xls *.ods *.parquet);;All files (*)")
# Shown through self.tr(name): the column kinds and the line label (marked here so that lupdate finds them).
SHOWN_NAMES = (QT_TRANSLATE_NOOP("TablesTab", "number"), QT_TRANSLATE_NOOP("TablesTab", "text"),
               QT_TRANSLATE_NOOP("TablesTab", "date"), QT_TRANSLATE_NOOP("TablesTab", "line"),
               QT_TRANSLATE_NOOP("TablesTab", "row"))


class TablesTab(QWidget):
    statusMessage = Signal(str)
    tableOpened = Signal()
    mined = Signal()
    fileError = Signal(str)

    def __init__(self, session: Session, settings: MineSettings | None = None, modal_errors: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings or MineSettings()
        self.modal_errors = modal_errors
        self.tasks = TaskOwner(self)
        self.plots = TablePlots(self)
        self.workspace = TableWorkspace()
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_bar())
        self.status = QLabel(self.tr("Open a table (Ctrl+O), drop a file here, or choose an example."), self)
        self.status.setObjectName("tableStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.pages = QTabWidget(self)
        self.pages.addTab(self._build_data_page(), self.tr("Data"))
        self.pages.addTab(self._build_roles_page(), self.tr("Column roles"))
        self.pages.addTab(self._build_results_page(), self.tr("Models"))
        self.pages.addTab(self._build_explain_page(), self.tr("Explain"))
        self.form = FormPage(self)
        self.form.predictRequested.connect(self.predict_form)
        self.form.batchRequested.connect(self._choose_batch)
        self.pages.addTab(self.form, self.tr("Predict"))
        layout.addWidget(self.pages, 1)
        self._set_mining_enabled(False)

    # -- building --------------------------------------------------------------------------------
    def _build_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Open table…"), self)
        self.open_button.clicked.connect(self.choose_file)
        self.examples_button = QPushButton(self.tr("Example tables"), self)
        self.examples_button.setObjectName("exampleTablesButton")
        menu = QMenu(self.examples_button)
        for e in EXAMPLES:
            action = menu.addAction(e.label)
            action.setObjectName(f"example_{e.key}")
            action.triggered.connect(lambda _=False, key=e.key: self.open_example(key))
        self.examples_button.setMenu(menu)
        self.target_combo = QComboBox(self)
        self.target_combo.setObjectName("targetColumnCombo")
        self.target_combo.currentIndexChanged.connect(self._target_changed)
        self.task_combo = QComboBox(self)
        self.task_combo.setObjectName("taskCombo")
        self.task_combo.addItem(self.tr("regression"), "regression")
        self.task_combo.addItem(self.tr("classification"), "classification")
        self.task_combo.activated.connect(lambda _i: self._refresh_roles())
        self.mine_button = QPushButton(self.tr("Mine"), self)
        self.mine_button.setObjectName("mineButton")
        self.mine_button.clicked.connect(self.mine)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelMineButton")
        self.cancel_button.clicked.connect(lambda: self.tasks.cancel(MINE))
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("mineProgress")
        self.progress.setRange(0, 100)
        for w in (self.open_button, self.examples_button, QLabel(self.tr("Target:"), self), self.target_combo,
                  self.task_combo, self.mine_button, self.cancel_button):
            bar.addWidget(w)
        bar.addWidget(self.progress, 1)
        return bar

    def _table(self, name: str, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers), self)
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        return table

    def _build_data_page(self) -> QWidget:
        self.preview = self._table("tablePreview", [])
        self.profile_table = self._table("columnProfileTable", [self.tr("column"), self.tr("type"), self.tr("missing"),
                                                                 self.tr("distinct"), self.tr("min / top"),
                                                                 self.tr("max"), self.tr("mean")])
        self.profile_table.currentCellChanged.connect(lambda row, *_: self._draw_column(row))
        self.column_plot = PlotCanvas(self, 4, 2.6)
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.addWidget(self.profile_table)
        lower.addWidget(self.column_plot)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.preview)
        split.addWidget(lower)
        return split

    def _build_roles_page(self) -> QWidget:
        self.roles_table = self._table("columnRolesTable", [self.tr("column"), self.tr("type"), self.tr("role"),
                                                            self.tr("why")])
        self.roles_table.horizontalHeader().setStretchLastSection(True)
        return self.roles_table

    def _build_results_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.leakage_warning = QLabel(page)
        self.leakage_warning.setObjectName("leakageWarning")
        self.leakage_warning.setWordWrap(True)
        self.leakage_warning.setStyleSheet("background: #fef7e0; padding: 6px; border-radius: 4px;")
        self.leakage_warning.hide()
        self.recommended = QLabel(page)
        self.recommended.setObjectName("recommendedModel")
        self.recommended.setWordWrap(True)
        self.cleaning = QLabel(page)
        self.cleaning.setObjectName("cleaningSteps")
        self.cleaning.setWordWrap(True)
        self.cv_table = self._table("tableCvTable", [])
        self.ranking_plot = PlotCanvas(page, 5, 3)
        for w in (self.leakage_warning, self.recommended, self.cleaning):
            layout.addWidget(w)
        split = QSplitter(Qt.Orientation.Horizontal, page)
        split.addWidget(self.cv_table)
        split.addWidget(self.ranking_plot)
        layout.addWidget(split, 1)
        return page

    def _build_explain_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        self.row_spin = QSpinBox(page)
        self.row_spin.setObjectName("explainRowSpin")
        self.row_spin.setPrefix(self.tr("row "))
        self.row_spin.setMinimum(1)
        explain = QPushButton(self.tr("Explain this row"), page)
        explain.setObjectName("explainRowButton")
        explain.clicked.connect(lambda: self.explain_row(self.row_spin.value() - 1))
        row.addWidget(self.row_spin)
        row.addWidget(explain)
        row.addStretch(1)
        self.rule_path = QLabel(page)
        self.rule_path.setObjectName("tableRulePath")
        self.rule_path.setWordWrap(True)
        self.rule_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addLayout(row)
        layout.addWidget(self.rule_path)
        layout.addStretch(1)
        return page

    # -- opening -----------------------------------------------------------------------------------
    def choose_file(self) -> None:
        folder = str(app_settings().value("tables/lastFolder", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a table"), folder, self.tr(FILTER))
        if path:
            app_settings().setValue("tables/lastFolder", str(Path(path).parent))
            self.open_path(path)

    def open_path(self, path: str) -> None:
        self.status.setText(self.tr("Reading {name}…").format(name=Path(path).name))
        self.tasks.start(OPEN, open_table_task, path, on_progress=self._progress, on_done=self._opened,
                         on_error=self._file_error)

    def open_example(self, key: str) -> None:
        self.tasks.start(OPEN, open_table_task, None, None, key, on_progress=self._progress, on_done=self._opened,
                         on_error=self._file_error)

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        urls = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.open_path(urls[0])
            event.acceptProposedAction()

    def _opened(self, opened) -> None:  # noqa: ANN001 — engine.tables.service.OpenedTable
        from engine.tables.roles import TASKS

        self.workspace.set_opened(opened)
        table = opened.table
        self._fill_preview(opened)
        self._fill_profile(opened)
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        self.target_combo.addItems(table.columns)
        self.target_combo.setCurrentText(opened.roles.target)
        self.target_combo.blockSignals(False)
        self.task_combo.setCurrentIndex(TASKS.index(opened.roles.task))
        self._show_roles(opened.roles)
        self.leakage_warning.hide()
        self.cv_table.setRowCount(0)
        self.recommended.clear()
        self.form.set_enabled(False)
        changed = table.changed_cells
        text = self.tr("{name}: {rows} rows × {columns} columns.").format(name=table.name, rows=f"{table.rows:,}",
                                                                         columns=len(table.columns))
        if changed:
            first = table.changes[0]
            text += " " + self.tr("{n} cell(s) were not taken as written (first: {label} {line}, {column}: {value!r} "
                                  "— {reason}).").format(n=changed, label=self.tr(table.line_label), line=first.line,
                                                         column=first.column, value=first.value, reason=first.reason)
        for note in table.notes:
            text += "\n" + note
        self.status.setText(text)
        self.row_spin.setMaximum(table.rows)
        self._set_mining_enabled(True)
        self.pages.setCurrentIndex(0)
        self.tableOpened.emit()

    def _fill_preview(self, opened) -> None:  # noqa: ANN001
        frame = opened.table.frame.head(PREVIEW_ROWS)
        self.preview.setColumnCount(len(frame.columns))
        self.preview.setHorizontalHeaderLabels([str(c) for c in frame.columns])
        self.preview.setRowCount(len(frame))
        for j, column in enumerate(frame.columns):
            for i, value in enumerate(frame[column].tolist()):
                self.preview.setItem(i, j, QTableWidgetItem("" if value is None or value != value else str(value)))

    def _fill_profile(self, opened) -> None:  # noqa: ANN001
        self.profile_table.setRowCount(len(opened.profiles))
        for i, p in enumerate(opened.profiles):
            low = ", ".join(f"{k} ({v})" for k, v in p.top[:3]) if p.top else _fmt(p.minimum)
            cells = [p.name, self.tr(p.kind), str(p.missing), str(p.distinct), low, _fmt(p.maximum), _fmt(p.mean)]
            for j, text in enumerate(cells):
                self.profile_table.setItem(i, j, QTableWidgetItem(text))
        self._draw_column(len(opened.profiles) - 1 if opened.profiles else -1)

    def _draw_column(self, row: int) -> None:
        opened = self.workspace.opened
        if opened is None or not 0 <= row < len(opened.profiles):
            return
        profile = opened.profiles[row]
        self.plots.draw_column(self.column_plot, profile, profile.name == self.target_combo.currentText())

    # -- roles ---------------------------------------------------------------------------------------
    def _choice(self):  # noqa: ANN202 — engine.tables.roles.RoleChoice
        from engine.tables.roles import RoleChoice

        ignore, keep = [], []
        suggested = self.workspace.roles_for(RoleChoice(self.target_combo.currentText(), self.task_combo.currentData()))
        reasons = suggested.ignored_reasons()
        for i in range(self.roles_table.rowCount()):
            combo = self.roles_table.cellWidget(i, 2)
            name = self.roles_table.item(i, 0).text()
            if not isinstance(combo, QComboBox):
                continue
            wanted = combo.currentData()
            if wanted == "ignored" and name not in reasons:
                ignore.append(name)
            elif wanted == "feature" and name in reasons:
                keep.append(name)
        return RoleChoice(self.target_combo.currentText(), self.task_combo.currentData(), ignore, keep)

    def _target_changed(self, _index: int) -> None:
        from engine.tables.roles import TASKS, RoleChoice

        opened = self.workspace.opened
        if opened is None or not self.target_combo.currentText():
            return
        roles = self.workspace.roles_for(RoleChoice(self.target_combo.currentText()))
        self.task_combo.setCurrentIndex(TASKS.index(roles.task))
        self._show_roles(roles)

    def _refresh_roles(self) -> None:
        if self.workspace.opened is not None:
            self._show_roles(self.workspace.roles_for(self._choice()))

    def _show_roles(self, roles) -> None:  # noqa: ANN001
        from engine.tables.roles import reason_text

        table = self.workspace.table
        reasons = roles.ignored_reasons()
        self.roles_table.setRowCount(len(table.columns))
        for i, name in enumerate(table.columns):
            self.roles_table.setItem(i, 0, QTableWidgetItem(name))
            self.roles_table.setItem(i, 1, QTableWidgetItem(self.tr(table.kinds[name])))
            if name == roles.target:
                self.roles_table.removeCellWidget(i, 2)
                self.roles_table.setItem(i, 2, QTableWidgetItem(self.tr("target")))
                self.roles_table.setItem(i, 3, QTableWidgetItem(""))
                continue
            combo = QComboBox(self.roles_table)
            combo.setObjectName(f"role_{name}")
            combo.addItem(self.tr("feature"), "feature")
            combo.addItem(self.tr("ignored"), "ignored")
            combo.setCurrentIndex(1 if name in reasons else 0)
            self.roles_table.setCellWidget(i, 2, combo)
            self.roles_table.setItem(i, 3, QTableWidgetItem(reason_text(reasons[name]) if name in reasons else ""))
        self.roles_table.resizeColumnToContents(0)  # long column names, whole

    # -- mining ----------------------------------------------------------------------------------------
    def _set_mining_enabled(self, on: bool) -> None:
        self.mine_button.setEnabled(on)
        self.target_combo.setEnabled(on)

    def mine(self) -> None:
        opened = self.workspace.opened
        if opened is None:
            return
        choice = self._choice()
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)
        self.status.setText(self.tr("Mining {name} for {target}…").format(name=opened.table.name, target=choice.target))
        self.tasks.start(MINE, in_worker, mine_in_worker, opened.table, choice, self.settings, opened.profiles,
                         on_progress=self._progress, on_done=self._mined, on_error=self._mine_failed,
                         on_cancelled=lambda: self.status.setText(self.tr("Mining cancelled.")),
                         on_ended=lambda: self.cancel_button.setEnabled(False))

    def _progress(self, p) -> None:  # noqa: ANN001
        if p.fraction is not None:
            self.progress.setValue(int(p.fraction * 100))
        eta = p.data.get("eta_seconds") if p.data else None
        text = p.message + (" " + self.tr("(about {s} s left)").format(s=int(eta)) if eta is not None else "")
        self.status.setText(text)

    def _mined(self, result) -> None:  # noqa: ANN001 — engine.tables.mining.MineResult
        from engine.tables.predict import form_spec

        entry = self.workspace.set_result(result)
        self.session.tables.append(entry)
        self.progress.setValue(100)
        leaks = [f for f in result.leaks if not f.kept]
        if result.leaks:
            lines = [self.tr("Target leakage: {column} alone predicts {target} with {metric} {score} — {what}.").format(
                column=f.column, target=result.target, metric=f.metric, score=f"{f.score:.3f}",
                what=self.tr("kept on purpose") if f.kept else self.tr("left out (set its role to feature to keep it)"))
                for f in result.leaks]
            self.leakage_warning.setText("\n".join(lines))
            self.leakage_warning.show()
        else:
            self.leakage_warning.hide()
        self.recommended.setText(self.tr("Recommended: {reason}").format(reason=result.best_reason))
        steps = [self.tr("{used} of {read} rows used; {cv} in cross-validation.").format(
            used=result.rows_used, read=result.rows_read, cv=result.cv_rows)]
        steps += [self.tr("{column}: {n} missing, imputed").format(column=c, n=n) for c, n in result.imputed.items()]
        steps += [self.tr("{column}: {n} outliers flagged (kept)").format(column=c, n=n)
                  for c, n in result.outliers.items()]
        steps += list(result.notices)
        self.cleaning.setText("\n".join(steps))
        metrics = list(next(iter(result.cv.values())))
        self.cv_table.setColumnCount(len(metrics) + 1)
        self.cv_table.setHorizontalHeaderLabels([self.tr("model")] + metrics)
        self.cv_table.setRowCount(len(result.cv))
        for i, (name, scores) in enumerate(result.cv.items()):
            label = model_label(name) + (" ★" if name == result.best else "")
            self.cv_table.setItem(i, 0, QTableWidgetItem(label))
            for j, m in enumerate(metrics):
                self.cv_table.setItem(i, j + 1, QTableWidgetItem(_fmt(scores[m])))
        self.cv_table.resizeColumnsToContents()  # the models' names, whole in either language
        self.plots.draw_ranking(self.ranking_plot, result.ranking)
        self.form.build(form_spec(self.workspace.table, result))
        self.form.set_enabled(True)
        self.status.setText(self.tr("Mined in {s} s. {leaks}").format(
            s=f"{result.seconds:.1f}", leaks=self.tr("{n} leaking column(s) left out.").format(n=len(leaks))
            if leaks else ""))
        self.pages.setCurrentIndex(2)
        self.statusMessage.emit(self.tr("The table is mined."))
        self.mined.emit()

    def _mine_failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("Mining failed: {reason}").format(reason=exc))
        self.statusMessage.emit(str(exc))

    def _file_error(self, exc: BaseException) -> None:
        message = str(exc)
        self.status.setText(message)
        self.fileError.emit(message)
        if self.modal_errors:
            QMessageBox.warning(self, self.tr("The file was not used"), message)

    # -- explain and predict -------------------------------------------------------------------------------
    def explain_row(self, row: int) -> None:
        if self.workspace.result is None or self.workspace.table is None:
            return
        try:
            path, prediction = self.workspace.explain_row(row)
        except Exception as exc:  # noqa: BLE001 — a row the models refuse is shown, not raised
            self.rule_path.setText(str(exc))
            return
        self.rule_path.setText(self.tr("Row {n}: {prediction} ({model}). The tree's path: {path}").format(
            n=row + 1, prediction=prediction, model=model_label(self.workspace.result.best), path=path.words))

    def predict_form(self) -> None:
        result, table = self.workspace.result, self.workspace.table
        if result is None or table is None:
            return
        from engine.tables.explain import predict_frame
        from engine.tables.predict import form_row, out_of_range

        values = self.form.values()
        try:
            pred, proba = predict_frame(result, form_row(table, result, values))
        except Exception as exc:  # noqa: BLE001
            self.form.result.setText(str(exc))
            return
        text = f"{result.target}: {_fmt(pred[0])} ({model_label(result.best)})"
        outside = out_of_range(table, result, values)
        if outside:
            text += " — " + self.tr("outside the table's range for {names}").format(names=", ".join(outside))
        self.form.result.setText(text)

    def _choose_batch(self) -> None:
        if self.workspace.result is None:
            return
        in_path, _ = QFileDialog.getOpenFileName(self, self.tr("Rows to predict"), "", self.tr(FILTER))
        if not in_path:
            return
        out_path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the predictions as"),
                                                  str(Path(in_path).with_name(Path(in_path).stem + "-predicted.csv")),
                                                  self.tr("CSV files (*.csv)"))
        if out_path:
            self.batch(in_path, out_path, replace=True)

    def batch(self, in_path: str, out_path: str, replace: bool = False) -> None:
        from engine.tables.predict import batch_predict

        self.tasks.start(BATCH, batch_predict, self.workspace.table, self.workspace.result, in_path, out_path,
                         force=replace, on_done=lambda r: self.form.result.setText(
                             self.tr("Predicted {n} rows → {path}").format(n=r.rows, path=r.output)),
                         on_error=self._file_error)

    # -- projects ---------------------------------------------------------------------------------------------
    def restore_project_part(self, objects: dict) -> None:
        """Show what a project brought back (``engine.project.parts.tables``): its last mined table with the
        person's roles and its results. The project's minings are in the session already: none is added twice."""
        restored = objects.get("tables")
        if not restored:
            return
        last = restored[-1]
        in_session = list(self.session.tables)
        self._opened(last.opened)
        self._show_roles(self.workspace.roles_for(last.choice))
        self._mined(last.entry.result)
        self.session.tables[:] = in_session
        self.workspace.mined = [r.entry for r in restored]

    def shutdown(self, msecs: int = 3000) -> bool:
        return self.tasks.shutdown(msecs)


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "—" if value != value else f"{value:.4g}"
    try:
        return f"{float(value):.4g}"
    except (TypeError, ValueError):
        return str(value)


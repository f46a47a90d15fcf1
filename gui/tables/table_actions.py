"""What the Tables workspace does with a mined table: explain a row (rule path, what if), the depth lab,
"keep the top k features", the prediction form and batch prediction. A part of ``TablesTab``
(``gui.tables.workspace``): it uses its workspace, pages, task owner and signals; its strings keep the
tab's translation context.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog

from engine.tables.settings import model_label
from engine.tables.tasks import depth_lab_held, top_k_held, with_held_table, without_models

BATCH, WHAT_IF, DEPTH, TOP_K = "batch", "what-if", "depth-lab", "top-k"
FILTER = "Tables (*.csv *.tsv *.txt *.xlsx *.xls *.ods *.parquet);;All files (*)"  # the tab's, translated there


class TableActions:
    # -- explain, what if, depth lab, top k --------------------------------------------------------------
    def explain_row(self, row: int) -> None:
        if self.workspace.result is None or self.workspace.table is None:
            return
        try:
            path, prediction = self.workspace.explain_row(row)
        except Exception as exc:  # noqa: BLE001 — a row the models refuse is shown, not raised
            self.explain_page.show_path(str(exc))
            return
        self.explain_page.show_path(QCoreApplication.translate(
            "TablesTab", "Row {n}: {prediction} ({model}). The tree's path: {path}").format(
            n=row + 1, prediction=prediction, model=model_label(self.workspace.result.best), path=path.words))
        self.explain_page.request_what_if()

    def what_if(self, row: int, column: str) -> None:
        from engine.tables.explain import what_if_row

        result, table = self.workspace.result, self.workspace.table
        if result is None or table is None:
            return
        self.tasks.start(WHAT_IF, what_if_row, table, result, row, column,
                         on_done=lambda sweep, r=row: self._what_if_done(sweep, r),
                         on_error=lambda exc: self.explain_page.show_path(str(exc)))

    def _what_if_done(self, sweep, row: int) -> None:  # noqa: ANN001 — engine.tables.explain.WhatIf
        if self.workspace.result is None:
            return
        self.explain_page.show_what_if(sweep, self.workspace.result.target, row)
        self.whatIfShown.emit()

    def run_depth_lab(self, min_leaf: int) -> None:
        result, table = self.workspace.result, self.workspace.table
        if result is None or table is None:
            return
        self.depth_page.show_running(QCoreApplication.translate("TablesTab",
                                                                "Cross-validating the tree at each depth…"))
        self.tasks.start(DEPTH, with_held_table, depth_lab_held, self.table_key, table, without_models(result),
                         min_leaf, on_progress=lambda p: self.depth_page.show_running(p.message),
                         on_done=self._depth_done,
                         on_error=lambda exc: self.depth_page.show_running(QCoreApplication.translate(
                             "TablesTab", "The depth lab failed: {reason}").format(reason=exc)))

    def _page_shown(self, _index: int) -> None:
        """The depth lab runs the first time its page is shown after a mining (a few seconds in the worker)."""
        page = self.depth_page
        if self.pages.currentWidget() is page and page.run_button.isEnabled() and not page.curve \
                and self.workspace.result is not None and not self.tasks.is_running(DEPTH):
            self.run_depth_lab(page.min_leaf.value())

    def _depth_done(self, curve: list[dict[str, float]]) -> None:
        self.depth_page.show_curve(curve)
        self.depthCurveShown.emit()

    def run_top_k(self, k: int) -> None:
        result, table = self.workspace.result, self.workspace.table
        if result is None or table is None:
            return
        self.models_page.show_top_k_message(QCoreApplication.translate(
            "TablesTab", "Cross-validating {model} with the top {k} features…").format(
            model=model_label(result.best), k=k))
        self.tasks.start(TOP_K, with_held_table, top_k_held, self.table_key, table, without_models(result), k,
                         on_done=self._top_k_done,
                         on_error=lambda exc: self.models_page.show_top_k_message(str(exc)))

    def _top_k_done(self, outcome: dict) -> None:
        self.models_page.show_top_k(outcome)
        self.topKShown.emit()

    # -- predict ----------------------------------------------------------------------------------------
    def predict_form(self) -> None:
        if self.workspace.result is not None and self.workspace.table is not None:
            self.form.predict(self.workspace.table, self.workspace.result)

    def _choose_batch(self) -> None:
        if self.workspace.result is None:
            return
        in_path, _ = QFileDialog.getOpenFileName(self, QCoreApplication.translate("TablesTab", "Rows to predict"), "",
                                                 QCoreApplication.translate("TablesTab", FILTER))
        if not in_path:
            return
        out_path, _ = QFileDialog.getSaveFileName(self, QCoreApplication.translate("TablesTab",
                                                                                   "Save the predictions as"),
                                                  str(Path(in_path).with_name(Path(in_path).stem + "-predicted.csv")),
                                                  QCoreApplication.translate("TablesTab", "CSV files (*.csv)"))
        if out_path:
            self.batch(in_path, out_path, replace=True)

    def batch(self, in_path: str, out_path: str, replace: bool = False) -> None:
        from engine.tables.predict import batch_predict

        self.tasks.start(BATCH, batch_predict, self.workspace.table, self.workspace.result, in_path, out_path,
                         force=replace, on_done=self._batch_done, on_error=self._file_error)

    def _batch_done(self, batch) -> None:  # noqa: ANN001 — engine.tables.predict.BatchResult
        lines = [QCoreApplication.translate("TablesTab", "Predicted {n} rows → {path}").format(n=batch.rows,
                                                                                             path=batch.output)]
        if batch.changes:
            lines.append(QCoreApplication.translate("TablesTab", "{n} cell(s) were not taken as written (first: "
                                                    "{label} {line}, {column}: {value!r} — {reason}).").format(
                n=len(batch.changes), label=QCoreApplication.translate("TablesTab", "line"),
                line=batch.changes[0].line, column=batch.changes[0].column, value=batch.changes[0].value,
                reason=batch.changes[0].reason))
        lines += batch.unfamiliar  # values beyond what the models learnt from: predicted, and said so
        self.form.result.setText("\n".join(lines))

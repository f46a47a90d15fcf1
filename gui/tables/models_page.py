"""The Tables workspace's Models page: the leakage notice, the recommended model, the cleaning steps, the
cross-validation table (metrics in people's words), mutual information beside permutation importance,
and "keep the top k features" with its cross-validated score change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QSplitter, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from engine.tables.settings import LOWER_IS_BETTER, metric_label, model_label
from gui.common.number_input import WholeSpinBox
from gui.common.plots import PlotCanvas
from gui.tables.data_page import read_only_table, shown_number
from gui.tables.plots import TablePlots

if TYPE_CHECKING:  # scikit-learn
    from engine.tables.mining import MineResult


class TableModelsPage(QWidget):
    topKRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots = TablePlots(self)
        self.leakage_warning = QLabel(self)
        self.leakage_warning.setObjectName("leakageWarning")
        self.leakage_warning.setWordWrap(True)
        self.leakage_warning.setStyleSheet("background: #fef7e0; padding: 6px; border-radius: 4px;")
        self.leakage_warning.hide()
        self.recommended = QLabel(self)
        self.recommended.setObjectName("recommendedModel")
        self.recommended.setWordWrap(True)
        self.cleaning = QLabel(self)
        self.cleaning.setObjectName("cleaningSteps")
        self.cleaning.setWordWrap(True)
        self.cv_table = read_only_table(self, "tableCvTable", [])
        self.ranking_plot = PlotCanvas(self, 5, 3)
        self.confusion_plot = PlotCanvas(self, 3, 3)  # classification only: the recommended model's mistakes
        self.confusion_plot.setObjectName("tableConfusionPlot")
        self.confusion_plot.hide()
        self.top_k = WholeSpinBox(self)
        self.top_k.setObjectName("topKSpin")
        self.top_k.setRange(1, 1)
        self.top_k.setToolTip(self.tr("The columns with the most mutual information, chosen inside each training "
                                      "fold"))
        self.top_k_button = QPushButton(self.tr("Cross-validate with only these"), self)
        self.top_k_button.setObjectName("topKButton")
        self.top_k_button.clicked.connect(lambda: self.topKRequested.emit(self.top_k.value()))
        self.top_k_result = QLabel(self)
        self.top_k_result.setObjectName("topKResult")
        self.top_k_result.setWordWrap(True)
        top_row = QHBoxLayout()
        top_row.addWidget(QLabel(self.tr("Keep the top"), self))
        top_row.addWidget(self.top_k)
        top_row.addWidget(QLabel(self.tr("features"), self))
        top_row.addWidget(self.top_k_button)
        top_row.addWidget(self.top_k_result, 1)
        layout = QVBoxLayout(self)
        for w in (self.leakage_warning, self.recommended, self.cleaning):
            layout.addWidget(w)
        split = QSplitter(Qt.Orientation.Vertical, self)  # the table above, whole: every metric in view
        split.addWidget(self.cv_table)
        plots = QSplitter(Qt.Orientation.Horizontal, self)
        plots.addWidget(self.ranking_plot)
        plots.addWidget(self.confusion_plot)
        plots.setStretchFactor(0, 3)
        plots.setStretchFactor(1, 2)
        split.addWidget(plots)
        split.setStretchFactor(1, 3)
        layout.addWidget(split, 1)
        layout.addLayout(top_row)
        self.set_top_k_enabled(False)

    def clear(self) -> None:
        self.confusion_plot.hide()
        self.leakage_warning.hide()
        self.cv_table.setRowCount(0)
        self.recommended.clear()
        self.cleaning.clear()
        self.top_k_result.clear()
        self.set_top_k_enabled(False)

    def set_top_k_enabled(self, on: bool) -> None:
        self.top_k.setEnabled(on)
        self.top_k_button.setEnabled(on)

    def show_result(self, result: MineResult) -> int:
        """Fill the page; returns how many leaking columns were left out."""
        leaks = [f for f in result.leaks if not f.kept]
        if result.leaks:
            lines = [QCoreApplication.translate(
                "TablesTab", "Target leakage: {column} alone predicts {target} with {metric} {score} — "
                "{what}.").format(
                column=f.column, target=result.target, metric=metric_label(f.metric), score=f"{f.score:.3f}",
                what=QCoreApplication.translate("TablesTab", "kept on purpose") if f.kept
                else QCoreApplication.translate("TablesTab", "left out (set its role to feature to keep it)"))
                for f in result.leaks]
            self.leakage_warning.setText("\n".join(lines))
            self.leakage_warning.show()
        else:
            self.leakage_warning.hide()
        self.recommended.setText(QCoreApplication.translate("TablesTab", "Recommended: {reason}").format(
            reason=result.best_reason))
        steps = [QCoreApplication.translate("TablesTab", "{used} of {read} rows used; {cv} in cross-validation.")
                 .format(used=result.rows_used, read=result.rows_read, cv=result.cv_rows)]
        steps += [QCoreApplication.translate("TablesTab", "{column}: {n} missing, imputed").format(column=c, n=n)
                  for c, n in result.imputed.items()]
        steps += [QCoreApplication.translate("TablesTab", "{column}: {n} outliers flagged (kept)").format(column=c, n=n)
                  for c, n in result.outliers.items()]
        steps += list(result.notices)
        self.cleaning.setText("\n".join(steps))
        self._fill_cv(result)
        self.plots.draw_ranking(self.ranking_plot, result.ranking, model_label(result.permutation_model)
                                if result.permutation_model else "")
        confusion = result.confusion.get(result.best) if result.confusion else None
        self.confusion_plot.setVisible(bool(confusion))
        if confusion:
            self.plots.draw_confusion(self.confusion_plot, confusion, result.classes, model_label(result.best))
        columns = len(result.input_columns)
        self.top_k.setRange(1, max(1, columns))
        self.top_k.setValue(max(1, min(columns, result.settings.top_k or max(1, columns // 2))))
        self.top_k_result.clear()
        self.set_top_k_enabled(columns > 1)
        return len(leaks)

    def _fill_cv(self, result: MineResult) -> None:
        metrics = list(next(iter(result.cv.values())))
        self.cv_table.setColumnCount(len(metrics) + 1)
        self.cv_table.setHorizontalHeaderLabels([QCoreApplication.translate("TablesTab", "model")]
                                                + [metric_label(m) for m in metrics])
        for j, m in enumerate(metrics):
            hint = self.tr("{metric}: lower is better") if m in LOWER_IS_BETTER else self.tr(
                "{metric}: higher is better")
            self.cv_table.horizontalHeaderItem(j + 1).setToolTip(hint.format(metric=metric_label(m)))
        self.cv_table.setRowCount(len(result.cv))
        for i, (name, scores) in enumerate(result.cv.items()):
            label = model_label(name) + (" ★" if name == result.best else "")
            self.cv_table.setItem(i, 0, QTableWidgetItem(label))
            for j, m in enumerate(metrics):
                spread = result.cv_std.get(name, {}).get(m)
                item = QTableWidgetItem(shown_number(scores[m]))
                if spread is not None and spread == spread:
                    item.setToolTip(self.tr("± {spread} over the folds").format(spread=shown_number(spread)))
                self.cv_table.setItem(i, j + 1, item)
        self.cv_table.resizeColumnsToContents()  # the models' names, whole in either language
        rows_height = sum(self.cv_table.rowHeight(i) for i in range(self.cv_table.rowCount()))
        self.cv_table.setMaximumHeight(rows_height + self.cv_table.horizontalHeader().height() + 24)

    def show_top_k(self, outcome: dict[str, Any]) -> None:
        metric, before, after = outcome["metric"], outcome["all_columns"], outcome["top_k"]
        change = after - before
        better = (change < 0) if metric in LOWER_IS_BETTER else (change > 0)
        verdict = self.tr("better") if better and abs(change) > 1e-12 else (
            self.tr("the same") if abs(change) <= 1e-12 else self.tr("worse"))
        self.top_k_result.setText(self.tr(
            "{model}, top {k} of {of} features ({columns}): cross-validated {metric} {after} instead of {before} "
            "({change:+.4g}, {verdict}).").format(
            model=model_label(outcome["model"]), k=outcome["k"], of=outcome["of"],
            columns=", ".join(outcome["columns"][:8]) + (" …" if len(outcome["columns"]) > 8 else ""),
            metric=metric_label(metric), after=shown_number(after), before=shown_number(before), change=change,
            verdict=verdict))

    def show_top_k_message(self, text: str) -> None:
        self.top_k_result.setText(text)

"""File → New / Open / Save / Save as / Open recent for ``.deepmine`` projects, and the choice to
embed tables or refer to their files. The autosave and the offer to restore after a crash are in
``gui.common.project_recovery``, whether the project changed since in ``gui.common.project_changes``,
Digits → Export model… in ``gui.common.model_export``: all are parts of ``ProjectActions``.

Every file operation runs as a task of this object's own ``TaskOwner`` (never on the GUI thread);
the engine does the work (``engine.project``), the window's workspaces receive what a project
restored through their public hooks (``DigitTab.use_model`` / ``refresh_samples``,
``CompareTab.show_result``, and ``restore_project_part(objects)`` where a workspace offers it). A
hook that fails is named in one line and the rest of the project still opens.
A project saved in another language offers to switch to it (``gui.common.project_language``).

Tests and scripts answer the questions through public hooks instead of dialogs: ``unsaved_prompt``
(returns "save", "discard" or "cancel"), ``recovery_prompt`` (returns True to restore),
``language_prompt`` (returns True to switch; ``restart_app`` then restarts), and the ``path``
arguments of ``open_project`` / ``save_as`` / ``export_model``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from engine.core.i18n import megabytes
from engine.core.session import Session
from engine.project import autosave
from engine.project.part import ProjectContext
from gui.common.model_export import EXPORT, ModelExport
from gui.common.project_changes import Changes
from gui.common.project_language import REOPEN_KEY, LanguageOffer
from gui.common.project_recovery import AUTOSAVE, AUTOSAVE_MS, RECOVERY, Recovery, save_task
from gui.common.settings import app_settings
from gui.common.tasks import TaskOwner

RECENT_KEY, RECENT_MAX = "projects/recent", 8
EMBED_KEY = "projects/embedTables"  # True (default): a project carries a copy of each table
SAVE, OPEN = "project-save", "project-open"
__all__ = ["AUTOSAVE", "EXPORT", "OPEN", "RECOVERY", "SAVE", "ProjectActions"]


def _open(path: str, context: ProjectContext):
    from engine.project.files import open_project_task
    from engine.workbench import project_parts

    return (yield from open_project_task(path, project_parts(), context))


class ProjectActions(QObject, Changes, Recovery, LanguageOffer, ModelExport):
    """The window's project: which file it is, whether it changed since, and the actions on it."""

    saved = Signal(str)  # the path written (a Save, Save as; not the autosave)
    opened = Signal(str)  # the project restored into the window
    autosaved = Signal(str)
    exported = Signal(str)
    failed = Signal(str)  # one line, also shown in the status bar
    recoveryChecked = Signal(bool)  # True when a crashed session was found and offered
    reported = Signal(str)  # one notice of an opened project (a moved or changed table, samples added, …)

    def __init__(self, window: Any, session: Session) -> None:  # window: gui.main_window.MainWindow
        super().__init__(window)
        self.window, self.session = window, session
        self.tasks = TaskOwner(self)
        self.path: str | None = None
        self._baseline = self.signature()
        self._autosaved = self._baseline
        self._switching = False
        self.unsaved_prompt: Callable[[], str] = self._ask_unsaved
        self.recovery_prompt: Callable[[autosave.RecoveryOffer], bool] = self._ask_recovery
        self.language_prompt: Callable[[str], bool] = self._ask_language
        self.restart_app: Callable[[], Any] = lambda: self.window.restart()
        self._build_actions()
        self._watch_workspaces()
        window.workspacesBuilt.connect(self._watch_workspaces)  # when they are built after this object
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.update_title)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self.autosave_now)
        self.update_title()

    # -- actions -------------------------------------------------------------------------
    def _action(self, name: str, text: str, slot: Callable[[], Any], shortcut: QKeySequence | str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.triggered.connect(lambda _=False: slot())
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action("newProjectAction", self.tr("&New project"), self.new_project, None,
                                       self.tr("Start an empty project (your models and handwriting stay)"))
        self.open_action = self._action("openProjectAction", self.tr("Open &project…"), self.open_project,
                                        "Ctrl+Shift+O", self.tr("Open a .deepmine project file"))
        self.save_action = self._action("saveProjectAction", self.tr("&Save project"), self.save,
                                        QKeySequence.StandardKey.Save, self.tr("Save the project"))
        self.save_as_action = self._action("saveProjectAsAction", self.tr("Save project &as…"), self.save_as,
                                           "Ctrl+Shift+S", self.tr("Save the project under a new name"))
        self.recent_menu = QMenu(self.tr("Open &recent"), self.window)
        self.recent_menu.setObjectName("recentProjectsMenu")
        self.embed_action = self._action("embedTablesAction", self.tr("Embed &tables in project files"),
                                         self._embed_toggled, None,
                                         self.tr("On: a project carries a copy of every table it mined. Off: it "
                                                 "names each table's file (smaller; the file must stay where it is)"))
        self.embed_action.setCheckable(True)
        self.embed_action.setChecked(self.embed_tables())
        self.export_model_action = self._action("exportModelAction", self.tr("&Export model…"), self.export_model,
                                                None, self.tr("Save the digit model as Keras, LiteRT and TensorFlow "
                                                              "SavedModel files to use outside the app"))
        file_menu = self.window.menuBar().actions()[0].menu()  # the window's File menu, built first
        first = file_menu.actions()[0] if file_menu.actions() else None
        for action in (self.new_action, self.open_action):
            file_menu.insertAction(first, action)
        file_menu.insertMenu(first, self.recent_menu)
        for action in (self.save_action, self.save_as_action, self.embed_action):
            file_menu.insertAction(first, action)
        file_menu.insertSeparator(first)
        digits_menu = QMenu(self.tr("&Digits"), self.window)
        digits_menu.setObjectName("digitsMenu")
        digits_menu.addAction(self.export_model_action)
        self.window.menuBar().insertMenu(self.window.menuBar().actions()[1], digits_menu)
        self._fill_recent()

    # -- state ---------------------------------------------------------------------------
    def update_title(self) -> None:
        name = Path(self.path).stem if self.path else self.tr("Untitled")
        self.window.setWindowTitle(self.tr("{project}[*] — DeepMine Workbench").format(project=name))
        self.window.setWindowModified(self.is_modified())

    def start(self) -> None:
        """At start: this session is running, the title follows changes, autosave, and the crash check."""
        self._guard(autosave.mark_running)
        self._timer.start()
        self._autosave_timer.start()
        self._check_recovery()
        reopen = app_settings().value(REOPEN_KEY, "", type=str)
        if reopen:  # the app restarted into the language of this project: open it again
            settings = app_settings()
            settings.remove(REOPEN_KEY)
            settings.sync()
            if Path(reopen).is_file():
                self.open_project(reopen)
        if self.window.digit_tab is not None:
            self.window.digit_tab.modelReady.connect(self._after_training)

    def _guard(self, func: Callable[..., Any], *args: Any) -> None:
        try:
            func(*args)
        except OSError as exc:
            self.window.show_status(self.tr("The autosave folder cannot be written: {reason}").format(reason=exc))

    def embed_tables(self) -> bool:
        """The person's choice (File → Embed tables in project files), kept between sessions."""
        return app_settings().value(EMBED_KEY, True, type=bool)

    def _embed_toggled(self) -> None:
        settings = app_settings()
        settings.setValue(EMBED_KEY, self.embed_action.isChecked())
        settings.sync()

    def _context(self) -> ProjectContext:
        """What the workspaces hold beyond the session: the canvas' model, the house form, the lab's network."""
        w = self.window
        extras: dict[str, Any] = {}
        if w.digit_tab is not None and w.digit_tab.model is not None:
            extras["digit_model_files"] = w.digit_tab.model.files
        if w.house_tab is not None and w.house_tab.models is not None:
            extras["house_form"] = w.house_tab.values()
        if w.lab_tab is not None:
            extras["lab_recipe"] = w.lab_tab.steps.recipe_dict()
        options: dict[str, Any] = {"embed_tables": self.embed_tables()}
        if w.options.digits.shipped_root:
            options["shipped_root"] = w.options.digits.shipped_root
        return ProjectContext(extras, options)

    # -- new / open / save ---------------------------------------------------------------
    def confirm_discard(self) -> bool:
        """True when the work may be replaced: nothing unsaved, or the person saved or discarded it."""
        if not self.is_modified():
            return True
        answer = self.unsaved_prompt()
        if answer == "save":
            return self.save(wait=True)
        return answer == "discard"

    def new_project(self) -> None:
        if not self.confirm_discard():
            return
        from engine.project.files import reset_session

        self._clear_canvas()
        reset_session(self.session)
        if self.window.tables_tab is not None:
            self.window.tables_tab.clear()  # the session's tables went with it: none stays on screen
        if self.window.compare_tab is not None:
            self.window.compare_tab.clear()  # and its comparison, which may have been of that table
        self.path = None
        self._baseline = self.signature()
        self.update_title()

    def open_project(self, path: str | None = None, recovered: autosave.RecoveryOffer | None = None) -> None:
        if recovered is None and not self.confirm_discard():
            return
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Open a project"), self._folder(),
                                                  self.tr("DeepMine projects (*.deepmine);;All files (*)"))
            if not path:
                return
        self.window.show_status(self.tr("Opening {name}…").format(name=Path(path).name))
        self.tasks.start(OPEN, _open, str(path), self._context(),
                         on_done=lambda opened: self._opened(opened, recovered), on_error=self._failed)

    def _opened(self, opened: Any, recovered: autosave.RecoveryOffer | None) -> None:
        from engine.project.files import apply_to_session

        self._clear_canvas()
        apply_to_session(self.session, opened)
        notices = [*opened.notices, *self._hand_to_workspaces(opened.objects())]
        if recovered is not None:
            autosave.dismiss(recovered)
            self.path = recovered.project_path
            self._baseline = ()  # restored work is not in the person's file yet
        else:
            self.path = str(opened.path)
            self._baseline = self.signature()
            self._remember(self.path)
        self._guard(autosave.mark_running, self.path)
        self.update_title()
        lines = [self.tr("Opened {name}.").format(name=opened.path.name), *notices]
        hint = None if recovered is not None else self._offer_language(opened.manifest.language)
        self.window.show_status(" ".join([*lines, *([hint] if hint else [])]))
        for notice in notices:
            self.reported.emit(notice)
        if notices and self.window.options.modal_errors:
            QMessageBox.information(self.window, self.tr("Project"), "\n".join(lines))
        self.opened.emit(str(opened.path))
        if hint is None and self._switching:
            self._switching = False
            self.restart_app()

    def _hand_to_workspaces(self, objects: dict[str, Any]) -> list[str]:
        """Each workspace gets its part on its own; one whose hook fails is named (one line each, returned)
        and the others still get theirs: a project from anyone never stops halfway."""
        w = self.window
        failures: list[str] = []

        def hand(tab: Any, give: Callable[[], Any]) -> None:
            try:
                give()
            except Exception as exc:  # noqa: BLE001 — whatever a workspace raises on a file from someone else
                failures.append(self._not_shown(tab, exc))

        model = objects.get("digit_model")
        if model is not None and w.digit_tab is not None:
            if w.digit_tab.isModelReady():
                hand(w.digit_tab, lambda: w.digit_tab.use_model(model))
            else:  # the start-up model is still loading: the project's model replaces it when it is there
                def use(tab=w.digit_tab, restored=model) -> None:
                    tab.modelReady.disconnect(use)
                    try:
                        tab.use_model(restored)
                    except Exception as exc:  # noqa: BLE001 — as in hand(), after the open has ended
                        line = self._not_shown(tab, exc)
                        self.window.show_status(line)
                        self.reported.emit(line)
                w.digit_tab.modelReady.connect(use)
        if objects.get("samples_added") and w.digit_tab is not None:
            hand(w.digit_tab, w.digit_tab.refresh_samples)
        if objects.get("compare") is not None and w.compare_tab is not None:
            hand(w.compare_tab, lambda: w.compare_tab.show_result(objects["compare"]))
        for tab in (w.house_tab, w.tables_tab, w.lab_tab):
            hook = getattr(tab, "restore_project_part", None)
            if callable(hook):
                hand(tab, lambda hook=hook: hook(objects))
        return failures

    def _not_shown(self, tab: Any, exc: BaseException) -> str:
        name = self.window.tabs.tabText(self.window.tabs.indexOf(tab)) or type(tab).__name__
        reason = (str(exc).strip().splitlines() or [""])[0][:200] or type(exc).__name__
        return self.tr("{workspace}: this project's part could not be shown ({reason}); the rest was "
                       "opened.").format(workspace=name, reason=reason)

    def save(self, wait: bool = False) -> bool:
        """Save to the project's file (Save as when it has none). ``wait``: until written (the close prompt)."""
        if self.path is None:
            return self.save_as(wait=wait)
        return self._write(self.path, wait)

    def save_as(self, path: str | None = None, wait: bool = False) -> bool:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Save the project"),
                                                  str(Path(self._folder()) / "project.deepmine"),
                                                  self.tr("DeepMine projects (*.deepmine)"))
            if not path:
                return False
            if not path.endswith(".deepmine"):
                path += ".deepmine"
        return self._write(path, wait)  # the dialog asked before replacing a file; a scripted path is the caller's

    def _write(self, path: str, wait: bool) -> bool:
        signature = self.signature()
        outcome: dict[str, bool] = {}
        self.tasks.start(SAVE, save_task, self.session, path, self._context(), True,
                         on_done=lambda saved: (outcome.setdefault("ok", True), self._saved(saved, signature)),
                         on_error=lambda exc: (outcome.setdefault("ok", False), self._failed(exc)))
        if not wait:
            return True
        from PySide6.QtCore import QEventLoop

        loop = QEventLoop()

        def ended(kind: str, running: bool) -> None:
            if kind == SAVE and not running:
                loop.quit()

        self.tasks.runningChanged.connect(ended)
        try:
            if self.tasks.is_running(SAVE):
                loop.exec()
        finally:
            self.tasks.runningChanged.disconnect(ended)
        return outcome.get("ok", False)

    def _saved(self, saved: Any, signature: tuple) -> None:
        self.path = str(saved.path)
        self._baseline = self._autosaved = signature
        self._remember(self.path)
        self._guard(autosave.mark_running, self.path)
        self.update_title()
        self.window.show_status(self.tr("Saved {name} ({size} MB).").format(name=saved.path.name,
                                                                            size=megabytes(saved.size_bytes)))
        self.saved.emit(self.path)

    def _failed(self, exc: BaseException) -> None:
        self.window.show_status(str(exc))
        self.failed.emit(str(exc))
        if self.window.options.modal_errors:
            QMessageBox.warning(self.window, self.tr("Project"), str(exc))

    def _ask_unsaved(self) -> str:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unsaved changes"),
                          self.tr("The project has changes that are not saved. Save them first?"),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self.window)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")

    def closing(self) -> bool:
        """The window is closing: False keeps it open (the person cancelled); else this session ends cleanly."""
        if not self.confirm_discard():
            return False
        self._timer.stop()
        self._autosave_timer.stop()
        try:
            autosave.mark_closed()
        except OSError:
            pass
        return True

    # -- helpers -------------------------------------------------------------------------
    def _clear_canvas(self) -> None:
        if self.window.digit_tab is not None:
            self.window.digit_tab.canvas.clear()  # the drawing's session entry is about to go

    def _folder(self) -> str:
        recent = self.recent()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def recent(self) -> list[str]:
        value = app_settings().value(RECENT_KEY, [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _remember(self, path: str) -> None:
        recent = [path] + [p for p in self.recent() if p != path]
        settings = app_settings()
        settings.setValue(RECENT_KEY, recent[:RECENT_MAX])
        settings.sync()
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.recent():
            action = self.recent_menu.addAction(Path(path).name)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_project(p))
        self.recent_menu.setEnabled(bool(self.recent()))

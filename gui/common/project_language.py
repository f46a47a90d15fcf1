"""A project saved in another language than the app's: offer to switch to it.

The app's language applies after a restart (View → Language says so too: every widget's text is
set once, when it is built), so switching saves the choice, restarts the app and opens the project
again at the next start (``REOPEN_KEY``). Declined, or in scripted use, the status line says how
to switch later. ``LanguageOffer`` is a part of ``gui.common.project_actions.ProjectActions``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from engine.core.i18n import get_language, normalize
from gui.common.i18n import save_language
from gui.common.settings import app_settings

REOPEN_KEY = "projects/reopenAtStart"  # the project to open again after a restart into its language
LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}  # each language named in itself, as View → Language


class LanguageOffer:
    """Mixed into ``ProjectActions``: uses its ``window``, ``path``, ``language_prompt`` and ``restart_app``."""

    def _offer_language(self, language: str) -> str | None:
        """A project saved in another language: switch to it (on a restart) if the person wants; else a hint."""
        lang, self._switching = normalize(language), False
        if lang == get_language() or lang not in LANGUAGE_NAMES:
            return None
        if not self.language_prompt(lang):
            return QCoreApplication.translate(
                "ProjectActions", "This project was saved in {language}: View → Language switches the app to it."
            ).format(language=LANGUAGE_NAMES[lang])
        save_language(lang)
        action = self.window.findChild(QAction, f"language_{lang}")
        if action is not None:
            action.setChecked(True)
        settings = app_settings()
        settings.setValue(REOPEN_KEY, self.path)
        settings.sync()
        self._switching = True  # restarted once the project is shown and `opened` told
        return None

    def _ask_language(self, lang: str) -> bool:
        if not self.window.options.modal_errors:  # scripted use: nobody to answer, the hint says it
            return False
        answer = QMessageBox.question(
            self.window, QCoreApplication.translate("ProjectActions", "The project's language"),
            QCoreApplication.translate("ProjectActions", "This project was saved in {language}. Switch DeepMine "
                                       "Workbench to {language}? The app restarts and opens the project again.")
            .format(language=LANGUAGE_NAMES[lang]))
        return answer == QMessageBox.StandardButton.Yes

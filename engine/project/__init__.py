"""``.deepmine`` project files: the manifest, safe reading, writing, autosave and model export.

This package knows no domain. Each domain's part of a project is a ``PartProvider``
(``engine.project.part``); the providers live in ``engine.project.parts`` and are listed by the
composition root, ``engine.workbench``. Reading a file from someone else is validated entry by
entry before anything is unpacked (``engine.project.safe_zip``).
"""

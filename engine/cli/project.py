"""`deepmine project info|check FILE` and `deepmine export-model`.

``info`` and ``check`` read a project exactly as opening it would (every entry's name, size,
compression and sha256, every part's own check) and write nothing; ``check`` answers with its exit
code: 0 only when the file opens cleanly, else 2 with one line for a damaged file, or one line per
thing opening would change or leave out (``info`` lists those too).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.core.i18n import megabytes, t


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("project", help=t("look inside a .deepmine project file, or check it"),
                       description=t("Read a .deepmine project safely (nothing is unpacked or run) and say what it "
                                     "holds, or check that it opens cleanly."))
    actions = p.add_subparsers(dest="project_command", metavar="ACTION")
    info = actions.add_parser("info", help=t("what the project holds"))
    info.add_argument("file", type=Path, metavar="FILE", help=t("the .deepmine file"))
    info.add_argument("--json", action="store_true", help=t("print the result as JSON"))
    info.set_defaults(handler=_info)
    check = actions.add_parser("check", help=t("exit 0 only if the project opens cleanly"))
    check.add_argument("file", type=Path, metavar="FILE", help=t("the .deepmine file"))
    check.set_defaults(handler=_check)
    p.set_defaults(handler=lambda args: _need_action(p))

    from engine.cli import table_export

    e = sub.add_parser("export-model", help=t("export a model to use outside the app"),
                       description=t("Write a folder with the digit model as Keras (.keras), LiteRT (.tflite) and "
                                     "TensorFlow SavedModel files, or a mined table model as skops and ONNX files, "
                                     "with its model card (JSON) and a README with loading code."))
    e.add_argument("--kind", choices=["digits", "table"], required=True, help=t("which model"))
    e.add_argument("--model", choices=[*table_export.DIGIT_MODELS, "tree", "forest", "boosting", "mlp"],
                   help=t("digits: your latest trained model (default), or the shipped one; table: the model to "
                          "export (default: the recommended one)"))
    e.add_argument("--force", action="store_true", help=t("replace the output folder if it exists"))
    table_export.add_arguments(e)
    e.add_argument("out", type=Path, metavar="OUT", help=t("the folder to create"))
    table_export.allow_intermixed(e)
    e.set_defaults(handler=_export)


def _need_action(parser: argparse.ArgumentParser) -> int:
    from engine.core.errors import InputError

    raise InputError("Say what to do with the project: info or check.")


def _inspect(path: Path):
    from engine.project.files import inspect_project
    from engine.workbench import project_parts

    return inspect_project(path, project_parts())


def _info(args: argparse.Namespace) -> int:
    from engine.cli.output import print_json

    info = _inspect(args.file)
    m = info.manifest
    if args.json:
        print_json({"file": str(info.path), "format_version": m.format_version, "app_version": m.app_version,
                    "created": m.created, "modified": m.modified, "language": m.language,
                    "size_bytes": info.size_bytes, "parts": info.summaries, "unknown_parts": info.unknown_parts,
                    "newer_parts": info.newer_parts,
                    "problems": info.problems,
                    "entries": {k: {"size": e.size, "sha256": e.sha256} for k, e in m.entries.items()}})
        return 0
    print(t("{name}: DeepMine project, format {version}, made by DeepMine Workbench {app}", name=info.path.name,
            version=m.format_version, app=m.app_version))
    print(t("created {created}, saved {modified}, language {language}, {n} entries, {size} MB", created=m.created,
            modified=m.modified, language=m.language, n=len(m.entries), size=megabytes(info.size_bytes)))
    for key, summary in info.summaries.items():
        print(f"{key}\t{summary}")
    for key in info.unknown_parts:
        if key in info.newer_parts:
            print(f"{key}\t{t('made by a newer version of the app (left out on open)')}")
        else:
            print(f"{key}\t{t('not known to this version of the app (left out on open)')}")
    for line in info.problems[:len(info.problems) - len(info.unknown_parts)]:  # the unknown parts' come last
        print(t("on open: {problem}", problem=line))
    return 0


def _check(args: argparse.Namespace) -> int:
    import sys

    info = _inspect(args.file)
    if info.problems:
        for line in info.problems:
            print(line, file=sys.stderr)
        print(t("{name} opens, but not cleanly: what is named above would be left out.", name=info.path.name),
              file=sys.stderr)
        return 2
    print(t("{name} opens cleanly.", name=info.path.name))
    return 0


def _export(args: argparse.Namespace) -> int:
    from engine.cli import table_export
    from engine.cli.output import terminal_progress
    from engine.core.errors import InputError
    from engine.core.tasks import run_task

    if args.kind == "table":
        return table_export.export_table(args)
    model = table_export.digit_model_choice(args)
    from engine.digits import worker_jobs
    from engine.digits.lite import ModelFiles, latest_cached, shipped_files
    from engine.core.staged_folder import check_destination
    from engine.project.export import export_digit_model_job
    from engine.project.parts.digits import model_card

    check_destination(args.out, args.force)  # a taken folder is refused before any work (the model files: below)
    if model == "shipped":
        files = shipped_files("cnn")
    else:
        cached = latest_cached()
        if cached is None:
            raise InputError("There is no trained digit model yet: train one (deepmine train) or use --model shipped.")
        files = (ModelFiles(cached.keras_path, cached.tflite_path, cached.info) if cached.tflite_path else
                 worker_jobs.convert_job(cached.keras_path, cached.info))
    names = run_task(export_digit_model_job(files.keras_path, files.tflite_path, model_card(files.info), str(args.out),
                                            args.force), terminal_progress(t("export: ")))
    for name in names:
        print(args.out / name)
    return 0

"""Fault suite: hostile and damaged project files. Each is refused with one clear line, before
anything is unpacked, and nothing is written outside the app's data folder (nor inside it, beyond
the emptied unpacking folder); a sound file whose values the app cannot take as they are opens with
each change named, and ``deepmine project check`` names them too. Counted by bench/reliability.py."""

from __future__ import annotations

import io
import json
import os
import pickle
import stat
import zipfile
from pathlib import Path

import pytest

from engine.core.errors import DataError
from engine.core.tasks import run_task
from engine.project.files import inspect_project, open_project_task
from engine.workbench import project_parts
from project_helpers import hand_made_project

PART = {"parts/compare/part.json": b'{"result": {}}'}
COMPARE = {"parts": {"compare": {"version": 1, "summary": ""}}}


def files_under(*roots: Path) -> set[Path]:
    return {p for root in roots if root.exists() for p in root.rglob("*")}


def refused(path: Path, tmp_path: Path, match: str) -> str:
    """Both ``project check`` and opening refuse ``path`` with one line containing ``match``; nothing
    new appears beside the file or in the data folder (the unpacking folder is gone)."""
    home = Path(os.environ["DEEPMINE_HOME"])
    before = files_under(tmp_path, home)
    with pytest.raises(DataError) as checked:
        inspect_project(path, project_parts())
    with pytest.raises(DataError) as opened:
        run_task(open_project_task(path, project_parts()))
    for error in (checked.value, opened.value):
        assert match in str(error) and "\n" not in str(error), str(error)
    new = files_under(tmp_path, home) - before
    assert all(p.is_dir() and p.parent == home for p in new), f"files were written: {new}"
    assert not (home / "projects").exists() or not any((home / "projects").iterdir())
    return str(opened.value)


def test_an_entry_climbing_out_of_the_folder_is_refused(tmp_path) -> None:
    path = hand_made_project(tmp_path / "slip.deepmine", {**PART, "parts/compare/../../../evil.json": b"{}"},
                             manifest=COMPARE)
    refused(path, tmp_path, "would leave the project folder")
    assert not (tmp_path.parent / "evil.json").exists()


@pytest.mark.parametrize("name", ["/tmp/deepmine-evil.json", "parts\\..\\..\\evil.json", "C:/evil.json",
                                  "parts/./x.json"])
def test_absolute_backslash_and_drive_names_are_refused(tmp_path, name) -> None:
    path = hand_made_project(tmp_path / "abs.deepmine", {**PART, name: b"{}"}, manifest=COMPARE)
    refused(path, tmp_path, "would leave the project folder")
    assert not Path("/tmp/deepmine-evil.json").exists()


def test_a_symlink_entry_is_refused(tmp_path) -> None:
    link = zipfile.ZipInfo("parts/compare/link.json")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    link.create_system = 3
    path = hand_made_project(tmp_path / "link.deepmine", PART, manifest=COMPARE, infos=[(link, b"/etc/passwd")])
    refused(path, tmp_path, "is a link or a special file")


def test_a_zip_bomb_by_compression_ratio_is_refused(tmp_path) -> None:
    zeros = bytes(64 << 20)
    path = hand_made_project(tmp_path / "bomb.deepmine", {**PART, "parts/compare/big.txt": zeros}, manifest=COMPARE)
    assert path.stat().st_size < 1 << 20
    refused(path, tmp_path, "as only a zip bomb is")


def test_a_zip_bomb_by_entry_count_is_refused(tmp_path) -> None:
    many = {f"parts/compare/n{i}.json": b"{}" for i in range(20_001)}
    path = hand_made_project(tmp_path / "count.deepmine", {**PART, **many}, manifest=COMPARE)
    refused(path, tmp_path, "entries, more than a project may")


def test_a_size_the_header_understates_is_refused(tmp_path) -> None:
    """The directory says 2 bytes, the data is bigger: reading stops at what was declared."""
    path = hand_made_project(tmp_path / "lie.deepmine", PART, manifest=COMPARE)
    raw = bytearray(path.read_bytes())
    body = b'{"result": {}}'
    raw = raw.replace(body, b'{"result": {}}'[:len(body)])  # unchanged data, then the manifest lies about it
    listed = json.loads(zipfile.ZipFile(io.BytesIO(bytes(raw))).read("manifest.json"))
    listed["entries"]["parts/compare/part.json"]["size"] = 2
    fixed = hand_made_project(tmp_path / "lie2.deepmine", PART, manifest={**COMPARE, "entries": listed["entries"]})
    refused(fixed, tmp_path, "size does not match the manifest")


def test_an_unknown_manifest_version_is_refused(tmp_path) -> None:
    path = hand_made_project(tmp_path / "future.deepmine", PART, manifest={**COMPARE, "format_version": 99})
    message = refused(path, tmp_path, "made by a newer DeepMine Workbench")
    assert "format 99" in message


def test_a_damaged_entry_is_refused_by_its_checksum(tmp_path) -> None:
    path = hand_made_project(tmp_path / "damaged.deepmine", PART, manifest=COMPARE)
    listed = json.loads(zipfile.ZipFile(path).read("manifest.json"))["entries"]
    listed["parts/compare/part.json"]["sha256"] = "0" * 64
    path = hand_made_project(tmp_path / "damaged2.deepmine", PART, manifest={**COMPARE, "entries": listed})
    refused(path, tmp_path, "its checksum does not match the manifest")


def test_a_truncated_file_is_refused(tmp_path) -> None:
    path = hand_made_project(tmp_path / "whole.deepmine", PART, manifest=COMPARE)
    cut = tmp_path / "cut.deepmine"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    refused(cut, tmp_path, "is not a DeepMine project")


def test_a_file_that_is_not_a_zip_is_refused(tmp_path) -> None:
    path = tmp_path / "notes.deepmine"
    path.write_text("hello", encoding="utf-8")
    refused(path, tmp_path, "is not a DeepMine project")


def test_a_pickle_file_inside_is_refused(tmp_path) -> None:
    blob = pickle.dumps({"x": 1})  # made here, never loaded by anything
    path = hand_made_project(tmp_path / "pickle.deepmine", {**PART, "parts/compare/model.pkl": blob},
                             manifest=COMPARE)
    refused(path, tmp_path, "is a pickle")


def test_a_pickle_disguised_as_json_is_refused(tmp_path) -> None:
    path = hand_made_project(tmp_path / "disguise.deepmine", {"parts/compare/part.json": pickle.dumps([1, 2])},
                             manifest=COMPARE)
    refused(path, tmp_path, "is a pickle")


def test_an_unlisted_entry_is_refused(tmp_path) -> None:
    path = hand_made_project(tmp_path / "extra.deepmine", PART, manifest=COMPARE,
                             unlisted={"parts/compare/extra.json": b"{}"})
    refused(path, tmp_path, "is not listed in its manifest")


def test_a_listed_entry_that_is_missing_is_refused(tmp_path) -> None:
    listed = {"parts/compare/gone.json": {"size": 2, "sha256": "1" * 64}}
    path = hand_made_project(tmp_path / "gone.deepmine", {}, manifest={**COMPARE, "entries": listed})
    refused(path, tmp_path, "is missing")


def test_a_file_without_a_manifest_is_refused(tmp_path) -> None:
    path = tmp_path / "nomanifest.deepmine"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("parts/compare/part.json", "{}")
    refused(path, tmp_path, "has no manifest")


def test_a_keras_file_with_python_code_is_refused(tmp_path) -> None:
    keras = io.BytesIO()
    with zipfile.ZipFile(keras, "w") as zf:
        zf.writestr("config.json", json.dumps({"class_name": "Sequential", "config": {"layers": [
            {"class_name": "Lambda", "config": {"function": "import os; os.system('touch /tmp/pwned')"}}]}}))
        zf.writestr("metadata.json", "{}")
    tflite = b"\x1c\x00\x00\x00TFL3" + bytes(32)
    entries = {"parts/digits/part.json": json.dumps({"model": {"kind": "own", "arch": "mlp"}, "drawn": [],
                                                     "samples": []}).encode(),
               "parts/digits/model/model.keras": keras.getvalue(), "parts/digits/model/model.tflite": tflite,
               "parts/digits/model/info.json": b"{}"}
    path = hand_made_project(tmp_path / "lambda.deepmine", entries,
                             manifest={"parts": {"digits": {"version": 1, "summary": ""}}})
    refused(path, tmp_path, "Python code")


def test_cli_check_answers_one_line_and_exit_code_2(tmp_path, capsys) -> None:
    from engine.cli.main import main

    path = hand_made_project(tmp_path / "slip.deepmine", {**PART, "../evil.json": b"{}"}, manifest=COMPARE)
    assert main(["project", "check", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "would leave the project folder" in err[0]


def part_project(path: Path, key: str, data: dict) -> Path:
    return hand_made_project(path, {f"parts/{key}/part.json": json.dumps(data).encode("utf-8")},
                             manifest={"parts": {key: {"version": 1, "summary": ""}}})


def check_says(path: Path, capsys) -> tuple[int, str]:  # noqa: ANN001
    from engine.cli.main import main

    code = main(["project", "check", str(path)])
    return code, capsys.readouterr().err


def test_house_settings_and_form_values_out_of_range_are_changed_and_named(tmp_path, capsys) -> None:
    """``max_depth`` 10¹² made the lab's spin box raise halfway through opening: now every value is
    brought into what the workspace offers, and the notice lists each change."""
    hostile = part_project(tmp_path / "houses.deepmine", "houses", {
        "settings": {"max_depth": 10**12, "min_samples_leaf": 0, "drop_b": "yes"}, "models": None, "priced": [],
        "form": {"RM": 1e9, "RAD": 3.4, "LSTAT": 4.5, "EVIL": 1.0}})
    opened = run_task(open_project_task(hostile, project_parts()))
    objects = opened.objects()
    assert objects["house_settings"] == {"max_depth": 20, "min_samples_leaf": 1}, "clamped to the lab's ranges"
    assert objects["house_form"] == {"RM": 30.0, "RAD": 3.0, "LSTAT": 4.5}, "within the form's inputs"
    assert len(opened.notices) == 1 and "\n" not in opened.notices[0]
    for named in ("max_depth 1000000000000 → 20", "min_samples_leaf 0 → 1", "drop_b left out",
                  "RM 1000000000.0 → 30", "RAD 3.4 → 3", "EVIL left out"):
        assert named in opened.notices[0], named
    assert "LSTAT" not in opened.notices[0], "a value that fits is not named"
    code, err = check_says(hostile, capsys)
    assert code == 2 and "max_depth 1000000000000 → 20" in err and "opens, but not cleanly" in err


def test_a_lab_recipe_that_does_not_check_out_is_named_by_check_and_left_out(tmp_path, capsys) -> None:
    from engine.core.session import Session
    from engine.project.files import save_project_task
    from engine.project.part import ProjectContext

    context = ProjectContext(extras={"lab_recipe": {"loss": "bogus"}})
    path = run_task(save_project_task(Session(), project_parts(), tmp_path / "lab.deepmine", context=context)).path
    code, err = check_says(path, capsys)
    assert code == 2 and "The lab network in this project was left out" in err and "bogus" in err
    opened = run_task(open_project_task(path, project_parts()))
    assert "lab_recipe" not in opened.objects() and len(opened.notices) == 1 and "bogus" in opened.notices[0]


def test_lab_runs_and_experiments_the_lab_could_not_show_are_left_out(tmp_path, capsys) -> None:
    good = {"val_accuracy": 0.8, "train_accuracy": 0.9, "val_size": 1000, "params": 10, "seconds": 1.0,
            "history": [{"loss": 0.5, "accuracy": 0.9}], "confusion": [[3, 1], [0, 4]]}
    runs = [good, {**good, "val_accuracy": "high"}, {**good, "confusion": [[1, 2], [3]]},
            {**good, "history": "lots"}, {**good, "params": None}]
    experiments = {"vanishing": {"experiment": "vanishing", "variants": [{"name": "relu"}]},
                   "bogus": {"experiment": "bogus", "variants": []}}
    hostile = part_project(tmp_path / "lab.deepmine", "lab", {"lab": {"runs": runs, "experiments": experiments},
                                                               "recipe": None})
    code, err = check_says(hostile, capsys)
    assert code == 2 and "4 lab run(s) of this project were left out" in err
    assert "2 guided experiment(s) of this project were left out" in err
    opened = run_task(open_project_task(hostile, project_parts()))
    lab = opened.objects()["lab"]
    assert lab["runs"] == [good] and lab["experiments"] == {}, "only what the Lab can show"
    assert len(opened.notices) == 2 and "val_accuracy is not what the lab writes there" in opened.notices[0]


def test_cli_info_lists_what_opening_would_change(tmp_path, capsys) -> None:
    from engine.cli.main import main

    hostile = part_project(tmp_path / "houses.deepmine", "houses", {"settings": {"max_depth": 99}, "models": None,
                                                                     "priced": [], "form": {}})
    assert main(["project", "info", str(hostile)]) == 0
    assert "on open: " in capsys.readouterr().out
    assert main(["project", "info", "--json", str(hostile)]) == 0
    out = capsys.readouterr().out
    problems = json.loads(out[out.index("{"):])["problems"]
    assert len(problems) == 1 and "max_depth 99 → 20" in problems[0]



# --- issue 23, second round: what a tester's hand-made files did --------------------------------
DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("where", ["manifest", "part", "part-rebuilt"])
def test_deeply_nested_json_is_refused_as_damage_not_a_traceback(tmp_path, capsys, where) -> None:
    """``[``×100000 made the decoder (and 900 levels made the rebuilding of plain data) exhaust
    Python's stack: a RecursionError's traceback, exit 1. Now the one line of other damage, exit 2."""
    path = tmp_path / "deep.deepmine"
    if where == "manifest":
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("manifest.json", DEEP)
    else:
        body = DEEP if where == "part" else b'{"result": ' + b"[" * 900 + b"]" * 900 + b"}"
        hand_made_project(path, {"parts/compare/part.json": body}, manifest=COMPARE)
    message = refused(path, tmp_path, "is damaged (it is nested too deeply); nothing was opened")
    assert "recursion" not in message
    code, err = check_says(path, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "nested too deeply" in err


def tables_project(tmp_path: Path, embed: bool) -> tuple[Path, dict, dict]:
    """A table mined with one small model, saved; its manifest and tables part as JSON, to tamper with."""
    from engine.tables.mining import MineSettings
    from test_project_tables import mined_session, save
    from test_tables_cli import write_messy_table

    session, _ = mined_session(write_messy_table(tmp_path / "房价.csv"), MineSettings(models=("tree",)))
    project = save(session, tmp_path / "lesson.deepmine", embed=embed)
    with zipfile.ZipFile(project) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        part = json.loads(zf.read("parts/tables/part.json"))
        files = {n: zf.read(n) for n in zf.namelist() if n.endswith(".parquet")}
    return project, {"parts": manifest["parts"]}, {"part": part, "files": files}


def tampered(tmp_path: Path, manifest: dict, saved: dict, name: str = "hostile.deepmine") -> Path:
    body = json.dumps(saved["part"]).encode("utf-8")
    return hand_made_project(tmp_path / name, {"parts/tables/part.json": body, **saved["files"]}, manifest=manifest)


@pytest.mark.parametrize("embed", [True, False], ids=["embedded", "referenced"])
def test_a_mining_whose_target_the_table_lacks_is_named_by_check_and_opening(tmp_path, capsys, embed) -> None:
    """check said "opens cleanly" and opening said only "The table has no column nope…"."""
    _, manifest, saved = tables_project(tmp_path, embed)
    saved["part"]["minings"][0]["choice"]["target"] = "nope"
    hostile = tampered(tmp_path, manifest, saved)
    code, err = check_says(hostile, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    message = refused(hostile, tmp_path, "hostile.deepmine: the part tables is damaged")
    for said in (err, message):
        assert "the column nope" in said and "nothing was opened" in said, said


def test_a_referenced_file_that_is_not_the_recorded_table_is_refused_by_check_too(tmp_path, capsys) -> None:
    """The path, size and sha256 name a real file, but its columns are not the record's: opening refused
    it ("a table does not match its description") while check said it opened cleanly."""
    _, manifest, saved = tables_project(tmp_path, embed=False)
    other = tmp_path / "other.csv"
    other.write_text("a,b\n" + "".join(f"{i},{i * 2}\n" for i in range(30)), encoding="utf-8")
    import hashlib

    record = saved["part"]["tables"][0]
    record.update(path=str(other), size=other.stat().st_size, sha256=hashlib.sha256(other.read_bytes()).hexdigest())
    hostile = tampered(tmp_path, manifest, saved)
    code, err = check_says(hostile, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "does not match its description" in err, err
    refused(hostile, tmp_path, "does not match its description")


def test_an_embedded_table_whose_columns_differ_from_its_record_is_refused_by_check(tmp_path, capsys) -> None:
    _, manifest, saved = tables_project(tmp_path, embed=True)
    record = saved["part"]["tables"][0]
    kinds = record["kinds"]
    first, second = record["columns"][:2]
    record["kinds"] = {**kinds, first: kinds[second], second: kinds[first]}  # a kind the file does not have
    assert record["kinds"] != kinds
    hostile = tampered(tmp_path, manifest, saved)
    code, err = check_says(hostile, capsys)
    assert code == 2 and "does not match its description" in err, err


@pytest.mark.parametrize("embed", [True, False], ids=["embedded", "referenced"])
def test_a_sound_tables_project_still_opens_cleanly(tmp_path, capsys, embed) -> None:
    """check now reads each table as opening does: a file nobody touched still passes, and check
    leaves nothing behind (its copy of an embedded table lives in a temporary folder it removes)."""
    project, _, _ = tables_project(tmp_path, embed)
    home = Path(os.environ["DEEPMINE_HOME"])
    before = files_under(tmp_path, home)
    code, err = check_says(project, capsys)
    assert code == 0, err
    assert files_under(tmp_path, home) == before


def test_a_part_of_a_newer_version_is_said_to_come_from_a_newer_app(tmp_path, capsys) -> None:
    path = hand_made_project(tmp_path / "newer.deepmine", PART,
                             manifest={"parts": {"compare": {"version": 9, "summary": ""}}})
    code, err = check_says(path, capsys)
    assert code == 2 and "made by a newer version of the app (part version 9" in err
    assert "does not know" not in err
    opened = run_task(open_project_task(path, project_parts()))
    assert len(opened.notices) == 1 and "made by a newer version of the app" in opened.notices[0]
    assert "it was left out" in opened.notices[0]


@pytest.mark.parametrize("entries, manifest, said", [
    ({"parts/compare/part.json": b'{"result": nope}'}, COMPARE, "it is not valid JSON at line 1, column 12"),
    ({"parts/compare/part.json": b'{"result": {}}'}, {**COMPARE, "format_version": "one"},
     "the field format_version is missing or not what the app writes there"),
    ({"parts/tables/part.json": b'{"tables": 3, "minings": []}'},
     {"parts": {"tables": {"version": 1, "summary": ""}}}, "the field tables is missing or not what the app writes"),
    ({"parts/tables/part.json": b'{"tables": [{"storage": "cloud"}], "minings": []}'},
     {"parts": {"tables": {"version": 1, "summary": ""}}}, "the field storage is missing or not what the app"),
    ({"parts/compare/part.json": b'{"result": {"preset": 5}}'}, COMPARE,
     "the field preset is missing or not what the app writes there"),
], ids=["bad-json", "manifest-field", "tables-field", "storage-field", "nested-field"])
def test_damage_reasons_are_sentences_not_raw_names(tmp_path, entries, manifest, said) -> None:
    path = hand_made_project(tmp_path / "bad.deepmine", entries, manifest=manifest)
    message = refused(path, tmp_path, said)
    assert "Expecting" not in message and "(tables)" not in message and "(storage)" not in message


def test_a_setting_of_the_wrong_kind_names_its_field(tmp_path) -> None:
    _, manifest, saved = tables_project(tmp_path, embed=True)
    saved["part"]["minings"][0]["settings"]["sizes"]["n_trees"] = "many"
    refused(tampered(tmp_path, manifest, saved), tmp_path,
            "the field settings.sizes.n_trees is missing or not what the app writes there")

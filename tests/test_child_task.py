"""Tasks in a child process: progress, result, errors, cancel and a dying child, as a caller sees them."""

from __future__ import annotations

import os
import time

import pytest

from engine.core.child_task import in_child_process
from engine.core.errors import Cancelled, DataError, DeepMineError
from engine.core.i18n import get_language, set_language
from engine.core.tasks import HEARTBEAT, CancelToken, run_task


def test_progress_and_result_come_back_from_another_process() -> None:
    from child_tasks import count_to

    seen = []
    pid, total = run_task(in_child_process(count_to, 5), seen.append)
    assert pid != os.getpid(), "the work ran in a child process"
    assert total == 15
    assert [p.data["i"] for p in seen] == [1, 2, 3, 4, 5], "every report arrives, in order, no heartbeats"


def test_the_child_speaks_the_callers_language() -> None:
    from child_tasks import count_to

    before = get_language()
    set_language("zh_CN")
    try:
        seen = []
        run_task(in_child_process(count_to, 1), seen.append)
    finally:
        set_language(before)
    assert seen[0].message == "已取消。"


def test_an_engine_error_keeps_its_message_and_parameters() -> None:
    from child_tasks import fail_with_data_error

    with pytest.raises(DataError) as caught:
        run_task(in_child_process(fail_with_data_error, "digits.idx"))
    assert caught.value.params["name"] == "digits.idx"
    assert "digits.idx" in str(caught.value) and "bad magic" in str(caught.value)


def test_cancel_stops_the_child_and_runs_its_cleanup(tmp_path) -> None:
    from child_tasks import write_marks_forever

    token = CancelToken()
    seen = []

    def progress(p) -> None:
        seen.append(p)
        if len(seen) == 3:
            token.cancel()

    with pytest.raises(Cancelled):
        run_task(in_child_process(write_marks_forever, str(tmp_path)), progress, token)
    assert (tmp_path / "closed").read_text() == "yes", "the child's finally block ran"
    marks = len(list(tmp_path.glob("mark-*")))
    time.sleep(0.5)
    assert len(list(tmp_path.glob("mark-*"))) == marks, "nothing runs on after the cancel"


def test_a_silent_child_still_lets_the_caller_cancel() -> None:
    from child_tasks import silent_for

    task = in_child_process(silent_for, 30)
    first = next(task)
    assert first.stage == HEARTBEAT, "while the child says nothing, the caller gets a chance to stop"
    started = time.monotonic()
    task.close()
    assert time.monotonic() - started < 10, "a child that does not answer is terminated"


def test_a_child_that_dies_is_an_error_not_a_hang() -> None:
    from child_tasks import die_abruptly

    with pytest.raises(DeepMineError) as caught:
        run_task(in_child_process(die_abruptly))
    assert "3" in str(caught.value), "the exit code is named"

"""The TensorFlow worker process (engine/worker): jobs run there and are seen here as ordinary
tasks — progress, result, errors with their parameters, cancel — and a dead worker is reported
and replaced. Tiny real jobs, no TensorFlow needed."""

from __future__ import annotations

import os

import pytest

from engine.core.errors import Cancelled, DataError
from engine.core.i18n import set_language
from engine.core.tasks import CancelToken, Progress, run_task
from engine.worker import WorkerDied, app_worker, in_worker
from tests.worker_jobs_for_tests import (count_to, die_abruptly, fail_with_data_error, pid_and_home, silent_for,
                                         unpicklable_result, write_marks_forever)


def test_a_job_reports_its_progress_in_order_and_returns_its_result_in_the_persons_language() -> None:
    seen: list[Progress] = []
    set_language("zh_CN")
    try:
        pid, total = run_task(in_worker(count_to, 5), seen.append)
    finally:
        set_language("en")
    assert total == 15 and pid != os.getpid(), "it ran in another process"
    assert [p.data["i"] for p in seen] == [1, 2, 3, 4, 5]
    assert seen[0].message == "已取消。", "the worker speaks the window's language"


def test_an_engine_error_arrives_with_its_parameters() -> None:
    with pytest.raises(DataError) as err:
        run_task(in_worker(fail_with_data_error, "digits.idx"))
    assert "digits.idx" in str(err.value) and "bad magic" in str(err.value)


def test_cancel_stops_the_job_at_its_next_step_and_its_cleanup_runs(tmp_path) -> None:
    token = CancelToken()
    marks: list[Progress] = []

    def progress(p: Progress) -> None:
        marks.append(p)
        if len(marks) == 3:
            token.cancel()

    with pytest.raises(Cancelled):
        run_task(in_worker(write_marks_forever, str(tmp_path)), progress, token)
    assert (tmp_path / "closed").read_text() == "yes", "the job's finally ran before the task returned"
    written = sorted(tmp_path.glob("mark-*"))
    assert 3 <= len(written) <= 5, "it stopped within a step or two of the cancel, not later"
    assert sorted(tmp_path.glob("mark-*")) == written, "and writes nothing after"


def test_a_silent_job_still_hears_cancel_through_heartbeats() -> None:
    task = in_worker(silent_for, 30)
    assert next(task).stage == "heartbeat", "nothing from the job yet, but the consumer gets a turn"
    task.close()  # returns: the consumer is never stuck behind a job that says nothing


def test_two_jobs_run_at_once_so_a_short_one_never_waits_for_a_long_one(tmp_path) -> None:
    long_job = in_worker(write_marks_forever, str(tmp_path))
    next(long_job)
    pid, _home = run_task(in_worker(pid_and_home))  # answered while the long job still runs
    assert pid == app_worker().pid
    long_job.close()
    assert (tmp_path / "closed").exists()


def test_jobs_see_the_callers_data_folder(deepmine_home) -> None:
    _pid, home = run_task(in_worker(pid_and_home))
    assert home == str(deepmine_home)


def test_a_result_that_cannot_be_sent_back_is_an_error_not_a_hang() -> None:
    with pytest.raises(RuntimeError, match="could not be sent back"):
        run_task(in_worker(unpicklable_result))


def test_a_worker_that_dies_is_reported_and_a_new_one_takes_the_next_job() -> None:
    first = run_task(in_worker(pid_and_home))[0]
    with pytest.raises(WorkerDied, match="exit code 3"):
        run_task(in_worker(die_abruptly))
    second = run_task(in_worker(pid_and_home))[0]
    assert second != first, "a fresh worker answered"


def test_stopping_the_worker_ends_its_process() -> None:
    worker = app_worker()
    run_task(in_worker(pid_and_home))
    pid = worker.pid
    worker.stop()
    assert not worker.is_running()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_program_that_used_the_worker_exits_and_takes_the_worker_with_it(tmp_path) -> None:
    """multiprocessing's own exit hook waits for non-daemon children: the worker is told to stop first."""
    import subprocess
    import sys

    from tests.helpers import ROOT

    script = ("from engine.core.tasks import run_task\nfrom engine.worker import in_worker\n"
              "from tests.worker_jobs_for_tests import pid_and_home\n"
              "if __name__ == '__main__':\n    print(run_task(in_worker(pid_and_home))[0])\n")
    (tmp_path / "uses_worker.py").write_text(script)
    result = subprocess.run([sys.executable, str(tmp_path / "uses_worker.py")], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    worker_pid = int(result.stdout.split()[-1])
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)

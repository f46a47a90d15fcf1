"""Reliability figures: the fault suite's score, a soak of 5,000 canvas and 5,000 house
predictions in one session (memory growth, latency drift), and how fast the app exits
when closed while training."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from bench.common import pendigits, percentiles, wait_until

ROOT = Path(__file__).resolve().parent.parent
SOAK = 5000


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def fault_suite(results: dict) -> None:
    """Run every fault scenario (all three files, one pytest run) and count them from the JUnit report."""
    # killed processes, disks, …; data integrity; its second round (issue 24)
    files = ("test_reliability.py", "test_integrity.py", "test_integrity_round2.py",
             "test_project_faults.py",  # hostile and damaged project files (issue 23)
             "test_table_export.py::TestHostileFiles")  # untrusted or damaged skops files, taken folders (issue 23)
    report = ROOT / "build" / "reliability-junit.xml"
    report.unlink(missing_ok=True)  # a stale report must not be counted if this run fails to write one
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    *(str(ROOT / "tests" / name) for name in files), f"--junitxml={report}"],
                   cwd=ROOT, capture_output=True, timeout=3600)
    root = ET.parse(report).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    total = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get(k, 0)) for s in suites for k in ("failures", "errors", "skipped"))
    results["reliability.faults_total"] = total
    results["reliability.faults_passed"] = total - failed


def soak(results: dict) -> None:
    from PySide6.QtWidgets import QApplication

    from bench.gui_digits import draw_and_wait, open_window, prediction_counter
    from gui.common.automation import SEVEN

    app, window = open_window()
    digit_shown = prediction_counter(window)
    digits = pendigits() or []
    strokes = [d.strokes for d in digits] or [SEVEN]
    latencies = []
    rss_start = None
    for i in range(SOAK + 200):
        if i == 200:  # after warm-up: caches, first plots, lazily built things
            rss_start = rss_mb()
        latency = draw_and_wait(app, window, digit_shown, strokes[i % len(strokes)])
        latencies.append(latency if latency is not None else 5000.0)  # a missed label counts as the timeout
        if i % 20 == 0:
            QApplication.processEvents()  # let plots redraw as they would between drawings

    house = window.house_tab
    window.tabs.setCurrentWidget(house)
    house.start_background_work()
    wait_until(app, lambda: house.models is not None, 300)
    shown: list[float] = []
    house.predictionShown.connect(lambda: shown.append(1))
    rm = house.inputs["RM"]
    house_latencies = []
    for i in range(SOAK):
        before = len(shown)
        started = time.perf_counter()
        rm.setValue(4.0 + (i % 450) / 100)
        while len(shown) == before and time.perf_counter() - started < 2:
            QApplication.processEvents()
        house_latencies.append((time.perf_counter() - started) * 1000)
    for _ in range(50):
        QApplication.processEvents()
        time.sleep(0.002)
    rss_end = rss_mb()
    start_p95 = percentiles(latencies[200:700], 95)[0]
    end_p95 = percentiles(latencies[-500:], 95)[0]
    results["memory.rss_growth_mb"] = round(rss_end - rss_start, 1)
    results["soak.canvas_predictions"] = SOAK
    results["soak.house_predictions"] = SOAK
    results["gui.canvas_latency_ms.p95.soak_start"] = start_p95
    results["gui.canvas_latency_ms.p95.soak_end"] = end_p95
    results["soak.canvas_latency_drift_pct"] = round((end_p95 - start_p95) / start_p95 * 100, 1)
    results["soak.house_latency_ms.p95.start"] = percentiles(house_latencies[:500], 95)[0]
    results["soak.house_latency_ms.p95.end"] = percentiles(house_latencies[-500:], 95)[0]
    results["soak.sessions_entries"] = len(window.session.digits) + len(window.session.houses)
    window.close()
    app.processEvents()


def exit_while_training(results: dict) -> None:
    """The fault suite's scenario (``bench.scenarios.close_while_training``), timed."""
    import tempfile

    # an empty data dir, offline: the app loads the shipped model, starts a training and the
    # window closes at its first batch
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               DEEPMINE_HOME=tempfile.mkdtemp(prefix="deepmine-exit-"))
    code = "from bench.scenarios import close_while_training; close_while_training()"
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    closed_at = None
    for line in proc.stdout:
        if line.startswith("closing"):
            closed_at = float(line.split()[1])
            break
    proc.wait(60)
    if closed_at is not None:
        results["reliability.exit_seconds_while_training"] = round(time.time() - closed_at, 2)


def run(results: dict) -> None:
    fault_suite(results)
    exit_while_training(results)
    soak(results)

"""The background jobs' scheduler: one run of a job at a time, without a warning each time
an interval comes round while a long run is still working."""

import logging
import threading
import time

from bot.scheduler import Jobs, RunStillGoing


def test_a_long_run_is_not_reported_each_interval_it_outlasts(caplog):
    release = threading.Event()
    runs = []

    def long_delivery():
        runs.append(time.monotonic())
        release.wait(5)

    jobs = Jobs({"deliver_slack": (long_delivery, 0.05)})
    caplog.set_level(logging.DEBUG, logger="apscheduler")
    jobs.start()
    try:
        deadline = time.monotonic() + 5
        while not runs and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.4)  # about eight intervals come round while the first run works
    finally:
        release.set()
        jobs.shutdown()
    assert len(runs) >= 1
    scheduler_lines = [r.getMessage() for r in caplog.records if r.name == "apscheduler.scheduler"]
    assert scheduler_lines, "the scheduler's own lines still reach the handlers"
    assert not [line for line in scheduler_lines if "maximum number of running" in line]


def test_only_that_warning_is_dropped():
    quiet = RunStillGoing()

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("apscheduler.scheduler", logging.WARNING, __file__, 1,
                                 message, None, None)

    assert not quiet.filter(record('Execution of job "x" skipped: maximum number of '
                                   'running instances reached (1)'))
    assert quiet.filter(record('Run time of job "x" was missed by 0:00:03'))

"""Background jobs (APScheduler 3, in memory in each process): poll X, deliver to Slack
and X, sweep the response-time targets. The database decides who does what, so several
processes can run these safely.

``kick()`` asks the delivery jobs to run now (after a click), instead of waiting for
their next interval; a kick that arrives while a job runs makes it go round once more.

Example::

    jobs = Jobs({"poll_x": (poller.poll, 60), "deliver_slack": (sync.deliver_due, 5)})
    jobs.start(); jobs.kick(); jobs.shutdown()
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.events import EVENT_JOB_MAX_INSTANCES
from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)

DELIVERY_INTERVAL_SECONDS = 5
SWEEP_INTERVAL_SECONDS = 30
MAX_ROUNDS_PER_RUN = 20
KICK_RETRY_SECONDS = 0.02


class RunStillGoing(logging.Filter):
    """APScheduler warns each time an interval comes round while the job's previous run is
    still working. One run at a time is the design (a long delivery run is working, not
    stuck), so that line is dropped; every other scheduler warning passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in str(record.msg)


def _quiet_runs_still_going() -> None:
    scheduler_log = logging.getLogger("apscheduler.scheduler")
    if not any(isinstance(f, RunStillGoing) for f in scheduler_log.filters):
        scheduler_log.addFilter(RunStillGoing())


class _Job:
    def __init__(self, name: str, work: Callable[[], object]) -> None:
        self.name = name
        self.work = work
        self.again = threading.Event()
        self.running = threading.Event()

    def __call__(self) -> None:
        for _ in range(2):
            self.running.set()
            try:
                self._rounds()
            finally:
                self.running.clear()
            # A kick that came after the last round began but saw this job running was
            # not scheduled: its round is run here rather than at the next interval.
            if not self.again.is_set():
                return

    def _rounds(self) -> None:
        for _ in range(MAX_ROUNDS_PER_RUN):
            self.again.clear()
            try:
                self.work()
            except Exception:
                log.exception("job %s failed; it runs again at its next interval", self.name)
                return
            if not self.again.is_set():
                return


class Jobs:
    """``work`` maps a job name to (what to run, interval in seconds); all start at once."""

    def __init__(self, work: dict[str, tuple[Callable[[], object], float]]) -> None:
        _quiet_runs_still_going()
        self.scheduler = BackgroundScheduler(timezone=UTC)
        self.jobs = {name: _Job(name, fn) for name, (fn, _) in work.items()}
        for name, (_, seconds) in work.items():
            self.scheduler.add_job(self.jobs[name], "interval", seconds=seconds, id=name,
                                   max_instances=1, coalesce=True,
                                   next_run_time=datetime.now(UTC), misfire_grace_time=None)
        self.scheduler.add_listener(self._kick_skipped, EVENT_JOB_MAX_INSTANCES)

    def _kick_skipped(self, event) -> None:
        """A kicked run that found the previous run still returning was skipped (one
        instance at a time): run it a moment later rather than at the next interval."""
        job = self.jobs.get(event.job_id)
        if job is not None and job.again.is_set():
            retry = threading.Timer(KICK_RETRY_SECONDS, self.kick, args=(event.job_id,))
            retry.daemon = True
            retry.start()

    def add(self, name: str, work: Callable[[], object], *, seconds: float) -> None:
        self.jobs[name] = _Job(name, work)
        self.scheduler.add_job(self.jobs[name], "interval", seconds=seconds, id=name,
                               max_instances=1, coalesce=True, misfire_grace_time=None)

    def start(self) -> None:
        self.scheduler.start()

    def kick(self, *names: str) -> None:
        for name in names or ("deliver_slack", "deliver_x"):
            job = self.jobs[name]
            job.again.set()
            if self.scheduler.running and not job.running.is_set():
                try:
                    self.scheduler.modify_job(name, next_run_time=datetime.now(UTC))
                except Exception:  # noqa: BLE001 - shutting down
                    pass

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)

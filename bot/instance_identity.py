"""This process's instance identity: the id it acts under, claimed at start and kept alive
by a heartbeat job, so a restarted process takes its own leases back at once while two live
processes never share an id (see README, Instance identity).

Example::

    instances, me, heartbeat = claim_instance(db=db, instance_id="desk-1", clock=clock,
                                              on_lost=stop)
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable
from datetime import datetime

from storage.coordination import Holder, Instances, Process
from storage.db import Database

log = logging.getLogger("care_desk")

INSTANCE_HEARTBEAT_SECONDS = 15
INSTANCE_STALE_SECONDS = 60  # a holder silent this long is dead, wherever it runs


class InstanceClash(Exception):
    """Another live process already acts under this instance id."""

    def __init__(self, *, instance_id: str, holder: Holder) -> None:
        super().__init__(f"instance {instance_id!r} is held by pid {holder.pid} on {holder.host}")
        self.instance_id = instance_id
        self.holder = holder


def claim_instance(*, db: Database, instance_id: str, clock: Callable[[], datetime],
                   on_lost: Callable[[], None]) -> tuple[Instances, Process, Callable[[], None]]:
    """Act under ``instance_id`` (raises InstanceClash if a live process does); returns the
    heartbeat job, which calls ``on_lost`` once another process has taken the id over."""
    instances = Instances(db, stale_seconds=INSTANCE_STALE_SECONDS)
    me = Process(host=socket.gethostname()[:255], pid=os.getpid(),
                 boot_token=secrets.token_hex(16))
    holder = instances.claim(instance_id=instance_id, me=me, now=clock())
    if holder is not None:
        raise InstanceClash(instance_id=instance_id, holder=holder)

    def heartbeat() -> None:
        if not instances.beat(instance_id=instance_id, me=me, now=clock()):
            log.error("another process took over instance %r; this one stops", instance_id)
            on_lost()

    return instances, me, heartbeat

"""Who is a team lead: user ids, plus members of user groups (S...), cached briefly.

Example::

    leads = LeadDirectory(lead_ids=("U1", "S9"), members_of=slack_out.usergroup_members)
    leads.is_lead("U1")  # True
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class LeadDirectory:
    def __init__(self, *, lead_ids: tuple[str, ...], members_of: Callable[[str], list[str]],
                 ttl_seconds: float = 60.0) -> None:
        self.lead_ids = lead_ids
        self._members_of = members_of
        self._ttl = ttl_seconds
        self._cache: tuple[float, frozenset[str]] | None = None
        self._lock = threading.Lock()

    def is_lead(self, user_id: str) -> bool:
        return user_id in self._resolve()

    def _resolve(self) -> frozenset[str]:
        with self._lock:
            if self._cache and time.monotonic() - self._cache[0] < self._ttl:
                return self._cache[1]
        users = {i for i in self.lead_ids if not i.startswith("S")}
        for group in (i for i in self.lead_ids if i.startswith("S")):
            try:
                users.update(self._members_of(group))
            except Exception as exc:  # noqa: BLE001 - Slack unreachable: fall back to ids
                log.warning("could not read members of user group %s: %s", group,
                            type(exc).__name__)
        resolved = frozenset(users)
        with self._lock:
            self._cache = (time.monotonic(), resolved)
        return resolved

    def mention_list(self) -> str:
        return ", ".join(f"<!subteam^{i}>" if i.startswith("S") else f"<@{i}>"
                         for i in self.lead_ids)

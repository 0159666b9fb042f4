"""The Home tab: an agent's open cases and the queue; a lead's view of the queue's health.

Published when a user opens the tab, then again at most once a minute (the refresh job)
for users who opened it in the last hour, and only when what they would see changed.

Example::

    home = HomeTab(reports=Reports(db), policy=policy, clock=clock, slack=slack,
                   is_lead=leads.is_lead)
    home.publish("U1")
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.domain.sla import SlaPolicy
from bot.render import home
from bot.services.queue_report import response_stats
from bot.slack_out import SlackOut
from storage.reports import Reports

WATCH_FOR = timedelta(hours=1)


class HomeTab:
    def __init__(self, *, reports: Reports, policy: SlaPolicy, clock: Callable[[], datetime],
                 slack: SlackOut, is_lead: Callable[[str], bool],
                 more_sections: Callable[..., list] | None = None) -> None:
        self.reports = reports
        self.policy = policy
        self.clock = clock
        self.slack = slack
        self.is_lead = is_lead
        self.more_sections = more_sections
        """More of the tab after the queue (the saved replies): ``(user_id, page=, notice=)``
        -> a section's blocks."""
        self._seen: dict[str, tuple[datetime, list]] = {}  # user -> (opened at, last blocks)
        self._lock = threading.Lock()

    def view(self, user_id: str, *, page: int = 0, notice: str | None = None) -> dict:
        now = self.clock()
        tz = self.policy.hours.tz
        day_start = now.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
        snapshot = self.reports.queue(now=now, day_start=day_start)
        risky, at_risk = self.reports.at_risk(now=now, limit=home.CASES_SHOWN)
        sections = [home.queue_section(snapshot=snapshot, at_risk=at_risk)]
        if self.is_lead(user_id):
            sections += [
                home.first_response_section(
                    stats=response_stats(snapshot.first_responses_today, self.policy)),
                home.agents_load_section(per_agent=snapshot.per_agent),
                home.waiting_section(lines=risky, total=at_risk, now=now, tz=tz)]
        else:
            lines, total = self.reports.mine(user_id=user_id, limit=home.CASES_SHOWN)
            sections.insert(0, home.my_cases_section(lines=lines, total=total, now=now, tz=tz))
        if self.more_sections is not None:
            sections.append(self.more_sections(user_id, page=page, notice=notice))
        return home.home_view(sections)

    def publish(self, user_id: str, *, page: int = 0, notice: str | None = None) -> None:
        """The user opened the tab (or changed something on it): show it now and keep it
        fresh for a while."""
        view = self.view(user_id, page=page, notice=notice)
        self.slack.publish_home(user_id=user_id, view=view)
        with self._lock:
            self._seen[user_id] = (self.clock(), view["blocks"])

    def refresh(self) -> int:
        """Publish again for recent viewers whose tab would change; returns how many."""
        now = self.clock()
        with self._lock:
            for user in [u for u, (at, _) in self._seen.items() if now - at > WATCH_FOR]:
                del self._seen[user]
            watched = {user: blocks for user, (_, blocks) in self._seen.items()}
        published = 0
        for user, shown in watched.items():
            view = self.view(user)
            if view["blocks"] == shown:
                continue
            self.slack.publish_home(user_id=user, view=view)
            published += 1
            with self._lock:
                if user in self._seen:
                    self._seen[user] = (self._seen[user][0], view["blocks"])
        return published

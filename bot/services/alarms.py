"""Alarms about listening itself: polling that fails, and mentions that stop arriving.

When polling X fails for a reason a person must fix (credentials refused, credits
depleted, the monthly usage cap reached) the channel is told once, with the error
and what to do, and told again when polling works again. When no mention has
arrived for CARE_SILENCE_ALERT_HOURS of office hours, the channel is told once too.
The state is shared by all instances (compare-and-set), so each alarm is posted once.

Example::

    alarms = Alarms(state=SharedState(db), channel_posts=ChannelPosts(db), channel="C1",
                    hours=office_hours, silence_hours=6, leads=leads, clock=clock)
    alarms.poll_failed(source="mentions", error=exc)
    alarms.poll_succeeded(source="mentions", posts=3)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.domain.office_hours import OfficeHours
from bot.render import alarm_text
from bot.services.leads import LeadDirectory
from bot.x.client import XError, XRateLimited, XRejected
from storage.channel_posts import ChannelPosts
from storage.screening import SharedState

STATE = "alarms"


def needs_a_person(error: XError) -> str | None:
    """What a person must do about ``error``, or None for a passing fault."""
    reason = error.reason.lower()
    if isinstance(error, XRejected):
        if error.status == 401:
            return alarm_text.FIX_CREDENTIALS
        if error.status == 402 or "credit" in reason:
            return alarm_text.FIX_CREDITS
        if error.status == 403:
            return alarm_text.FIX_ACCESS
    if isinstance(error, XRateLimited) and ("usagecap" in reason or "usage cap" in reason):
        return alarm_text.FIX_CAP
    return None


class Alarms:
    def __init__(self, *, state: SharedState, channel_posts: ChannelPosts, channel: str,
                 hours: OfficeHours, silence_hours: float, leads: LeadDirectory,
                 clock: Callable[[], datetime], kick: Callable[[], None] = lambda: None) -> None:
        self.kick = kick
        self.state = state
        self.channel_posts = channel_posts
        self.channel = channel
        self.hours = hours
        self.silence_hours = silence_hours
        self.leads = leads
        self.clock = clock

    def poll_failed(self, *, source: str, error: XError) -> None:
        fix = needs_a_person(error)
        if fix is None:
            return
        self._change(lambda s: None if s.get(f"error:{source}") else {
            **s, f"error:{source}": error.reason},
            alarm_text.poll_failed(source=source, reason=error.reason, fix=fix,
                                   leads=self.leads.mention_list()))

    def poll_succeeded(self, *, source: str, posts: int) -> None:
        now = self.clock()
        state, _ = self.state.get(STATE)
        state = state or {}
        if state.get(f"error:{source}"):
            self._change(lambda s: {k: v for k, v in s.items() if k != f"error:{source}"}
                         if s.get(f"error:{source}") else None,
                         alarm_text.poll_recovered(source=source))
        if source != "mentions":
            return
        if posts:
            if state.get("silent"):
                self._change(lambda s: {**s, "silent": False, "last_post_at": now.isoformat()}
                             if s.get("silent") else None, alarm_text.SILENCE_OVER)
            elif state.get("last_post_at", "") < now.isoformat():
                self._change(lambda s: {**s, "last_post_at": now.isoformat()}, None)
            return
        self._check_silence(state, now)

    def _check_silence(self, state: dict, now: datetime) -> None:
        if not self.silence_hours or state.get("silent") or not self.hours.is_open(now):
            return
        last = state.get("last_post_at")
        if last is None:
            self._change(lambda s: {**s, "last_post_at": now.isoformat()}
                         if not s.get("last_post_at") else None, None)
            return
        quiet = self.hours.business_minutes_between(datetime.fromisoformat(last), now)
        if quiet >= self.silence_hours * 60:
            self._change(lambda s: None if s.get("silent") else {**s, "silent": True},
                         alarm_text.silence(hours=self.silence_hours,
                                            leads=self.leads.mention_list()))

    def _change(self, update: Callable[[dict], dict | None], message: str | None) -> bool:
        """Apply ``update`` (None: nothing to do) with compare-and-set; the winner posts."""
        now = self.clock()
        for _ in range(10):
            state, version = self.state.get(STATE)
            new = update(state or {})
            if new is None:
                return False
            if self.state.compare_and_set(STATE, value=new, version=version, now=now):
                if message:
                    self.channel_posts.queue(channel=self.channel, text=message, now=now)
                    self.kick()
                return True
        return False

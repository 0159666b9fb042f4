"""Where an inbound post or DM goes: into its conversation's case, or a new case.

A customer's reply to our reply, another post of theirs in the same X conversation,
or a DM from a customer with an open case lands in that case's thread (never twice:
posts are unique by id). It reopens a case closed within ``reopen_days`` and restarts
the response clock. Posts by other people in the conversation are shown as such.
A returning customer's new case names the agent who helped them last, and with
sticky assignment goes straight to that agent.

Example::

    intake = Intake(store=store, policy=policy, clock=clock, reopen_days=7)
    intake.receive(post, origin="mention")   # "opened", "followup" or "seen"
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.domain.case import WAITING_ON_US, Action, CaseState
from bot.domain.model import Case, CustomerHistory, InboundPost
from bot.domain.routes import post_language
from bot.domain.sla import SlaPolicy
from bot.domain.topics import topic_key
from bot.domain.transition import (
    MarkMovedToDm,
    SetAssignee,
    SetClosedAt,
    SetCloseReason,
    StartClock,
    Step,
)
from bot.domain.triage import Lane
from bot.render import conversation_text, long_text
from bot.services.crisis_watch import CrisisWatch
from bot.services.praise import PraiseLane
from bot.services.quarantine import Quarantine, describe
from bot.services.routing import Placement, RouteDesk
from bot.services.screening import Screening, Verdict
from bot.services.sla_clock import start_clock
from storage.cases import SYSTEM, CaseStore
from storage.channel_posts import ChannelPosts
from storage.coordination import Cursors
from storage.openings import Opening, PageLookup
from storage.screening import FilteredPosts

log = logging.getLogger(__name__)

URL = re.compile(r"https?://\S+")
DIGEST_MEMORY_SECONDS = 5.0
FIRST_RUN = "desk_first_run"


def first_run(cursors: Cursors, *, now: datetime) -> datetime:
    """When the desk first ran on this database (stored at the first start)."""
    stored = cursors.get(FIRST_RUN)
    if stored:
        return datetime.fromisoformat(stored)
    cursors.set(FIRST_RUN, now.isoformat(), now=now)
    return now


def clock_start(*, posted_at: datetime, now: datetime, desk_since: datetime | None) -> datetime:
    """The response clock runs from when the customer posted, never from the future and
    never from before the desk first ran (a backfilled old post starts at that moment)."""
    start = min(posted_at, now)
    return max(start, desk_since) if desk_since is not None and desk_since <= now else start


@dataclass(frozen=True)
class PagePost:
    """A post of a page from X, where it came from, and what X sent for it."""

    post: InboundPost
    origin: str = "mention"
    raw: object = None


class Ratings(Protocol):
    """Satisfaction ratings given by DM (bot/services/csat.py)."""

    def could_be_rating(self, post: InboundPost) -> bool: ...

    def take_rating(self, post: InboundPost) -> bool: ...


@dataclass(frozen=True)
class Routing:
    reopen_days: int = 7
    sticky_assign: bool = False
    sticky_days: int = 30


class Intake:
    def __init__(self, *, store: CaseStore, policy: SlaPolicy, channel: str,
                 clock: Callable[[], datetime], screening: Screening, filtered: FilteredPosts,
                 routing: Routing = Routing(), quiet: QuietLog | None = None,
                 crisis: CrisisWatch | None = None,
                 desk_since: datetime | None = None,
                 quarantine: Quarantine | None = None,
                 praise: PraiseLane | None = None,
                 routes: RouteDesk | None = None,
                 ratings: Ratings | None = None) -> None:
        self.ratings = ratings
        self.praise = praise
        self.routes = routes
        self.crisis = crisis
        self.quarantine = quarantine
        self.desk_since = desk_since
        self._digests: dict[tuple, tuple[int, float]] = {}  # (topic, since, route) -> (case, when)
        self.store = store
        self.screening = screening
        self.filtered = filtered
        self.quiet = quiet
        self.policy = policy
        self.channel = channel
        self.clock = clock
        self.routing = routing

    def receive(self, post: InboundPost, *, origin: str = "mention") -> str:
        """Route one post: "opened", "followup", "filtered", "praise", "rated" (a DM that
        rates the customer's last case) or "seen" (already handled)."""
        now = self.clock()
        gated = self.screening.gate(post)
        seen, case = self.store.conversation_of(
            post=post, closed_since=now - timedelta(days=self.routing.reopen_days))
        if seen:
            return "seen"
        if self.ratings is not None and self.ratings.take_rating(post):
            return "rated"
        if gated is not None:
            return self._filter(post, origin, gated, now)
        if case is not None:
            return "followup" if self._follow_up(case, post, now) else "seen"
        verdict = self.screening.screen(post, origin=origin)
        if not verdict.case and self.praise is not None and _praise_lane(verdict):
            return self.praise.keep(post, origin=origin, reason=verdict.reason)
        if not verdict.case:
            return self._filter(post, origin, verdict, now)
        fields = verdict.fields()
        mode = self.crisis.mode() if self.crisis is not None else None
        place = self._placement(post, verdict)
        if mode is not None and mode.active and post.kind == "post":
            key = topic_key(text=post.text, urls=URL.findall(post.text), focus=mode.focus)
            digest = self._digest_case(key, mode.since, route=place.route)
            if digest is not None:
                grouped = self.filtered.group(post=post, origin=origin, now=now,
                                              kind=fields.get("kind"), case_id=digest)
                return "grouped" if grouped else "seen"
            fields["topic_key"] = key
        return "opened" if self._open(post, now, origin, fields, place) else "seen"

    def receive_page(self, page: list[PagePost]) -> list[str]:
        """Route a page of posts, in one transaction for the posts that open new cases.

        A post that opens a case for a conversation (and customer) the page shows only
        once is triaged here, and all such cases are stored together. Every other post
        (a follow-up, a filtered post, one in crisis mode, one seen earlier in the page)
        goes through :meth:`receive_isolated` afterwards, in page order. If the page's
        transaction fails, nothing of it is stored and each post is routed on its own,
        so a poison post is still quarantined alone. Returns the outcome of each post.
        """
        try:
            routed = self._open_page(page)
        except Exception:  # noqa: BLE001 - the posts are routed one by one instead
            log.warning("storing a page of %d posts at once failed; storing them one by one",
                        len(page), exc_info=True)
            routed = {}
        return [routed.get(index) or self.receive_isolated(item.post, origin=item.origin,
                                                           raw=item.raw)
                for index, item in enumerate(page)]

    def _open_page(self, page: list[PagePost]) -> dict[int, str]:
        """The new cases of the page, stored together: page index -> "opened" or "seen"."""
        now = self.clock()
        mode = self.crisis.mode() if self.crisis is not None else None
        digesting = mode is not None and mode.active
        openers: dict[int, tuple[PagePost, dict, Placement]] = {}
        met: set[tuple[str, str]] = set()
        for index, item in enumerate(page):
            post = item.post
            keys = {("post", post.id), ("author", post.author.id)}
            if post.conversation_id:
                keys.add(("conversation", post.conversation_id))
            alone = not keys & met
            met |= keys
            if not alone or (digesting and post.kind == "post"):
                continue
            if self.ratings is not None and self.ratings.could_be_rating(post):
                continue  # maybe the answer to a rating question: see receive()
            try:
                verdict = self.screening.gate(post) or \
                    self.screening.screen(post, origin=item.origin)
            except Exception:  # noqa: BLE001 - routed (and quarantined) on its own
                continue
            if verdict.case:
                openers[index] = (item, verdict.fields(), self._placement(post, verdict))
        if not openers:
            return {}

        def plan(lookup: PageLookup) -> list[Opening]:
            taken = lookup.stored | lookup.following_up
            return [self._opening(item.post, origin=item.origin, triage=triage, now=now,
                                  history=lookup.histories.get(item.post.author.id,
                                                               CustomerHistory()),
                                  place=place)
                    for item, triage, place in openers.values()
                    if item.post.id not in taken]

        lookup, opened = self.store.open_page(
            posts=[item.post for item, _, _ in openers.values()], channel=self.channel,
            now=now, closed_since=now - timedelta(days=self.routing.reopen_days), plan=plan)
        return {index: "opened" if item.post.id in opened else "seen"
                for index, (item, _, _) in openers.items()
                if item.post.id in opened or item.post.id in lookup.stored}

    def receive_isolated(self, post: InboundPost, *, origin: str, raw: object) -> str:
        """``receive``, except that a post which cannot be triaged or stored is
        quarantined (``raw``: what X sent) and skipped: "quarantined"."""
        if self.quarantine is None:
            return self.receive(post, origin=origin)
        try:
            return self.receive(post, origin=origin)
        except Exception as exc:  # noqa: BLE001 - one post must not stop the others
            held = self.quarantine.hold(post_id=post.id, origin=origin, raw=raw,
                                        error=describe(exc))
            return "quarantined" if held else "seen"

    def set_aside(self, *, post_id: str | None, origin: str, raw: object, error: str) -> bool:
        """Quarantine an object X sent that could not even be read as a post."""
        if self.quarantine is None:
            log.warning("skipped an unreadable post object from X: %s", error)
            return False
        return self.quarantine.hold(post_id=post_id, origin=origin, raw=raw, error=error)

    def _digest_case(self, key: str, since: datetime | None, *,
                     route: str | None) -> int | None:
        """The digest case of a topic in the post's route (each route its own, in its
        channel), remembered for a few seconds (a burst asks for it with every post)."""
        cached = self._digests.get((key, since, route))
        if cached and time.monotonic() - cached[1] < DIGEST_MEMORY_SECONDS:
            return cached[0]
        digest = self.store.digest_case(topic_key=key, since=since, route=route)
        if digest is not None:
            self._digests[(key, since, route)] = (digest, time.monotonic())
        return digest

    def open_filtered(self, post: InboundPost, *, origin: str, by: str) -> int | None:
        """Make a case of a filtered post (the **Make it a case** button)."""
        verdict = self.screening.screen(post, origin=origin)
        now = self.clock()
        place = self._placement(post, verdict)
        clock = start_clock(place.policy, start=now, minutes=place.policy.first_minutes)
        case_id = self.store.open_case(
            post=post, channel=place.channel, now=now, clock=clock, origin=origin,
            route=place.route,
            public_reply_allowed=origin != "search", triage=verdict.fields(),
            brand_id=self.screening.brand()[0], continuation=_continuation(post),
            note=conversation_text.made_case(by=by, reason=verdict.reason))
        if case_id is not None:
            self.filtered.mark_case(post_id=post.id, case_id=case_id)
        return case_id

    def _filter(self, post: InboundPost, origin: str, verdict: Verdict, now: datetime) -> str:
        if self.filtered.add(post=post, origin=origin, kind=verdict.triage.kind.value
                             if verdict.triage else None, reason=verdict.reason, now=now) \
                and self.quiet is not None:
            self.quiet.log(post=post, reason=verdict.reason, now=now)
        return "filtered"

    def _follow_up(self, case: Case, post: InboundPost, now: datetime) -> bool:
        from_customer = post.author.id == case.customer.id
        note = conversation_text.inbound(post, from_customer=from_customer)
        dm_flag = (MarkMovedToDm(),) if post.kind == "dm" else ()
        if not from_customer or case.state in WAITING_ON_US:
            return self.store.attach_post(case_id=case.id, post=post, from_customer=from_customer,
                                          now=now, note=note, effects=dm_flag)
        start = clock_start(posted_at=post.created_at, now=now, desk_since=self.desk_since)
        policy = self._policy_of(case)
        clock = start_clock(policy, start=start, minutes=policy.followup_minutes)
        if case.state is CaseState.REPLIED and case.assignee_id:
            action, effects = Action.FOLLOWUP_ASSIGNED, ()
        else:
            action = Action.FOLLOWUP
            effects = (SetAssignee(None), SetCloseReason(None), SetClosedAt(None))
            if case.assignee_id and case.state is not CaseState.REPLIED:
                note += "\n" + conversation_text.previous_agent(case.assignee_id)
        step = Step(action=action, actor=SYSTEM,
                    effects=(*effects, *dm_flag, StartClock(clock)))
        return self.store.attach_post(case_id=case.id, post=post, from_customer=True, now=now,
                                      note=note, step=step)

    def _placement(self, post: InboundPost, verdict: Verdict) -> Placement:
        """The route, channel and response policy of a new case for ``post``."""
        if self.routes is None:
            return Placement(route=None, channel=self.channel, policy=self.policy)
        t = verdict.triage
        return self.routes.place(
            text=post.text, kind=t.kind.value if t else None,
            priority=t.priority.value if t else None,
            language=post_language(x_lang=post.lang, guessed=t.language if t else None))

    def _policy_of(self, case: Case) -> SlaPolicy:
        return self.routes.policy_of(case.route) if self.routes is not None else self.policy

    def _open(self, post: InboundPost, now: datetime, origin: str, triage: dict,
              place: Placement) -> bool:
        history = self.store.history(customer_id=post.author.id)
        opening = self._opening(post, origin=origin, triage=triage, history=history, now=now,
                                place=place)
        return self.store.open_case(channel=place.channel, now=now,
                                    **opening.arguments()) is not None

    def _opening(self, post: InboundPost, *, origin: str, triage: dict,
                 history: CustomerHistory, now: datetime, place: Placement) -> Opening:
        """The new case of ``post``: its clock, and for a returning customer the note
        (and with sticky assignment the agent) of their last case."""
        assignee, note = None, None
        if history.earlier_cases and history.last_agent_id:
            recent = history.last_case_at and \
                history.last_case_at >= now - timedelta(days=self.routing.sticky_days)
            if self.routing.sticky_assign and recent:
                assignee = history.last_agent_id
            note = conversation_text.returning(history, now=now, assigned=assignee is not None)
        start = clock_start(posted_at=post.created_at, now=now, desk_since=self.desk_since)
        clock = start_clock(place.policy, start=start, minutes=place.policy.first_minutes)
        return Opening(post=post, clock=clock, origin=origin, assignee_id=assignee, note=note,
                       continuation=_continuation(post),
                       public_reply_allowed=origin != "search", triage=triage,
                       brand_id=self.screening.brand()[0], route=place.route,
                       channel=place.channel)


def _praise_lane(verdict: Verdict) -> bool:
    """Praise that asks nothing: kept for the praise digest, neither a case nor filtered."""
    return verdict.triage is not None and verdict.triage.lane is Lane.PRAISE


def _continuation(post: InboundPost) -> tuple[list, str] | None:
    """The thread message with the rest of a post too long for the parent, if any."""
    rest = long_text.quoted_pieces(post.text)[1]
    return long_text.continuation(rest) if rest else None


class QuietLog:
    """Filtered posts in compact form in CARE_QUIET_CHANNEL_ID, for those who want to see."""

    def __init__(self, *, channel_posts: ChannelPosts, channel: str) -> None:
        self.channel_posts = channel_posts
        self.channel = channel

    def log(self, *, post: InboundPost, reason: str, now: datetime) -> None:
        self.channel_posts.queue(channel=self.channel, now=now,
                                 text=conversation_text.filtered_line(post, reason))

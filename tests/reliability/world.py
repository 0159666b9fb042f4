"""Shared pieces of the reliability tests: the fakes, a read-only view of the database,
an agent "driver" that works cases through signed Slack requests, and the final count.

The count looks only at what the outside world shows: the parent messages FakeSlack holds
(by their ``care_case`` metadata), the replies FakeX holds, and the receipts in each
thread. The database is read to learn which cases exist and which drafts were approved.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import create_engine, func, inspect, select, update
from sqlalchemy.engine import Engine

from bot.render.ids import ActionId, BlockId, CaseRef, InputId, ViewId
from sandbox.fake_slack import FakeSlack
from sandbox.fake_x import FakeX
from sandbox.slack_requests import SignedSlackRequests
from storage.db import Database
from storage.models import Base, CaseRow, DraftRow, LeaseRow, OutboundRow, SlackOutboxRow
from tests.scenario.harness import AGENT, CHANNEL, LEAD, SECRETS, SIGNING_SECRET, wait_until

RECEIPT = "Sent publicly on X"
# Crisis mode groups a burst of alike complaints into one digest case; these scenarios post
# bursts on purpose and count one case per mention, so the detector's floor is set high.
NO_CRISIS = {"CARE_CRISIS_MIN_POSTS": "100000"}
_TEXTS = ("my bag did not arrive on flight AC{n}, can you help?",
          "I was charged twice for booking {n}, please refund one",
          "why was flight AC{n} cancelled? I need a new seat today",
          "the app will not let me check in for AC{n}, help please",
          "where is my refund for booking {n}? it has been weeks")


def customer_text(n: int) -> str:
    """A customer's request mentioning the brand; different for every ``n``."""
    return "@acme " + _TEXTS[n % len(_TEXTS)].format(n=1000 + n)
DONE_STATES = {"approved", "sending", "replied"}


def wait_for(predicate: Callable[[], object], *, timeout: float, what: str,
             interval: float = 0.05) -> object:
    return wait_until(predicate, timeout=timeout, message=what, interval=interval)


def start_fakes() -> tuple[FakeSlack, FakeX]:
    slack = FakeSlack(bot_token=SECRETS["SLACK_BOT_TOKEN"]).start()
    slack.add_channel(channel_id=CHANNEL, name="care")
    x = FakeX(brand_username="acme", brand_name="Acme Air").start()
    return slack, x


def signer(url: str) -> SignedSlackRequests:
    return SignedSlackRequests(url=url, signing_secret=SIGNING_SECRET, team_id="T0CARE")


# --- the database, seen from outside ----------------------------------------------------------
class DbView:
    """Reads the bot's tables (and, for crash tests, moves a dead owner's leases forward)."""

    def __init__(self, url: str) -> None:
        Database.connect(url).dispose()  # schema up front: the deploy step, not the bot's
        args = {"timeout": 30} if url.startswith("sqlite") else {}
        self.engine: Engine = create_engine(url, connect_args=args, pool_size=2)

    def dispose(self) -> None:
        self.engine.dispose()

    def cases(self) -> dict[str, tuple[int, str, str | None]]:
        """source post id -> (case id, state, slack ts)."""
        with self.engine.connect() as c:
            rows = c.execute(select(CaseRow.source_post_id, CaseRow.id, CaseRow.state,
                                    CaseRow.slack_ts)).all()
        return {post: (cid, state, ts) for post, cid, state, ts in rows}

    def approved_drafts(self) -> dict[int, str]:
        """case id -> text of its approved draft (our flows approve one draft per case)."""
        with self.engine.connect() as c:
            rows = c.execute(select(DraftRow.case_id, DraftRow.text)
                             .where(DraftRow.status == "approved")).all()
        return dict(rows)

    def pending_drafts(self) -> dict[int, int]:
        """case id -> id of its draft awaiting review."""
        with self.engine.connect() as c:
            rows = c.execute(select(DraftRow.case_id, func.max(DraftRow.id))
                             .where(DraftRow.status == "pending").group_by(DraftRow.case_id))
            return dict(rows.all())

    def outbound(self) -> list[tuple[int, str, str | None, int]]:
        with self.engine.connect() as c:
            return [tuple(r) for r in c.execute(
                select(OutboundRow.case_id, OutboundRow.status, OutboundRow.x_post_id,
                       OutboundRow.attempts).order_by(OutboundRow.id))]

    def slack_pending(self) -> int:
        with self.engine.connect() as c:
            return c.scalar(select(func.count()).select_from(SlackOutboxRow)
                            .where(SlackOutboxRow.status == "pending")) or 0

    def slack_failed(self) -> int:
        with self.engine.connect() as c:
            return c.scalar(select(func.count()).select_from(SlackOutboxRow)
                            .where(SlackOutboxRow.status == "failed")) or 0

    def expire_leases(self, owner: str) -> None:
        """What the passing of time does to a dead process's leases (TTL 60-120 s), at once.

        Only rows held by ``owner`` (whose process is gone) are touched; every table with
        ``lease_owner``/``lease_expires_at`` columns counts, plus the named leases.
        """
        past = datetime.now(UTC) - timedelta(seconds=1)
        with self.engine.begin() as c:
            c.execute(update(LeaseRow).where(LeaseRow.owner == owner).values(expires_at=past))
            names = set(inspect(c).get_table_names())
            for table in Base.metadata.sorted_tables:
                cols = table.c
                if table.name in names and "lease_owner" in cols and "lease_expires_at" in cols:
                    c.execute(update(table).where(cols.lease_owner == owner)
                              .values(lease_expires_at=past))


# --- what the world shows -----------------------------------------------------------------------
def parents_by_case(slack: FakeSlack) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    for m in slack.messages(CHANNEL):
        meta = m.get("metadata") or {}
        if meta.get("event_type") == "care_case":
            found.setdefault(int(meta["event_payload"]["case_id"]), []).append(m)
    return found


@dataclass
class Tally:
    scenario: str
    injected: str
    rounds: int = 0
    mentions: int = 0
    replies: int = 0
    kills: int = 0
    mentions_lost: int = 0
    parents_doubled: int = 0
    replies_lost: int = 0
    replies_doubled: int = 0
    receipts_lost: int = 0
    receipts_doubled: int = 0
    notes_doubled: int = 0
    faults: int = 0
    problems: list[str] = field(default_factory=list)
    recoveries: Counter = field(default_factory=Counter)
    """How often a recovery path ran: Slack look-ups before a re-post, X reconciliations."""
    intake_gaps: list[float] = field(default_factory=list)
    """Seconds from each restart after a kill to the first mentions read."""

    @property
    def lost(self) -> int:
        return self.mentions_lost + self.replies_lost + self.receipts_lost

    @property
    def doubled(self) -> int:
        return self.parents_doubled + self.replies_doubled + self.receipts_doubled

    def add(self, other: Tally) -> None:
        for name in ("rounds", "mentions", "replies", "kills", "mentions_lost",
                     "parents_doubled", "replies_lost", "replies_doubled", "receipts_lost",
                     "receipts_doubled", "notes_doubled", "faults"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems += other.problems
        self.recoveries.update(other.recoveries)
        self.intake_gaps += other.intake_gaps

    def summary(self) -> str:
        return (f"{self.scenario}: mentions {self.mentions} (lost {self.mentions_lost}), "
                f"parents doubled {self.parents_doubled}, replies {self.replies} "
                f"(lost {self.replies_lost}, doubled {self.replies_doubled}), receipts lost "
                f"{self.receipts_lost} doubled {self.receipts_doubled}, notes doubled "
                f"{self.notes_doubled}, kills {self.kills}, faults {self.faults}, "
                f"recoveries {dict(self.recoveries)}"
                + (f"; problems: {self.problems[:5]}" if self.problems else ""))


def count(*, scenario: str, injected: str, slack: FakeSlack, x: FakeX, view: DbView,
          mentions: list[str], answered: list[str]) -> Tally:
    """Compare what customers posted / agents approved with what Slack and X show."""
    tally = Tally(scenario=scenario, injected=injected, mentions=len(mentions),
                  replies=len(answered))
    cases = view.cases()
    parents = parents_by_case(slack)
    for post_id in mentions:
        case = cases.get(post_id)
        shown = parents.get(case[0], []) if case else []
        if not shown:
            tally.mentions_lost += 1
            tally.problems.append(f"no parent for post {post_id}")
        # the parent must show this post
        elif not any(f"/status/{post_id}" in str(p.get("blocks")) for p in shown):
            tally.problems.append(f"parent of case {case[0]} does not show post {post_id}")
    tally.parents_doubled = sum(len(ps) - 1 for ps in parents.values())
    replies = Counter(p["in_reply_to_tweet_id"] for p in x.brand_posts())
    tally.replies_doubled = sum(n - 1 for n in replies.values() if n > 1)
    drafts = view.approved_drafts()
    for post_id in answered:
        case = cases.get(post_id)
        if case is None or case[0] not in drafts:
            tally.replies_lost += 1
            tally.problems.append(f"post {post_id}: no approved draft")
            continue
        if replies.get(post_id, 0) == 0:
            tally.replies_lost += 1
            tally.problems.append(f"case {case[0]}: approved reply never posted")
    posts_by_id = {p["id"]: p for p in x.brand_posts()}
    for case_id, status, x_post_id, _ in view.outbound():
        if status != "sent" or x_post_id not in posts_by_id:
            tally.problems.append(f"case {case_id}: outbox row {status} / {x_post_id}")
    by_post = {cid: post for post, (cid, _, _) in cases.items()}
    for case_id, shown in parents.items():
        notes = [m.get("text", "") for p in shown for m in slack.thread(CHANNEL, p["ts"])]
        tally.notes_doubled += sum(n - 1 for n in Counter(notes).values() if n > 1)
        if by_post.get(case_id) in answered:
            receipts = [t for t in notes if RECEIPT in t]
            if not receipts:
                tally.receipts_lost += 1
                tally.problems.append(f"case {case_id}: no receipt in its thread")
            tally.receipts_doubled += max(0, len(receipts) - 1)
    tally.recoveries.update({
        "slack look-ups": sum(1 for c in slack.calls if c["method"] in (
            "conversations.history", "conversations.replies") and c["ok"]),
        "replies retried": sum(1 for *_, attempts in view.outbound() if attempts > 1)})
    return tally


# --- agents at work -----------------------------------------------------------------------------
class Driver(threading.Thread):
    """Works the ``answered`` posts' cases to an approved reply through signed requests,
    on a case's parent once Slack shows it.

    State-driven and idempotent: it looks at each case's state, does the next step (claim,
    submit a draft, approve) and repeats it later if the step did not land (a click lost
    to a crash, a process that is down). ``urls()`` names the bot processes to talk to.
    """

    def __init__(self, *, slack: FakeSlack, view: DbView, urls: Callable[[], list[str]],
                 answered: list[str], seed: int = 0, repeat_after: float = 1.5) -> None:
        super().__init__(name="driver", daemon=True)
        self.slack, self.view, self.urls = slack, view, urls
        self.answered = answered  # appended to by the scenario as customers post
        self.rng = random.Random(seed)
        self.repeat_after = repeat_after
        self.stop_event = threading.Event()
        self.sent: Counter[str] = Counter()
        self.errors = 0
        self._last: dict[int, tuple[str, float]] = {}
        self._signers: dict[str, SignedSlackRequests] = {}

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=10)

    def run(self) -> None:
        while not self.stop_event.is_set():
            try:
                self.step()
            except Exception:  # noqa: BLE001 - e.g. the database is briefly busy: go on
                self.errors += 1
            self.stop_event.wait(0.1)

    def step(self) -> None:
        urls = self.urls()
        if not urls:
            return
        cases = self.view.cases()
        parents = parents_by_case(self.slack)
        for post_id in list(self.answered):
            if post_id not in cases:
                continue
            case_id, state, recorded_ts = cases[post_id]
            if state in DONE_STATES or case_id not in parents:
                continue
            last = self._last.get(case_id)
            if last and last[0] == state and time.monotonic() - last[1] < self.repeat_after:
                continue
            # the parent the bot keeps up to date (if Slack shows two, the other is stale)
            ts = next((p["ts"] for p in parents[case_id] if p["ts"] == recorded_ts),
                      parents[case_id][0]["ts"])
            signed = self._signer(self.rng.choice(urls))
            try:
                if self._act(signed, case_id, state, ts):
                    self._last[case_id] = (state, time.monotonic())
            except requests.RequestException:
                self.errors += 1

    def _signer(self, url: str) -> SignedSlackRequests:
        if url not in self._signers:
            self._signers[url] = signer(url)
        return self._signers[url]

    def _act(self, signed: SignedSlackRequests, case_id: int, state: str, ts: str) -> bool:
        # Button values as the parent carries them once Slack shows the update; built here
        # so that the channel's 1-message-per-second pacing does not slow the agents down.
        if state == "new":
            signed.click(user_id=AGENT, action_id=ActionId.CLAIM.value,
                         value=CaseRef(case_id=case_id).encode(), channel_id=CHANNEL,
                         message_ts=ts)
            self.sent["claim"] += 1
        elif state == "claimed":
            submit_draft(signed, case_id=case_id, user=AGENT, text=draft_text(case_id))
            self.sent["draft"] += 1
        elif state == "awaiting_approval":
            draft_id = self.view.pending_drafts().get(case_id)
            if draft_id is None:
                return False
            signed.click(user_id=LEAD, action_id=ActionId.APPROVE.value,
                         value=CaseRef(case_id=case_id, draft_id=draft_id).encode(),
                         channel_id=CHANNEL, message_ts=ts)
            self.sent["approve"] += 1
        else:
            return False
        return True


def draft_text(case_id: int) -> str:
    return f"Sorry about this! We are on case {case_id} now, ref {case_id * 7919 % 100000}."


def submit_draft(signed: SignedSlackRequests, *, case_id: int, user: str,
                 text: str) -> requests.Response:
    """Submit the draft modal as Slack would (the view the bot opens for this case)."""
    view = {"type": "modal", "callback_id": ViewId.DRAFT.value,
            "private_metadata": CaseRef(case_id=case_id).encode()}
    return signed.submit_view(user_id=user, view=view, values={
        BlockId.DRAFT_TEXT.value: {InputId.DRAFT_TEXT.value: text}})

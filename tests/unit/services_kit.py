"""Services on a throwaway database, with no HTTP, Slack or X: the pieces the
tests/unit/test_services_*.py modules build on (the ``db`` fixture comes from conftest)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from bot.domain.model import Author, InboundPost
from bot.domain.office_hours import OfficeHours
from bot.domain.sla import SlaPolicy
from bot.services.desk import CareDesk
from bot.services.leads import LeadDirectory
from bot.x.client import OwnReply, XError
from storage.agents import AgentProfiles
from storage.cases import CaseStore

AGENT, OTHER_AGENT, LEAD, OTHER_LEAD = "UAGENT", "UOTHER", "ULEAD", "ULEAD2"
BRAND = ("999", "acme")
JANE = Author(id="42", username="jane", name="Jane", followers=3)
_ids = itertools.count(1_000)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2030, 1, 7, 10, tzinfo=UTC)  # a Monday, in office hours

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


class Kicks:
    """Counts the wake-ups a service asks for after a change commits."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


def policy() -> SlaPolicy:
    return SlaPolicy(hours=OfficeHours())


def leads() -> LeadDirectory:
    return LeadDirectory(lead_ids=(LEAD, OTHER_LEAD), members_of=lambda _group: [])


def make_desk(db, clock: Clock, kicks: Kicks | None = None) -> CareDesk:
    return CareDesk(store=CaseStore(db), leads=leads(), policy=policy(), clock=clock,
                    kick=kicks or Kicks(), agents=AgentProfiles(db))


def post(*, text: str = "@acme where is my bag?", author: Author = JANE,
         conversation_id: str | None = None, kind: str = "post",
         at: datetime | None = None, in_reply_to_user_id: str | None = None) -> InboundPost:
    post_id = str(next(_ids))
    return InboundPost(id=post_id, text=text, author=author,
                       created_at=at or datetime(2030, 1, 7, 9, tzinfo=UTC),
                       conversation_id=conversation_id or post_id, kind=kind,
                       in_reply_to_user_id=in_reply_to_user_id)


def open_case(store: CaseStore, clock: Clock, **kwargs) -> int:
    case_id = store.open_case(post=post(**kwargs), channel="C0CARE", now=clock(),
                              brand_id=BRAND[0])
    assert case_id is not None
    return case_id


def awaiting_approval(desk: CareDesk, clock: Clock, *, text: str = "Sorry! On it.") -> int:
    """A case with a draft by AGENT waiting for a lead."""
    case_id = open_case(desk.store, clock)
    assert desk.claim(case_id=case_id, user_id=AGENT).ok
    assert desk.submit_draft(case_id=case_id, user_id=AGENT, text=text).ok
    return case_id


def actions(store: CaseStore, case_id: int) -> list[str]:
    return [event.action for event in store.events(case_id)]


class MemoryX:
    """Just enough of bot.x.client.XClient for the services, with failures on demand."""

    def __init__(self) -> None:
        self.replies: list[OwnReply] = []
        self.dms: list[tuple[str, str, str]] = []  # (event id, recipient, text)
        self.muted: dict[str, bool] = {}
        self.hidden: dict[str, bool] = {}
        self.fail_next: list[XError] = []

    def _maybe_fail(self) -> None:
        if self.fail_next:
            raise self.fail_next.pop(0)

    def post_reply(self, *, text: str, in_reply_to_post_id: str) -> str:
        self._maybe_fail()
        reply = OwnReply(id=str(next(_ids)), text=text, in_reply_to_post_id=in_reply_to_post_id)
        self.replies.append(reply)
        return reply.id

    def send_dm(self, *, text: str, participant_id: str) -> str:
        self._maybe_fail()
        event_id = str(next(_ids))
        self.dms.append((event_id, participant_id, text))
        return event_id

    def recent_replies(self, *, user_id: str, max_results: int = 100) -> list[OwnReply]:
        return list(reversed(self.replies))[:max_results]

    def recent_dms_to(self, *, brand_id: str, participant_id: str) -> list[tuple[str, str]]:
        return [(e, t) for e, who, t in self.dms if who == participant_id]

    def mute(self, *, brand_id: str, target_id: str, muted: bool) -> None:
        self._maybe_fail()
        self.muted[target_id] = muted

    def hide_reply(self, *, post_id: str, hidden: bool) -> None:
        self._maybe_fail()
        self.hidden[post_id] = hidden

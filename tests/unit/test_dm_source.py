"""Direct messages go through the same poller as mentions: lease, cursor, alarms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.model import Author, InboundPost
from bot.services.dm_polling import DM_CURSOR, DM_LEASE, dm_source
from bot.services.polling import XPoller
from bot.x.client import XError
from storage.coordination import Cursors, Leases

BRAND = "999"
NOW = datetime(2030, 1, 1, 9, tzinfo=UTC)


def dm(event_id: str, *, sender: str = "42", age: timedelta = timedelta(0)) -> InboundPost:
    return InboundPost(id=event_id, text="hello", kind="dm", created_at=NOW - age,
                       author=Author(id=sender, username=f"u{sender}", name="U", followers=1))


class DmX:
    """Just X's DM read, with a scripted answer."""

    def __init__(self) -> None:
        self.events: list[InboundPost] = []
        self.failure: XError | None = None
        self.asked_after: list[str | None] = []

    def fetch_dm_events(self, *, brand_id: str, after_id: str | None) -> list[InboundPost]:
        assert brand_id == BRAND
        self.asked_after.append(after_id)
        if self.failure:
            raise self.failure
        return list(self.events)


class Recorder:
    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []
        self.observed: list = []
        self.alarms: list[tuple] = []

    def receive(self, post, *, origin: str) -> str:
        self.received.append((post.id, origin))
        return "opened"

    def receive_isolated(self, post, *, origin: str, raw: object) -> str:
        return self.receive(post, origin=origin)

    def receive_page(self, page) -> list[str]:
        return [self.receive(item.post, origin=item.origin) for item in page]

    def observe(self, posts) -> None:
        self.observed.append(posts)

    def poll_failed(self, *, source: str, error: XError) -> None:
        self.alarms.append(("failed", source, error.reason))

    def poll_succeeded(self, *, source: str, posts: int) -> None:
        self.alarms.append(("ok", source, posts))


def poller(db, x: DmX, seen: Recorder, *, owner: str = "host:1") -> XPoller:
    return XPoller(x=x, intake=seen, leases=Leases(db), cursors=Cursors(db),
                   brand_id=lambda: BRAND, clock=lambda: NOW, owner=owner, lease_seconds=180,
                   crisis=seen, alarms=seen, source=dm_source(x=x, brand_id=lambda: BRAND))


def test_dms_open_cases_skip_the_brands_own_and_advance_the_cursor(db):
    x, seen = DmX(), Recorder()
    x.events = [dm("7"), dm("8", sender=BRAND), dm("9"), dm("3", age=timedelta(days=3))]
    result = poller(db, x, seen).poll()
    assert (result.polled, result.opened) == (True, 2)
    assert seen.received == [("7", "dm"), ("9", "dm")]  # a first start reads one day back
    assert seen.observed == []  # DMs are not public: no crisis watch
    assert Cursors(db).get(DM_CURSOR) == "9"
    assert seen.alarms == [("ok", "dms", 2)]
    x.events = []
    poller(db, x, seen).poll()
    assert x.asked_after == [None, "9"]
    assert Cursors(db).get(DM_CURSOR) == "9"


def test_a_first_poll_with_no_dm_reads_everything_from_then_on(db):
    x, seen = DmX(), Recorder()
    poller(db, x, seen).poll()
    assert Cursors(db).get(DM_CURSOR) == "0"


def test_a_failed_dm_read_raises_the_alarm_and_keeps_the_cursor(db):
    x, seen = DmX(), Recorder()
    x.failure = XError("X answered 503")
    result = poller(db, x, seen).poll()
    assert (result.polled, result.error) == (True, "X answered 503")
    assert seen.alarms == [("failed", "dms", "X answered 503")]
    assert Cursors(db).get(DM_CURSOR) is None


def test_one_instance_polls_dms_at_a_time(db):
    x, seen = DmX(), Recorder()
    assert poller(db, x, seen, owner="host:1").poll().polled
    assert not poller(db, x, seen, owner="host:2").poll().polled
    assert Leases(db).holder(DM_LEASE)[0] == "host:1"

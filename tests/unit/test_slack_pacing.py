"""Slack's budgets on a simulated clock: posts per channel, edits for the workspace.

A strict stand-in for Slack refuses (429) any call past either budget; the desk's
outbox must never earn one, must not let one budget's wait hold another's messages,
and sends one edit for a case however many were queued."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.domain.model import Author, InboundPost
from bot.services.slack_sync import SlackSync
from bot.slack_out import EDIT_BURST, EDITS_PER_MINUTE, WORKSPACE, ChannelPacer, SlackOut
from storage.cases import CaseStore, queue_slack
from storage.outbox import SlackOutbox

START = datetime(2026, 12, 1, 9, tzinfo=UTC)


class SimClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> datetime:
        return START + timedelta(seconds=self.t)

    def monotonic(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += max(0.0, seconds)


class Budget:
    """Slack's side of a limit: ``burst`` at once, then ``rate`` per second."""

    def __init__(self, *, rate: float, burst: float) -> None:
        self.rate, self.tokens, self.burst, self.at = rate, burst, burst, 0.0

    def take(self, now: float) -> bool:
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1 - 1e-9:
            self.tokens -= 1
            return True
        return False


class StrictSlack:
    """A WebClient stand-in that records each call's moment and refuses any past a budget."""

    def __init__(self, clock: SimClock, *, post_burst: int) -> None:
        self.clock, self.post_burst = clock, post_burst
        self.channels: dict[str, Budget] = {}
        self.edits = Budget(rate=EDITS_PER_MINUTE / 60, burst=EDIT_BURST)
        self.calls: list[tuple[float, str, str]] = []  # (time, method, channel or ts)
        self.refused = 0
        self.retry_handlers: list = []
        self.timeout = 15

    def _through(self, budget: Budget) -> None:
        if not budget.take(self.clock.t):
            self.refused += 1
            raise SlackApiError("ratelimited", SlackResponse(
                client=None, http_verb="POST", api_url="", req_args={},
                data={"ok": False, "error": "ratelimited"}, headers={"Retry-After": "1"},
                status_code=429))

    def chat_postMessage(self, *, channel: str, **_message) -> dict:  # noqa: N802
        self._through(self.channels.setdefault(
            channel, Budget(rate=1.0, burst=self.post_burst)))
        self.calls.append((self.clock.t, "post", channel))
        return {"ok": True, "ts": f"{1_700_000_000 + len(self.calls)}.000100"}

    def chat_update(self, *, ts: str, **_message) -> dict:
        self._through(self.edits)
        self.calls.append((self.clock.t, "update", ts))
        return {"ok": True, "ts": ts}


def approx(value):
    return pytest.approx(value, abs=1e-6)


def _desk(db, *, post_burst: int = 2):
    clock = SimClock()
    slack = StrictSlack(clock, post_burst=post_burst)
    pacer = ChannelPacer(per_second=1.0, burst=post_burst, monotonic=clock.monotonic,
                         sleep=clock.sleep)
    sync = SlackSync(outbox=SlackOutbox(db), store=CaseStore(db),
                     slack=SlackOut(slack, pacer=pacer), clock=clock, owner="pacing",
                     lease_seconds=300, sleep=clock.sleep)
    return clock, slack, sync


def _open(db, clock: SimClock, channel: str, n: int) -> int:
    post_id = str(1_900_000_000_000_000_000 + n)
    post = InboundPost(id=post_id, text="@acme where is my bag?",
                       author=Author(id=f"9{n}", username=f"c{n}", name="c"),
                       created_at=clock(), conversation_id=post_id)
    return CaseStore(db).open_case(post=post, channel=channel, now=clock())


def test_edits_are_paced_to_the_workspace_budget_after_a_burst_that_goes_at_once():
    clock = SimClock()
    slack = StrictSlack(clock, post_burst=1)
    out = SlackOut(slack, pacer=ChannelPacer(monotonic=clock.monotonic, sleep=clock.sleep))
    for i in range(EDIT_BURST + 5):
        out.update(channel="C1", ts=f"{i}.1", blocks=[], text="t")
    times = [t for t, _, _ in slack.calls]
    assert times[:EDIT_BURST] == [0.0] * EDIT_BURST  # an idle desk's edits show at once
    assert times[-1] == approx(5 * 60 / EDITS_PER_MINUTE)
    assert slack.refused == 0


def test_the_edit_budget_follows_the_post_pacer_and_is_off_when_posts_are_unpaced():
    assert SlackOut(StrictSlack(SimClock(), post_burst=1),
                    pacer=ChannelPacer(per_second=0)).edit_pacer.room(WORKSPACE) == float("inf")
    clock = SimClock()
    out = SlackOut(StrictSlack(clock, post_burst=1),
                   pacer=ChannelPacer(monotonic=clock.monotonic, sleep=clock.sleep))
    assert out.edit_pacer.room(WORKSPACE) == EDIT_BURST


def test_an_allowance_lets_through_what_may_go_now_and_says_when_the_rest_may():
    clock = SimClock()
    pacer = ChannelPacer(per_second=1.0, burst=2, monotonic=clock.monotonic, sleep=clock.sleep)
    out = SlackOut(StrictSlack(clock, post_burst=2), pacer=pacer)
    allowance = out.allowance()
    assert [allowance.may_go(channel="CLOUD", edit=False) for _ in range(3)] == \
        [True, True, False]
    assert allowance.may_go(channel="CQUIET", edit=False)
    assert [allowance.may_go(channel="CLOUD", edit=True) for _ in range(EDIT_BURST + 1)] == \
        [True] * EDIT_BURST + [False]
    for _ in range(2):
        pacer.wait("CLOUD")
    for _ in range(EDIT_BURST):
        out.edit_pacer.wait(WORKSPACE)
    assert allowance.held == {"CLOUD", WORKSPACE}
    assert allowance.wait_seconds() == approx(1.0)  # the channel's, sooner than 1.2 s
    assert out.allowance().wait_seconds() is None


def test_a_loud_channel_holds_no_other_channels_parents(db):
    clock, slack, sync = _desk(db, post_burst=2)
    loud = [_open(db, clock, "CLOUD", n) for n in range(8)]
    quiet = [_open(db, clock, channel, 100 + n) for n, channel in enumerate(("CB", "CC"))]

    assert sync.deliver_due() == len(loud) + len(quiet)

    posted = {channel: [t for t, method, c in slack.calls if c == channel]
              for channel in ("CLOUD", "CB", "CC")}
    assert posted["CB"] == [0.0] and posted["CC"] == [0.0]  # not after the loud queue
    assert posted["CLOUD"] == approx([0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert slack.refused == 0
    assert all(CaseStore(db).get(case_id).slack_ts for case_id in loud + quiet)


def test_queued_edits_wait_for_the_budget_without_holding_a_new_parent_and_collapse(db):
    clock, slack, sync = _desk(db, post_burst=4)
    cases = [_open(db, clock, f"C{n % 4}", n) for n in range(EDIT_BURST + 20)]
    sync.deliver_due()
    clock.sleep(60)  # the edit budget is full again
    slack.calls.clear()
    with db.transaction() as s:
        for case_id in cases:  # two changes per case before the outbox runs
            queue_slack(s, case_id=case_id, kind="update", now=clock())
            queue_slack(s, case_id=case_id, kind="update", now=clock())
    started = clock.t
    newcomer = _open(db, clock, "CNEW", 999)

    assert sync.deliver_due() == len(cases) + 1

    updates = [t - started for t, method, _ in slack.calls if method == "update"]
    new_post = [t - started for t, method, c in slack.calls if c == "CNEW"]
    assert len(updates) == len(cases)  # one edit per case: the older of each pair collapsed
    assert new_post == [0.0]  # the new parent did not wait for the edits queued before it
    assert updates[:EDIT_BURST] == [0.0] * EDIT_BURST
    assert updates[-1] == approx(20 * 60 / EDITS_PER_MINUTE)
    assert slack.refused == 0
    assert CaseStore(db).get(newcomer).slack_ts


def test_a_case_changed_again_keeps_its_place_in_the_line_for_the_edit_budget(db):
    clock, slack, sync = _desk(db, post_burst=4)
    cases = [_open(db, clock, f"C{n % 4}", n) for n in range(EDIT_BURST + 5)]
    sync.deliver_due()
    clock.sleep(60)
    slack.calls.clear()
    with db.transaction() as s:
        for case_id in cases:
            queue_slack(s, case_id=case_id, kind="update", now=clock())
        queue_slack(s, case_id=cases[0], kind="update", now=clock())  # changed again

    assert sync.deliver_due() == len(cases)

    first = [ts for _, method, ts in slack.calls if method == "update"][:EDIT_BURST]
    assert CaseStore(db).get(cases[0]).slack_ts in first  # not sent to the back of the line
    assert slack.refused == 0


def test_a_long_queue_of_new_parents_holds_no_edit_in_the_same_channel(db):
    clock, slack, sync = _desk(db, post_burst=1)
    shown = _open(db, clock, "CLOUD", 0)
    sync.deliver_due()
    clock.sleep(5)
    slack.calls.clear()
    waiting = [_open(db, clock, "CLOUD", n) for n in range(1, 60)]  # more than a claim takes
    with db.transaction() as s:
        queue_slack(s, case_id=shown, kind="update", now=clock())
    started = clock.t

    assert sync.deliver_due() == len(waiting) + 1

    assert [t - started for t, method, _ in slack.calls if method == "update"] == [0.0]
    assert slack.refused == 0

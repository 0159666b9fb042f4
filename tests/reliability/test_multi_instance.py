"""Two app processes (``python app.py``, HTTP mode) on one database, one Slack, one X.

Both poll (the lease picks one at a time) and both deliver; agents and leads click at the
same moment on the same cases, their requests spread over both processes, as behind a
load balancer. Exactly one parent per mention, one claim winner per case, one approval
and one post per approved reply. On SQLite this is two processes on one WAL file.
"""

from __future__ import annotations

import random
import threading
from collections import Counter

import pytest
import requests
from sqlalchemy import func, select

from bot.render.ids import ActionId, CaseRef
from sandbox.process import BotProcess
from storage.models import EventRow, OutboundRow
from tests.reliability.world import (
    NO_CRISIS,
    DbView,
    count,
    customer_text,
    draft_text,
    parents_by_case,
    signer,
    start_fakes,
    submit_draft,
    wait_for,
)
from tests.scenario.harness import AGENT, AGENT2, CHANNEL, LEAD, LEAD2, env_for

pytestmark = pytest.mark.slow

AGENT3 = "UAGENT3"
CASES = 6


def _at_once(calls) -> list:
    """Run the calls in threads released together; returns their results (or errors)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except requests.RequestException as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def _click_together(signers, users, action: ActionId, value: str, ts: str) -> list:
    """Each user clicks at the same moment, alternating between the processes."""
    pairs = [(user, signers[i % len(signers)]) for i, user in enumerate(users)]
    return _at_once([lambda u=user, s=signed: s.click(
        user_id=u, action_id=action.value, value=value, channel_id=CHANNEL, message_ts=ts)
        for user, signed in pairs])


def _events(view: DbView, action: str) -> Counter:
    with view.engine.connect() as c:
        rows = c.execute(select(EventRow.case_id, func.count()).where(EventRow.action == action)
                         .group_by(EventRow.case_id)).all()
    return Counter(dict(rows))


def test_two_processes_share_the_work_without_doubles(database_url, tmp_path):
    rng = random.Random(5)
    slack, x = start_fakes()
    view = DbView(database_url)
    env = env_for(slack=slack, x=x, database_url=database_url, X_POLL_SECONDS="5", **NO_CRISIS)
    bots = [BotProcess(env=env, log_path=tmp_path / f"bot{i}.log") for i in (1, 2)]
    mentions: list[str] = []
    try:
        for i in range(CASES // 2):  # some wait from before the start
            mentions.append(x.post_as_customer(username=f"early{i}", text=customer_text(i)))
        for bot in bots:
            bot.spawn()
        for bot in bots:
            bot.wait_ready()
        signers = [signer(bot.events_url) for bot in bots]
        for i in range(CASES - len(mentions)):  # and some come while both run
            mentions.append(x.post_as_customer(username=f"late{i}",
                                               text=customer_text(CASES + i)))
        wait_for(lambda: len(parents_by_case(slack)) >= CASES and len(view.cases()) == CASES,
                 timeout=30, what="a parent for every mention")
        cases = view.cases()
        case_ids = [cases[post][0] for post in mentions]
        ts = {cid: ps[0]["ts"] for cid, ps in parents_by_case(slack).items()}

        # Three agents click Claim on each case at the same moment, on both processes.
        for cid in case_ids:
            _click_together(signers, (AGENT, AGENT2, AGENT3), ActionId.CLAIM,
                            CaseRef(case_id=cid).encode(), ts[cid])
        wait_for(lambda: all(s == "claimed" for _, s, _ in view.cases().values()), timeout=20,
                 what="every case claimed")
        claims = _events(view, "claim")
        assert [claims[cid] for cid in case_ids] == [1] * CASES
        with view.engine.connect() as c:
            assignees = dict(c.execute(select(EventRow.case_id, EventRow.actor)
                                       .where(EventRow.action == "claim")).all())

        # The winner drafts (on either process); two leads approve at once, one twice.
        for cid in case_ids:
            response = submit_draft(rng.choice(signers), case_id=cid, user=assignees[cid],
                                    text=draft_text(cid))
            assert response.status_code == 200 and response.text == "", response.text
        drafts = view.pending_drafts()
        for cid in case_ids:
            _click_together(signers, (LEAD, LEAD2, LEAD), ActionId.APPROVE,
                            CaseRef(case_id=cid, draft_id=drafts[cid]).encode(), ts[cid])

        def all_sent() -> bool:
            states = [s for _, s, _ in view.cases().values()]
            return all(s == "replied" for s in states) and view.slack_pending() == 0

        wait_for(all_sent, timeout=60, what="every reply sent and every note in Slack",
                 interval=0.2)
        for bot in bots:
            bot.stop()
        approvals = _events(view, "approve")
        assert [approvals[cid] for cid in case_ids] == [1] * CASES
        with view.engine.connect() as c:
            rows = Counter(c.scalars(select(OutboundRow.case_id)).all())
        assert [rows[cid] for cid in case_ids] == [1] * CASES
        tally = count(scenario="two processes", injected="concurrent clicks", slack=slack,
                      x=x, view=view, mentions=mentions, answered=mentions)
        print(tally.summary())
        assert (tally.mentions_lost, tally.parents_doubled) == (0, 0)
        assert (tally.replies_lost, tally.replies_doubled) == (0, 0)
        assert (tally.receipts_lost, tally.receipts_doubled) == (0, 0)
        assert tally.notes_doubled == 0
        assert tally.problems == []
        assert len(x.brand_posts()) == CASES
        # the losers were told who won (an ephemeral each), on whichever process they hit
        told = [e for e in slack.ephemerals()
                if e.get("text", "").startswith("This case is already claimed by")]
        assert len(told) == 2 * CASES
    finally:
        for bot in bots:
            bot.kill()
        view.dispose()
        slack.stop()
        x.stop()

"""storage.leased_queue: claims never overlap, even from many threads at once; a lease
that ran out can be neither renewed nor used to record an outcome."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.channel_posts import ChannelPosts
from storage.db import Database
from storage.models import ChannelPostRow

NOW = datetime(2030, 1, 1, 9, tzinfo=UTC)


def queued(db: Database, count: int) -> ChannelPosts:
    posts = ChannelPosts(db)
    for n in range(count):
        posts.queue(channel="C1", text=f"post {n}", now=NOW)
    return posts


def test_concurrent_claims_never_share_a_row(database_url):
    db = Database.connect(database_url)
    posts = queued(db, 60)
    claimed: dict[str, list[int]] = {}
    start = threading.Barrier(6)

    def work(owner: str) -> None:
        start.wait()
        mine = claimed.setdefault(owner, [])
        while batch := posts.claim_due(owner=owner, now=NOW, lease_seconds=60, limit=7):
            mine.extend(job.id for job in batch)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [row_id for ids in claimed.values() for row_id in ids]
    assert len(every) == len(set(every)) == 60
    with db.transaction() as s:
        rows = s.execute(select(ChannelPostRow.id, ChannelPostRow.lease_owner,
                                ChannelPostRow.attempts)).all()
    owner_of = {row_id: owner for owner, ids in claimed.items() for row_id in ids}
    assert all(owner == owner_of[row_id] and attempts == 1 for row_id, owner, attempts in rows)
    db.dispose()


def test_a_claim_takes_the_oldest_due_rows_and_leaves_held_ones(db):
    posts = queued(db, 5)
    first = posts.claim_due(owner="a", now=NOW, lease_seconds=60, limit=2)
    assert [job.text for job in first] == ["post 0", "post 1"]
    second = posts.claim_due(owner="b", now=NOW, lease_seconds=60, limit=10)
    assert [job.text for job in second] == ["post 2", "post 3", "post 4"]
    assert posts.claim_due(owner="c", now=NOW + timedelta(seconds=59), lease_seconds=60) == []


def test_an_expired_lease_is_taken_over_and_fences_out_its_old_holder(db):
    posts = queued(db, 1)
    [old] = posts.claim_due(owner="a", now=NOW, lease_seconds=60)
    assert posts.renew(job=old, owner="a", now=NOW + timedelta(seconds=30), lease_seconds=60)
    later = NOW + timedelta(seconds=91)  # the renewed lease ran out at +90 s
    [new] = posts.claim_due(owner="b", now=later, lease_seconds=60)
    assert (new.id, new.attempts) == (old.id, 2)
    assert not posts.renew(job=old, owner="a", now=later, lease_seconds=60)
    assert not posts.finish(job=old, owner="a", status="done", slack_ts="1.0")
    assert posts.finish(job=new, owner="b", status="done", slack_ts="2.0")
    assert posts.pending() == 0
    assert posts.claim_due(owner="c", now=later + timedelta(hours=1), lease_seconds=60) == []


def test_a_lease_cannot_be_renewed_once_it_ran_out_even_if_nobody_took_it(db):
    posts = queued(db, 1)
    [job] = posts.claim_due(owner="a", now=NOW, lease_seconds=60)
    assert not posts.renew(job=job, owner="a", now=NOW + timedelta(seconds=61),
                           lease_seconds=60)

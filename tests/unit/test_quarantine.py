"""The quarantine keeps what X sent (lone surrogates included) and a Retry takes it in."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services.quarantine import Quarantine
from storage.channel_posts import ChannelPosts
from storage.quarantine import QuarantinedPosts

NOW = datetime(2026, 6, 8, 10, 0, tzinfo=UTC)
RAW = {"data": {"id": "55", "text": "broken \ud83d \x00", "author_id": "7"},
       "includes": {"users": [{"id": "7", "username": "jane"}]}}


def quarantine(db) -> Quarantine:
    return Quarantine(store=QuarantinedPosts(db), channel_posts=ChannelPosts(db),
                      channel="C0CARE", clock=lambda: NOW, tz=UTC)


def test_held_once_per_post_and_listed_escaped(db):
    q = quarantine(db)
    assert q.hold(post_id="55", origin="mention", raw=RAW, error="ValueError: <!channel>")
    assert not q.hold(post_id="55", origin="mention", raw=RAW, error="again")
    assert q.hold(post_id=None, origin="mention", raw=[1, 2], error="no id")
    blocks, text = q.listing()
    shown = str(blocks)
    assert text == "2 posts could not be read"
    assert "post 55" in shown and "&lt;!channel&gt;" in shown and "broken \ufffd" in shown
    item = q.store.recent(limit=5)[0][1]
    assert item.raw["data"]["text"] == "broken \ud83d \x00"  # kept exactly as X sent it


def test_retry_takes_the_post_in_or_keeps_it_with_the_new_reason(db):
    q = quarantine(db)
    q.hold(post_id="55", origin="search", raw=RAW, error="OperationalError: locked")
    item_id = q.store.recent(limit=1)[0][0].id
    received = []

    def failing(post, *, origin):
        raise RuntimeError("still broken")

    assert "still could not be read (RuntimeError: still broken)" in q.retry(
        item_id=item_id, receive=failing)
    assert q.store.get(item_id).error == "RuntimeError: still broken"
    q.retry(item_id=item_id, receive=lambda post, *, origin: received.append((post, origin)))
    assert [(p.id, p.text, o) for p, o in received] == [("55", "broken \ufffd ", "search")]
    assert q.store.get(item_id) is None
    assert "not in quarantine" in q.retry(item_id=item_id, receive=failing)

"""Saved replies in the database: import by title, Slack-made entries, history, use counts."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.saved_replies import Channel, SavedReply, Source
from storage.replies import (
    DuplicateTitleError,
    ReplyChangedError,
    ReplyNotFoundError,
    SavedReplies,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
BAG = SavedReply(title="Delayed bag", text="Sorry, {name}. DM us the tag.", tags=("bag",),
                 faq="https://acme.example/faq#bags")
SEAT = SavedReply(title="Seat selection", text="Pick a seat under Manage trip, {name}.")
PHONE = SavedReply(title="Call me", text="DM us a number, {name}.", channel=Channel.DM)


@pytest.fixture
def replies(db):
    return SavedReplies(db)


def titles(stored):
    return [s.reply.title for s in stored]


def test_first_import_adds_every_entry_from_the_file(replies):
    summary = replies.import_file([BAG, SEAT], actor="file", now=NOW)
    assert summary.added == ("Delayed bag", "Seat selection")
    assert summary.updated == summary.unchanged == summary.retired == ()
    stored = replies.active()
    assert titles(stored) == ["Delayed bag", "Seat selection"]
    bag = stored[0]
    assert bag.reply == BAG
    assert bag.source is Source.FILE and not bag.retired and bag.use_count == 0
    assert [c.action for c in replies.history(bag.id)] == ["added"]


def test_reimporting_the_same_file_changes_nothing(replies):
    replies.import_file([BAG, SEAT], actor="file", now=NOW)
    summary = replies.import_file([BAG, SEAT], actor="file", now=NOW + timedelta(hours=1))
    assert summary.unchanged == ("Delayed bag", "Seat selection")
    assert summary.added == summary.updated == ()
    assert len(replies.history()) == 2


def test_the_file_wins_for_its_entries_and_slack_made_entries_stay(replies):
    replies.import_file([BAG], actor="file", now=NOW)
    mine = replies.add(PHONE, actor="ULEAD1", now=NOW)
    bag = replies.by_title("delayed BAG")
    replies.edit(bag.id, SavedReply(title="Delayed bag", text="Edited in Slack"),
                 expected_version=bag.version, actor="ULEAD1", now=NOW)
    newer = SavedReply(title="DELAYED BAG", text="The file's newer text, {name}.",
                       tags=("bag", "luggage"))
    summary = replies.import_file([newer], actor="file", now=NOW + timedelta(minutes=5))
    assert summary.updated == ("DELAYED BAG",)
    after = replies.get(bag.id)
    assert after.reply == newer and after.source is Source.FILE
    assert after.updated_by == "file"
    kept = replies.get(mine.id)
    assert kept.reply == PHONE and kept.source is Source.SLACK and not kept.retired
    assert replies.history(bag.id)[0].detail == "from the file: changed title, text, tags"


def test_a_file_entry_dropped_from_the_file_is_retired_and_comes_back_with_it(replies):
    replies.import_file([BAG, SEAT], actor="file", now=NOW)
    summary = replies.import_file([BAG], actor="file", now=NOW)
    assert summary.retired == ("Seat selection",)
    assert titles(replies.active()) == ["Delayed bag"]
    assert titles(replies.all()) == ["Delayed bag", "Seat selection"]
    summary = replies.import_file([BAG, SEAT], actor="file", now=NOW)
    assert summary.updated == ("Seat selection",)
    assert titles(replies.active()) == ["Delayed bag", "Seat selection"]


def test_a_file_entry_takes_over_a_slack_entry_of_the_same_title(replies):
    made = replies.add(SavedReply(title="Seat Selection", text="old"), actor="ULEAD1", now=NOW)
    replies.import_file([SEAT], actor="file", now=NOW)
    taken = replies.get(made.id)
    assert taken.source is Source.FILE and taken.reply == SEAT
    assert len(replies.all()) == 1


def test_titles_are_unique_ignoring_case(replies):
    replies.add(BAG, actor="ULEAD1", now=NOW)
    with pytest.raises(DuplicateTitleError):
        replies.add(SavedReply(title="delayed bag", text="x"), actor="ULEAD1", now=NOW)
    seat = replies.add(SEAT, actor="ULEAD1", now=NOW)
    with pytest.raises(DuplicateTitleError):
        replies.edit(seat.id, SavedReply(title="Delayed Bag", text="x"),
                     expected_version=seat.version, actor="ULEAD1", now=NOW)


def test_an_edit_on_a_stale_version_is_refused(replies):
    seat = replies.add(SEAT, actor="ULEAD1", now=NOW)
    first = replies.edit(seat.id, SavedReply(title="Seat selection", text="one"),
                         expected_version=seat.version, actor="ULEAD1", now=NOW)
    assert first.version == seat.version + 1
    with pytest.raises(ReplyChangedError):
        replies.edit(seat.id, SavedReply(title="Seat selection", text="two"),
                     expected_version=seat.version, actor="ULEAD2", now=NOW)
    assert replies.get(seat.id).reply.text == "one"
    with pytest.raises(ReplyNotFoundError):
        replies.edit(999, SEAT, expected_version=1, actor="ULEAD1", now=NOW)


def test_every_change_is_an_event_with_who_and_when(replies):
    seat = replies.add(SEAT, actor="ULEAD1", now=NOW)
    later = NOW + timedelta(minutes=1)
    replies.edit(seat.id, SavedReply(title="Seat selection", text="new", tags=("seat",)),
                 expected_version=seat.version, actor="ULEAD2", now=later)
    assert replies.retire(seat.id, actor="ULEAD1", now=later)
    assert not replies.retire(seat.id, actor="ULEAD1", now=later)
    assert replies.restore(seat.id, actor="ULEAD2", now=later)
    history = replies.history(seat.id)
    assert [(c.action, c.actor) for c in history] == [
        ("restored", "ULEAD2"), ("retired", "ULEAD1"), ("edited", "ULEAD2"),
        ("added", "ULEAD1")]
    assert history[2].detail == "changed text, tags" and history[2].at == later


def test_an_edit_that_changes_nothing_records_nothing(replies):
    seat = replies.add(SEAT, actor="ULEAD1", now=NOW)
    same = replies.edit(seat.id, SEAT, expected_version=seat.version, actor="ULEAD1", now=NOW)
    assert same.version == seat.version
    assert len(replies.history(seat.id)) == 1


def test_uses_are_counted(replies):
    seat = replies.add(SEAT, actor="ULEAD1", now=NOW)
    replies.record_use(seat.id, now=NOW)
    replies.record_use(seat.id, now=NOW + timedelta(days=1))
    used = replies.get(seat.id)
    assert used.use_count == 2 and used.last_used_at == NOW + timedelta(days=1)

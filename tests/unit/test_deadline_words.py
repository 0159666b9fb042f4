"""A deadline in words for the case's parent message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.deadline_words import describe_deadline, duration_words

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 6, 5, 17, 0, tzinfo=BERLIN)  # a Friday


def words(deadline: datetime, now: datetime = NOW) -> str:
    return describe_deadline(deadline=deadline, now=now, tz=BERLIN)


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (timedelta(minutes=42), "due in 42 min"),
        (timedelta(minutes=41, seconds=30), "due in 42 min"),
        (timedelta(seconds=20), "due in 1 min"),
        (timedelta(hours=2, minutes=5), "due in 2 h 5 min"),
        (timedelta(hours=2), "due in 2 h"),
        (timedelta(0), "due now"),
        (timedelta(seconds=-59), "due now"),
        (timedelta(minutes=-1), "overdue by 1 min"),
        (timedelta(hours=-1, minutes=-5), "overdue by 1 h 5 min"),
        (timedelta(hours=-1, minutes=-5, seconds=-50), "overdue by 1 h 5 min"),
        (timedelta(hours=-23, minutes=-59), "overdue by 23 h 59 min"),
    ],
)
def test_relative_words_on_the_same_day(left: timedelta, text: str) -> None:
    assert words(NOW + left) == text


def test_another_local_day_shows_day_and_time() -> None:
    assert words(datetime(2026, 6, 8, 9, 45, tzinfo=BERLIN)) == "due Mon 09:45"
    assert words(datetime(2026, 6, 8, 7, 45, tzinfo=UTC)) == "due Mon 09:45"  # in the desk zone
    late = datetime(2026, 6, 5, 22, 0, tzinfo=BERLIN)
    assert words(datetime(2026, 6, 6, 0, 15, tzinfo=BERLIN), now=late) == "due Sat 00:15"


def test_within_the_hour_stays_relative_across_midnight() -> None:
    late = datetime(2026, 6, 5, 23, 30, tzinfo=BERLIN)
    assert words(datetime(2026, 6, 6, 0, 15, tzinfo=BERLIN), now=late) == "due in 45 min"


def test_a_week_or_more_away_shows_the_date() -> None:
    assert words(datetime(2026, 6, 20, 9, 45, tzinfo=BERLIN)) == "due 20 Jun 09:45"
    assert words(datetime(2027, 1, 4, 9, 45, tzinfo=BERLIN)) == "due 4 Jan 2027 09:45"


def test_overdue_by_a_day_or_more_says_since_when() -> None:
    assert words(NOW - timedelta(days=1)) == "overdue since Thu 17:00"
    assert words(datetime(2026, 6, 4, 9, 45, tzinfo=BERLIN)) == "overdue since Thu 09:45"
    assert words(datetime(2026, 5, 1, 9, 45, tzinfo=BERLIN)) == "overdue since 1 May 09:45"


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="deadline must be an aware"):
        words(datetime(2026, 6, 5, 18, 0))
    with pytest.raises(ValueError, match="now must be an aware"):
        words(NOW, now=datetime(2026, 6, 5, 18, 0))


@pytest.mark.parametrize(("minutes", "words"), [
    (0, "0 min"), (45, "45 min"), (60, "1 h"), (135, "2 h 15 min"), (1440, "24 h")])
def test_a_duration_in_words(minutes, words):
    assert duration_words(minutes) == words

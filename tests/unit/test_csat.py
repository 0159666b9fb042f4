"""Reading a CSAT rating from a DM reply, and the DM budget rule for rating requests."""

from __future__ import annotations

import pytest

from bot.domain.csat import CSAT_MAX_USED, may_send_request, read_rating


@pytest.mark.parametrize(("text", "score"), [
    ("1", 1), (" 5 ", 5), ("4/5", 4), ("3 out of 5", 3), ("five", 5), ("Four stars", 4),
    ("2 stars!", 2), ("⭐⭐⭐⭐", 4), ("⭐️⭐️", 2), ("★ ★ ★", 3), ("🌟", 1)])
def test_a_score_alone_is_a_rating(text: str, score: int) -> None:
    assert read_rating(text) == score


@pytest.mark.parametrize("text", [
    "0", "6", "10", "⭐⭐⭐⭐⭐⭐", "5 but my bag is still lost", "my booking 4", "", "thanks!",
    "four hours late", "1 2 3"])
def test_anything_else_is_a_normal_follow_up(text: str) -> None:
    assert read_rating(text) is None


def test_a_request_waits_while_agents_need_the_dm_budget() -> None:
    assert may_send_request(sends_in_window=0)
    assert may_send_request(sends_in_window=CSAT_MAX_USED)
    assert not may_send_request(sends_in_window=CSAT_MAX_USED + 1)

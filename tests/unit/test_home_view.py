"""The Home tab composer keeps whole sections and stays within Slack's 100 blocks."""

from __future__ import annotations

from slack_sdk.models.blocks import SectionBlock

from bot.render.home import MAX_HOME_BLOCKS, agents_load_section, home_view


def test_sections_that_do_not_fit_are_left_out_whole() -> None:
    section = [SectionBlock(text=f"line {i}") for i in range(30)]
    view = home_view([section, section, section, section])
    assert view["type"] == "home"
    assert len(view["blocks"]) <= MAX_HOME_BLOCKS
    # the header, three dividers + sections, and the line saying one was left out
    assert len(view["blocks"]) == 1 + 3 * 31 + 1
    assert "did not fit" in str(view["blocks"][-1])


def test_agents_load_names_agents_and_their_overdue_cases() -> None:
    view = home_view([agents_load_section(per_agent=[("U1", 3, 1), ("U2", 2, 0)])])
    text = str(view["blocks"])
    assert "<@U1>: 3 open, 1 overdue" in text and "<@U2>: 2 open" in text
    assert "<@U2>: 2 open," not in text

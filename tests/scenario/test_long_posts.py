"""Long posts (X Premium): the whole text is read, triaged and shown, start in the parent,
the rest in the thread in order, every piece within one section."""

from __future__ import annotations

import re

from bot.render.mrkdwn import escape
from tests.scenario.harness import CHANNEL, wait_until

SECTION = 3000


def unquote(section: str) -> str:
    return "\n".join(re.sub(r"^&gt; ?", "", line) for line in section.split("\n"))


def test_a_long_post_is_shown_whole_start_in_parent_rest_in_thread(desk):
    story = "".join(f"Part {i}: my flight & bag <lost> again, day {i}.\n" for i in range(400))
    text = "@acme " + story + "This is the end: I want my refund now."
    post_id = desk.x.post_as_customer(username="longwriter", text=text)
    stored = next(p for p in desk.x.all_posts() if p["id"] == post_id)
    assert len(stored["text"]) <= 280 and stored["note_tweet"]["text"] == text
    desk.poll()
    parent = desk.parent_for(post_id)

    post_section = next(b for b in parent["blocks"] if b.get("block_id") == "case_post")
    shown = post_section["text"]["text"]
    assert len(shown) <= SECTION and len(shown) > 2500
    assert shown.endswith("… _(full text in thread)_")
    thread = wait_until(lambda: [m for m in desk.slack.thread(CHANNEL, parent["ts"])
                                 if m.get("text") == "Full text, continued"],
                        message="the rest of the post in the thread")
    sections = [b["text"]["text"] for b in thread[0]["blocks"]][1:]
    assert len(sections) >= 2 and all(len(s) <= SECTION for s in sections)
    first = shown.split("\n", 1)[1].rsplit("\n", 1)[0]  # without header and marker
    whole = "".join(unquote(s) for s in [first] + sections)
    assert whole == escape(text)
    assert "I want my refund now." in sections[-1]


def test_the_full_text_is_what_triage_reads(desk):
    start = "@acme " + "Thank you for the lovely crew on my flight last week! " * 6
    text = start + "But my suitcase never arrived and nobody answers, I need help now."
    post_id = desk.x.post_as_customer(username="mixed", text=text)
    desk.poll()
    case = wait_until(lambda: next((c for c in (desk.runtime.store.get(i) for i in range(1, 5))
                                    if c is not None and c.source_post_id == post_id), None),
                      message="the case")
    assert "suitcase never arrived" in case.text

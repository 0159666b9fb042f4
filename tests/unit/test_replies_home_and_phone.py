"""The Home tab's composer and saved-replies pages, and phone numbers found and masked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.phone import find_phone, mask_phones
from bot.domain.saved_replies import Channel, SavedReply, Source, StoredReply
from bot.render import care_answers, replies_text
from bot.render.home import MAX_BLOCKS, home_view
from bot.render.ids import ActionId
from bot.render.replies_home import PER_PAGE, read_edit_values, replies_section

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _stored(n: int, *, source: Source = Source.SLACK) -> StoredReply:
    return StoredReply(id=n, reply=SavedReply(title=f"Reply {n}", text=f"Text {n} <!channel>"),
                       source=source, retired=False, use_count=n, last_used_at=None, version=1,
                       updated_by="ULEAD1", updated_at=NOW)


def test_a_page_holds_ten_replies_marked_from_file_with_use_counts():
    replies = [_stored(n, source=Source.FILE if n % 2 else Source.SLACK) for n in range(1, 26)]
    first = str(replies_section(replies=replies, page=0, can_edit=True))
    assert "Reply 10*" in first and "Reply 11*" not in first and "page 1 of 3" in first
    assert "from file" in first and "3 uses" in first
    assert "&lt;!channel&gt;" in first and "<!channel>" not in first
    last = replies_section(replies=replies, page=99, can_edit=True)
    assert "page 3 of 3" in str(last) and "Reply 25*" in str(last)
    read_only = str(replies_section(replies=replies, page=0, can_edit=False))
    assert ActionId.REPLY_EDIT.value not in read_only
    assert ActionId.REPLY_ADD.value not in read_only


def test_the_home_view_composes_sections_within_slacks_100_blocks():
    page = replies_section(replies=[_stored(n) for n in range(1, 40)], page=0, can_edit=True)
    assert len(page) <= 5 + PER_PAGE * 4
    view = home_view(sections=[page, page, page])
    assert view["type"] == "home" and len(view["blocks"]) <= MAX_BLOCKS
    assert "did not fit" in str(view["blocks"][-1])


def test_the_reply_modal_values_read_back_as_a_saved_reply():
    values = {"reply_title": {"value": {"value": " Delayed bag "}},
              "reply_text": {"value": {"value": "Sorry, {name}."}},
              "reply_channel": {"value": {"selected_option": {"value": "both"}}},
              "reply_tags": {"value": {"value": "bag, lost bag,, "}},
              "reply_faq": {"value": {"value": ""}}}
    assert read_edit_values(values) == SavedReply(title="Delayed bag", text="Sorry, {name}.",
                                                  channel=Channel.BOTH,
                                                  tags=("bag", "lost bag"), faq=None)


@pytest.mark.parametrize(("text", "masked"), [
    ("call me on 415-555-4567 after 5", "+1 ••• ••• 4567"),
    ("(415) 555 0123 please", "+1 ••• ••• 0123"),
    ("ring +44 20 7946 0958 tomorrow", "+44 ••• ••• 0958"),
])
def test_a_phone_number_is_found_and_masked(text, masked):
    found = find_phone(text)
    assert found is not None and found.masked == masked
    assert masked in mask_phones(text) and found.national[-7:] not in mask_phones(text)
    assert found.e164 not in repr(found)


@pytest.mark.parametrize("text", ["booking ABC123 on flight 1234", "bag tag AC123456",
                                  "it cost 1500 dollars on 2026-12-01"])
def test_no_phone_number_where_there_is_none(text):
    assert find_phone(text) is None and mask_phones(text) == text


def _used(n: int, *, uses: int, last_used: datetime | None) -> StoredReply:
    return StoredReply(id=n, reply=SavedReply(title=f"Reply {n}", text="Text"),
                       source=Source.SLACK, retired=False, use_count=uses,
                       last_used_at=last_used, version=1, updated_by="ULEAD1",
                       updated_at=datetime(2026, 1, 1, tzinfo=UTC))


def test_replies_listing_marks_those_unused_for_90_days_even_between_most_and_least():
    recent, stale = datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 8, 1, tzinfo=UTC)
    replies = [_used(n, uses=100 - n, last_used=recent) for n in range(1, 15)]
    replies.append(_used(50, uses=94, last_used=stale))    # in the middle by use count
    replies.append(_used(51, uses=0, last_used=None))      # never used, edited in January
    replies.append(_used(52, uses=90, last_used=datetime(2026, 9, 2, 10, tzinfo=UTC)))
    lines = replies_text.usage_listing(replies, now=NOW, unused_days=90).splitlines()
    marked = {line.split("*")[1] for line in lines if ":zzz: unused for 90+ days" in line}
    assert marked == {"Reply 50", "Reply 51"}  # Reply 52: used 89 days ago
    assert "*Also unused for 90+ days*" in lines
    assert lines.index("*Also unused for 90+ days*") < [
        i for i, line in enumerate(lines) if "Reply 50*" in line][0]


def test_the_bio_line_points_to_the_faq_page_when_one_is_set():
    def hours(faq_url):
        return care_answers.hours(description="Mon-Fri", open_now=True, next_opening=None,
                                  bio_line="We answer Mon-Fri 9-17 UTC", now=NOW, tz=UTC,
                                  faq_url=faq_url)
    bio = next(line for line in hours("https://acme.example/faq?a=1&b=<2>").splitlines()
               if line.startswith("*For the brand's X bio:*"))
    assert bio.endswith(
        "We answer Mon-Fri 9-17 UTC · FAQ: https://acme.example/faq?a=1&amp;b=&lt;2&gt;")
    assert "FAQ" not in hours(None)

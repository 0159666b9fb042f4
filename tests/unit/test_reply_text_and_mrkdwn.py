import pytest

from bot.domain.reply_text import MAX_WEIGHTED_LENGTH, check_reply_text, weighted_length
from bot.render.ids import BadReference, CaseRef
from bot.render.mrkdwn import bound, escape, quote, safe


def test_weighted_length_counts_urls_emoji_and_cjk_like_x():
    assert weighted_length("hello") == 5
    assert weighted_length("see https://example.com/a/very/long/path/indeed") == 4 + 23
    assert weighted_length("😀") == 2
    assert weighted_length("日本") == 4


def test_limits():
    assert check_reply_text("a" * MAX_WEIGHTED_LENGTH).ok
    over = check_reply_text("a" * (MAX_WEIGHTED_LENGTH + 1))
    assert not over.ok and "281 characters" in over.problem and "Cut 1" in over.problem
    assert check_reply_text("").problem == "The reply is empty."
    assert check_reply_text(" \n\t").problem == "The reply is empty."


def test_signature_counts_toward_the_limit():
    assert check_reply_text("a" * 276, signature=" ^AB").ok
    assert not check_reply_text("a" * 278, signature=" ^AB").ok


@pytest.mark.parametrize(("raw", "shown"), [
    ("<!channel>", "&lt;!channel&gt;"),
    ("<https://evil|bank.com>", "&lt;https://evil|bank.com&gt;"),
    ("a & b", "a &amp; b"),
    ("&amp;", "&amp;amp;"),
    ("bell\x07", "bell"),
    (None, ""),
])
def test_escape(raw, shown):
    assert escape(raw) == shown


def test_bound_never_leaves_half_an_entity():
    text = escape("<" * 100)
    cut = bound(text, 10)
    assert len(cut) <= 10 and cut.endswith("…") and "&l…" not in cut
    assert cut.replace("…", "").replace("&lt;", "") == ""
    assert bound("short", 10) == "short"
    assert len(safe("x" * 5000, 2500)) == 2500


def test_quote_marks_every_line():
    assert quote("a\n\nb") == "&gt; a\n&gt;\n&gt; b"


def test_case_ref_round_trip_and_rejects_foreign_values():
    assert CaseRef.decode(CaseRef(case_id=3, draft_id=9).encode()) == CaseRef(3, 9)
    for bad in ("", "7", '{"c":"7"}', '{"x":1}', "[1]", None, '{"c":1,"d":"2"}'):
        with pytest.raises(BadReference):
            CaseRef.decode(bad)

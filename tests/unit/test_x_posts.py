"""X post objects as domain posts: cleaned, full text, language, broken objects kept."""

from __future__ import annotations

import json

from bot.x.posts import clean_text, page_from_body, post_from_raw


def test_clean_text_replaces_lone_surrogates_and_drops_c0_controls():
    text = json.loads('"cut \\ud83d emoji \\ud83d\\ude00 ok\\u0000\\u0007\\r\\n\\ttab"')
    assert clean_text(text) == "cut \ufffd emoji \U0001F600 ok\n\ttab"
    clean_text(text).encode("utf-8")  # storable
    assert len(clean_text("x" * 100_000)) == 25_000


def test_long_post_text_and_language_come_from_note_tweet_and_lang():
    long_text = "My flight was cancelled. " * 400
    body = {"data": [{"id": "5", "text": long_text[:270] + "…", "author_id": "7",
                      "note_tweet": {"text": long_text}, "lang": "de"}],
            "includes": {"users": [{"id": "7", "username": "jane", "name": "Jane"}]},
            "meta": {"newest_id": "5"}}
    post = page_from_body(body).posts[0]
    assert post.text == long_text and post.lang == "de" and post.author.username == "jane"


def test_a_broken_object_is_kept_unreadable_and_the_rest_of_the_page_is_read():
    body = {"data": [{"id": "5", "text": 12, "author_id": "7"}, 42,
                     {"id": "6", "text": "fine", "author_id": {"x": 1}},
                     {"id": "8", "text": "hi @acme", "author_id": "9"}],
            "includes": {"users": "nope"}, "meta": {"newest_id": "8"}}
    page = page_from_body(body)
    assert [p.id for p in page.posts] == ["8"] and page.posts[0].author.username == "unknown"
    assert [(u.post_id, u.error) for u in page.unreadable] == [
        ("5", "the post's text is not a string"),
        (None, "a int where a post object belongs"),
        ("6", "the post's author_id is not an id")]
    assert post_from_raw(page.raw["8"]).text == "hi @acme"

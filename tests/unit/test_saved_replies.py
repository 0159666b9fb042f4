"""Saved replies: placeholders, length checks and the YAML file's errors with lines."""

import pytest

from bot.domain.saved_replies import (
    Channel,
    PlaceholderError,
    PlaceholderValues,
    SavedReply,
    placeholders_in,
    resolve_reply,
    template_problem,
)
from bot.domain.saved_replies_file import RepliesFileError, load_saved_replies, parse_saved_replies

VALUES = PlaceholderValues(customer_handle="jane_doe", customer_name="Jane Doe",
                           agent_name="Alex Morgan", faq_url="https://www.acme-air.com/help/frequently-asked-questions")


def test_every_placeholder_is_filled_in():
    reply = SavedReply(title="All", text="{customer} {name}, {agent} here. See {faq_url}")
    resolved = resolve_reply(reply, values=VALUES)
    assert resolved.text == "@jane_doe Jane Doe, Alex here. See https://www.acme-air.com/help/frequently-asked-questions"
    assert resolved.fits


def test_a_handle_given_with_its_at_sign_gets_one_at_sign():
    values = PlaceholderValues(customer_handle="@jane", customer_name="J", agent_name="A")
    assert resolve_reply(SavedReply(title="t", text="Hi {customer}"),
                         values=values).text == "Hi @jane"


def test_an_unknown_placeholder_is_a_clear_error():
    with pytest.raises(PlaceholderError, match=r"unknown placeholder \{order\}"):
        resolve_reply(SavedReply(title="t", text="Your order {order}"), values=VALUES)
    with pytest.raises(PlaceholderError, match="malformed placeholder"):
        placeholders_in("Hi {name")
    with pytest.raises(PlaceholderError, match=r"unknown placeholder \{name:>10\}"):
        placeholders_in("Hi {name:>10}")


def test_literal_braces_are_allowed():
    assert placeholders_in("Use {{code}} {name}") == ("name",)
    assert resolve_reply(SavedReply(title="t", text="{{x}} {name}"),
                         values=VALUES).text == "{x} Jane Doe"


def test_faq_url_placeholder_without_a_faq_page_is_refused():
    values = PlaceholderValues(customer_handle="j", customer_name="J", agent_name="A")
    with pytest.raises(PlaceholderError, match="CARE_FAQ_URL"):
        resolve_reply(SavedReply(title="t", text="See {faq_url}"), values=values)


def test_length_is_weighted_like_a_draft_and_counts_the_signature():
    # A URL counts 23 however long it is; emoji count 2.
    reply = SavedReply(title="t", text="See {faq_url} 😀")
    resolved = resolve_reply(reply, values=VALUES)
    assert resolved.weighted_length == len("See ") + 23 + 1 + 2
    signed = resolve_reply(reply, values=VALUES, signature=" ^AM")
    assert signed.weighted_length == resolved.weighted_length + 4


def test_placeholders_can_push_a_reply_over_280():
    long_name = "N" * 200
    reply = SavedReply(title="t", text="Sorry, {name}. " + "x" * 90)
    values = PlaceholderValues(customer_handle="j", customer_name=long_name, agent_name="A")
    resolved = resolve_reply(reply, values=values)
    assert not resolved.fits
    assert resolved.weighted_length > 280
    assert "the limit is 280" in resolved.problem
    # The same text as a DM is within X's 10,000 characters.
    assert resolve_reply(reply, values=values, kind="dm").fits


def test_template_problems():
    assert template_problem(SavedReply(title="ok", text="fine {name}")) is None
    assert "title is empty" in template_problem(SavedReply(title=" ", text="x"))
    assert "75" in template_problem(SavedReply(title="t" * 76, text="x"))
    assert "not an http(s) link" in template_problem(
        SavedReply(title="t", text="x", faq="javascript:alert(1)"))
    over = SavedReply(title="t", text="y" * 281)
    assert "before any placeholder" in template_problem(over)
    assert template_problem(SavedReply(title="t", text="y" * 281, channel=Channel.DM)) is None


def test_channel_allows():
    assert Channel.BOTH.allows("public") and Channel.BOTH.allows("dm")
    assert Channel.DM.allows("dm") and not Channel.DM.allows("public")
    assert Channel.PUBLIC.allows("public") and not Channel.PUBLIC.allows("dm")


GOOD = """\
- title: Delayed bag
  text: "Sorry your bag is late, {name}. Please DM us your bag tag number."
  channel: public
  tags: [bag, baggage, luggage, delayed bag]
  faq: https://acme.example/faq#bags
- title: Call me
  text: Please DM a number and a good time, {name}.
  channel: dm
- title: Either
  text: Hello
  channel: both
  tags: solo
"""


def test_the_issue_format_parses():
    replies = parse_saved_replies(GOOD, source="replies.yml")
    assert [r.title for r in replies] == ["Delayed bag", "Call me", "Either"]
    bag = replies[0]
    assert bag.channel is Channel.PUBLIC
    assert bag.tags == ("bag", "baggage", "luggage", "delayed bag")
    assert bag.faq == "https://acme.example/faq#bags"
    assert replies[1].channel is Channel.DM and replies[1].tags == () and replies[1].faq is None
    assert replies[2].channel is Channel.BOTH and replies[2].tags == ("solo",)


def test_an_empty_file_has_no_replies():
    assert parse_saved_replies("", source="r.yml") == []
    assert parse_saved_replies("# nothing yet\n", source="r.yml") == []


def _problems(text):
    with pytest.raises(RepliesFileError) as caught:
        parse_saved_replies(text, source="replies.yml")
    return caught.value


@pytest.mark.parametrize(("text", "line", "reason"), [
    ("- title: A\n  text: x\n  colour: red\n", 3, "unknown key 'colour'"),
    ("- title: A\n  text: x\n- title: B\n", 3, "missing text"),
    ("- text: x\n", 1, "missing title"),
    ("- title: A\n  text: x\n  channel: email\n", 3, "channel 'email' must be public, dm or both"),
    ("- title: A\n  text: x\n- title: a\n  text: y\n", 3, "duplicate title 'a' (first on line 1)"),
    ("- title: A\n  text: 'Hi {order}'\n", 1, "unknown placeholder {order}"),
    ("- title: A\n  text: [x]\n", 2, "text must be a piece of text"),
    ("- title: A\n  text: x\n  tags: {a: b}\n", 3, "tags must be a list"),
    ("- title: A\n  text: x\n  title: B\n", 3, "title is given twice"),
    ("- title: A\n  text: x\n  faq: ftp://x\n", 1, "not an http(s) link"),
    ("- title: A\n  text: \"unclosed\n", 3, "not valid YAML"),
    ("- title: A\n   text: x\n", 2, "not valid YAML"),
    ("title: A\ntext: x\n", 1, "must be a list of replies"),
    ("- just a string\n", 1, "must be a mapping"),
])
def test_errors_name_the_file_the_line_and_the_reason(text, line, reason):
    error = _problems(text)
    assert error.source == "replies.yml"
    assert any(p.line == line and reason in p.reason for p in error.problems), error.problems
    assert f"replies.yml, line {line}: " in str(error)


def test_every_problem_is_reported_at_once():
    error = _problems("- title: A\n  text: x\n  colour: red\n- title: B\n  channel: fax\n")
    assert [(p.line, p.reason.split(" ")[0]) for p in error.problems] == [
        (3, "unknown"), (4, "missing"), (5, "channel")]


def test_load_names_a_missing_file(tmp_path):
    with pytest.raises(RepliesFileError, match=r"nope\.yml, line 0: cannot be read"):
        load_saved_replies(tmp_path / "nope.yml")


def test_load_reads_utf8(tmp_path):
    path = tmp_path / "r.yml"
    path.write_text("- title: Café\n  text: Olá {name} ✈️\n", encoding="utf-8")
    assert load_saved_replies(path)[0].title == "Café"
    path.write_bytes(b"- title: \xff\n  text: x\n")
    with pytest.raises(RepliesFileError, match="not UTF-8"):
        load_saved_replies(path)

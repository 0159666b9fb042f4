"""Long posts (X Premium, up to 25,000 characters) in Slack sections of 3,000 characters.

The parent quotes the start, up to ``PARENT_QUOTE_LIMIT`` characters, ending with a
marker; the case thread carries the rest in order, one section per piece. Limits are
counted after escaping and quoting, so every piece fits its section.

Example::

    first, rest = quoted_pieces(post.text)
    if rest:
        blocks, fallback = continuation(rest)
"""

from __future__ import annotations

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.render.mrkdwn import escape, quote

SECTION_LIMIT = 3000
PARENT_QUOTE_LIMIT = 2750  # the parent's header line (name, handle, followers) takes the rest
MARKER = "… _(full text in thread)_"
THREAD_TITLE = "*Full text, continued:*"
_BOUNDARY_LOOKBACK = 200


def quoted_pieces(text: str) -> tuple[str, list[str]]:
    """The escaped, quoted start for the parent (with the marker when cut) and the rest
    as escaped, quoted pieces of at most ``SECTION_LIMIT`` characters each, in order."""
    escaped = escape(text)
    first_budget = PARENT_QUOTE_LIMIT - len(MARKER) - 1
    if len(quote(escaped)) <= PARENT_QUOTE_LIMIT:
        return quote(escaped), []
    end = _cut(escaped, 0, first_budget)
    first = quote(escaped[:end]) + "\n" + MARKER
    rest, start = [], end
    while start < len(escaped):
        stop = _cut(escaped, start, SECTION_LIMIT)
        rest.append(quote(escaped[start:stop]))
        start = stop
    return first, rest


def continuation(pieces: list[str]) -> tuple[list[dict], str]:
    """The thread message carrying the rest of a long post: one section per piece."""
    blocks = [SectionBlock(text=MarkdownTextObject(text=THREAD_TITLE))]
    blocks += [SectionBlock(text=MarkdownTextObject(text=piece)) for piece in pieces]
    return [b.to_dict() for b in blocks], "Full text, continued"


def _cut(escaped: str, start: int, budget: int) -> int:
    """Where the piece from ``start`` ends: the furthest point whose quoted form fits
    ``budget``, moved back to a space or line break nearby and never inside an entity."""
    low, high = start + 1, len(escaped)
    while low < high:  # the quoted length grows with the end: find the furthest fit
        mid = (low + high + 1) // 2
        if len(quote(escaped[start:mid])) <= budget:
            low = mid
        else:
            high = mid - 1
    end = low
    if end >= len(escaped):
        return len(escaped)
    amp = escaped.rfind("&", max(start, end - 5), end)
    if amp != -1 and ";" not in escaped[amp:end]:
        end = amp
    near = max(start, end - _BOUNDARY_LOOKBACK)
    space = max(escaped.rfind(" ", near, end), escaped.rfind("\n", near, end))
    if space > start:
        end = space + 1
    return max(end, start + 1)

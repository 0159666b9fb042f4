"""Making untrusted text safe for Slack's mrkdwn.

Slack reads ``<...>`` as mentions, channel pings and links, and ``&`` as the start of
an entity. Every post, name, handle and bio from X goes through :func:`escape`, so
``<!channel>`` shows literally and ``<https://evil|bank.com>`` shows no spoofed link.

Example::

    >>> escape("<!channel> & <https://evil|bank.com>")
    '&lt;!channel&gt; &amp; &lt;https://evil|bank.com&gt;'
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text: str | None) -> str:
    text = _CONTROL.sub("", text or "")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def bound(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    # never leave half an entity such as "&am" behind
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def safe(text: str | None, limit: int) -> str:
    """Escape then bound: the usual treatment of customer text in a block."""
    return bound(escape(text), limit)


def quote(text: str) -> str:
    """Render already-escaped text as a mrkdwn block quote."""
    return "\n".join("&gt; " + line if line else "&gt;" for line in text.split("\n"))

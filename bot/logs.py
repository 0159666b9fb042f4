"""Logging set-up: secrets are masked in every record, chatty HTTP loggers are quieted.

tweepy and slack_sdk log request headers (with tokens) at DEBUG; they are held at
WARNING, and a filter replaces any configured secret that still reaches a record.
slack_bolt sets a level on each of its own loggers and logs whole request bodies below
WARNING (a failed signature check at INFO), so its records under WARNING are dropped at
the handler. Every message is kept to one line: line breaks and other control
characters (from posts, names, request fields) are escaped, so outside text cannot
forge a log line.

Example::

    configure_logging(secrets=settings.secrets, level="INFO")
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "[redacted]"
# Loggers whose records below WARNING may carry request bodies or headers.
BODY_LOGGERS = ("slack_bolt",)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters written as escapes.

    >>> one_line("a\\nINFO forged")
    'a\\\\nINFO forged'
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class OneLine(logging.Filter):
    """Escapes control characters in each record's message (tracebacks keep their lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        escaped = one_line(message)
        if escaped != message:
            record.msg, record.args = escaped, None
        return True


class NoRequestBodies(logging.Filter):
    """Drops records under WARNING from loggers that log request bodies."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return not any(record.name == name or record.name.startswith(name + ".")
                       for name in BODY_LOGGERS)


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = message
        for secret in self.secrets:
            redacted = redacted.replace(secret, MASK)
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            for secret in self.secrets:
                text = text.replace(secret, MASK)
            record.exc_text = text
            record.exc_info = None
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def configure_logging(*, secrets: Iterable[str], level: str = "INFO",
                      handler: logging.Handler | None = None) -> logging.Handler:
    handler = handler or logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(NoRequestBodies())
    handler.addFilter(RedactSecrets(secrets))
    handler.addFilter(OneLine())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("tweepy", "slack_sdk", "slack_bolt", "urllib3", "requests_oauthlib",
                  "oauthlib", "apscheduler", "waitress", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler

"""Logging set-up: secrets are masked in every record, chatty HTTP loggers are quieted.

tweepy and slack_sdk log request headers (with tokens) at DEBUG; they are held at
WARNING, and a filter replaces any configured secret that still reaches a record.

Example::

    configure_logging(secrets=settings.secrets, level="INFO")
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

MASK = "[redacted]"


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
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("tweepy", "slack_sdk", "slack_bolt", "urllib3", "requests_oauthlib",
                  "oauthlib", "apscheduler", "waitress"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler

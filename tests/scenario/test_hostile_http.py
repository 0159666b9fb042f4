"""/slack/events against hostile requests: bounded, verified and parsed before Bolt."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import time
from contextlib import contextmanager
from urllib.parse import quote

import pytest
import requests

from bot.logs import configure_logging
from bot.web import MAX_BODY_BYTES
from tests.scenario.harness import SECRETS, SIGNING_SECRET

FORM = "application/x-www-form-urlencoded"
FORGED = "2026-12-01 09:00:00,000 INFO care_desk: FORGED"
HOOK = "https://hooks.slack.com/actions/T0CARE/1/secretpath"

MALFORMED_PAYLOADS = [
    b"payload=not-json",
    b"payload=%7B%22type%22%3A",               # broken JSON: {"type":
    b"payload=%5B1%2C2%5D",                     # a JSON array
    b"payload=%22text%22",                      # a JSON string
    b"payload=\xff\xfe\xfa",                    # bad UTF-8
    b'payload={"a":"\xed\xb3\xbf"}',            # a lone surrogate, encoded raw
    b"{not json",
]
JSON_BODIES = [b"[1, 2, 3]", b"not json", b"null", b'"text"']


def sign(body: bytes, *, timestamp: str | None = None,
         content_type: str = FORM) -> dict[str, str]:
    timestamp = timestamp or str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + timestamp.encode() + b":" + body,
                      hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}",
            "Content-Type": content_type}


def post(desk, body: bytes, headers: dict[str, str]) -> requests.Response:
    return requests.post(desk.requests.url, data=body, headers=headers, timeout=10)


@contextmanager
def captured_log():
    """The app's own logging set-up, writing each formatted line into a list."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level
              for name in ("", "tweepy", "slack_sdk", "slack_bolt", "urllib3", "waitress",
                           "requests_oauthlib", "oauthlib", "apscheduler")}
    handler = configure_logging(secrets=list(SECRETS.values()) + [SIGNING_SECRET],
                                level="DEBUG", handler=Collect())
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("body", MALFORMED_PAYLOADS)
def test_malformed_body_is_400_when_signed_and_401_when_not(desk, body):
    assert post(desk, body, sign(body)).status_code == 400
    unsigned = dict(sign(body), **{"X-Slack-Signature": "v0=" + "0" * 64})
    assert post(desk, body, unsigned).status_code == 401


def test_json_body_that_is_no_object_is_400(desk):
    for body in JSON_BODIES:
        assert post(desk, body, sign(body, content_type="application/json")).status_code == 400


@pytest.mark.parametrize("timestamp", ["soon", "12.5", "-1", "", "0x10", "1e9", "9" * 40])
def test_non_numeric_timestamp_fails_the_signature_check(desk, timestamp):
    body = b"command=%2Fcare&text=status&user_id=U1&channel_id=C0CARE"
    headers = dict(sign(body), **{"X-Slack-Request-Timestamp": timestamp})
    assert post(desk, body, headers).status_code == 401


def test_a_declared_body_over_the_bound_is_refused_unread(desk):
    with socket.create_connection(("127.0.0.1", desk.port), timeout=5) as conn:
        conn.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     + f"Content-Length: {50 * MAX_BODY_BYTES}\r\n\r\n".encode()
                     + b"payload=")
        answer = conn.recv(200)
    assert answer.startswith(b"HTTP/1.1 413")


def test_a_chunked_body_over_the_bound_is_refused(desk):
    chunk = b"a" * 65536

    def chunks():
        for _ in range(MAX_BODY_BYTES // len(chunk) + 2):
            yield chunk

    try:
        status = requests.post(desk.requests.url, data=chunks(), timeout=10,
                               headers={"Content-Type": FORM}).status_code
    except requests.ConnectionError:
        status = None  # the server may close the connection while the client still sends
    assert status in (413, None)
    # A body just under the bound goes through to the signature check.
    small = b"a" * (MAX_BODY_BYTES - 1)
    assert post(desk, small, {"Content-Type": FORM}).status_code == 401


def test_hostile_bodies_never_get_a_5xx(desk):
    signed_garbage = [b"", b"{}", b'{"type": 5}', b'{"type": "event_callback"}',
                      b'{"type": "event_callback", "event": []}', b'{"team": "T"}',
                      b"payload=%7B%7D", b'payload={"type":"block_actions"}',
                      b'payload={"type":"block_actions","actions":"x","user":7}',
                      b'payload={"type":"view_submission","view":null}',
                      b'payload={"type":"block_actions","text":"\\ud83d"}',
                      b"command=%2Fcare", b"command=%2Fcare&text=%00%ff",
                      b"token=&command=&text=", b"\x00" * 100] + MALFORMED_PAYLOADS
    statuses = {}
    for body in signed_garbage:
        statuses[body] = post(desk, body, sign(body)).status_code
        statuses[b"unsigned:" + body] = post(desk, body, {"Content-Type": FORM}).status_code
    assert len(statuses) == 2 * len(signed_garbage)
    assert [b for b, status in statuses.items() if status >= 500] == []


def test_refusals_log_one_line_without_the_body(desk):
    body = ("payload=" + quote(json.dumps({"type": "block_actions", "response_url": HOOK}))
            + "&note=x%0A" + quote(FORGED) + "\n" + FORGED).encode()
    with captured_log() as lines:
        assert post(desk, body, dict(sign(body), **{"X-Slack-Signature": "v0=bad"})) \
            .status_code == 401
        assert post(desk, b"payload=[1]", sign(b"payload=[1]")).status_code == 400
        # Bolt itself logs failed-signature bodies at INFO on its own loggers.
        logging.getLogger("slack_bolt.middleware.request_verification").info(
            "Invalid request signature detected (body: %s)", body.decode())
        logging.getLogger("care_desk.test").warning("post text: %s", "hi\n" + FORGED)
    joined = "\n".join(lines)
    assert "signature check failed" in joined and "not an object" in joined
    assert "secretpath" not in joined and "hooks.slack.com" not in joined
    assert all("\n" not in line and "\r" not in line for line in lines)
    assert not any(line.startswith(FORGED) for line in lines)
    assert any("post text: hi\\n" + FORGED in line for line in lines)

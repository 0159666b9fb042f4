"""HTTP mode: one WSGI app serving Slack's requests and a health check, run by waitress.

``POST /slack/events`` takes events, commands and interactivity; ``GET /healthz``
reports the database, the last X poll and the outbox backlog. Several instances behind
a load balancer share one database.

Before Bolt sees a request it passes a gate: a body over ``MAX_BODY_BYTES`` is refused
with 413 before it is read whole, a request whose signature does not check out (a
non-numeric timestamp included) gets 401, and a signed body Bolt could not parse
(``payload=`` that is not a JSON object, bad UTF-8) gets 400. Each refusal is one log
line, without the body.

Example::

    server = make_server(runtime, host="0.0.0.0", port=3000)
    server.run()
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import create_server, wasyncore

log = logging.getLogger(__name__)

# Slack's own requests are far smaller: a modal submission of 100 blocks with 3,000
# characters each stays under 400 KB. 1 MiB leaves room for that and refuses anything
# meant only to make the server buffer and parse.
MAX_BODY_BYTES = 1024 * 1024
# Slack refuses to sign requests older than this; so do we (replays).
MAX_SIGNATURE_AGE_SECONDS = 5 * 60


@dataclass(frozen=True)
class Refusal:
    status: str
    reason: str


def _read_body(environ) -> bytes | Refusal:
    """The request body, read at most up to ``MAX_BODY_BYTES`` + 1 bytes."""
    declared = environ.get("CONTENT_LENGTH") or ""
    if declared:
        if not declared.isdigit():
            return Refusal("400 Bad Request", "Content-Length is not a number")
        if int(declared) > MAX_BODY_BYTES:
            return Refusal("413 Content Too Large", f"declared body of {declared} bytes")
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    raw = stream.read(int(declared) if declared else MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        return Refusal("413 Content Too Large", f"body over {MAX_BODY_BYTES} bytes")
    return raw


def _signed(raw: bytes, *, environ, secret: str, now: float) -> bool:
    """Slack's v0 signature: HMAC-SHA256 of ``v0:{timestamp}:{body}``, fresh timestamp."""
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or ""
    signature = environ.get("HTTP_X_SLACK_SIGNATURE") or ""
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        return False
    if abs(now - int(timestamp)) > MAX_SIGNATURE_AGE_SECONDS:
        return False
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + raw,
                      hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v0={digest}".encode(), signature.encode("utf-8", "replace"))


def _malformed(raw: bytes, content_type: str) -> str | None:
    """Why Bolt could not parse this body, or None. Mirrors how Bolt reads a body: JSON
    (by content type or a leading brace), else a form whose ``payload`` is JSON."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "body is not UTF-8"
    if not text:
        return None
    try:
        if content_type.split(";")[0].strip() == "application/json" or text.startswith("{"):
            data = json.loads(text)
        elif "payload" in text:
            payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
            data = {} if payload is None else json.loads(payload)
        else:
            return None
    except ValueError:
        return "body is not valid JSON"
    if not isinstance(data, dict):
        return "JSON body is not an object"
    return _misshapen(data)


# Fields Bolt reads as objects (or lists of objects) before any listener runs.
_OBJECTS = ("event", "view", "user")
_OBJECTS_OR_NULL = ("team", "enterprise", "channel", "container", "message", "state")


def _misshapen(data: dict) -> str | None:
    for name in _OBJECTS:
        if name in data and not isinstance(data[name], dict):
            return f"{name} is not an object"
    for name in _OBJECTS_OR_NULL:
        if data.get(name) is not None and not isinstance(data[name], dict):
            return f"{name} is not an object"
    actions = data.get("actions")
    if actions is not None and not (isinstance(actions, list)
                                    and all(isinstance(a, dict) for a in actions)):
        return "actions is not a list of objects"
    return None


def _answer(start_response, refusal: Refusal):
    body = refusal.status.split(" ", 1)[1].lower().encode()
    start_response(refusal.status, [("Content-Type", "text/plain"),
                                    ("Content-Length", str(len(body)))])
    return [body]


def slack_gate(slack_handler, *, signing_secret: str, verify: bool = True,
               now=time.time):
    """Wrap Bolt's WSGI handler: bound, verify and check a request before Bolt sees it."""

    def gate(environ, start_response):
        raw = _read_body(environ)
        if isinstance(raw, Refusal):
            log.warning("refused a Slack request (%s): %s", raw.status[:3], raw.reason)
            return _answer(start_response, raw)
        if verify and not _signed(raw, environ=environ, secret=signing_secret, now=now()):
            log.info("refused a Slack request (401): signature check failed")
            return _answer(start_response, Refusal("401 Unauthorized", "bad signature"))
        problem = _malformed(raw, environ.get("CONTENT_TYPE") or "")
        if problem:
            log.warning("refused a signed Slack request (400): %s", problem)
            return _answer(start_response, Refusal("400 Bad Request", problem))
        environ = dict(environ, **{"wsgi.input": io.BytesIO(raw),
                                   "CONTENT_LENGTH": str(len(raw))})
        try:
            # Listeners run after the ack on their own threads; what fails here is Bolt
            # reading a signed payload of a shape it does not expect.
            return slack_handler(environ, start_response)
        except Exception as exc:  # noqa: BLE001 - one line, then a 400, never a 500
            log.warning("refused a signed Slack request (400): Bolt could not read it (%s: %s)",
                        type(exc).__name__, str(exc)[:200])
            return _answer(start_response, Refusal("400 Bad Request", "unreadable"))

    return gate


def health_answer(runtime):
    """``/healthz``'s status, headers and body, encoded once for each health snapshot
    (and polling error): a check does no more work than a static page."""
    encoded: list = [None, None, None]  # the snapshot, the polling error, the answer

    def answer() -> tuple[str, list, bytes]:
        board = runtime.health_board
        reading = board.current() if board is not None else None
        error = runtime.poller.last_error
        if reading is None or reading is not encoded[0] or error != encoded[1]:
            health = runtime.health()
            status = "200 OK" if health["database"] == "ok" else "503 Service Unavailable"
            body = json.dumps(health).encode()
            encoded[:] = [reading, error, (status, [("Content-Type", "application/json"),
                                                   ("Content-Length", str(len(body)))], body)]
        return encoded[2]

    return answer


def wsgi_app(runtime):
    settings = runtime.settings
    health_page = health_answer(runtime)
    slack_handler = slack_gate(SlackRequestHandler(runtime.app),
                               signing_secret=settings.slack_signing_secret or "",
                               verify=not settings.socket_mode)

    def application(environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/slack/events" and method == "POST":
            return slack_handler(environ, start_response)
        if path == "/healthz" and method == "GET":
            status, headers, body = health_page()
            start_response(status, headers)
            return [body]
        body = b"not found"
        start_response("404 Not Found", [("Content-Type", "text/plain"),
                                         ("Content-Length", str(len(body)))])
        return [body]

    return application


def make_server(runtime, *, host: str, port: int, threads: int = 32):
    # waitress refuses an over-long body itself too (declared or chunked) before
    # buffering it; its default would be 1 GiB.
    return create_server(wsgi_app(runtime), host=host, port=port, threads=threads,
                         ident="care-desk", max_request_body_size=MAX_BODY_BYTES)


def stop_server(server, *, timeout: float = 5.0) -> None:
    """Stop listening, let running requests finish, then close every connection and
    the trigger, in that order; safe to call twice.

    Every socket is closed inside the server's own loop thread (through its trigger):
    a socket closed by another thread while the loop waits on it fails the loop with
    EBADF. The trigger is closed last, once no request thread is left to pull it (a
    thread that outlived ``timeout`` would pull a closed pipe: then the trigger is only
    taken out of the loop). With no sockets left, ``server.run()`` returns.
    """
    if server.trigger._closed:  # stopped before
        return
    _in_loop(server, lambda: wasyncore.dispatcher.close(server), timeout=timeout)
    server.task_dispatcher.shutdown(timeout=timeout)
    idle = not server.task_dispatcher.threads

    def close_rest() -> None:
        for channel in list(server._map.values()):
            if channel is not server.trigger:
                channel.close()
        if idle:
            server.trigger.close()
        else:
            server.trigger.del_channel()

    _in_loop(server, close_rest, timeout=timeout)


def _in_loop(server, work, *, timeout: float) -> bool:
    """Run ``work`` in the server's loop thread; False if it did not run in ``timeout``."""
    done = threading.Event()

    def run() -> None:
        try:
            work()
        finally:
            done.set()

    server.trigger.pull_trigger(run)
    return done.wait(timeout)

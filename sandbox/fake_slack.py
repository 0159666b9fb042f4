"""A local stand-in for the Slack Web API, served over real HTTP (standard library only).

Scenario tests and the sandbox point ``slack_sdk.WebClient(base_url=fake.url)`` at it; the
product code path is unchanged. Every call is recorded; faults (429, 5xx, Slack errors) and a
per-channel rate limit can be switched on. State lives in ``fake_slack_store.SlackStore``.

Example::

    from slack_sdk import WebClient

    with FakeSlack() as fake:
        fake.add_channel(channel_id="C0CASES", name="cases")
        client = WebClient(token=fake.bot_token, base_url=fake.url)
        ts = client.chat_postMessage(channel="C0CASES", text="New case")["ts"]
        client.chat_postMessage(channel="C0CASES", thread_ts=ts, text="claimed")
        assert fake.messages("C0CASES")[0]["reply_count"] == 1
        fake.fail_next("chat.postMessage", status=429, retry_after=1)
"""

from __future__ import annotations

import copy
import email.parser
import json
import logging
import math
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from sandbox.fake_slack_store import Body, SlackStore, error

log = logging.getLogger(__name__)

JSON_ARGS = ("blocks", "view", "attachments", "metadata")
BOOL_ARGS = ("unfurl_links", "unfurl_media", "mrkdwn", "reply_broadcast", "as_user")
Listener = Callable[[dict[str, Any]], None]


def decode_args(content_type: str, body: bytes, query: str = "") -> Body:
    """Decode a Web API request body (JSON, form or multipart) plus query string into args."""
    args: Body = dict(parse_qsl(query, keep_blank_values=True))
    ctype = content_type.split(";")[0].strip().lower()
    if ctype == "application/json" and body:
        parsed = json.loads(body.decode("utf-8"))
        args.update(parsed if isinstance(parsed, dict) else {})
    elif ctype == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        msg = email.parser.BytesParser().parsebytes(head + body)
        for part in msg.iter_parts() if msg.is_multipart() else []:
            name = part.get_param("name", header="content-disposition")
            if name:
                payload = part.get_payload(decode=True) or b""
                args[str(name)] = payload.decode("utf-8", errors="replace")
    elif body:
        args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for key in JSON_ARGS:
        value = args.get(key)
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            try:
                args[key] = json.loads(value)
            except ValueError:
                pass  # left as a string; the method answers invalid_blocks/invalid_arguments
    for key in BOOL_ARGS:
        if isinstance(args.get(key), str):
            args[key] = args[key].lower() in ("1", "true")
    return args


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        self._serve()

    def do_GET(self) -> None:  # noqa: N802
        self._serve()

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        if parts.path.startswith(("/upload/", "/files/")):
            self._serve_file(parts.path)
            return
        if not parts.path.startswith("/api/"):
            self._send(404, {"Content-Type": "text/plain"}, b"not found")
            return
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        auth = self.headers.get("Authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        try:
            args = decode_args(self.headers.get("Content-Type", ""), raw, parts.query)
        except (ValueError, UnicodeDecodeError):
            args = {"_undecodable": raw.decode("latin-1")}
        status, headers, payload = self.server.fake.handle(parts.path[5:], args, token)
        self._send(status, headers, payload)

    def _serve_file(self, path: str) -> None:
        """The upload URL (POST the bytes) and the shared files (GET, for the sandbox page)."""
        kind, _, file_id = path.strip("/").partition("/")
        if kind == "upload" and self.command == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            status = self.server.fake.receive_upload(file_id, self.rfile.read(length))
            self._send(status, {"Content-Type": "text/plain"}, b"OK" if status == 200 else b"")
            return
        found = self.server.fake.file_content(file_id) if kind == "files" else None
        if found is None:
            self._send(404, {"Content-Type": "text/plain"}, b"not found")
            return
        self._send(200, {"Content-Type": found[0]}, found[1])

    def _send(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        log.debug("fake slack: " + format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # bursts of concurrent clients must not hit SYN retries
    fake: FakeSlack


class FakeSlack:
    """Fake Slack Web API on ``127.0.0.1`` (random port by default), thread-safe.

    Order of checks per call: injected fault, unknown method, token, per-channel rate limit
    (chat.postMessage only), then the method itself. Every call lands in ``calls``.

    Example::

        fake = FakeSlack(bot_token="xoxb-test").start()
        fake.add_user(user_id="U1", name="ana")
        client = WebClient(token="xoxb-test", base_url=fake.url)
        assert client.users_info(user="U1")["user"]["name"] == "ana"
        fake.stop()
    """

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test",
        team_id: str = "T0CARE",
        bot_user_id: str = "UBOT",
        host: str = "127.0.0.1",
        port: int = 0,
        team_domain: str = "care-desk",
        trigger_ttl: float = 3.0,
    ) -> None:
        self.bot_token, self.team_id, self.bot_user_id = bot_token, team_id, bot_user_id
        self.trigger_ttl = trigger_ttl
        self._address = (host, port)
        self._store = SlackStore(team_id=team_id, team_domain=team_domain, bot_user_id=bot_user_id)
        self._lock = self._store.lock
        self._calls: list[dict[str, Any]] = []
        self._faults: dict[str, list[dict[str, Any]]] = {}
        self._rate: float | None = None
        self._burst = 3.0
        self._buckets: dict[str, tuple[float, float]] = {}
        self._listeners: list[Listener] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ----------------------------------------------------------------------------
    def start(self) -> FakeSlack:
        """Bind and serve in a daemon thread; returns self so ``FakeSlack().start()`` chains."""
        if self._server is None:
            self._server = _Server(self._address, _Handler)
            self._server.fake = self
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.05,), name="fake-slack", daemon=True
            )
            self._thread.start()
            host, port = self._server.server_address[:2]
            with self._lock:
                self._store.files.upload_base = f"http://{host}:{port}/"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL for ``WebClient(base_url=...)``, with the trailing slash it needs."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/"

    # --- setup --------------------------------------------------------------------------------
    def add_user(
        self,
        *,
        user_id: str,
        name: str,
        real_name: str | None = None,
        is_bot: bool = False,
        tz: str = "UTC",
    ) -> None:
        with self._lock:
            self._store.add_user(
                user_id=user_id, name=name, real_name=real_name, is_bot=is_bot, tz=tz
            )

    def add_usergroup(self, *, group_id: str, handle: str, user_ids: list[str]) -> None:
        with self._lock:
            self._store.usergroups[group_id] = {
                "id": group_id,
                "handle": handle,
                "users": list(user_ids),
            }

    def add_channel(self, *, channel_id: str, name: str, is_private: bool = False,
                    is_member: bool = True) -> None:
        with self._lock:
            self._store.add_channel(channel_id=channel_id, name=name, is_private=is_private,
                                    is_member=is_member)

    def set_member(self, channel_id: str, *, member: bool) -> None:
        """Whether the app is in the channel (``conversations.info``'s ``is_member``)."""
        with self._lock:
            self._store.channels[channel_id]["is_member"] = member

    def issue_trigger(self, *, user_id: str) -> str:
        """A trigger_id (as in an interactive payload) that expires after ``trigger_ttl``."""
        with self._lock:
            return self._store.issue_trigger(user_id=user_id, ttl=self.trigger_ttl)

    # --- faults -------------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        count: int = 1,
        error: str | None = None,
        retry_after: int = 1,
    ) -> None:
        """Make the next ``count`` calls to ``method`` fail.

        429 -> HTTP 429, ``Retry-After`` and ``{"ok": false, "error": "ratelimited"}``;
        5xx -> that status with an HTML body; 200 -> ``{"ok": false, "error": error}``.
        """
        fault = {"status": status, "error": error, "retry_after": retry_after}
        with self._lock:
            self._faults.setdefault(method, []).extend(dict(fault) for _ in range(count))

    def set_rate_limit(self, *, per_channel_per_second: float | None, burst: int = 3) -> None:
        """Token bucket per channel for chat.postMessage (``burst`` tokens); None disables."""
        with self._lock:
            self._rate, self._burst = per_channel_per_second, float(burst)
            self._buckets.clear()

    def reset_faults(self) -> None:
        with self._lock:
            self._faults.clear()
            self._rate = None
            self._buckets.clear()

    # --- inspection ---------------------------------------------------------------------------
    @property
    def calls(self) -> list[dict[str, Any]]:
        """Copies of every call: ``{"method", "args", "status", "ok", "response", "at"}``."""
        with self._lock:
            return copy.deepcopy(self._calls)

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [c for c in self.calls if c["method"] == method]

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Top-level messages in posting order, each with ``reply_count`` and ``replies``."""
        with self._lock:
            return self._store.messages(channel)

    def thread(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        with self._lock:
            return self._store.thread(channel, thread_ts)

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        with self._lock:
            return self._store.message(channel, ts)

    def ephemerals(self, *, user: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            found = self._store.ephemeral_log
            return copy.deepcopy([e for e in found if user is None or e["user"] == user])

    def views(self) -> list[dict[str, Any]]:
        """Current state of every opened/pushed view: ``{"id", "trigger_id", "user", ...}``."""
        with self._lock:
            return copy.deepcopy(list(self._store.view_log.values()))

    def home_view(self, user: str) -> dict[str, Any] | None:
        """The Home tab last published for ``user`` (None before the first)."""
        with self._lock:
            return copy.deepcopy(self._store.modals.home_views.get(user))

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(call_record)`` after each call; returns an unsubscribe function."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def receive_upload(self, file_id: str, data: bytes) -> int:
        """The upload step of ``files_upload_v2``; recorded in ``calls`` as ``upload``."""
        with self._lock:
            status = self._store.files.receive(file_id, data)
            self._calls.append({"method": "upload", "args": {"file_id": file_id,
                                                             "length": len(data)},
                                "status": status, "ok": status == 200, "response": None,
                                "at": time.time()})
        return status

    def file_content(self, file_id: str) -> tuple[str, bytes] | None:
        """(mimetype, bytes) of a shared file, or None."""
        with self._lock:
            return self._store.files.content(file_id)

    # --- request handling ---------------------------------------------------------------------
    def handle(
        self, method: str, args: Body, token: str | None
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one call; returns (HTTP status, headers, body). Used by the HTTP handler."""
        token = token or args.pop("token", None)
        args.pop("token", None)
        headers = {"Content-Type": "application/json; charset=utf-8"}
        with self._lock:
            status, body = 200, None
            fault = self._fault_body(method, headers)
            if fault is not None:
                status = int(fault.pop("_status"))
                body = None if fault.pop("_html", False) else fault
            elif method not in self._store.handlers:
                body = error("unknown_method")
            elif not token:
                body = error("not_authed")
            elif token != self.bot_token:
                body = error("invalid_auth")
            elif method == "chat.postMessage" and not self._take_token(args, headers):
                status, body = 429, error("ratelimited")
            else:
                body = self._store.dispatch(method, args)
            record = {
                "method": method,
                "args": copy.deepcopy(args),
                "status": status,
                "ok": bool(body and body.get("ok")),
                "response": copy.deepcopy(body),
                "at": time.time(),
            }
            self._calls.append(record)
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(copy.deepcopy(record))
            except Exception:  # a broken UI must not break the API
                log.exception("fake slack listener failed")
        if body is None:
            try:
                reason = HTTPStatus(status).phrase
            except ValueError:
                reason = ""
            html = f"<html><body><h1>{status} {reason}</h1></body></html>"
            return status, {"Content-Type": "text/html"}, html.encode()
        return status, headers, json.dumps(body).encode("utf-8")

    def _fault_body(self, method: str, headers: dict[str, str]) -> Body | None:
        """Pop an injected fault: a body with ``_status``, or ``{"_status": n}`` for HTML."""
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue.pop(0)
        status = fault["status"]
        if status == 429:
            headers["Retry-After"] = str(fault["retry_after"])
            return {**error(fault["error"] or "ratelimited"), "_status": 429}
        if status == 200:
            return {**error(fault["error"] or "fatal_error"), "_status": 200}
        return {"_status": status, "_html": True}

    def _take_token(self, args: Body, headers: dict[str, str]) -> bool:
        if self._rate is None:
            return True
        channel = self._store.resolve(args.get("channel")) or str(args.get("channel"))
        now = time.monotonic()
        tokens, last = self._buckets.get(channel, (self._burst, now))
        tokens = min(self._burst, tokens + (now - last) * self._rate)
        if tokens >= 1.0:
            self._buckets[channel] = (tokens - 1.0, now)
            return True
        self._buckets[channel] = (tokens, now)
        headers["Retry-After"] = str(max(1, math.ceil((1.0 - tokens) / self._rate)))
        return False

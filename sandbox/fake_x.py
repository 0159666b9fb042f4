"""A local fake of the X API v2: a real HTTP server answering in the OpenAPI spec's shapes.

It stands in for ``https://api.twitter.com`` in tests and in sandbox mode: it keeps users,
posts and DMs in memory, records every request, and fails on demand (``fail_next``,
``set_fault_rate``). Every request needs an ``Authorization`` header ("OAuth ..." or
"Bearer ..."), as on X. Standard library only.

Example::

    fake = FakeX(brand_username="acme").start()
    tid = fake.post_as_customer(username="jane", text="@acme my order is late")
    # point tweepy at fake.url (mount a transport adapter on client.session), then:
    #   client.get_users_mentions(fake.brand_id)  -> sees tid
    #   client.create_tweet(text="Sorry!", in_reply_to_tweet_id=tid)
    fake.brand_posts()[0]["in_reply_to_tweet_id"] == tid
    fake.fail_next(method="POST", path_prefix="/2/tweets", status=503, after_effect=True)
    fake.stop()
"""

from __future__ import annotations

import copy
import json
import random
import re
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from sandbox.fake_x_store import (
    Problem,
    Request,
    XStore,
    invalid_request,
    matcher,
    not_found_error,
)

_TQ = {"tweet.fields", "expansions", "user.fields", "media.fields", "poll.fields",
       "place.fields"}
_TIMELINE = _TQ | {"since_id", "until_id", "max_results", "pagination_token", "start_time",
                   "end_time"}
_DM_QUERY = {"dm_event.fields", "expansions", "user.fields", "tweet.fields", "media.fields",
             "max_results", "pagination_token", "event_types"}


@dataclass
class _Fault:
    method: str
    path_prefix: str
    status: int
    count: int = 1
    after_effect: bool = False
    headers: dict | None = None
    body: dict | None = None
    delay: float = 0.0


def _default_error(status: int) -> dict:
    if status == 402:
        return {"title": "CreditsDepleted", "type": "https://api.twitter.com/2/problems/credits",
                "detail": "Your enrolled account does not have any credits.", "status": 402}
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return {"title": phrase, "detail": phrase, "type": "about:blank", "status": status}


class FakeX:
    """The fake X API server; see the module docstring for an example."""

    def __init__(self, *, brand_username: str = "acme", brand_name: str = "Acme",
                 host: str = "127.0.0.1", port: int = 0, enforce_reply_rule: bool = True) -> None:
        self.store = XStore(brand_username=brand_username, brand_name=brand_name,
                            enforce_reply_rule=enforce_reply_rule)
        self.brand_id: str = self.store.brand_id
        self.server_errors: list[str] = []
        self._host, self._port = host, port
        self._calls: list[Request] = []
        self._faults: list[_Fault] = []
        self._rate: tuple[float, tuple[int, ...], random.Random, tuple[str, ...]] | None = None
        self.injected: list[tuple[str, str, int, bool]] = []  # (method, path, status, effect)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeX:
        fake = self

        class Handler(_Handler):
            owner = fake

        self._server = ThreadingHTTPServer((self._host, self._port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-x",
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> FakeX:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if not self._server:
            raise RuntimeError("FakeX is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # ---- test-side actions and accessors ---------------------------------------------------

    def add_user(self, *, username: str, name: str | None = None, followers_count: int = 0,
                 description: str = "", verified: bool = False) -> str:
        return self.store.add_user(username=username, name=name, description=description,
                                   followers_count=followers_count, verified=verified)

    def post_as_customer(self, *, username: str, text: str, in_reply_to_post_id: str | None = None,
                         quote_of: str | None = None,
                         created_at: datetime | str | None = None, lang: str = "en") -> str:
        """A post by ``username`` (created if new); returns its id. ``created_at`` defaults
        to now; replies inherit the parent's conversation_id; ``lang`` is X's language code."""
        uid = self.add_user(username=username)
        if uid == self.brand_id:
            raise ValueError("the brand posts through POST /2/tweets, not post_as_customer")
        return self.store.create_tweet(author_id=uid, text=text, reply_to=in_reply_to_post_id,
                                       quote_of=quote_of, created_at=created_at, lang=lang)

    def send_dm_as_customer(self, *, username: str, text: str) -> str:
        uid = self.add_user(username=username)
        return self.store.create_dm(sender_id=uid, to_id=self.brand_id, text=text)["id"]

    def all_posts(self) -> list[dict]:
        with self.store.lock:
            return copy.deepcopy(list(self.store.tweets.values()))

    posts = property(all_posts)

    def brand_posts(self) -> list[dict]:
        """Brand posts (full tweet objects plus ``in_reply_to_tweet_id``), oldest first."""
        with self.store.lock:
            out = []
            for tid in self.store.brand_tweet_ids:
                t = copy.deepcopy(self.store.tweets[tid])
                refs = [r["id"] for r in t.get("referenced_tweets", [])
                        if r["type"] == "replied_to"]
                t["in_reply_to_tweet_id"] = refs[0] if refs else None
                out.append(t)
            return out

    def brand_dms(self) -> list[dict]:
        """DMs sent by the brand (DM events plus ``recipient_id``), oldest first."""
        with self.store.lock:
            return [dict({k: v for k, v in e.items() if k != "_to"}, recipient_id=e["_to"])
                    for e in self.store.dms.values() if e["sender_id"] == self.brand_id]

    def hidden_post_ids(self) -> set[str]:
        with self.store.lock:
            return set(self.store.hidden)

    def muted_user_ids(self) -> set[str]:
        with self.store.lock:
            return set(self.store.muted)

    def liked_post_ids(self) -> set[str]:
        with self.store.lock:
            return set(self.store.liked)

    @property
    def reads(self) -> int:
        """Posts returned so far by read endpoints (X bills reads per post)."""
        return self.store.reads

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every request received, query string excluded."""
        with self.store.lock:
            return [(c.method, c.path) for c in self._calls]

    @property
    def calls(self) -> list[Request]:
        """Every request with its query (``dict[str, str]``), headers and JSON body."""
        with self.store.lock:
            return list(self._calls)

    # ---- faults ------------------------------------------------------------------------------

    def fail_next(self, *, method: str, path_prefix: str, status: int, count: int = 1,
                  after_effect: bool = False, headers: dict | None = None,
                  body: dict | None = None, delay: float = 0.0) -> None:
        """Answer the next ``count`` matching requests (method may be ``"*"``) with ``status``.

        ``after_effect``: apply the real effect first. ``status=0``: close the socket without
        answering. A 2xx status only delays the real answer. ``headers`` merge over the defaults
        (429 gets x-rate-limit-*); a ``None`` value removes a header.
        """
        with self.store.lock:
            self._faults.append(_Fault(method.upper(), path_prefix, status, count, after_effect,
                                       headers, body, delay))

    def set_fault_rate(self, *, rate: float, statuses: tuple[int, ...] = (429, 503),
                       seed: int = 0, methods: tuple[str, ...] = ("GET", "POST")) -> None:
        """Fail a random ``rate`` of requests (reproducible for one seed and request order);
        a failing POST applies its effect first half of the time."""
        with self.store.lock:
            self._rate = (rate, tuple(statuses), random.Random(seed), tuple(methods))

    def reset_faults(self) -> None:
        with self.store.lock:
            self._faults.clear()
            self._rate = None

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        with self.store.lock:
            for f in self._faults:
                if f.method in (method, "*") and path.startswith(f.path_prefix) and f.count > 0:
                    f.count -= 1
                    if f.count == 0:
                        self._faults.remove(f)
                    return f
            if self._rate and method in self._rate[3]:
                rate, statuses, rng, _ = self._rate
                hit, status, effect = rng.random() < rate, rng.choice(statuses), rng.random() < .5
                if hit:
                    return _Fault(method, path, status, after_effect=effect and method == "POST")
            return None

    # ---- the HTTP API ------------------------------------------------------------------------

    def serve(self, req: Request) -> tuple[int, dict]:
        """Answer one API request: (status, JSON body); raises Problem for errors."""
        auth = req.headers.get("authorization", "")
        if not auth.startswith(("OAuth ", "Bearer ")):
            raise Problem(401, "Unauthorized", "Unauthorized")
        for method, pattern, name, allowed in _ROUTES:
            m = pattern.fullmatch(req.path)
            if m and method == req.method:
                unknown = sorted(set(req.query) - allowed)
                if unknown:
                    raise invalid_request(unknown[0], req.query[unknown[0]],
                                          f"The query parameter [{unknown[0]}] is not one of "
                                          f"[{','.join(sorted(allowed))}]")
                q = {k: set(filter(None, req.query.get(k, "").split(",")))
                     for k in ("tweet.fields", "expansions", "user.fields", "dm_event.fields")}
                with self.store.lock:
                    return getattr(self, name)(req, q, *m.groups())
        raise Problem(404, "Not Found Error", f"No route for {req.method} {req.path}.")

    def _user(self, uid: str) -> dict:
        if uid not in self.store.users:
            raise Problem(404, "Not Found Error", f"Could not find user with id: [{uid}].",
                          "https://api.twitter.com/2/problems/resource-not-found")
        return self.store.users[uid]

    def _body(self, req: Request, key: str) -> object:
        if not isinstance(req.json, dict) or key not in req.json:
            raise invalid_request(key, "", f"$.{key}: is missing but it is required")
        return req.json[key]

    # Route handlers: called with the store lock held; return (status, JSON body).

    def _me(self, req, q):
        return 200, {"data": self.store.render_user(self.brand_id, q["user.fields"])}

    def _user_lookup(self, req, q, uid):
        if uid not in self.store.users:
            return 200, {"errors": [not_found_error("user", "id", uid)]}
        return 200, {"data": self.store.render_user(uid, q["user.fields"])}

    def _mentions(self, req, q, uid):
        self._user(uid)
        mine = [t for t in self.store.tweets.values()
                if uid in self.store.mentions_of.get(t["id"], ())]
        mine = sorted(mine, key=lambda t: int(t["id"]), reverse=True)[:800]
        return self.store.tweet_page(mine, req, q, 5, 100)

    def _user_tweets(self, req, q, uid):
        self._user(uid)
        excl = set(req.query.get("exclude", "").split(","))
        mine = [t for t in self.store.tweets.values() if t["author_id"] == uid
                and not ("replies" in excl and "in_reply_to_user_id" in t)]
        return self.store.tweet_page(mine, req, q, 5, 100)

    def _search(self, req, q):
        match = matcher(self.store, req.query.get("query", ""))
        hits = [t for t in self.store.tweets.values() if match(t)]
        return self.store.tweet_page(hits, req, q, 10, 100)

    def _lookup(self, req, q, tid=None):
        ids = [tid] if tid else [i for i in req.query.get("ids", "").split(",") if i]
        if not ids or not all(i.isdigit() for i in ids) or len(ids) > 100:
            raise invalid_request("ids", req.query.get("ids", ""), "ids must be 1-100 post ids")
        return self.store.lookup(ids, q, single=tid is not None)

    def _create_tweet(self, req, q):
        text = req.json.get("text", "") if isinstance(req.json, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise invalid_request("text", str(text), "$.text: Post text is empty.")
        if len(text) > 280:
            raise invalid_request("text", text, "Your Tweet text is too long.")
        reply = req.json.get("reply") or {}
        if not isinstance(reply, dict):
            raise invalid_request("reply", str(reply), "$.reply: must be an object")
        tid = self.store.create_tweet(author_id=self.brand_id, text=text, check_rules=True,
                                      reply_to=reply.get("in_reply_to_tweet_id"),
                                      quote_of=req.json.get("quote_tweet_id"))
        return 201, {"data": {"id": tid, "text": text, "edit_history_tweet_ids": [tid]}}

    def _send_dm(self, req, q, to_id):
        text = self._body(req, "text")
        if not isinstance(text, str) or not text or to_id == self.brand_id:
            raise invalid_request("text", str(text), "$.text: must be a non-empty string")
        self._user(to_id)
        event = self.store.create_dm(sender_id=self.brand_id, to_id=to_id, text=text)
        return 201, {"data": {"dm_conversation_id": event["dm_conversation_id"],
                              "dm_event_id": event["id"]}}

    def _dm_events(self, req, q, with_id=None):
        events = self.store.dms.values()
        if with_id:
            events = [e for e in events if with_id in (e["sender_id"], e["_to"])]
        return self.store.dm_page(list(events), req, q)

    def _hide(self, req, q, tid):
        hidden = self._body(req, "hidden")
        tweet = self.store.tweets.get(tid)
        if tweet is None:
            raise Problem(404, "Not Found Error", f"Could not find tweet with id: [{tid}].",
                          "https://api.twitter.com/2/problems/resource-not-found")
        root = self.store.tweets.get(tweet["conversation_id"], {})
        if root.get("author_id") != self.brand_id or tid == root.get("id"):
            raise Problem(403, "Forbidden", "You can only hide replies to your conversations.")
        (self.store.hidden.add if hidden else self.store.hidden.discard)(tid)
        return 200, {"data": {"hidden": bool(hidden)}}

    def _mute(self, req, q, source, target=None):
        if source != self.brand_id:
            raise Problem(403, "Forbidden", "You can only mute on behalf of yourself.")
        target = target or str(self._body(req, "target_user_id"))
        self._user(target)
        (self.store.muted.discard if req.method == "DELETE" else self.store.muted.add)(target)
        return 200, {"data": {"muting": req.method != "DELETE"}}

    def _like(self, req, q, source):
        if source != self.brand_id:
            raise Problem(403, "Forbidden", "You can only like on behalf of yourself.")
        tid = str(self._body(req, "tweet_id"))
        if tid not in self.store.tweets:
            raise Problem(404, "Not Found Error", f"Could not find tweet with id: [{tid}].",
                          "https://api.twitter.com/2/problems/resource-not-found")
        self.store.liked.add(tid)
        return 200, {"data": {"liked": True}}


_ROUTES = [(m, re.compile(p), name, allowed) for m, p, name, allowed in [
    ("GET", r"/2/users/me", "_me", {"user.fields", "expansions", "tweet.fields"}),
    ("GET", r"/2/users/(\d+)", "_user_lookup", {"user.fields", "expansions", "tweet.fields"}),
    ("GET", r"/2/users/(\d+)/mentions", "_mentions", _TIMELINE),
    ("GET", r"/2/users/(\d+)/tweets", "_user_tweets", _TIMELINE | {"exclude"}),
    ("GET", r"/2/tweets/search/recent", "_search",
     _TIMELINE | {"query", "next_token", "sort_order"}),
    ("GET", r"/2/tweets/(\d+)", "_lookup", _TQ),
    ("GET", r"/2/tweets", "_lookup", _TQ | {"ids"}),
    ("POST", r"/2/tweets", "_create_tweet", set()),
    ("POST", r"/2/dm_conversations/with/(\d+)/messages", "_send_dm", set()),
    ("GET", r"/2/dm_events", "_dm_events", _DM_QUERY),
    ("GET", r"/2/dm_conversations/with/(\d+)/dm_events", "_dm_events", _DM_QUERY),
    ("PUT", r"/2/tweets/(\d+)/hidden", "_hide", set()),
    ("POST", r"/2/users/(\d+)/muting", "_mute", set()),
    ("DELETE", r"/2/users/(\d+)/muting/(\d+)", "_mute", set()),
    ("POST", r"/2/users/(\d+)/likes", "_like", set()),
]]


class _Handler(BaseHTTPRequestHandler):
    owner: FakeX
    server_version = "FakeX/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
        pass

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_PUT = do_DELETE = do_GET

    def _handle(self) -> None:
        fake = self.owner
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        req = Request(self.command, parts.path, query,
                      {k.lower(): v for k, v in self.headers.items()})
        with fake.store.lock:
            fake._calls.append(req)
        fault = fake._take_fault(req.method, req.path)
        if fault:
            with fake.store.lock:
                fake.injected.append((req.method, req.path, fault.status, fault.after_effect))
        if fault and not fault.after_effect and not 200 <= fault.status < 300:
            time.sleep(fault.delay)
            return self._fail(fault)
        try:
            req.json = json.loads(raw) if raw else None
            status, body = fake.serve(req)
        except (json.JSONDecodeError, UnicodeDecodeError):
            status, body = 400, invalid_request("body", "", "Request body is not valid JSON").body
        except Problem as p:
            status, body = p.status, p.body
        except Exception:  # a bug in the fake: say so loudly in the test
            fake.server_errors.append(traceback.format_exc())
            status, body = 500, _default_error(500)
        if fault:
            time.sleep(fault.delay)
            if not 200 <= fault.status < 300:
                return self._fail(fault)
        self._send(status, body, {})

    def _fail(self, fault: _Fault) -> None:
        if fault.status == 0:
            self.close_connection = True  # no bytes at all: the client sees a dropped connection
            return
        headers: dict = {}
        if fault.status == 429:
            headers = {"x-rate-limit-limit": "300", "x-rate-limit-remaining": "0",
                       "x-rate-limit-reset": str(int(time.time()) + 1)}
        headers.update(fault.headers or {})
        self._send(fault.status, fault.body or _default_error(fault.status), headers)

    def _send(self, status: int, body: dict, headers: dict) -> None:
        data = json.dumps(body).encode()
        problem = status >= 400 and "type" in body
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/problem+json" if problem
                             else "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                if v is not None:
                    self.send_header(k, str(v))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up (timeout): nothing to answer
            pass

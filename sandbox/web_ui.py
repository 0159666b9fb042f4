"""The sandbox's web page and its JSON API (WSGI, served by waitress on 127.0.0.1).

``GET /`` is the page (``static/``: index.html, blockkit.js, app.js, style.css): a Slack
pane rendered from the Block Kit the bot sent (the care channel, the routes' and the
escalation teams' channels, the app's Home tab, modals with their type-ahead selects), and
an X pane to post or DM as customers, with the brand's replies and DMs (a
customer can answer any brand post, its replies too; replies the brand hid are marked). The page
polls ``GET /api/state?user=U...`` and acts through ``POST /api/...`` (JSON bodies only,
so another web site cannot post forms here; the Host header must be a loopback name).

Example::

    server = make_ui_server(sandbox, host="127.0.0.1", port=3000)
    server.run()                     # GET http://127.0.0.1:3000/api/state?user=UAGENT1
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from waitress import create_server

from sandbox.fake_slack_surfaces import SlackSurfaces, SurfaceError

log = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
FILES = {"/": ("index.html", "text/html; charset=utf-8"),
         "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
         "/static/blockkit.js": ("blockkit.js", "text/javascript; charset=utf-8"),
         "/static/style.css": ("style.css", "text/css; charset=utf-8")}
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
MAX_BODY = 64 * 1024
SECURITY_HEADERS = [
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                                "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
]


class BadRequest(Exception):
    """A request the page should not have sent; the message is shown to the user."""


# --- state ------------------------------------------------------------------------------
def _message(rec: dict[str, Any]) -> dict[str, Any]:
    files = [{"id": f["id"], "name": f["name"], "title": f.get("title") or f["name"],
              "image": f.get("mimetype") == "image/png", "url": f"/files/{f['id']}"}
             for f in rec.get("files") or []]
    return {"ts": rec["ts"], "user": rec.get("user"), "text": rec.get("text") or "",
            "blocks": rec.get("blocks") or [], "edited": bool(rec.get("edited")),
            "files": files}


def slack_state(sandbox, user_id: str) -> dict[str, Any]:
    """What ``user_id`` sees: every channel's messages with threads (the care channel
    first, then the escalation teams'), their ephemerals and their open modal."""
    channels = []
    for channel in sandbox.channels:
        messages = []
        for rec in sandbox.slack.messages(channel["id"]):
            item = _message(rec)
            item["replies"] = [_message(r) for r in rec.get("replies") or []]
            messages.append(item)
        channels.append({**channel, "messages": messages})
    modal = sandbox.open_view(user_id)
    home = sandbox.slack.home_view(user_id)
    return {
        "channel": {"id": sandbox.channel, "name": channels[0]["name"]},
        "channels": channels,
        "bot": {"id": sandbox.slack.bot_user_id, "name": "Care Desk"},
        "users": {u.id: {"name": u.name, "role": u.role} for u in sandbox.users},
        "ephemerals": sandbox.ephemerals(user_id),
        "modal": None if modal is None else {"id": modal["id"], "hash": modal["hash"],
                                             "view": modal["view"]},
        # The view the app last published on the user's Home tab (None before it does).
        "home": None if home is None else {"id": home["id"], "hash": home["hash"],
                                           "view": home},
    }


def x_state(sandbox) -> dict[str, Any]:
    """The X side: conversations (each root post with its replies, newest first) and DMs."""
    x = sandbox.x
    with x.store.lock:
        users = {uid: {"username": u["username"], "name": u["name"],
                       "followers": u["public_metrics"]["followers_count"]}
                 for uid, u in x.store.users.items()}
        inbound = [dict(e, recipient_id=e["_to"]) for e in x.store.dms.values()
                   if e["sender_id"] != x.brand_id]
    posts = sorted(x.all_posts(), key=lambda p: int(p["id"]))
    hidden = x.hidden_post_ids()

    def username_of(user_id: str | None) -> str | None:
        return users[user_id]["username"] if user_id in users else None

    def view(post: dict[str, Any], depth: int) -> dict[str, Any]:
        author = users.get(post["author_id"], {"username": "?", "name": "?"})
        return {"id": post["id"], "text": post["text"], "created_at": post.get("created_at"),
                "username": author["username"], "name": author["name"],
                "is_brand": post["author_id"] == x.brand_id, "depth": min(depth, 4),
                "hidden": post["id"] in hidden,
                "reply_to_username": username_of(post.get("in_reply_to_user_id")),
                "url": f"https://x.com/{author['username']}/status/{post['id']}"}

    children: dict[str, list[dict[str, Any]]] = {}
    roots = []
    for post in posts:
        parent = next((r["id"] for r in post.get("referenced_tweets", [])
                       if r["type"] == "replied_to"), None)
        (children.setdefault(parent, []) if parent else roots).append(post)

    def walk(post: dict[str, Any], depth: int, out: list[dict[str, Any]]) -> None:
        out.append(view(post, depth))
        for child in children.get(post["id"], []):
            walk(child, depth + 1, out)

    threads = []
    for root in reversed(roots):
        flat: list[dict[str, Any]] = []
        walk(root, 0, flat)
        threads.append({"id": root["id"], "posts": flat})
    # DMs: what customers sent the brand and what the brand sent them (FakeX.brand_dms),
    # one conversation per customer, apart from the public timeline.
    conversations: dict[str, dict[str, Any]] = {}
    for event in sorted(inbound + x.brand_dms(), key=lambda e: int(e["id"])):
        from_brand = event["sender_id"] == x.brand_id
        customer_id = event["recipient_id"] if from_brand else event["sender_id"]
        customer = users.get(customer_id, {})
        convo = conversations.setdefault(customer_id, {
            "id": event["dm_conversation_id"], "username": customer.get("username", "?"),
            "name": customer.get("name", "?"), "messages": []})
        convo["messages"].append({"id": event["id"], "text": event["text"],
                                  "from_brand": from_brand,
                                  "created_at": event.get("created_at")})
    for convo in conversations.values():
        convo["last_id"] = convo["messages"][-1]["id"]
    brand = users[x.brand_id]
    return {
        "brand": {"id": x.brand_id, "username": brand["username"], "name": brand["name"]},
        "threads": threads,
        "dms": sorted(conversations.values(), key=lambda c: -int(c["last_id"])),
        # Every brand post can be replied to, its replies to customers too (a follow-up).
        "brand_posts": [{"id": p["id"], "text": p["text"],
                         "reply_to_username": username_of(p.get("in_reply_to_user_id"))}
                        for p in x.brand_posts()],
    }


def state(sandbox, user_id: str) -> dict[str, Any]:
    sandbox.user(user_id)
    return {"me": user_id, "slack": slack_state(sandbox, user_id), "x": x_state(sandbox)}


# --- actions ----------------------------------------------------------------------------
def _text(body: dict[str, Any], key: str, *, limit: int = 4000, required: bool = True) -> str:
    value = body.get(key, "")
    if not isinstance(value, str) or (required and not value) or len(value) > limit:
        raise BadRequest(f"{key} is missing or too long")
    return value


CHOICE_TYPES = ("radio_buttons", "static_select", "external_select")


def _choice(raw: dict[str, Any]) -> dict[str, Any]:
    """A radio group's or a select's state as Slack sends it: ``{"type", "selected_option":
    {"value", "text": {"type": "plain_text", "text"}} or None}``."""
    kind, option = raw.get("type"), raw.get("selected_option")
    if kind not in CHOICE_TYPES:
        raise BadRequest(f"an input's type must be one of {', '.join(CHOICE_TYPES)}")
    if option is None:
        return {"type": kind, "selected_option": None}
    text = option.get("text") if isinstance(option, dict) else None
    if not (isinstance(option, dict) and isinstance(option.get("value"), str)
            and len(option["value"]) <= 150 and isinstance(text, dict)
            and isinstance(text.get("text"), str) and len(text["text"]) <= 2000):
        raise BadRequest("selected_option must be {value, text: {type, text}}")
    return {"type": kind, "selected_option": {
        "value": option["value"],
        "text": {"type": "plain_text", "text": text["text"],
                 **({"emoji": text["emoji"]} if isinstance(text.get("emoji"), bool) else {})}}}


def _values(raw: Any) -> dict[str, dict[str, str | dict[str, Any]]]:
    """``{block_id: {action_id: typed text, or a radio/select state}}`` from the page."""
    if not isinstance(raw, dict):
        raise BadRequest("values must be an object")
    out: dict[str, dict[str, str | dict[str, Any]]] = {}
    for block, actions in raw.items():
        if not isinstance(actions, dict):
            raise BadRequest("values must map block ids to {action id: value}")
        out[str(block)] = {str(a): v if isinstance(v, str) else _choice(v)
                           for a, v in actions.items() if isinstance(v, str | dict)}
    return out


def _click(sandbox, body):
    status = sandbox.click(user_id=_text(body, "user", limit=20),
                           message_ts=_text(body, "ts", limit=40),
                           action_id=_text(body, "action_id", limit=255),
                           block_id=_text(body, "block_id", limit=255, required=False),
                           value=_text(body, "value", limit=2000, required=False),
                           selected=bool(body.get("selected")))
    return {"ok": status == 200, "status": status}


def _submit(sandbox, body):
    result = sandbox.submit_view(user_id=_text(body, "user", limit=20),
                                 view_id=_text(body, "view_id", limit=40),
                                 values=_values(body.get("values")))
    return {"ok": True, **result}


def _close(sandbox, body):
    sandbox.close_view(user_id=_text(body, "user", limit=20),
                       view_id=_text(body, "view_id", limit=40))
    return {"ok": True}


def _command(sandbox, body):
    answer = sandbox.command(user_id=_text(body, "user", limit=20),
                             text=_text(body, "text", limit=500, required=False))
    return {"ok": True, "answer": answer}


def _surfaces(sandbox) -> SlackSurfaces:
    return SlackSurfaces(slack=sandbox.slack, requests=sandbox.requests)


def _in_view(sandbox, body) -> dict[str, Any]:
    """The user, view, block and action a modal's or the Home tab's request is about."""
    user_id = _text(body, "user", limit=20)
    sandbox.user(user_id)
    return {"user_id": user_id, "view_id": _text(body, "view_id", limit=40),
            "block_id": _text(body, "block_id", limit=255),
            "action_id": _text(body, "action_id", limit=255),
            "values": _values(body.get("values") or {})}


def _options(sandbox, body):
    """Typing in an external select: the options the app answers Slack's request with."""
    where = _in_view(sandbox, body)
    try:
        answer = _surfaces(sandbox).suggest(**where, value=_text(body, "value", limit=150,
                                                                 required=False))
    except SurfaceError as exc:
        return {"ok": False, "error": str(exc)}
    return {"ok": True, **answer}


def _view_action(sandbox, body):
    """A button clicked or an option chosen in a modal or on the Home tab."""
    where = _in_view(sandbox, body)
    chosen = body.get("selected_option")
    selected = None if chosen is None else _choice(
        {"type": "external_select", "selected_option": chosen})["selected_option"]
    try:
        status = _surfaces(sandbox).act(**where, selected_option=selected)
    except SurfaceError as exc:
        raise BadRequest(str(exc)) from exc
    return {"ok": status in (200, None), "status": status}


def _home(sandbox, body):
    user_id = _text(body, "user", limit=20)
    sandbox.user(user_id)
    status = _surfaces(sandbox).open_home(user_id=user_id)
    return {"ok": status == 200, "status": status}


def _post(sandbox, body):
    post_id = sandbox.customer_post(username=_text(body, "username", limit=40),
                                    text=_text(body, "text", limit=1000),
                                    kind=_text(body, "kind", limit=20),
                                    reply_to=body.get("reply_to") or None)
    return {"ok": True, "id": post_id}


ACTIONS: dict[str, Callable[[Any, dict[str, Any]], dict[str, Any]]] = {
    "/api/slack/click": _click,
    "/api/slack/submit": _submit,
    "/api/slack/close": _close,
    "/api/slack/command": _command,
    "/api/slack/options": _options,
    "/api/slack/view_action": _view_action,
    "/api/slack/home": _home,
    "/api/x/post": _post,
}


# --- WSGI -------------------------------------------------------------------------------
def _host_ok(environ: dict[str, Any]) -> bool:
    host = environ.get("HTTP_HOST", "")
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return name in LOOPBACK_HOSTS


def ui_app(sandbox) -> Callable:
    """The WSGI application of the page and its API."""

    def respond(start_response, status: str, body: bytes, ctype: str) -> Iterable[bytes]:
        start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(body))),
                                *SECURITY_HEADERS])
        return [body]

    def as_json(start_response, status: str, data: Any) -> Iterable[bytes]:
        return respond(start_response, status, json.dumps(data).encode(),
                       "application/json; charset=utf-8")

    def application(environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if not _host_ok(environ):
            return respond(start_response, "421 Misdirected Request", b"loopback only",
                           "text/plain")
        try:
            if method == "GET" and path in FILES:
                name, ctype = FILES[path]
                return respond(start_response, "200 OK", (STATIC / name).read_bytes(), ctype)
            if method == "GET" and path.startswith("/files/"):
                found = sandbox.slack.file_content(path[len("/files/"):])
                if found is None:
                    return respond(start_response, "404 Not Found", b"not found", "text/plain")
                ctype = found[0] if found[0] == "image/png" else "text/plain; charset=utf-8"
                return respond(start_response, "200 OK", found[1], ctype)
            if method == "GET" and path == "/api/state":
                query = parse_qs(environ.get("QUERY_STRING", ""))
                return as_json(start_response, "200 OK",
                               state(sandbox, (query.get("user") or [""])[0]))
            if method == "POST" and path in ACTIONS:
                ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
                length = int(environ.get("CONTENT_LENGTH") or 0)
                if ctype != "application/json" or length > MAX_BODY:
                    raise BadRequest("send JSON (application/json), at most 64 KB")
                raw = environ["wsgi.input"].read(length) if length else b"{}"
                body = json.loads(raw.decode("utf-8"))
                if not isinstance(body, dict):
                    raise BadRequest("send a JSON object")
                return as_json(start_response, "200 OK", ACTIONS[path](sandbox, body))
        except (BadRequest, ValueError) as exc:
            return as_json(start_response, "400 Bad Request", {"ok": False, "error": str(exc)})
        except Exception:
            log.exception("sandbox page request failed: %s %s", method, path)
            return as_json(start_response, "500 Internal Server Error",
                           {"ok": False, "error": "the sandbox failed; see its log"})
        return respond(start_response, "404 Not Found", b"not found", "text/plain")

    return application


def make_ui_server(sandbox, *, host: str = "127.0.0.1", port: int = 3000, threads: int = 8):
    """A waitress server for the page (not started: call ``run()``); binds at once."""
    return create_server(ui_app(sandbox), host=host, port=port, threads=threads,
                         ident="care-desk-sandbox")

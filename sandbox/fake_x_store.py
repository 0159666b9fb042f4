"""State of the local fake X API (users, posts, DMs), shaped like X API v2 objects.

Used by :mod:`sandbox.fake_x`. Writers take ``lock`` (an RLock); the HTTP side holds it
around whole requests. Objects are stored with every field filled in and trimmed to the
requested ``tweet.fields`` / ``user.fields`` on the way out. Also here: timeline paging
(since_id/until_id/pagination tokens) and the search-query subset.

Example::

    store = XStore(brand_username="acme", brand_name="Acme")
    uid = store.add_user(username="jane")
    tid = store.create_tweet(author_id=uid, text="@acme my order is late")
    store.render_tweet(store.tweets[tid], {"created_at"}, set())["id"] == tid
"""

from __future__ import annotations

import copy
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

FIRST_ID = 1_860_000_000_000_000_000
FIRST_USER_ID = 1_500_000_000
DUPLICATE_DETAIL = "You are not allowed to create a Tweet with duplicate content."
REPLY_GONE_DETAIL = "You attempted to reply to a Tweet that is deleted or not visible to you."
REPLY_RULE_DETAIL = (
    "Reply to this conversation is not allowed because you have not been mentioned or "
    "otherwise engaged by the author of the post you are replying to."
)
_MENTION = re.compile(r"(?<![A-Za-z0-9_@])@([A-Za-z0-9_]{1,15})")
DEFAULT_TWEET_FIELDS = ("id", "text", "edit_history_tweet_ids")
DEFAULT_USER_FIELDS = ("id", "name", "username")
DEFAULT_DM_FIELDS = ("id", "event_type", "text")


class Problem(Exception):
    """An error answered as X's Problem JSON; ``extra`` adds fields (``errors``...)."""

    def __init__(self, status: int, title: str, detail: str, type_: str = "about:blank",
                 **extra: object) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status = status
        self.body: dict = {"title": title, "detail": detail, "type": type_, "status": status}
        self.body.update(extra)


def invalid_request(param: str, value: str, message: str) -> Problem:
    """X's 400 shape for a bad parameter."""
    return Problem(
        400, "Invalid Request", "One or more parameters to your request was invalid.",
        "https://api.twitter.com/2/problems/invalid-request",
        errors=[{"parameters": {param: [value]}, "message": message}],
    )


def not_found_error(kind: str, param: str, value: str) -> dict:
    """The per-item error X returns (with HTTP 200) for a missing tweet or user."""
    return {
        "value": value, "detail": f"Could not find {kind} with {param}: [{value}].",
        "title": "Not Found Error", "resource_type": kind, "parameter": param,
        "resource_id": value, "type": "https://api.twitter.com/2/problems/resource-not-found",
    }


def iso(when: datetime | str | None) -> str:
    """Format as X does: ``2026-11-25T06:19:57.000Z`` (UTC, milliseconds)."""
    if when is None:
        when = datetime.now(UTC)
    elif isinstance(when, str):
        when = datetime.fromisoformat(when.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


# Longer posts (X Premium) carry their start in ``text`` and the whole in ``note_tweet``.
LONG_POST_FROM = 280


def _as_long_post(tweet: dict) -> None:
    text = tweet["text"]
    if len(text) > LONG_POST_FROM:
        tweet["note_tweet"] = {"text": text}
        tweet["text"] = text[:LONG_POST_FROM - 1] + "…"


def _pick(obj: dict, defaults: tuple[str, ...], wanted: set[str]) -> dict:
    return {k: v for k, v in obj.items() if (k in defaults or k in wanted)}


_WORD = re.compile(r'-?"[^"]*"|[^\s()]+')


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    json: object = None


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"


class XStore:
    """Users, tweets and DM events of one fake X, behind one lock."""

    def __init__(self, *, brand_username: str, brand_name: str,
                 enforce_reply_rule: bool = True) -> None:
        self.lock = threading.RLock()
        self.enforce_reply_rule = enforce_reply_rule
        self.users: dict[str, dict] = {}
        self.tweets: dict[str, dict] = {}  # id -> full tweet object, insertion = creation order
        self.dms: dict[str, dict] = {}  # id -> full DM event (plus private "_to")
        self.brand_tweet_ids: list[str] = []
        self.mentions_of: dict[str, set[str]] = {}  # tweet id -> user ids it mentions
        self.hidden: set[str] = set()
        self.muted: set[str] = set()
        self.liked: set[str] = set()
        self.reads = 0
        self._next_id = FIRST_ID
        self._next_user = FIRST_USER_ID
        self.brand_id = self.add_user(username=brand_username, name=brand_name,
                                      followers_count=1200, verified=True)

    def new_id(self) -> str:
        with self.lock:
            self._next_id += 1
            return str(self._next_id)

    def user_by_name(self, username: str) -> dict | None:
        with self.lock:
            low = username.lower()
            return next((u for u in self.users.values() if u["username"].lower() == low), None)

    def add_user(self, *, username: str, name: str | None = None, followers_count: int = 0,
                 description: str = "", verified: bool = False) -> str:
        with self.lock:
            found = self.user_by_name(username)
            if found:
                return found["id"]
            self._next_user += 1
            uid = str(self._next_user)
            self.users[uid] = {
                "id": uid, "name": name or username, "username": username,
                "created_at": "2020-01-01T00:00:00.000Z", "description": description,
                "profile_image_url": f"https://pbs.twimg.com/profile_images/{uid}/p_normal.jpg",
                "protected": False, "verified": verified,
                "verified_type": "blue" if verified else "none",
                "public_metrics": {"followers_count": followers_count, "following_count": 0,
                                   "tweet_count": 0, "listed_count": 0, "like_count": 0},
            }
            return uid

    def _entities(self, text: str) -> dict:
        mentions = []
        for m in _MENTION.finditer(text):
            ent = {"start": m.start(), "end": m.end(), "username": m.group(1)}
            user = self.user_by_name(m.group(1))
            if user:
                ent["id"] = user["id"]
            mentions.append(ent)
        return {"mentions": mentions} if mentions else {}

    def may_reply(self, target: dict) -> bool:
        """X's 2026 rule: reply only where the target's author summoned the brand."""
        if target["author_id"] == self.brand_id:
            return True
        if self.brand_id in self.mentions_of.get(target["id"], set()):
            return True
        quoted = [r["id"] for r in target.get("referenced_tweets", []) if r["type"] == "quoted"]
        return any(self.tweets[q]["author_id"] == self.brand_id for q in quoted)

    def create_tweet(self, *, author_id: str, text: str, reply_to: str | None = None,
                     quote_of: str | None = None, created_at: datetime | str | None = None,
                     check_rules: bool = False, lang: str = "en") -> str:
        """Store a tweet; ``check_rules`` applies the checks of POST /2/tweets (Problem);
        ``lang`` is X's language code for it."""
        with self.lock:
            parent = self.tweets.get(reply_to) if reply_to else None
            if reply_to and parent is None:
                if check_rules:
                    raise Problem(403, "Forbidden", REPLY_GONE_DETAIL)
                raise ValueError(f"no post {reply_to}")
            if quote_of and quote_of not in self.tweets:
                if check_rules:
                    raise invalid_request("quote_tweet_id", quote_of, "Quoted post not found.")
                raise ValueError(f"no post {quote_of}")
            if check_rules:
                if any(self.tweets[t]["text"] == text for t in self.brand_tweet_ids):
                    raise Problem(403, "Forbidden", DUPLICATE_DETAIL)
                if parent and self.enforce_reply_rule and not self.may_reply(parent):
                    raise Problem(403, "Forbidden", REPLY_RULE_DETAIL)
            tid = self.new_id()
            refs = []
            tweet = {"id": tid, "text": text, "edit_history_tweet_ids": [tid],
                     "author_id": author_id, "created_at": iso(created_at),
                     "conversation_id": parent["conversation_id"] if parent else tid}
            if parent:
                tweet["in_reply_to_user_id"] = parent["author_id"]
                refs.append({"type": "replied_to", "id": parent["id"]})
                parent["public_metrics"]["reply_count"] += 1
            if quote_of:
                refs.append({"type": "quoted", "id": quote_of})
                self.tweets[quote_of]["public_metrics"]["quote_count"] += 1
            if refs:
                tweet["referenced_tweets"] = refs
            tweet["entities"] = self._entities(text)
            tweet["lang"] = lang
            _as_long_post(tweet)
            tweet["public_metrics"] = {"retweet_count": 0, "reply_count": 0, "like_count": 0,
                                       "quote_count": 0, "bookmark_count": 0,
                                       "impression_count": 0}
            tweet["possibly_sensitive"] = False
            tweet["reply_settings"] = "everyone"
            self.tweets[tid] = tweet
            mentioned = {m["id"] for m in tweet["entities"].get("mentions", []) if "id" in m}
            if parent:
                mentioned.add(parent["author_id"])
            mentioned.discard(author_id)
            self.mentions_of[tid] = mentioned
            self.users[author_id]["public_metrics"]["tweet_count"] += 1
            if author_id == self.brand_id:
                self.brand_tweet_ids.append(tid)
            return tid

    def create_dm(self, *, sender_id: str, to_id: str, text: str) -> dict:
        with self.lock:
            low, high = sorted((sender_id, to_id), key=int)
            event = {"id": self.new_id(), "event_type": "MessageCreate", "text": text,
                     "sender_id": sender_id, "dm_conversation_id": f"{low}-{high}",
                     "created_at": iso(None), "_to": to_id}
            ents = self._entities(text)
            if ents:
                event["mentions"] = ents["mentions"]
            self.dms[event["id"]] = event
            return event

    # ---- rendering -------------------------------------------------------------------------

    def render_tweet(self, tweet: dict, fields: set[str], expansions: set[str]) -> dict:
        wanted = set(fields)
        if "author_id" in expansions:
            wanted.add("author_id")
        if "in_reply_to_user_id" in expansions:
            wanted.add("in_reply_to_user_id")
        if "referenced_tweets.id" in expansions:
            wanted.add("referenced_tweets")
        out = copy.deepcopy(_pick(tweet, DEFAULT_TWEET_FIELDS, wanted))
        if not out.get("entities", True):
            del out["entities"]
        return out

    def render_user(self, user_id: str, fields: set[str]) -> dict:
        return copy.deepcopy(_pick(self.users[user_id], DEFAULT_USER_FIELDS, fields))

    def render_dm(self, event: dict, fields: set[str]) -> dict:
        return copy.deepcopy(_pick(event, DEFAULT_DM_FIELDS, fields - {"_to"}))

    def tweet_includes(self, tweets: list[dict], q: dict) -> dict:
        """``includes`` for a list of stored tweets, given the parsed query ``q``."""
        exp, uf = q["expansions"], q["user.fields"]
        users: list[str] = []
        extra: list[dict] = []
        if "referenced_tweets.id" in exp:
            seen = {t["id"] for t in tweets}
            for t in tweets:
                for ref in t.get("referenced_tweets", []):
                    if ref["id"] not in seen and ref["id"] in self.tweets:
                        seen.add(ref["id"])
                        extra.append(self.tweets[ref["id"]])
        for t in tweets + extra:
            ids = []
            if "author_id" in exp or "referenced_tweets.id.author_id" in exp and t in extra:
                ids.append(t["author_id"])
            if "in_reply_to_user_id" in exp and "in_reply_to_user_id" in t:
                ids.append(t["in_reply_to_user_id"])
            if "entities.mentions.username" in exp:
                ids += [m["id"] for m in t.get("entities", {}).get("mentions", []) if "id" in m]
            users += [i for i in ids if i not in users]
        includes: dict = {}
        if users:
            includes["users"] = [self.render_user(u, uf) for u in users]
        if extra:
            includes["tweets"] = [self.render_tweet(t, q["tweet.fields"], exp) for t in extra]
        return includes

    def page(self, items: list[dict], req: Request, lo: int, hi: int,
             default: int) -> tuple[list[dict], str | None]:
        """Newest-first ``items`` filtered by since/until/time/pagination, cut to max_results."""
        p = req.query
        raw = p.get("max_results", str(default))
        if not raw.isdigit() or not lo <= int(raw) <= hi:
            raise invalid_request("max_results", raw, f"The `max_results` query parameter value "
                                  f"[{raw}] is not between {lo} and {hi}")
        bounds = {}
        for name in ("since_id", "until_id"):
            if name in p:
                if not p[name].isdigit() or len(p[name]) > 19:
                    raise invalid_request(name, p[name], f"The `{name}` query parameter value "
                                          f"[{p[name]}] does not match ^[0-9]{{1,19}}$")
                bounds[name] = int(p[name])
        token = p.get("pagination_token") or p.get("next_token")
        if token:
            try:
                bounds["until_id"] = min(int(token, 36), bounds.get("until_id", 10**20))
            except ValueError:
                raise invalid_request("pagination_token", token, "Invalid token") from None
        try:
            start = iso(p["start_time"]) if "start_time" in p else None
            end = iso(p["end_time"]) if "end_time" in p else None
        except ValueError:
            raise invalid_request("start_time", p.get("start_time", ""), "Bad time") from None
        kept = [i for i in items
                if int(i["id"]) > bounds.get("since_id", -1)
                and int(i["id"]) < bounds.get("until_id", 10**20)
                and (start is None or i["created_at"] >= start)
                and (end is None or i["created_at"] < end)]
        page = kept[:int(raw)]
        return page, (_b36(int(page[-1]["id"])) if len(kept) > len(page) else None)

    def tweet_page(self, tweets: list[dict], req: Request, q: dict, lo: int, hi: int,
                   default: int = 10) -> tuple[int, dict]:
        """A timeline answer (data, includes, meta) or exactly ``{"meta": {"result_count": 0}}``."""
        tweets = sorted(tweets, key=lambda t: int(t["id"]), reverse=True)
        page, token = self.page(tweets, req, lo, hi, default)
        if not page:
            return 200, {"meta": {"result_count": 0}}
        self.reads += len(page)
        body: dict = {"data": [self.render_tweet(t, q["tweet.fields"], q["expansions"])
                               for t in page]}
        includes = self.tweet_includes(page, q)
        if includes:
            body["includes"] = includes
        body["meta"] = {"result_count": len(page), "newest_id": page[0]["id"],
                        "oldest_id": page[-1]["id"]}
        if token:
            body["meta"]["next_token"] = token
        return 200, body

    def dm_page(self, events: list[dict], req: Request, q: dict) -> tuple[int, dict]:
        """A GET /2/dm_events answer, newest first (X has no since_id here)."""
        events = sorted(events, key=lambda e: int(e["id"]), reverse=True)
        page, token = self.page(events, req, 1, 100, 100)
        if not page:
            return 200, {"meta": {"result_count": 0}}
        expand = "sender_id" in q["expansions"]
        fields = q["dm_event.fields"] | ({"sender_id"} if expand else set())
        body: dict = {"data": [self.render_dm(e, fields) for e in page]}
        if expand:
            senders = dict.fromkeys(e["sender_id"] for e in page)
            body["includes"] = {"users": [self.render_user(u, q["user.fields"]) for u in senders]}
        body["meta"] = {"result_count": len(page)} | ({"next_token": token} if token else {})
        return 200, body

    def lookup(self, ids: list[str], q: dict, *, single: bool) -> tuple[int, dict]:
        """GET /2/tweets[/:id]: found posts in ``data``, missing ones in ``errors`` (HTTP 200)."""
        found = [self.tweets[i] for i in ids if i in self.tweets]
        self.reads += len(found)
        body: dict = {}
        if found:
            data = [self.render_tweet(t, q["tweet.fields"], q["expansions"]) for t in found]
            body["data"] = data[0] if single else data
            body.update({"includes": inc} if (inc := self.tweet_includes(found, q)) else {})
        missing = [not_found_error("tweet", "id", i) for i in ids if i not in self.tweets]
        return 200, body | ({"errors": missing} if missing else {})


def matcher(store: XStore, query: str):
    """A subset of X's search syntax: words, "phrases", OR, from:/to:/is:/conversation_id:,
    a leading ``-`` negates (applied to the whole query); parentheses are ignored."""
    groups: list[list[str]] = [[]]
    negated: list[str] = []
    for tok in _WORD.findall(query):
        if tok == "OR":
            groups.append([])
        elif tok.startswith("-") and len(tok) > 1:
            negated.append(tok[1:])
        else:
            groups[-1].append(tok)
    groups = [g for g in groups if g]
    if not groups:
        raise invalid_request("query", query, "The query must contain at least one positive term")

    def name_of(uid: str | None) -> str:
        return store.users[uid]["username"].lower() if uid in store.users else ""

    def term(t: dict, tok: str) -> bool:
        refs = {r["type"] for r in t.get("referenced_tweets", [])}
        key, _, val = tok.partition(":")
        if key == "from" and val:
            return name_of(t["author_id"]) == val.lower()
        if key == "to" and val:
            return name_of(t.get("in_reply_to_user_id")) == val.lower()
        if key == "is" and val in ("retweet", "reply", "quote"):
            return {"retweet": "retweeted", "reply": "replied_to", "quote": "quoted"}[val] in refs
        if key == "conversation_id" and val:
            return t["conversation_id"] == val
        words = re.escape(tok.strip('"'))
        return re.search(rf"(?<!\w){words}(?!\w)", t["text"], re.IGNORECASE) is not None

    return lambda t: (any(all(term(t, w) for w in g) for g in groups)
                      and not any(term(t, w) for w in negated))

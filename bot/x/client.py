"""The X adapter: tweepy underneath, domain types and classified errors on top.

tweepy always builds URLs on https://api.twitter.com and sets no timeout. A transport
adapter mounted on its public ``requests.Session`` sends every request to the
configured base URL instead (the real API, the sandbox or a test's fake) and gives
each one a timeout. OAuth 1.0a signatures are computed on the original URL.

Example::

    x = XClient.create(bearer_token=..., api_key=..., api_secret=..., access_token=...,
                       access_token_secret=..., base_url="http://127.0.0.1:8001")
    me = x.get_me()
    page = x.fetch_mentions(user_id=me.id, since_id=None)
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import requests
import tweepy
from requests.adapters import HTTPAdapter

from bot.domain.model import InboundPost
from bot.x.posts import MentionsPage, dm_from_event, page_from_body

TWEEPY_HOST = "https://api.twitter.com"
NOTHING_YET = "0"  # a cursor meaning: the first poll found nothing, read every page since
# note_tweet carries the whole text of a long post (``text`` holds only its start).
TWEET_FIELDS = ("created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,"
                "note_tweet,lang")
USER_FIELDS = "public_metrics,description,verified"


class XError(Exception):
    """Base of the outcomes below; ``reason`` is safe to show in Slack (no tokens)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class XAmbiguous(XError):
    """The request may or may not have reached X (timeout, dropped connection, 5xx)."""


class XRateLimited(XError):
    def __init__(self, reason: str, reset_at: datetime | None) -> None:
        super().__init__(reason)
        self.reset_at = reset_at


class XDuplicate(XError):
    """X refuses a post identical to one that exists: maybe ours from an earlier try."""


class XRejected(XError):
    """X refused the request for good (bad request, auth, permissions, credits)."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class Me:
    id: str
    username: str
    name: str


@dataclass(frozen=True)
class OwnReply:
    id: str
    text: str
    in_reply_to_post_id: str | None


class RedirectAdapter(HTTPAdapter):
    """Sends requests meant for ``TWEEPY_HOST`` to ``base_url``, each with a timeout."""

    def __init__(self, *, base_url: str, timeout: float) -> None:
        super().__init__(max_retries=0)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def send(self, request, **kwargs):
        if request.url.startswith(TWEEPY_HOST):
            request.url = self.base_url + request.url[len(TWEEPY_HOST):]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


class XClient:
    def __init__(self, client: tweepy.Client) -> None:
        self.client = client

    @classmethod
    def create(cls, *, bearer_token: str, api_key: str, api_secret: str, access_token: str,
               access_token_secret: str, base_url: str, timeout: float = 10.0) -> XClient:
        client = tweepy.Client(bearer_token=bearer_token, consumer_key=api_key,
                               consumer_secret=api_secret, access_token=access_token,
                               access_token_secret=access_token_secret, return_type=dict,
                               wait_on_rate_limit=False)
        client.session.mount(TWEEPY_HOST, RedirectAdapter(base_url=base_url, timeout=timeout))
        return cls(client)

    def get_me(self) -> Me:
        data = _call(lambda: self.client.get_me(user_auth=True))["data"]
        return Me(id=data["id"], username=data["username"], name=data.get("name", ""))

    def fetch_mentions(self, *, user_id: str, since_id: str | None,
                       max_pages: int = 8) -> MentionsPage:
        """Every mention newer than ``since_id`` (all pages, up to X's 800), oldest first.

        Without ``since_id`` only the newest page is read, so a first start does not
        bring in the account's whole history. ``since_id`` "0" means: nothing was there
        at the first start, so every page is new.
        """
        return _paged(lambda **p: self.client.get_users_mentions(user_id, **p),
                      since_id=since_id, max_pages=max_pages, token_param="pagination_token")

    def search_recent(self, *, query: str, since_id: str | None,
                      max_pages: int = 5) -> MentionsPage:
        """Recent posts matching ``query`` newer than ``since_id``, oldest first (one page
        without ``since_id``). Reads are billed per post: keep the query narrow."""
        return _paged(lambda **p: self.client.search_recent_tweets(query, **p),
                      since_id=since_id, max_pages=max_pages, token_param="next_token")

    def post_reply(self, *, text: str, in_reply_to_post_id: str) -> str:
        """Post ``text`` as a reply; returns the new post's id."""
        body = _call(lambda: self.client.create_tweet(text=text,
                                                      in_reply_to_tweet_id=in_reply_to_post_id,
                                                      user_auth=True), sending=True)
        return body["data"]["id"]

    def send_dm(self, *, text: str, participant_id: str) -> str:
        """Send a direct message; returns the DM event id."""
        body = _call(lambda: self.client.create_direct_message(
            participant_id=participant_id, text=text, user_auth=True), sending=True)
        return body["data"]["dm_event_id"]

    def fetch_dm_events(self, *, brand_id: str, after_id: str | None,
                        max_pages: int = 3) -> list[InboundPost]:
        """Direct messages newer than ``after_id`` (X has no since_id here: pages are read
        newest first until an id at or below ``after_id``), oldest first. Without
        ``after_id`` only the newest page is read. Messages the brand sent are included
        (``author.id == brand_id``) so the caller can recognise them."""
        found: list[InboundPost] = []
        token: str | None = None
        for _ in range(max_pages if after_id else 1):
            params = {"max_results": 100, "user_fields": USER_FIELDS, "expansions": "sender_id",
                      "dm_event_fields": "id,text,event_type,created_at,sender_id,"
                                         "dm_conversation_id"}
            if token:
                params["pagination_token"] = token
            body = _call(lambda p=params: self.client.get_direct_message_events(
                user_auth=True, **p))
            users = {u["id"]: u for u in (body.get("includes") or {}).get("users", [])}
            reached = False
            for event in body.get("data") or []:
                if after_id and int(event["id"]) <= int(after_id):
                    reached = True
                    break
                if event.get("event_type", "MessageCreate") != "MessageCreate":
                    continue
                found.append(dm_from_event(event, users.get(event.get("sender_id"), {}), brand_id))
            token = (body.get("meta") or {}).get("next_token")
            if reached or not token:
                break
        found.sort(key=lambda p: int(p.id))
        return found

    def recent_dms_to(self, *, brand_id: str, participant_id: str) -> list[tuple[str, str]]:
        """(event id, text) of the brand's latest DMs to ``participant_id``."""
        return [(p.id, p.text) for p in self.fetch_dm_events(brand_id=brand_id, after_id=None)
                if p.author.id == brand_id and p.conversation_id
                and participant_id in p.conversation_id.split("-")]

    def mute(self, *, brand_id: str, target_id: str, muted: bool) -> None:
        """Mute (or unmute) ``target_id`` for the brand account on X."""
        if muted:
            _call(lambda: self.client.request("POST", f"/2/users/{brand_id}/muting",
                                              json={"target_user_id": target_id},
                                              user_auth=True))
        else:
            _call(lambda: self.client.request("DELETE",
                                              f"/2/users/{brand_id}/muting/{target_id}",
                                              user_auth=True))

    def like(self, *, brand_id: str, post_id: str) -> None:
        """Like ``post_id`` as the brand (``POST /2/users/:id/likes``). The brand's id comes
        from ``get_me``: tweepy's ``Client.like`` would read it from the OAuth 1.0a token's
        prefix, which an OAuth 2.0 user token does not have."""
        _call(lambda: self.client.request("POST", f"/2/users/{brand_id}/likes",
                                          json={"tweet_id": str(post_id)}, user_auth=True))

    def hide_reply(self, *, post_id: str, hidden: bool) -> None:
        """Hide (or unhide) a reply to one of the brand's posts."""
        _call(lambda: self.client.request("PUT", f"/2/tweets/{post_id}/hidden",
                                          json={"hidden": hidden}, user_auth=True))

    def recent_replies(self, *, user_id: str, max_results: int = 100) -> list[OwnReply]:
        """The brand's own latest posts, to find a reply whose send outcome was unknown."""
        body = _call(lambda: self.client.get_users_tweets(
            user_id, max_results=max_results,
            tweet_fields="referenced_tweets,created_at,note_tweet", user_auth=True))
        replies = []
        for item in body.get("data") or []:
            parent = next((r["id"] for r in item.get("referenced_tweets") or []
                           if r.get("type") == "replied_to"), None)
            text = (item.get("note_tweet") or {}).get("text") or item.get("text", "")
            replies.append(OwnReply(id=item["id"], text=text, in_reply_to_post_id=parent))
        return replies


def same_reply_text(sent: str, ours: str) -> bool:
    """Whether a post X shows is the text we sent (X shortens links and escapes &, <, >)."""
    def norm(text: str) -> str:
        text = re.sub(r"https?://\S+", "", html.unescape(text))
        return " ".join(text.split()).casefold()

    return norm(sent) == norm(ours)


def _paged(read, *, since_id: str | None, max_pages: int, token_param: str) -> MentionsPage:
    """Read post pages newer than ``since_id`` (one page without it), oldest first."""
    pages: list[MentionsPage] = []
    token: str | None = None
    for _ in range(max_pages if since_id else 1):
        params = {"max_results": 100, "tweet_fields": TWEET_FIELDS,
                  "expansions": "author_id", "user_fields": USER_FIELDS}
        if since_id and since_id != NOTHING_YET:
            params["since_id"] = since_id
        if token:
            params[token_param] = token
        body = _call(lambda p=params: read(**p))
        pages.append(page_from_body(body))
        meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
        token = meta.get("next_token") if isinstance(meta.get("next_token"), str) else None
        if not token:
            break
    posts = sorted((p for page in pages for p in page.posts), key=lambda p: int(p.id))
    return MentionsPage(posts=posts,
                        newest_id=next((p.newest_id for p in pages if p.newest_id), None),
                        raw={k: v for page in pages for k, v in page.raw.items()},
                        unreadable=[u for page in pages for u in page.unreadable])


def _problem(exc: tweepy.HTTPException) -> str:
    detail = ""
    try:
        body = exc.response.json()
        detail = body.get("detail") or body.get("title") or ""
        if not detail and body.get("errors"):
            detail = body["errors"][0].get("message", "")
    except (ValueError, AttributeError):
        pass
    return f"X answered {exc.response.status_code}" + (f": {detail[:300]}" if detail else "")


def _call(fn, *, sending: bool = False) -> dict:
    try:
        return fn() or {}
    except tweepy.TooManyRequests as exc:
        reset = getattr(exc, "reset_time", None)
        reset_at = datetime.fromtimestamp(reset, UTC) if reset else None
        raise XRateLimited(_problem(exc), reset_at) from None
    except tweepy.TwitterServerError as exc:
        raise XAmbiguous(_problem(exc)) from None
    except tweepy.Forbidden as exc:
        reason = _problem(exc)
        if sending and "duplicate content" in reason.lower():
            raise XDuplicate(reason) from None
        raise XRejected(reason, 403) from None
    except tweepy.HTTPException as exc:
        raise XRejected(_problem(exc), exc.response.status_code) from None
    except (requests.Timeout, requests.ConnectionError) as exc:
        raise XAmbiguous(f"no answer from X ({type(exc).__name__})") from None
    except requests.RequestException as exc:
        raise XAmbiguous(f"request to X failed ({type(exc).__name__})") from None

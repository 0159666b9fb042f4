"""X's post objects as domain posts: cleaned, bounded, and never failing a whole page.

A post object that is not in the shape of a post (no id, wrong types) is kept as
``Unreadable`` with what X sent, so the caller can set it aside and go on.

Example::

    page = page_from_body({"data": [{"id": "1", "text": "hi", "author_id": "2"}]})
    page.posts[0].text   # "hi"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.domain.model import Author, InboundPost

MAX_TEXT = 25_000  # X's longest post
_ID = re.compile(r"[0-9]{1,32}")
_C0_BUT_TAB_AND_NEWLINE = re.compile(r"[\x00-\x08\x0b-\x1f]")


def clean_text(value: str, *, limit: int = MAX_TEXT) -> str:
    """Text from X made safe to store and show: a lone UTF-16 surrogate (a cut emoji)
    becomes U+FFFD, NUL and the other C0 controls except newline and tab go, and the
    length is bounded."""
    text = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _C0_BUT_TAB_AND_NEWLINE.sub("", text)[:limit]


class UnreadablePost(ValueError):
    """A post object X sent that is not in the shape of a post (no id, wrong types)."""


@dataclass(frozen=True)
class Unreadable:
    """A post object that could not become a post: what X sent, and why."""

    raw: dict
    error: str
    post_id: str | None = None


@dataclass(frozen=True)
class MentionsPage:
    posts: list[InboundPost]  # oldest first
    newest_id: str | None
    raw: dict[str, dict] = field(default_factory=dict)  # post id -> the object X sent
    unreadable: list[Unreadable] = field(default_factory=list)


def page_from_body(body: dict) -> MentionsPage:
    """One page of X's answer as posts; an object that is no post is kept as unreadable
    (with what X sent) instead of failing the page."""
    includes = body.get("includes") if isinstance(body.get("includes"), dict) else {}
    listed = includes.get("users")
    users = {u["id"]: u for u in listed if isinstance(u, dict) and isinstance(u.get("id"), str)
             } if isinstance(listed, list) else {}
    meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
    newest = meta.get("newest_id")
    posts, raw, unreadable = [], {}, []
    data = body.get("data")
    for item in data if isinstance(data, list) else []:
        author_id = item.get("author_id") if isinstance(item, dict) else None
        user = users.get(author_id) if isinstance(author_id, str) else None
        kept = {"data": item, "includes": {"users": [user] if user else []}}
        try:
            post = post_from_item(item, user or {})
        except UnreadablePost as exc:
            post_id = item.get("id") if isinstance(item, dict) else None
            unreadable.append(Unreadable(raw=kept, error=str(exc),
                                         post_id=post_id if _is_id(post_id) else None))
            continue
        posts.append(post)
        raw.setdefault(post.id, kept)
    posts.sort(key=lambda p: int(p.id))
    # A readable copy of a post stands for it; a broken duplicate of it is no other post.
    unreadable = [u for u in unreadable if u.post_id is None or u.post_id not in raw]
    return MentionsPage(posts=posts, newest_id=newest if _is_id(newest) else None, raw=raw,
                        unreadable=unreadable)


def post_from_raw(raw: dict) -> InboundPost:
    """The post in ``{"data": item, "includes": {"users": [...]}}`` (as kept for a post
    that could not be read); raises UnreadablePost."""
    page = page_from_body({"data": [raw.get("data")], "includes": raw.get("includes")})
    if page.unreadable:
        raise UnreadablePost(page.unreadable[0].error)
    return page.posts[0]


def post_from_item(item, user: dict) -> InboundPost:
    """One post object (and its author from ``includes``) as a domain post."""
    if not isinstance(item, dict):
        raise UnreadablePost(f"a {type(item).__name__} where a post object belongs")
    post_id, author_id = item.get("id"), item.get("author_id")
    if not _is_id(post_id):
        raise UnreadablePost("the post has no valid id")
    if author_id is not None and not _is_id(author_id):
        raise UnreadablePost("the post's author_id is not an id")
    text = item.get("text")
    note = item.get("note_tweet")
    note_text = note.get("text") if isinstance(note, dict) else None
    if not isinstance(text, str) or not (note_text is None or isinstance(note_text, str)):
        raise UnreadablePost("the post's text is not a string")
    metrics = user.get("public_metrics") if isinstance(user.get("public_metrics"), dict) else {}
    followers = metrics.get("followers_count")
    refs = item.get("referenced_tweets")
    refs = [r for r in refs if isinstance(r, dict)] if isinstance(refs, list) else []
    full = clean_text(note_text if note_text else text)
    lang = item.get("lang")
    return InboundPost(
        id=post_id, text=full,
        author=Author(id=author_id or "", username=_text_field(user.get("username"), 64)
                      or "unknown",
                      name=_text_field(user.get("name"), 200),
                      followers=followers if isinstance(followers, int)
                      and not isinstance(followers, bool) and followers >= 0 else 0),
        created_at=_parse_time(item.get("created_at")),
        conversation_id=_id_or_none(item.get("conversation_id")),
        in_reply_to_user_id=_id_or_none(item.get("in_reply_to_user_id")),
        is_retweet=any(r.get("type") == "retweeted" for r in refs)
        or full.startswith("RT @"),
        lang=clean_text(lang, limit=16) if isinstance(lang, str) and lang else None)


def _is_id(value) -> bool:
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def _id_or_none(value) -> str | None:
    return value if _is_id(value) else None


def _text_field(value, limit: int) -> str:
    return clean_text(value, limit=limit) if isinstance(value, str) else ""


def dm_from_event(event: dict, user: dict, brand_id: str) -> InboundPost:
    metrics = user.get("public_metrics") or {}
    return InboundPost(
        id=event["id"], text=clean_text(event.get("text") or ""), kind="dm",
        author=Author(id=event.get("sender_id", ""),
                      username=_text_field(user.get("username"), 64) or "unknown",
                      name=_text_field(user.get("name"), 200),
                      followers=int(metrics.get("followers_count", 0))),
        created_at=_parse_time(event.get("created_at")),
        conversation_id=event.get("dm_conversation_id"))


def _parse_time(raw) -> datetime:
    """X's ``created_at``; now when it is missing or unreadable."""
    if not isinstance(raw, str) or not raw:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)

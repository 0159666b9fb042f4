"""State and method semantics of the fake Slack Web API (no HTTP here).

``SlackStore`` keeps channels, messages, ephemerals, views, users and user groups and answers
Web API methods with the JSON bodies Slack would send. ``sandbox.fake_slack.FakeSlack``
wraps it in an HTTP server and adds auth, faults and rate limits. Callers hold ``store.lock``.

Example::

    store = SlackStore(team_id="T0CARE", team_domain="care-desk", bot_user_id="UBOT")
    store.add_channel(channel_id="C1", name="care")
    with store.lock:
        body = store.dispatch("chat.postMessage", {"channel": "C1", "text": "hi"})
    assert body["ok"] and store.messages("C1")[0]["text"] == "hi"
"""

from __future__ import annotations

import copy
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

from sandbox.fake_slack_files import SlackFiles
from sandbox.fake_slack_views import SlackViews
from sandbox.slack_limits import (
    MAX_MESSAGE_BLOCKS,
    MAX_TEXT_CHARS,
    Body,
    blocks_problem,
    error,
)


class SlackStore:
    """In-memory workspace. Not locked by itself: hold ``lock`` around every call."""

    def __init__(
        self,
        *,
        team_id: str,
        team_domain: str,
        bot_user_id: str,
        bot_id: str = "BCAREBOT",
        app_id: str = "ACAREAPP",
    ) -> None:
        self.lock = threading.RLock()
        self.team_id, self.team_domain = team_id, team_domain
        self.bot_user_id, self.bot_id, self.app_id = bot_user_id, bot_id, app_id
        self.channels: dict[str, Body] = {}
        self.users: dict[str, Body] = {}
        self.usergroups: dict[str, Body] = {}
        self.top: dict[str, list[Body]] = {}
        self.replies: dict[tuple[str, str], list[Body]] = {}
        self.by_ts: dict[tuple[str, str], Body] = {}
        self.ephemeral_log: list[Body] = []
        self._last_us = 0
        self._ids = itertools.count(1)
        self.modals = SlackViews(team_id=team_id, app_id=app_id, bot_id=bot_id, ids=self._ids)
        self.view_log, self.triggers = self.modals.view_log, self.modals.triggers
        self.files = SlackFiles(self)
        self.handlers: dict[str, Callable[[Body], Body]] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.post_message,
            "chat.update": self.update_message,
            "chat.postEphemeral": self.post_ephemeral,
            "chat.getPermalink": self.get_permalink,
            "views.open": self.modals.views_open,
            "views.push": self.modals.views_push,
            "views.update": self.modals.views_update,
            "views.publish": self.modals.views_publish,
            "users.info": self.users_info,
            "usergroups.users.list": self.usergroup_users,
            "conversations.info": self.conversations_info,
            "conversations.join": self.conversations_join,
            "conversations.replies": self.conversations_replies,
            "conversations.history": self.conversations_history,
            "conversations.open": self.conversations_open,
            "files.getUploadURLExternal": self.files.get_upload_url,
            "files.completeUploadExternal": self.files.complete,
        }
        self.add_user(user_id=bot_user_id, name="caredesk", real_name="Care Desk", is_bot=True)

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
        real = real_name or name
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": real,
            "deleted": False,
            "is_bot": is_bot,
            "tz": tz,
            "tz_offset": 0,
            "profile": {"display_name": name, "real_name": real},
        }

    def add_channel(self, *, channel_id: str, name: str, is_im: bool = False,
                    is_private: bool = False, is_member: bool = True) -> None:
        self.channels[channel_id] = {
            "id": channel_id,
            "name": name,
            "is_channel": not is_im,
            "is_im": is_im,
            "is_private": is_private,
            "is_member": is_member,
            "is_archived": False,
        }
        self.top.setdefault(channel_id, [])

    def issue_trigger(self, *, user_id: str, ttl: float) -> str:
        return self.modals.issue_trigger(user_id=user_id, ttl=ttl)
    def resolve(self, channel: Any) -> str | None:
        """Channel id for an id, a ``#name`` or a user id (their DM); None if unknown."""
        if not isinstance(channel, str) or not channel:
            return None
        if channel in self.channels:
            return channel
        for cid, info in self.channels.items():
            if info["name"] == channel.lstrip("#"):
                return cid
        if channel in self.users:
            dm = "D" + channel[1:]
            if dm not in self.channels:
                self.add_channel(channel_id=dm, name=channel, is_im=True)
            return dm
        return None

    # --- snapshots ----------------------------------------------------------------------------
    def snapshot(self, rec: Body, *, with_replies: bool) -> Body:
        out = copy.deepcopy(rec)
        if with_replies:
            replies = self.replies.get((rec["channel"], rec["ts"]), [])
            out["reply_count"] = len(replies)
            out["replies"] = [copy.deepcopy(r) for r in replies]
        return out

    def messages(self, channel: str) -> list[Body]:
        return [self.snapshot(m, with_replies=True) for m in self.top.get(channel, [])]

    def thread(self, channel: str, thread_ts: str) -> list[Body]:
        return [copy.deepcopy(r) for r in self.replies.get((channel, thread_ts), [])]

    def message(self, channel: str, ts: str) -> Body | None:
        rec = self.by_ts.get((channel, ts))
        return None if rec is None else self.snapshot(rec, with_replies="thread_ts" not in rec)

    # --- methods ------------------------------------------------------------------------------
    def dispatch(self, method: str, args: Body) -> Body:
        handler = self.handlers.get(method)
        return handler(args) if handler else error("unknown_method")

    def auth_test(self, args: Body) -> Body:
        return {
            "ok": True,
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_domain,
            "user": self.users[self.bot_user_id]["name"],
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _next_ts(self) -> str:
        self._last_us = max(time.time_ns() // 1000, self._last_us + 1)
        return f"{self._last_us // 1_000_000}.{self._last_us % 1_000_000:06d}"

    def _content_problem(self, args: Body) -> Body | None:
        text, blocks = args.get("text"), args.get("blocks")
        if not text and not blocks and not args.get("attachments") and not args.get("_files"):
            return error("no_text")
        if text is not None and len(str(text)) > MAX_TEXT_CHARS:
            return error("msg_too_long")
        if blocks is not None:
            problem = blocks_problem(blocks, limit=MAX_MESSAGE_BLOCKS)
            if problem:
                return error("invalid_blocks", problem)
        return None

    def _wire(self, rec: Body) -> Body:
        """The ``message`` object Slack returns for a stored record."""
        keys = (
            "type",
            "subtype",
            "text",
            "user",
            "bot_id",
            "app_id",
            "ts",
            "team",
            "blocks",
            "thread_ts",
            "parent_user_id",
            "metadata",
            "edited",
            "files",
        )
        out = {k: copy.deepcopy(rec[k]) for k in keys if rec.get(k) not in (None, False)}
        if rec.get("edited"):
            out["edited"] = {"user": rec["user"], "ts": rec["edited_ts"]}
        return out

    def post_message(self, args: Body) -> Body:
        channel = self.resolve(args.get("channel"))
        if channel is None:
            return error("channel_not_found")
        if not self.channels[channel].get("is_member", True):
            return error("not_in_channel")
        problem = self._content_problem(args)
        if problem:
            return problem
        ts = self._next_ts()
        rec: Body = {
            "type": "message",
            "ts": ts,
            "channel": channel,
            "text": args.get("text") or "",
            "blocks": args.get("blocks") or [],
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "edited": False,
            "unfurl_links": args.get("unfurl_links"),
            "unfurl_media": args.get("unfurl_media"),
            "mrkdwn": args.get("mrkdwn"),
            "metadata": args.get("metadata"),
            "attachments": args.get("attachments"),
            "files": args.get("_files"),
        }
        thread_ts = args.get("thread_ts")
        if thread_ts:
            parent = self.by_ts.get((channel, str(thread_ts)))
            if parent is not None and parent.get("thread_ts"):
                thread_ts = parent["thread_ts"]  # replying to a reply lands in its thread
            rec["thread_ts"] = str(thread_ts)
            rec["parent_user_id"] = parent["user"] if parent else None
            rec["parent_found"] = parent is not None
            rec["reply_broadcast"] = bool(args.get("reply_broadcast"))
            self.replies.setdefault((channel, rec["thread_ts"]), []).append(rec)
            if rec["reply_broadcast"]:
                rec["subtype"] = "thread_broadcast"
                self.top.setdefault(channel, []).append(rec)
        else:
            self.top.setdefault(channel, []).append(rec)
        self.by_ts[(channel, ts)] = rec
        return {"ok": True, "channel": channel, "ts": ts, "message": self._wire(rec)}

    def update_message(self, args: Body) -> Body:
        channel = self.resolve(args.get("channel"))
        if channel is None:
            return error("channel_not_found")
        rec = self.by_ts.get((channel, str(args.get("ts"))))
        if rec is None:
            return error("message_not_found")
        if not any(args.get(k) for k in ("text", "blocks", "attachments")):
            return error("no_text")
        problem = self._content_problem({"text": "x", **args})
        if problem:
            return problem
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in args:
                rec[key] = args[key]
        rec["edited"], rec["edited_ts"] = True, self._next_ts()
        return {
            "ok": True,
            "channel": channel,
            "ts": rec["ts"],
            "text": rec["text"],
            "message": self._wire(rec),
        }

    def post_ephemeral(self, args: Body) -> Body:
        channel = self.resolve(args.get("channel"))
        if channel is None:
            return error("channel_not_found")
        if not args.get("user"):
            return error("user_not_found")
        problem = self._content_problem(args)
        if problem:
            return problem
        ts = self._next_ts()
        self.ephemeral_log.append(
            {
                "channel": channel,
                "user": args["user"],
                "text": args.get("text") or "",
                "blocks": args.get("blocks") or [],
                "thread_ts": args.get("thread_ts"),
                "message_ts": ts,
            }
        )
        return {"ok": True, "message_ts": ts}

    def get_permalink(self, args: Body) -> Body:
        channel = self.resolve(args.get("channel"))
        if channel is None:
            return error("channel_not_found")
        rec = self.by_ts.get((channel, str(args.get("message_ts"))))
        if rec is None:
            return error("message_not_found")
        link = (
            f"https://{self.team_domain}.slack.com/archives/{channel}/p{rec['ts'].replace('.', '')}"
        )
        if rec.get("thread_ts"):
            link += f"?thread_ts={rec['thread_ts']}&cid={channel}"
        return {"ok": True, "channel": channel, "permalink": link}

    def users_info(self, args: Body) -> Body:
        user = self.users.get(str(args.get("user")))
        return {"ok": True, "user": copy.deepcopy(user)} if user else error("user_not_found")

    def usergroup_users(self, args: Body) -> Body:
        group = self.usergroups.get(str(args.get("usergroup")))
        return {"ok": True, "users": list(group["users"])} if group else error("no_such_subteam")

    def conversations_join(self, args: Body) -> Body:
        """Join a public channel; a private one must invite the bot (and even then
        Slack refuses ``conversations.join`` for it)."""
        channel = self.resolve(args.get("channel"))
        if channel is None:
            return error("channel_not_found")
        info = self.channels[channel]
        if info.get("is_private"):
            return error("method_not_supported_for_channel_type")
        info["is_member"] = True
        return {"ok": True, "channel": copy.deepcopy(info)}

    def conversations_info(self, args: Body) -> Body:
        channel = self.resolve(args.get("channel"))
        if channel is None:
            return error("channel_not_found")
        return {"ok": True, "channel": copy.deepcopy(self.channels[channel])}

    def conversations_open(self, args: Body) -> Body:
        user = str(args.get("users") or "").split(",")[0]
        if user not in self.users:
            return error("user_not_found")
        return {"ok": True, "channel": {"id": self.resolve(user)}}

    def _thread_head(self, rec: Body) -> Body:
        out = self._wire(rec)
        replies = self.replies.get((rec["channel"], rec["ts"]), [])
        if replies:
            out.update(
                thread_ts=rec["ts"],
                reply_count=len(replies),
                reply_users=sorted({r["user"] for r in replies}),
                latest_reply=replies[-1]["ts"],
            )
        return out

    def conversations_replies(self, args: Body) -> Body:
        channel = self.resolve(args.get("channel"))
        if channel is None:
            return error("channel_not_found")
        ts = str(args.get("ts"))
        rec = self.by_ts.get((channel, ts))
        if rec is not None and rec.get("thread_ts"):
            ts, rec = rec["thread_ts"], self.by_ts.get((channel, rec["thread_ts"]))
        replies = self.replies.get((channel, ts), [])
        if rec is None and not replies:
            return error("thread_not_found")
        out = ([self._thread_head(rec)] if rec else []) + [self._wire(r) for r in replies]
        limit = int(args.get("limit") or 1000)
        return {"ok": True, "messages": out[:limit], "has_more": len(out) > limit}

    def conversations_history(self, args: Body) -> Body:
        channel = self.resolve(args.get("channel"))
        if channel is None:
            return error("channel_not_found")
        oldest, latest = float(args.get("oldest") or 0), float(args.get("latest") or "inf")
        found = [
            self._thread_head(m)
            for m in reversed(self.top.get(channel, []))
            if oldest < float(m["ts"]) < latest
        ]
        limit = int(args.get("limit") or 100)
        return {"ok": True, "messages": found[:limit], "has_more": len(found) > limit}

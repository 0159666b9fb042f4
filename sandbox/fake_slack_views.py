"""Modals of the fake Slack Web API: trigger ids and views.open / views.push / views.update,
and each user's Home tab (views.publish).

Part of ``sandbox.fake_slack_store.SlackStore`` (which holds the lock around every call).

Example::

    views = SlackViews(team_id="T0CARE", app_id="ACAREAPP", bot_id="BCAREBOT",
                       ids=itertools.count(1))
    trigger = views.issue_trigger(user_id="UAGENT1", ttl=3.0)
    body = views.views_open({"trigger_id": trigger, "view": {"type": "modal",
                             "title": {"type": "plain_text", "text": "Draft"}}})
    assert body["ok"] and views.view_log[body["view"]["id"]]["user"] == "UAGENT1"
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator

from sandbox.slack_limits import Body, error, view_problem


class SlackViews:
    """The modals opened so far (``view_log``) and the trigger ids handed out (``triggers``)."""

    def __init__(self, *, team_id: str, app_id: str, bot_id: str, ids: Iterator[int]) -> None:
        self.team_id, self.app_id, self.bot_id = team_id, app_id, bot_id
        self._ids = ids
        self.view_log: dict[str, Body] = {}
        self.home_views: dict[str, Body] = {}
        self.triggers: dict[str, tuple[str, float]] = {}

    def issue_trigger(self, *, user_id: str, ttl: float) -> str:
        trigger_id = f"{next(self._ids)}.{self.team_id}.{time.time_ns():x}"
        self.triggers[trigger_id] = (user_id, time.monotonic() + ttl)
        return trigger_id


    def _trigger_user(self, args: Body) -> tuple[Body | None, str | None]:
        trigger_id = args.get("trigger_id")
        if not trigger_id:
            return error("invalid_trigger_id"), None
        user, expires = self.triggers.get(trigger_id, (None, float("inf")))
        if time.monotonic() > expires:
            return error("expired_trigger_id"), None
        return None, user

    def _build_view(self, view: Body, *, view_id: str, root: str, previous: str | None) -> Body:
        full: Body = {
            "id": view_id,
            "team_id": self.team_id,
            "type": view["type"],
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "clear_on_close": False,
            "notify_on_close": False,
            "root_view_id": root,
            "previous_view_id": previous,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
        }
        full.update(copy.deepcopy(view))
        full["id"], full["state"] = view_id, {"values": {}}
        full["hash"] = f"{int(time.time())}.{next(self._ids):08x}"
        return full

    def _open(self, args: Body, *, push: bool) -> Body:
        problem, user = self._trigger_user(args)
        if problem:
            return problem
        view = args.get("view")
        why = view_problem(view)
        if why:
            return error("invalid_arguments", why)
        external_id = view.get("external_id")
        if external_id and any(
            v["view"].get("external_id") == external_id for v in self.view_log.values()
        ):
            return error("duplicate_external_id")
        view_id = f"V{next(self._ids):08d}"
        previous = None
        if push:
            same = [v for v in self.view_log.values() if v["trigger_id"] == args["trigger_id"]]
            previous = same[-1]["id"] if same else None
        root = self.view_log[previous]["view"]["root_view_id"] if previous else view_id
        full = self._build_view(view, view_id=view_id, root=root, previous=previous)
        self.view_log[view_id] = {
            "id": view_id,
            "trigger_id": args["trigger_id"],
            "user": user,
            "view": full,
            "hash": full["hash"],
        }
        return {"ok": True, "view": copy.deepcopy(full)}

    def views_open(self, args: Body) -> Body:
        return self._open(args, push=False)

    def views_push(self, args: Body) -> Body:
        return self._open(args, push=True)

    def views_update(self, args: Body) -> Body:
        view_id, external_id = args.get("view_id"), args.get("external_id")
        if not view_id and not external_id:
            return error("invalid_arguments", "view_id or external_id is required")
        found = [
            v
            for v in self.view_log.values()
            if v["id"] == view_id or (external_id and v["view"]["external_id"] == external_id)
        ]
        if not found:
            return error("not_found")
        record = found[0]
        if args.get("hash") and args["hash"] != record["hash"]:
            return error("hash_conflict")
        view = args.get("view")
        why = view_problem(view)
        if why:
            return error("invalid_arguments", why)
        old = record["view"]
        full = self._build_view(
            view, view_id=record["id"], root=old["root_view_id"], previous=old["previous_view_id"]
        )
        record["view"], record["hash"] = full, full["hash"]
        return {"ok": True, "view": copy.deepcopy(full)}

    def views_publish(self, args: Body) -> Body:
        """The Home tab of ``user_id``: one view per user, replaced on each publish."""
        user = str(args.get("user_id") or "")
        if not user:
            return error("invalid_arguments", "user_id is required")
        view = args.get("view")
        why = view_problem(view)
        if why or view.get("type") != "home":
            return error("invalid_arguments", why or "a published view must be of type home")
        old = self.home_views.get(user)
        if args.get("hash") and old and args["hash"] != old["hash"]:
            return error("hash_conflict")
        view_id = old["id"] if old else f"V{next(self._ids):08d}"
        full = self._build_view(view, view_id=view_id, root=view_id, previous=None)
        self.home_views[user] = full
        return {"ok": True, "view": copy.deepcopy(full)}

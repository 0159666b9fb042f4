"""Act only for the installed workspace, from the desk's own places, for its own people.

A Bolt middleware that runs before any listener on every click, slash command, modal
submission and shortcut (events are not guarded here). It refuses a request when:

- its team or enterprise is not the one the app is installed in (``auth.test``, which
  Bolt calls at start),
- it names no user,
- it comes from somewhere the desk does not use: only its channels (:func:`desk_channels`),
  the app's Home tab and the modals the desk opens count,
- its user belongs to another organisation (a Slack Connect channel), unless
  ``CARE_ALLOW_EXTERNAL_USERS`` is true.

Each refusal is logged, noted on the case when the request names one, and explained to
the user privately where Slack lets us.

Example::

    guard.register(app, channels=desk_channels(settings), desk=desk, slack=slack,
                   allow_external_users=settings.allow_external_users)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from slack_bolt import App, BoltContext, BoltResponse

from bot.config import Settings
from bot.render import handler_text
from bot.render.actions import case_id_of, decode_action
from bot.render.ids import BadReference, CaseRef, ViewId
from bot.services.desk import CareDesk
from bot.slack_out import SlackOut

log = logging.getLogger(__name__)

GUARDED_TYPES = frozenset({"block_actions", "block_suggestion", "view_submission",
                           "view_closed", "shortcut", "message_action"})
DESK_VIEWS = frozenset(view.value for view in ViewId)


class Refusal(StrEnum):
    OTHER_WORKSPACE = "other_workspace"
    OTHER_ENTERPRISE = "other_enterprise"
    NO_USER = "no_user"
    OTHER_PLACE = "other_place"
    EXTERNAL_USER = "external_user"


MESSAGES = {
    Refusal.OTHER_WORKSPACE: handler_text.OTHER_WORKSPACE,
    Refusal.OTHER_ENTERPRISE: handler_text.OTHER_WORKSPACE,
    Refusal.NO_USER: handler_text.NO_USER,
    Refusal.OTHER_PLACE: handler_text.OTHER_PLACE,
    Refusal.EXTERNAL_USER: handler_text.EXTERNAL_USER,
}


def desk_channels(settings: Settings) -> frozenset[str]:
    """Every channel the desk works in: the care channel and each channel a setting names.
    A new setting that names a channel adds it here."""
    named: Iterable[str | None] = (
        settings.care_channel_id,
        settings.quiet_channel_id,
        settings.report_channel_id,
        *(channel for _, channel in settings.escalation_channels),
        *settings.routes.channels,
    )
    return frozenset(channel for channel in named if channel)


@dataclass(frozen=True)
class Request:
    """What the guard reads from a payload (Bolt's context supplies team and enterprise)."""

    kind: str
    user_id: str
    user_team_id: str | None
    channel_id: str | None
    surface: str
    """``channel``, ``home``, ``modal:<callback id>`` or ``none``."""
    ext_shared: bool

    @classmethod
    def read(cls, body: dict) -> Request:
        if "command" in body:
            return cls(kind="command", user_id=str(body.get("user_id") or ""),
                       user_team_id=None, channel_id=body.get("channel_id"),
                       surface="channel" if body.get("channel_id") else "none",
                       ext_shared=str(body.get("is_ext_shared_channel")).lower() == "true")
        user = body.get("user") if isinstance(body.get("user"), dict) else {}
        container = body.get("container") if isinstance(body.get("container"), dict) else {}
        channel = body.get("channel") if isinstance(body.get("channel"), dict) else {}
        return cls(kind=str(body.get("type")), user_id=str(user.get("id") or ""),
                   user_team_id=user.get("team_id"),
                   channel_id=channel.get("id") or container.get("channel_id"),
                   surface=_surface(body, container), ext_shared=body.get(
                       "is_ext_shared_channel") is True)


def _surface(body: dict, container: dict) -> str:
    view = body.get("view") if isinstance(body.get("view"), dict) else None
    if container.get("type") in ("message", "message_attachment") or (
            view is None and body.get("channel")):
        return "channel"
    if view is not None:
        if view.get("type") == "home":
            return "home"
        if view.get("type") == "modal":
            return f"modal:{view.get('callback_id')}"
    return "none"


class RequestGuard:
    def __init__(self, *, channels: frozenset[str], allow_external_users: bool,
                 desk: CareDesk, slack: SlackOut) -> None:
        self.channels = channels
        self.allow_external_users = allow_external_users
        self.desk = desk
        self.slack = slack

    def check(self, request: Request, context: BoltContext) -> Refusal | None:
        installed = context.authorize_result
        if installed is None or not context.team_id or context.team_id != installed.team_id:
            return Refusal.OTHER_WORKSPACE
        if (context.enterprise_id or None) != (installed.enterprise_id or None):
            return Refusal.OTHER_ENTERPRISE
        if not request.user_id:
            return Refusal.NO_USER
        if not self._desk_place(request):
            return Refusal.OTHER_PLACE
        external = (request.user_team_id != installed.team_id if request.user_team_id
                    else request.ext_shared)
        if external and not self.allow_external_users:
            return Refusal.EXTERNAL_USER
        return None

    def _desk_place(self, request: Request) -> bool:
        if request.surface == "channel":
            return request.channel_id in self.channels
        if request.surface == "home":
            return True
        return request.surface.removeprefix("modal:") in DESK_VIEWS

    def process(self, body: dict, context: BoltContext, next):  # noqa: A002 - Bolt's name
        if "command" not in body and body.get("type") not in GUARDED_TYPES:
            return next()
        request = Request.read(body)
        refusal = self.check(request, context)
        if refusal is None:
            return next()
        log.warning("refused a %s: %s (team %r, user %r, channel %r)", request.kind[:20],
                    refusal.value, str(context.team_id)[:20], request.user_id[:20],
                    str(request.channel_id)[:20])
        self._note_on_case(body, request, refusal)
        return self._answer(body, request, refusal)

    def _note_on_case(self, body: dict, request: Request, refusal: Refusal) -> None:
        case_id = _case_named_in(body)
        if case_id is None:
            return
        try:
            self.desk.record_refusal(case_id=case_id, user_id=request.user_id,
                                     reason=refusal.value)
        except Exception:
            log.exception("noting a refused request on case %s failed", case_id)

    def _answer(self, body: dict, request: Request, refusal: Refusal) -> BoltResponse:
        message = MESSAGES[refusal]
        if request.kind == "command":
            return BoltResponse(status=200, headers={"content-type": "application/json"},
                                body=json.dumps({"response_type": "ephemeral",
                                                 "text": message}))
        if request.kind == "view_submission":
            block = _first_input_block(body.get("view") or {})
            if block:
                return BoltResponse(status=200, headers={"content-type": "application/json"},
                                    body=json.dumps({"response_action": "errors",
                                                     "errors": {block: message}}))
        elif refusal not in (Refusal.OTHER_WORKSPACE, Refusal.OTHER_ENTERPRISE,
                             Refusal.NO_USER) and request.channel_id:
            self.slack.ephemeral(channel=request.channel_id, user=request.user_id,
                                 text=message)
        return BoltResponse(status=200, body="")


def _case_named_in(body: dict) -> int | None:
    """The case a click or modal is about, when its value or metadata names one."""
    try:
        if body.get("type") in ("block_actions", "block_suggestion"):
            action = (body.get("actions") or [{}])[0]
            raw = action.get("value") or (action.get("selected_option") or {}).get("value")
            return case_id_of(decode_action(action.get("action_id"), raw)[1])
        if body.get("type") == "view_submission":
            return CaseRef.decode((body.get("view") or {}).get("private_metadata")).case_id
    except (BadReference, AttributeError, TypeError):
        return None
    return None


def _first_input_block(view: dict) -> str | None:
    blocks = view.get("blocks") if isinstance(view.get("blocks"), list) else []
    return next((b.get("block_id") for b in blocks
                 if isinstance(b, dict) and b.get("type") == "input" and b.get("block_id")),
                None)


def register(app: App, *, channels: frozenset[str], allow_external_users: bool,
             desk: CareDesk, slack: SlackOut) -> RequestGuard:
    """Put the guard in front of every listener registered after it."""
    guard = RequestGuard(channels=channels, allow_external_users=allow_external_users,
                         desk=desk, slack=slack)

    def guard_request(body, context, next):  # noqa: A002 - Bolt's argument name
        return guard.process(body, context, next)

    app.middleware(guard_request)
    return guard

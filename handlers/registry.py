"""The listener groups that need only the app and the handler services, in the order they
are registered: after the event de-duplication (``events``) and the request guard
(``guard``), which the runtime registers first because they run as middleware.

Example::

    register_groups(app, services)
"""

from __future__ import annotations

from slack_bolt import App

from handlers import (
    case_actions,
    commands,
    home,
    modals,
    phone,
    praise,
    quarantine,
    replies,
    routes,
)
from handlers.context import HandlerServices

LISTENER_GROUPS = (praise, quarantine, routes, case_actions, modals, commands, replies, home,
                   phone)


def register_groups(app: App, services: HandlerServices) -> None:
    for group in LISTENER_GROUPS:
        group.register(app, services)

"""What the bot says when authors are muted and replies hidden."""

from __future__ import annotations

from bot.render.mrkdwn import safe

NO_SUCH_CASE = "That case no longer exists."
NOT_A_REPLY = "Only a reply to one of the brand's own posts can be hidden on X."


def x_refused(reason: str) -> str:
    return f"X refused: {safe(reason, 300)}"


def muted(*, by: str, handle: str, muted: bool, x_problem: str | None) -> str:
    who = f"@{safe(handle, 40)}"
    if not muted:
        return f":loud_sound: <@{by}> unmuted {who}: their posts can become cases again."
    where = ("locally and on X" if x_problem is None
             else f"locally (X refused: {safe(x_problem, 200)})")
    return (f":mute: <@{by}> muted {who} {where}: their new posts go to the filtered log. "
            "*Unmute author* reverses it.")


def hidden(*, by: str, hidden: bool) -> str:
    if hidden:
        return (f":see_no_evil: <@{by}> hid this reply on X. *Unhide reply* shows it again.")
    return f":eyes: <@{by}> made this reply visible again on X."

"""Why a reply could not be sent, as the case's thread tells it."""

from __future__ import annotations


def duplicate(reason: str) -> str:
    return (f"{reason}. The same text is already on the account; "
            "edit the draft to send something different.")


def gave_up(reason: str, attempts: int) -> str:
    return f"{reason}, {attempts} times. It was not found among the brand's posts."


def message_label(channel: str) -> str:
    """What was being sent: the DM or the public reply."""
    return "The DM" if channel == "dm" else "The public reply"

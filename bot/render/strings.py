"""Every sentence the bot says in Slack, in one place. Arguments are already escaped."""

from __future__ import annotations

STATE_LABELS = {
    "new": ":large_blue_circle: New",
    "claimed": ":large_yellow_circle: Claimed",
    "awaiting_approval": ":hourglass_flowing_sand: Awaiting approval",
    "approved": ":outbox_tray: Approved, queued to send",
    "sending": ":outbox_tray: Sending",
    "send_failed": ":x: Send failed",
    "replied": ":speech_balloon: Replied, waiting on customer",
    "closed": ":white_check_mark: Closed",
    "ignored": ":no_entry_sign: Ignored",
}

CLOSE_REASON_LABELS = {
    "resolved": "Resolved",
    "not_a_request": "Not a request",
    "spam": "Spam / troll",
}


def user(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else "nobody"


# --- thread notes -------------------------------------------------------------------------
def note_claimed(agent: str) -> str:
    return f":raising_hand: Claimed by {user(agent)}."


def note_unclaimed(agent: str) -> str:
    return f":leftwards_arrow_with_hook: {user(agent)} gave the case back. It is unclaimed."


def note_draft(agent: str, *, public: str | None, public_length: int,
               direct: str | None) -> str:
    parts = [f":memo: Draft by {user(agent)}, waiting for a lead's approval:"]
    if public is not None:
        parts.append(f"*:globe_with_meridians: PUBLIC reply* ({public_length}/280):\n{public}")
    if direct is not None:
        parts.append(f"*:envelope: DM* (only the customer sees it):\n{direct}")
    return "\n".join(parts)


def note_approved(lead: str, author: str, channel: str = "public") -> str:
    how = {"public": "publicly on X", "dm": "as a DM", "both": "publicly on X and as a DM"}
    return (f":white_check_mark: {user(lead)} approved {user(author)}'s draft. "
            f"Sending it {how.get(channel, channel)}.")


def note_changes_requested(lead: str, author: str, reason: str) -> str:
    return f":pencil2: {user(lead)} asked {user(author)} for changes:\n{reason}"


def note_sent(url: str, author: str | None) -> str:
    return f":rocket: Sent publicly on X (drafted by {user(author)}): <{url}|view the reply>"


def note_dm_sent(author: str | None) -> str:
    return f":envelope_with_arrow: *DM* sent to the customer (drafted by {user(author)})."


def note_send_failed_after_other(label: str, reason: str) -> str:
    return (f":rotating_light: *{label} was not sent:* {reason}\n"
            "The other part of the draft went out. Draft again to send this part.")


def note_send_failed(reason: str) -> str:
    return (f":rotating_light: *The reply was not sent.* {reason}\n"
            "Use *Retry send* on the case to try again, or *Edit draft* to change it.")


def note_send_uncertain(reason: str) -> str:
    return (f":warning: X did not confirm the reply ({reason}). The bot will check the brand's "
            "recent posts before trying again, so it is never posted twice.")


def note_closed(agent: str, reason: str) -> str:
    return f":lock: {user(agent)} closed the case: {CLOSE_REASON_LABELS.get(reason, reason)}."


def note_reopened(agent: str) -> str:
    return f":unlock: {user(agent)} reopened the case. It is unclaimed."


def note_retry(agent: str) -> str:
    return f":repeat: {user(agent)} asked to retry sending."


def note_refused(agent: str, why: str, *, attempt: str = "approve") -> str:
    """``attempt``: the action refused, ``approve`` or ``request_changes``."""
    tried = "ask for changes" if attempt == "request_changes" else "approve"
    return f":no_entry: {user(agent)} tried to {tried}, refused: {why}"


# --- ephemeral answers ----------------------------------------------------------------------
ALREADY_CLAIMED = "This case is already claimed by {assignee}."
NOT_YOURS = "This case is claimed by {assignee}; only they can do that. Ask them or a lead."
NOT_IN_STATE = "That can't be done now: the case is {state}."
NO_SUCH_CASE = "That case no longer exists."
NOT_A_LEAD = "Only a team lead can approve or request changes. Leads: {leads}."
OWN_DRAFT = "You wrote this draft, so you can't approve it: another lead has to."
OWN_DRAFT_CHANGES = ("You wrote this draft, so you can't review it: edit it yourself, "
                     "or another lead reviews it.")
NO_PENDING_DRAFT = "There is no draft waiting for approval on this case."
STALE_DRAFT = "That draft has been replaced by a newer one; review the newest draft."
CLAIM_FIRST = "Claim the case first, then draft the reply."
NO_PUBLIC_REPLY = ("X allows no public reply to this post (it did not mention the brand). "
                   "Send a DM instead.")
EMPTY_REASON = "Say what should change, so the author knows what to fix."
SOMETHING_WENT_WRONG = ("Something went wrong on our side and nothing was changed. "
                        "Try again in a moment; if it keeps happening, tell your admin.")

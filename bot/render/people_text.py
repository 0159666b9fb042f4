"""What the bot says about signatures and escalations."""

from __future__ import annotations

from bot.domain.model import Case
from bot.render.mrkdwn import quote, safe

NO_SUCH_CASE = "That case no longer exists."
NO_DEPARTMENTS = ("No escalation teams are set up. An admin can add them with "
                  "CARE_ESCALATION_CHANNELS, e.g. legal=C0123ABCD,comms=C0456EFGH.")
CLOSED_CASE = "This case is closed; reopen it first."
UNKNOWN_DEPARTMENT = "Choose one of the teams in the list."
EMPTY_NOTE = "Tell the team what they need to know."
SIGNATURE_CLEARED = "Your public replies will carry no signature."
SIGNATURE_INVALID = ("Initials are 1 to 4 letters or digits, e.g. `/care signature AB`. "
                     "`/care signature off` removes your signature.")


def already_escalated(department: str) -> str:
    return f"This case is already escalated to {safe(department, 40)}."


def signature_set(signature: str) -> str:
    return (f"Your public replies will end with `{signature}`. It counts toward the 280 "
            "characters.")


def signature_shown(initials: str | None, fmt: str) -> str:
    if not initials:
        return "You have no signature. Set one with `/care signature AB`."
    return f"Your public replies end with `{fmt.format(initials=initials)}`."


def _permalink(case: Case) -> str:
    if not case.slack_ts:
        return f"<#{case.slack_channel}> case #{case.id}"
    return (f"<https://slack.com/archives/{case.slack_channel}/p{case.slack_ts.replace('.', '')}"
            f"|case #{case.id}>")


def escalation_summary(*, case: Case, department: str, note: str, by: str) -> str:
    return (f":rotating_light: *Escalated to {safe(department, 40)}* by <@{by}>: "
            f"{_permalink(case)}\n"
            f"*Customer:* {safe(case.customer.name, 80)} @{safe(case.customer.username, 40)} "
            f"({case.customer.followers:,} followers)\n"
            f"*They wrote:*\n{quote(safe(case.text, 1200))}\n"
            f"*Note:*\n{quote(safe(note, 1200))}")


def escalated_note(*, department: str, channel: str, note: str, by: str) -> str:
    return (f":rotating_light: <@{by}> escalated this case to *{safe(department, 40)}* "
            f"(<#{channel}>). The response clock keeps running.\n{quote(safe(note, 1200))}")

"""Thread notes about the conversation: follow-ups, DMs, returning customers."""

from __future__ import annotations

from datetime import datetime

from bot.domain.model import CustomerHistory, InboundPost
from bot.domain.phone import mask_phones
from bot.render.mrkdwn import quote, safe

TEXT_LIMIT = 2500


def ago(then: datetime, now: datetime) -> str:
    seconds = max(0, (now - then).total_seconds())
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return "1 day ago" if days == 1 else f"{days} days ago"


def inbound(post: InboundPost, *, from_customer: bool) -> str:
    who = f"@{safe(post.author.username, 40)}"
    body = quote(safe(mask_phones(post.text) if post.kind == "dm" else post.text, TEXT_LIMIT))
    if post.kind == "dm":
        return f":envelope: *DM* from {who} (customer):\n{body}"
    link = f"<{post.url}|View on X>"
    if from_customer:
        return f":speech_balloon: *Follow-up* from {who} (customer), PUBLIC: {link}\n{body}"
    return (f":busts_in_silhouette: {who} (*not the customer*) wrote in this conversation, "
            f"PUBLIC: {link}\n{body}")


def previous_agent(agent_id: str) -> str:
    return f"Last handled by <@{agent_id}>."


def returning(history: CustomerHistory, *, now: datetime, assigned: bool) -> str:
    when = ago(history.last_case_at, now) if history.last_case_at else "before"
    agent = f"<@{history.last_agent_id}>"
    if assigned:
        return (f":repeat: Returning customer ({history.earlier_cases} earlier case(s)). "
                f"Assigned to {agent}, who helped them last, {when}.")
    return (f":repeat: Returning customer ({history.earlier_cases} earlier case(s)); "
            f"last helped by {agent}, {when}.")


def history_line(history: CustomerHistory, *, now: datetime) -> str | None:
    """For the parent message: how often this customer came before, and who helped."""
    if not history.earlier_cases:
        return None
    parts = [f"{history.earlier_cases} earlier case(s)"]
    if history.last_case_at:
        parts.append(f"last {ago(history.last_case_at, now)}")
    if history.last_agent_id:
        parts.append(f"last helped by <@{history.last_agent_id}>")
    return ":repeat: Returning customer: " + ", ".join(parts)


def made_case(*, by: str, reason: str) -> str:
    return (f":inbox_tray: <@{by}> made this a case from the filtered log "
            f"(it was filtered as: {safe(reason, 200)}).")


def filtered_line(post: InboundPost, reason: str) -> str:
    link = f"<{post.url}|post>" if post.kind == "post" else "DM"
    return (f":wastebasket: @{safe(post.author.username, 40)} ({link}): "
            f"{safe(post.text, 300)} · _filtered: {safe(reason, 200)}_")

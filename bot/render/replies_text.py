"""What the desk says about saved replies: /care replies, reloads, refusals.

Example::

    >>> reload_refused([("replies.yml", 4, "text is missing")]).splitlines()[1]
    '• replies.yml, line 4: text is missing'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.domain.saved_replies import StoredReply
from bot.render.mrkdwn import safe

LEADS_ONLY = "Only a team lead can change saved replies."
NO_FILE = "No replies file is set (CARE_REPLIES_FILE), so there is nothing to reload."
DUPLICATE_TITLE = "Another saved reply already has this title."
CHANGED_MEANWHILE = "Someone changed this reply meanwhile: close this and open it again."
NO_SUCH_REPLY = "That saved reply no longer exists."
RETIRED = "That saved reply was retired."
NO_REPLIES = ("There are no saved replies yet. A lead can add them on the app's Home tab, or "
              "set CARE_REPLIES_FILE.")
SHOWN = 5


def cannot_save(problem: str) -> str:
    return f"Cannot save this reply: {problem}."


def reload_refused(problems: Sequence[tuple[str, int, str]]) -> str:
    lines = [f"• {safe(source, 200)}, line {line}: {safe(reason, 300)}"
             for source, line, reason in problems[:20]]
    return (":x: The replies file was not loaded; the saved replies stay as they were.\n"
            + "\n".join(lines))


def reloaded(summary) -> str:
    return (f":white_check_mark: Replies file loaded: {len(summary.added)} added, "
            f"{len(summary.updated)} updated, {len(summary.unchanged)} unchanged, "
            f"{len(summary.retired)} retired (no longer in the file).")


def _line(stored: StoredReply, *, unused_before: datetime, unused_days: int) -> str:
    uses = f"{stored.use_count} use" + ("" if stored.use_count == 1 else "s")
    line = f"• *{safe(stored.reply.title, 80)}* · {uses}"
    if _unused(stored, unused_before=unused_before):
        line += f" · :zzz: unused for {unused_days}+ days"
    return line


def _unused(stored: StoredReply, *, unused_before: datetime) -> bool:
    last = stored.last_used_at or stored.updated_at
    return last is not None and _aware(last) < unused_before


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def usage_listing(active: Sequence[StoredReply], *, now: datetime, unused_days: int) -> str:
    """The most and least used saved replies, then any other unused for ``unused_days``
    (each long-unused one marked)."""
    if not active:
        return NO_REPLIES
    unused_before = now - timedelta(days=unused_days)

    def lines(replies: Sequence[StoredReply]) -> str:
        return "\n".join(_line(s, unused_before=unused_before, unused_days=unused_days)
                         for s in replies)

    by_use = sorted(active, key=lambda s: (-s.use_count, s.reply.title.casefold()))
    most = by_use[:SHOWN]
    least = [s for s in reversed(by_use) if s not in most][:SHOWN]
    text = f"*Saved replies* ({len(active)} in use)\n*Most used*\n" + lines(most)
    if least:
        text += "\n*Least used*\n" + lines(least)
    idle = [s for s in by_use if s not in most and s not in least
            and _unused(s, unused_before=unused_before)]
    if idle:
        text += f"\n*Also unused for {unused_days}+ days*\n" + lines(idle[:SHOWN * 2])
        if len(idle) > SHOWN * 2:
            text += f"\n…and {len(idle) - SHOWN * 2} more."
    return text + "\nLeads manage them on the app's Home tab."


def faq_line(faq_url: str | None) -> str:
    return f"\n*FAQ:* {safe(faq_url, 300)}" if faq_url else ""

"""The parent message of a case: who wrote what, when, the state, and the buttons that fit.

Built with slack_sdk.models, so ``to_dict()`` checks Slack's limits.

Example::

    blocks, fallback = case_parent(case, now=now, tz=ZoneInfo("Europe/Berlin"))
    client.chat_postMessage(channel=case.slack_channel, blocks=blocks, text=fallback)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)

from bot.domain.case import WAITING_ON_US, CaseState, CloseReason
from bot.domain.deadline_words import describe_deadline
from bot.domain.model import Case
from bot.domain.phone import mask_phones
from bot.render import conversation_text, replies_blocks, strings
from bot.render.actions import CloseChoice, ModerationChoice, ModerationVerb
from bot.render.ids import ActionId, BlockId, CaseRef
from bot.render.long_text import quoted_pieces
from bot.render.mrkdwn import bound, escape, safe

NAME_LIMIT = 80
SUGGEST_IN = frozenset({CaseState.NEW, CaseState.CLAIMED})
FALLBACK_LIMIT = 300


def case_parent(case: Case, *, now: datetime, tz: ZoneInfo, can_escalate: bool = False,
                can_route: bool = False,
                suggestions: Sequence[tuple[int, str]] | None = None,
                phone: str | None = None, can_phone: bool = False) -> tuple[list[dict], str]:
    """Blocks and the notification/fallback text for the parent message of ``case``.

    ``now`` and ``tz`` (the desk's time zone) word the deadline: "due in 42 min".
    ``can_escalate``: escalation teams are configured, so the Escalate button shows.
    ``suggestions``: (reply id, title) of the saved replies that fit, best first ([]:
    none fits; None: the desk has no saved replies). ``phone``: the phone line (the
    number masked); ``can_phone``: Move to phone shows beside Move to DM.
    """
    name = safe(case.customer.name, NAME_LIMIT) or "(no name)"
    handle = safe(case.customer.username, 40)
    header = (f"*{name}* @{handle} · {case.customer.followers:,} followers")
    # A long post's rest is in the thread; a phone number in a DM shows masked.
    body = quoted_pieces(mask_phones(case.text) if case.origin == "dm" else case.text)[0]
    epoch = int(case.post_created_at.timestamp())
    fallback_time = f"{case.post_created_at:%Y-%m-%d %H:%M} UTC"
    posted = f"<!date^{epoch}^{{date_short_pretty}} {{time}}|{fallback_time}>"
    status = strings.STATE_LABELS[case.state.value]
    if case.assignee_id and case.state not in (CaseState.CLOSED, CaseState.IGNORED):
        status += f" · {strings.user(case.assignee_id)}"
    if case.close_reason and case.state in (CaseState.CLOSED, CaseState.IGNORED):
        status += f" · {strings.CLOSE_REASON_LABELS.get(case.close_reason, case.close_reason)}"
    if case.sla_due_at and case.state in WAITING_ON_US:
        words = describe_deadline(deadline=case.sla_due_at, now=now, tz=tz)
        icon = ":warning: " if words.startswith("overdue") else ":stopwatch: "
        status += f" · {icon}{words}"
    link = "DM" if case.origin == "dm" else f"<{case.post_url}|View on X>"
    blocks = [
        SectionBlock(block_id="case_post", text=MarkdownTextObject(text=f"{header}\n{body}")),
        ContextBlock(block_id="case_meta", elements=[MarkdownTextObject(
            text=f"{posted} · {link} · Case #{case.id}")]),
        ContextBlock(block_id="case_status", elements=[MarkdownTextObject(
            text=f"*{status}*")]),
    ]
    flags = _flags(case, now) + ([phone] if phone else [])
    if flags:
        blocks.append(ContextBlock(block_id="case_flags", elements=[MarkdownTextObject(
            text=" · ".join(flags))]))
    if suggestions is not None and case.state in SUGGEST_IN:
        blocks.extend(replies_blocks.suggestion_blocks(case_id=case.id,
                                                       suggestions=suggestions))
    buttons = _buttons(case, can_escalate=can_escalate, can_route=can_route,
                       can_phone=can_phone)
    if buttons:
        blocks.append(ActionsBlock(block_id=BlockId.ACTIONS.value, elements=buttons))
    fallback = bound(f"@{escape(case.customer.username)}: {escape(case.text)}", FALLBACK_LIMIT)
    return [b.to_dict() for b in blocks], f"[{case.state.value}] {fallback}"


def _button(label: str, action: ActionId, case: Case, *, style: str | None = None,
            draft_id: int | None = None) -> ButtonElement:
    return ButtonElement(text=PlainTextObject(text=label, emoji=True), action_id=action.value,
                         value=CaseRef(case_id=case.id, draft_id=draft_id).encode(), style=style)


def _close_menu(case: Case) -> StaticSelectElement:
    return StaticSelectElement(
        action_id=ActionId.CLOSE.value,
        placeholder=PlainTextObject(text="Close as…"),
        options=[Option(value=CloseChoice(case_id=case.id, reason=CloseReason(reason)).encode(),
                        label=label)
                 for reason, label in strings.CLOSE_REASON_LABELS.items()],
    )


PRIORITY_ICONS = {"high": ":small_red_triangle: high priority", "normal": "normal priority",
                  "low": "low priority"}


def _flags(case: Case, now: datetime) -> list[str]:
    flags = []
    if case.topic_key:
        flags.append(f":rotating_light: *Crisis digest* · topic {safe(case.topic_key, 80)} · "
                     f"{case.digest_count} alike post(s) grouped here (`/care filtered`)")
    if case.kind:
        triage = f"*{safe(case.kind, 20)}* · {PRIORITY_ICONS.get(case.priority, case.priority)}"
        if case.triage_reason:
            triage += f" · {safe(case.triage_reason, 240)}"
        flags.append(triage)
    if case.route:
        flags.append(f":twisted_rightwards_arrows: Route *{safe(case.route, 40)}*")
    if case.origin == "dm":
        flags.append(":envelope: Came in as a DM")
    elif case.moved_to_dm:
        flags.append(":envelope: Moved to DM")
    if not case.public_reply_allowed and case.origin != "dm":
        flags.append(":lock: DM only: the post did not mention the brand")
    if case.escalated_to:
        flags.append(f":rotating_light: Escalated to {safe(case.escalated_to, 40)}")
    if case.author_muted:
        flags.append(":mute: Author muted")
    if case.hidden_on_x:
        flags.append(":see_no_evil: Reply hidden on X")
    history = conversation_text.history_line(case.history, now=now)
    if history:
        flags.append(history)
    return flags


def _buttons(case: Case, *, can_escalate: bool = False, can_route: bool = False,
             can_phone: bool = False) -> list:
    state = case.state
    draft_id = case.latest_draft.id if case.latest_draft else None
    extra: list = []
    drafting = state in (CaseState.CLAIMED, CaseState.AWAITING_APPROVAL, CaseState.SEND_FAILED)
    if drafting and not case.moved_to_dm:
        extra.append(_button("Move to DM", ActionId.MOVE_TO_DM, case))
    if drafting and can_phone:
        extra.append(_button("Move to phone", ActionId.MOVE_TO_PHONE, case))
    if can_escalate and state in WAITING_ON_US | {CaseState.REPLIED} and not case.escalated_to:
        extra.append(_button("Escalate", ActionId.ESCALATE, case))
    if can_route and state in WAITING_ON_US | {CaseState.REPLIED}:
        extra.append(_button("Route to…", ActionId.ROUTE_TO, case))
    buttons = _state_buttons(case, state, draft_id, extra)
    return [*buttons, _more_menu(case)] if buttons else [_more_menu(case)]


def _more_menu(case: Case) -> OverflowMenuElement:
    def choice(verb: ModerationVerb, label: str) -> Option:
        return Option(value=ModerationChoice(case_id=case.id, verb=verb).encode(), label=label)

    options = [choice(ModerationVerb.UNMUTE, "Unmute author") if case.author_muted
               else choice(ModerationVerb.MUTE, "Mute author")]
    if case.replies_to_brand:
        options.append(choice(ModerationVerb.UNHIDE, "Unhide reply on X") if case.hidden_on_x
                       else choice(ModerationVerb.HIDE, "Hide reply on X"))
    return OverflowMenuElement(action_id=ActionId.MORE.value, options=options)


def _state_buttons(case: Case, state: CaseState, draft_id: int | None, extra: list) -> list:
    if state is CaseState.NEW:
        return [_button("Claim", ActionId.CLAIM, case, style="primary"), *extra,
                _close_menu(case)]
    if state is CaseState.CLAIMED:
        return [_button("Draft reply", ActionId.DRAFT, case, style="primary"),
                _button("Unclaim", ActionId.UNCLAIM, case), *extra, _close_menu(case)]
    if state is CaseState.AWAITING_APPROVAL:
        return [_button("Approve", ActionId.APPROVE, case, style="primary", draft_id=draft_id),
                _button("Request changes", ActionId.REQUEST_CHANGES, case, draft_id=draft_id),
                _button("Edit draft", ActionId.DRAFT, case), *extra, _close_menu(case)]
    if state is CaseState.SEND_FAILED:
        return [_button("Retry send", ActionId.RETRY_SEND, case, style="primary"),
                _button("Edit draft", ActionId.DRAFT, case), *extra, _close_menu(case)]
    if state is CaseState.REPLIED:
        return [*extra, _close_menu(case)]
    if state in (CaseState.CLOSED, CaseState.IGNORED):
        return [_button("Reopen", ActionId.REOPEN, case)]
    return []  # approved / sending: nothing to click while the reply goes out


def thread_note(text: str) -> tuple[list[dict], str]:
    """A short note in the case thread (text is already escaped where it needs to be)."""
    block = SectionBlock(text=MarkdownTextObject(text=bound(text, 2900)))
    return [block.to_dict()], bound(text, 2900)

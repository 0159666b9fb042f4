"""Saved replies in Slack: importing the file, suggesting replies on a case, filling one
in for a draft, the type-ahead, and the leads' changes.

Ranking runs when a case's parent message is rendered (after the case is stored, never
inside intake's transaction); the index is rebuilt only when the set of replies changes.

Example::

    replies = ReplyDesk(store=SavedReplies(db), leads=leads, clock=clock,
                        faq_url="https://acme.example/faq", agent_name=lambda u: "Alex")
    replies.import_file()                       # CARE_REPLIES_FILE, at start-up
    [s.reply.title for s in replies.suggestions(case)]   # ['Delayed bag']
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.case import CaseState
from bot.domain.model import Case
from bot.domain.reply_ranking import ReplyIndex
from bot.domain.saved_replies import (
    PlaceholderError,
    PlaceholderValues,
    ResolvedReply,
    SavedReply,
    StoredReply,
    resolve_reply,
    template_problem,
)
from bot.domain.saved_replies_file import RepliesFileError, load_saved_replies
from bot.render import replies_home, replies_text
from bot.services.leads import LeadDirectory
from storage.replies import (
    DuplicateTitleError,
    ImportSummary,
    ReplyChangedError,
    ReplyNotFoundError,
    SavedReplies,
)

log = logging.getLogger(__name__)

UNUSED_DAYS = 90
MAX_OPTIONS = 100  # Slack shows at most 100 options in an external select
FILE_ACTOR = "file"
MAX_CACHED = 5000


@dataclass(frozen=True)
class Filled:
    """A saved reply filled in for one case and agent, or why it cannot be."""

    stored: StoredReply
    resolved: ResolvedReply | None
    problem: str | None


@dataclass(frozen=True)
class Change:
    """What a lead's add, edit, retire or restore came to: ok, or a message for the modal."""

    ok: bool
    message: str | None = None


class ReplyDesk:
    def __init__(self, *, store: SavedReplies, leads: LeadDirectory,
                 clock: Callable[[], datetime], faq_url: str | None = None,
                 file_path: str | None = None,
                 agent_name: Callable[[str], str] = lambda user_id: "",
                 signature: Callable[[str], str] = lambda user_id: "") -> None:
        self.store = store
        self.leads = leads
        self.clock = clock
        self.faq_url = faq_url or ""
        self.file_path = file_path
        self.agent_name = agent_name
        self.signature = signature
        self._lock = threading.Lock()
        self._index: tuple[tuple, ReplyIndex, tuple[StoredReply, ...]] | None = None
        self._active: tuple[tuple[int, int, int], tuple[StoredReply, ...]] | None = None
        self._suggested: dict[int, tuple[tuple, list[tuple[int, str]]]] = {}

    # --- the file -------------------------------------------------------------------
    def import_file(self) -> ImportSummary | None:
        """Import CARE_REPLIES_FILE (None when no file is set); raises RepliesFileError."""
        if not self.file_path:
            return None
        replies = load_saved_replies(self.file_path)
        summary = self.store.import_file(replies, actor=FILE_ACTOR, now=self.clock())
        log.info("imported %d saved replies from the file (%d added, %d updated, %d retired)",
                 len(replies), len(summary.added), len(summary.updated), len(summary.retired))
        return summary

    def reload(self, *, user_id: str) -> str:
        """``/care replies reload``: leads only; a bad file changes nothing."""
        if not self.leads.is_lead(user_id):
            return replies_text.LEADS_ONLY
        if not self.file_path:
            return replies_text.NO_FILE
        try:
            summary = self.import_file()
        except RepliesFileError as exc:
            return replies_text.reload_refused(
                [(exc.source, p.line, p.reason) for p in exc.problems])
        return replies_text.reloaded(summary)

    def listing(self) -> str:
        """``/care replies``: the most and least used replies; long-unused ones marked."""
        return replies_text.usage_listing(self.store.active(), now=self.clock(),
                                          unused_days=UNUSED_DAYS)

    # --- suggestions and filling in --------------------------------------------------
    def active(self) -> tuple[StoredReply, ...]:
        """The replies in use, read again only when the set changed (use counts may lag)."""
        fingerprint = self.store.fingerprint()
        with self._lock:
            if self._active is not None and self._active[0] == fingerprint:
                return self._active[1]
        active = tuple(self.store.active())
        with self._lock:
            self._active = (fingerprint, active)
        return active

    def _ranked(self, active: tuple[StoredReply, ...] | None = None
                ) -> tuple[ReplyIndex, tuple[StoredReply, ...]]:
        active = self.active() if active is None else active
        key = tuple((s.id, s.version) for s in active)
        with self._lock:
            if self._index is None or self._index[0] != key:
                self._index = (key, ReplyIndex([s.reply for s in active]), active)
            return self._index[1], self._index[2]

    def suggestions(self, case: Case, *,
                    active: tuple[StoredReply, ...] | None = None) -> list[StoredReply]:
        """Up to three replies that fit the case's post, best first; [] when none fits
        well or ranking fails (a parent message is never held up by it)."""
        try:
            index, active = self._ranked(active)
            by_reply = {s.reply: s for s in active}
            kind = "dm" if case.origin == "dm" or case.moved_to_dm else "public"
            return [by_reply[s.reply] for s in index.rank(case.text)
                    if s.reply in by_reply and by_reply[s.reply].reply.channel.allows(kind)]
        except Exception:
            log.exception("ranking saved replies for case %s failed", case.id)
            return []

    def suggestion_titles(self, case: Case) -> list[tuple[int, str]] | None:
        """(id, title) of the replies to show on the parent message of ``case``; None when
        the desk has no saved replies or the case is past drafting. Kept per case until
        the replies change."""
        if case.state not in (CaseState.NEW, CaseState.CLAIMED):
            return None
        active = self.active()
        if not active:
            return None
        replies_key = tuple((s.id, s.version) for s in active)
        with self._lock:
            cached = self._suggested.get(case.id)
        if cached is not None and cached[0] == (replies_key, case.text):
            return cached[1]
        titles = [(s.id, s.reply.title) for s in self.suggestions(case, active=active)]
        with self._lock:
            if len(self._suggested) > MAX_CACHED:
                self._suggested.clear()
            self._suggested[case.id] = ((replies_key, case.text), titles)
        return titles

    def search(self, query: str, *, limit: int = MAX_OPTIONS) -> list[StoredReply]:
        """The type-ahead: active replies whose title (then tags, then text) holds
        ``query``, titles first; all of them (by title) for an empty query."""
        words = query.casefold().split()
        active = self.active()
        if not words:
            return list(active[:limit])

        def rank(stored: StoredReply) -> int | None:
            title = stored.reply.title.casefold()
            tags = " ".join(stored.reply.tags).casefold()
            text = stored.reply.text.casefold()
            if all(w in title for w in words):
                return 0
            if all(w in f"{title} {tags}" for w in words):
                return 1
            if all(w in f"{title} {tags} {text}" for w in words):
                return 2
            return None

        ranked = sorted(((r, s.reply.title.casefold(), s) for s in active
                         if (r := rank(s)) is not None), key=lambda t: t[:2])
        return [s for _, _, s in ranked[:limit]]

    def fill(self, *, case: Case, reply_id: int, user_id: str, kind: str | None = None,
             count_use: bool = True) -> Filled | None:
        """Reply ``reply_id`` filled in for ``case`` by ``user_id`` (None if unknown or
        retired); ``problem`` says when it cannot be filled or is too long."""
        stored = self.store.get(reply_id)
        if stored is None or stored.retired:
            return None
        kind = kind or ("dm" if case.origin == "dm" or case.moved_to_dm else "public")
        values = PlaceholderValues(customer_handle=case.customer.username or "",
                                   customer_name=case.customer.name or "",
                                   agent_name=self.agent_name(user_id) or "",
                                   faq_url=self.faq_url)
        try:
            resolved = resolve_reply(stored.reply, values=values, kind=kind,
                                     signature=self.signature(user_id))
        except PlaceholderError as exc:
            return Filled(stored=stored, resolved=None, problem=str(exc))
        if count_use:
            self.store.record_use(reply_id, now=self.clock())
        return Filled(stored=stored, resolved=resolved, problem=resolved.problem)

    # --- the leads' changes -----------------------------------------------------------
    def is_lead(self, user_id: str) -> bool:
        return self.leads.is_lead(user_id)

    def all(self) -> list[StoredReply]:
        return self.store.all()

    def home_section(self, user_id: str, *, page: int = 0,
                     notice: str | None = None) -> list[dict]:
        """The saved replies' part of ``user_id``'s Home tab (editable for a lead)."""
        return replies_home.replies_section(replies=self.all(), page=page,
                                            can_edit=self.is_lead(user_id), notice=notice)

    def get(self, reply_id: int) -> StoredReply | None:
        return self.store.get(reply_id)

    def save(self, *, user_id: str, reply: SavedReply, reply_id: int | None = None,
             version: int | None = None) -> Change:
        """Add (``reply_id`` None) or edit a reply; leads only; every change an event."""
        if not self.leads.is_lead(user_id):
            return Change(False, replies_text.LEADS_ONLY)
        problem = template_problem(reply)
        if problem:
            return Change(False, replies_text.cannot_save(problem))
        now = self.clock()
        try:
            if reply_id is None:
                self.store.add(reply, actor=user_id, now=now)
            else:
                self.store.edit(reply_id, reply, expected_version=version or 0, actor=user_id,
                                now=now)
        except DuplicateTitleError:
            return Change(False, replies_text.DUPLICATE_TITLE)
        except ReplyChangedError:
            return Change(False, replies_text.CHANGED_MEANWHILE)
        except ReplyNotFoundError:
            return Change(False, replies_text.NO_SUCH_REPLY)
        return Change(True)

    def retire(self, *, user_id: str, reply_id: int) -> Change:
        if not self.leads.is_lead(user_id):
            return Change(False, replies_text.LEADS_ONLY)
        self.store.retire(reply_id, actor=user_id, now=self.clock())
        return Change(True)

    def restore(self, *, user_id: str, reply_id: int) -> Change:
        """Offer a retired reply again; leads only; recorded as a "restored" event."""
        if not self.leads.is_lead(user_id):
            return Change(False, replies_text.LEADS_ONLY)
        self.store.restore(reply_id, actor=user_id, now=self.clock())
        return Change(True)

    def unused_since(self) -> datetime:
        return self.clock() - timedelta(days=UNUSED_DAYS)

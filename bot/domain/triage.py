"""Triage: decide what an inbound X post is and whether it needs a response.

Pure domain code (no Slack, X or SQL); VADER scores English sentiment. Rules are lexicons
and precompiled regexes, tuned for recall: a care desk would rather see a few extra posts
than miss a complaint. Quality and speed: ``python bench/triage_quality.py``.

Example::

    triager = Triager()  # build once: loads VADER, compiles the keyword patterns
    t = triager.classify(text="@acme still waiting for my refund!!", author_followers=120)
    t.kind, t.priority, t.needs_response  # (Kind.COMPLAINT, Priority.HIGH, True)
    t.reason  # 'complaint: says "still waiting for my…"; urgent: refund'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from bot.domain import triage_words as w
from bot.domain.triage_words import DEFAULT_SPAM, DEFAULT_URGENT

__all__ = [
    "DEFAULT_SPAM", "DEFAULT_URGENT", "Kind", "Lane", "Priority", "Triage", "TriageRules",
    "Triager",
]

REASON_MAX = 200


class Kind(StrEnum):
    """What a post is, from the care desk's point of view."""

    QUESTION = "question"
    COMPLAINT = "complaint"
    PRAISE = "praise"
    SPAM = "spam"
    OTHER = "other"


class Priority(StrEnum):
    """How soon an agent should look: HIGH (urgent, very negative, loud complaint), NORMAL
    (other questions and complaints), LOW (praise, spam, other)."""

    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class Lane(StrEnum):
    """Where a post goes: a CASE for agents, the PRAISE lane (thank-you digest: praise that
    asks nothing), or the FILTERED log (kept with its reason, never silently dropped)."""

    CASE = "case"
    PRAISE = "praise"
    FILTERED = "filtered"


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _keywords(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip().lower() for v in values if v.strip()))


def _csv(value: str | None) -> tuple[str, ...] | None:
    """Comma-separated setting -> tuple; None or blank -> None (keep the default)."""
    return _keywords(value.split(",")) if value and value.strip() else None


def _kinds(names: Iterable[str | Kind]) -> frozenset[Kind]:
    try:
        return frozenset(Kind(str(n).strip().lower()) for n in names)
    except ValueError as exc:
        valid = ", ".join(k.value for k in Kind)
        raise ValueError(f"respond_kinds: {exc}; valid kinds: {valid}") from None


@dataclass(frozen=True)
class TriageRules:
    """Configurable triage rules. Keywords match case-insensitively at word starts with
    common endings ("cancel" matches "cancelled", "scam" matches "scammers"); keywords in
    non-Latin scripts match anywhere. Urgent keywords make a post HIGH priority (and so
    answered, with ``respond_to_high_priority``) unless it is praise or spam.

    Example::

        rules = TriageRules(urgent_keywords=("refund", "recall"), high_reach_followers=50_000)
        rules = TriageRules.from_settings(respond_kinds="question,complaint,praise")
    """

    urgent_keywords: tuple[str, ...] = DEFAULT_URGENT
    spam_keywords: tuple[str, ...] = DEFAULT_SPAM
    high_reach_followers: int = 10_000
    negative_threshold: float = -0.4
    respond_kinds: frozenset[Kind] = field(
        default_factory=lambda: frozenset({Kind.QUESTION, Kind.COMPLAINT})
    )
    respond_to_high_priority: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "urgent_keywords", _keywords(self.urgent_keywords))
        object.__setattr__(self, "spam_keywords", _keywords(self.spam_keywords))
        object.__setattr__(self, "respond_kinds", _kinds(self.respond_kinds))
        if not -1.0 <= self.negative_threshold <= 1.0:
            raise ValueError("negative_threshold must be between -1 and 1 (VADER compound)")
        if self.high_reach_followers < 0:
            raise ValueError("high_reach_followers must be >= 0")

    @classmethod
    def from_settings(
        cls,
        *,
        urgent_keywords: str | None = None,
        spam_keywords: str | None = None,
        respond_kinds: str | None = None,
        high_reach_followers: int | str | None = None,
        negative_threshold: float | str | None = None,
        respond_to_high_priority: bool | str | None = None,
    ) -> TriageRules:
        """Build rules from environment strings; None or blank keeps the default.

        Example::

            TriageRules.from_settings(urgent_keywords="refund, recall", respond_kinds="question")
            TriageRules.from_settings(respond_kinds="questoin")  # ValueError naming valid kinds
        """
        kw: dict[str, object] = {}
        for name, value in (("urgent_keywords", urgent_keywords), ("spam_keywords", spam_keywords),
                            ("respond_kinds", respond_kinds)):
            if (parsed := _csv(value)) is not None:
                kw[name] = parsed
        if high_reach_followers is not None and str(high_reach_followers).strip():
            kw["high_reach_followers"] = int(str(high_reach_followers).replace("_", ""))
        if negative_threshold is not None and str(negative_threshold).strip():
            kw["negative_threshold"] = float(negative_threshold)
        flag = respond_to_high_priority
        if isinstance(flag, str) and flag.strip():
            if flag.strip().lower() not in _TRUE | _FALSE:
                raise ValueError(f"respond_to_high_priority: expected true/false, got {flag!r}")
            kw["respond_to_high_priority"] = flag.strip().lower() in _TRUE
        elif isinstance(flag, bool):
            kw["respond_to_high_priority"] = flag
        return cls(**kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Triage:
    """The verdict on one post. ``sentiment`` is VADER's compound score (-1..1) of the text
    without mentions and URLs; 0.0 when the text is not English (VADER is English-only).
    ``reason`` is one human-readable line (at most ``REASON_MAX`` characters)."""

    kind: Kind
    sentiment: float
    priority: Priority
    needs_response: bool
    reason: str
    lane: Lane = Lane.FILTERED


def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    latin = [re.escape(k) for k in keywords if re.match(r"[\w$]", k, re.ASCII)]
    other = [re.escape(k) for k in keywords if not re.match(r"[\w$]", k, re.ASCII)]
    parts = [r"(?<!\w)(?:" + "|".join(latin) + ")" + w.SUFFIX] if latin else []
    parts += ["|".join(other)] if other else []
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _quote(text: str, start: int, words: int = 4) -> str:
    """A few words of customer text from ``start``, for the reason line."""
    chunk = text[start:start + 60].split()
    snippet = " ".join(chunk[:words])
    more = len(chunk) > words or len(snippet) > 40
    return f'"{snippet[:40].rstrip(" ,.;:")}{"…" if more else ""}"'


class Triager:
    """Classifies posts with the given rules. Build once and reuse (VADER loads once).

    Example::

        triager = Triager(rules=TriageRules(high_reach_followers=5_000))
        verdict = triager.classify(text="@acme where is my bag?", author_followers=8_000)
        if verdict.needs_response:
            ...  # open a case; verdict.reason says why
    """

    def __init__(self, *, rules: TriageRules = TriageRules()) -> None:  # noqa: B008 (frozen)
        self.rules = rules
        self._analyzer = SentimentIntensityAnalyzer()
        self._urgent = _keyword_pattern(rules.urgent_keywords)
        self._spam = _keyword_pattern(rules.spam_keywords)

    def classify(
        self, *, text: str, author_followers: int = 0, brand_handle: str = "acme"
    ) -> Triage:
        """Classify one post. ``brand_handle`` (no @) tells a post *to* the brand from a post
        that only mentions it or talks to someone else.

        Example::

            Triager().classify(text="great, another delay, thanks @acme").kind  # COMPLAINT
            Triager().classify(text="thanks @acme that fixed it!").needs_response  # False
        """
        rules = self.rules
        raw = text or ""
        urls = w.URL.findall(raw)
        no_urls = w.URL.sub(" ", raw)
        mentions = w.MENTION.findall(no_urls)
        clean = w.SPACES.sub(" ", w.MENTION.sub(" ", no_urls)).strip()
        low = clean.lower()
        foreign = w.FOREIGN.search(low) is not None
        sentiment = 0.0
        if clean and not foreign:
            sentiment = self._analyzer.polarity_scores(clean)["compound"]
        urgent: list[str] = []
        if self._urgent is not None:
            urgent = list(dict.fromkeys(m.group(0).lower() for m in self._urgent.finditer(low)))
        kind, why = self._kind(raw, clean, low, sentiment, foreign, urls, mentions, brand_handle)

        strongly_negative = sentiment <= rules.negative_threshold
        high_reach = author_followers >= rules.high_reach_followers
        if kind in (Kind.SPAM, Kind.PRAISE):
            priority = Priority.LOW
        elif kind is Kind.OTHER:
            priority = Priority.HIGH if urgent else Priority.LOW
        elif urgent or strongly_negative or (high_reach and kind is Kind.COMPLAINT):
            priority = Priority.HIGH
        else:
            priority = Priority.NORMAL
        needs = kind in rules.respond_kinds or (
            rules.respond_to_high_priority and priority is Priority.HIGH
        )

        parts = [f"{kind.value}: {why}"]
        if foreign:
            parts.append("not English: sentiment not scored")
        elif strongly_negative or kind is Kind.PRAISE and sentiment > 0:
            mood = "negative" if sentiment < 0 else "positive"
            parts.append(f"{mood} sentiment {sentiment:+.2f}")
        if urgent and kind not in (Kind.SPAM, Kind.PRAISE):
            parts.append("urgent: " + ", ".join(urgent[:4]))
        if high_reach and kind in (Kind.QUESTION, Kind.COMPLAINT):
            parts.append(f"high reach: {author_followers:,} followers")
        reason = "; ".join(parts)
        if len(reason) > REASON_MAX:
            reason = reason[: REASON_MAX - 1] + "…"
        return Triage(
            kind=kind, sentiment=sentiment, priority=priority, needs_response=needs, reason=reason,
            lane=Lane.CASE if needs else Lane.PRAISE if kind is Kind.PRAISE else Lane.FILTERED,
        )

    def _kind(
        self, raw: str, clean: str, low: str, sentiment: float, foreign: bool, urls: list[str],
        mentions: list[str], brand: str,
    ) -> tuple[Kind, str]:
        src = clean if len(clean) == len(low) else low  # quote original case when aligned

        def q(match: re.Match[str], words: int = 4) -> str:
            return _quote(src, match.start(), words)

        # Spam first: keyword hits, scam handles, link-only posts, floods, mention trains.
        if (m := self._spam and self._spam.search(low)) or (m := w.SPAM_EXTRA.search(low)):
            return Kind.SPAM, f"promo/scam wording {q(m, 3)}"
        if w.SCAM_HANDLE.search(raw):
            return Kind.SPAM, "points to an account-recovery handle"
        words = w.WORD.findall(w.HASHTAG.sub(" ", low))
        if urls and not words:
            return Kind.SPAM, "link only"
        flood = w.FLOOD.search(low.replace("\ufe0f", "")) or w.LOLFLOOD.search(low)
        if flood and len(set(words)) <= 1 or len(words) >= 4 and len(set(words)) == 1:
            return Kind.SPAM, "character/emoji/word flood"
        brand_at = "@" + brand.lower().lstrip("@")
        if len(others := {x.lower() for x in mentions} - {brand_at}) >= 5:
            return Kind.SPAM, f"mentions {len(others)} accounts"
        if not clean:
            return Kind.OTHER, "only a mention" if not urls else "no text"

        issue, judge, sarcasm = w.ISSUE.search(low), w.JUDGE.search(low), w.SARCASM.search(low)
        troll, opener, request = w.TROLL.search(low), w.OPENER.search(low), w.REQUEST.search(low)
        qmark, resolved = w.QMARK.search(clean), w.RESOLVED.search(low)
        praise = w.PRAISE.search(low)
        if request and praise and praise.start() < request.start():
            if w.HELP_WORD.fullmatch(request.group(0)):
                request = None  # "thanks for the quick help"
        strong_q = opener or request
        negative = sentiment <= self.rules.negative_threshold
        lead = w.LEADING.match(raw)
        handles = w.MENTION.findall(lead.group(1).lower()) if lead else []
        directed = brand_at in handles
        to_others = any(h != brand_at for h in handles)

        if resolved and not sarcasm and not qmark and not judge:
            return Kind.PRAISE, f"resolved {q(resolved)}"
        if troll and not issue and not request:
            return Kind.OTHER, f"insult/troll, no concrete issue {q(troll, 3)}"
        if w.CHITCHAT.match(low) or w.AUDIENCE.search(low) and not issue and not request:
            return Kind.OTHER, "chit-chat or a question to followers, not to the brand"
        if sarcasm and (issue or judge or not praise or sentiment < 0.9):
            return Kind.COMPLAINT, f"sarcasm {q(sarcasm)}"
        complaint = issue or judge
        positive = sentiment >= 0.5 or (praise and sentiment >= 0.0)
        if positive and not complaint and not strong_q and (not qmark or sentiment >= 0.5):
            return Kind.PRAISE, f"praise {q(praise)}" if praise else "positive words"
        if positive and praise and issue and not judge and not qmark and not request:
            if (sentiment >= 0.5 or foreign) and not w.ISSUE.search(low, issue.end()):
                return Kind.PRAISE, f"praise despite {q(issue, 2)}"
        if complaint and not (strong_q and not judge and not negative and opener):
            return Kind.COMPLAINT, f"says {q(complaint)}"
        if strong_q or (qmark and not to_others):
            return Kind.QUESTION, f"asks {q(strong_q or qmark)}"
        if negative:
            return Kind.COMPLAINT, "strongly negative wording"
        if positive:
            return Kind.PRAISE, "positive words"
        if clean.isupper() and len(words) >= 3:
            return Kind.COMPLAINT, "all-caps rant"
        # Recall first: a post addressed to the brand that nothing above explains goes to a
        # human when it reads negative, is about the author's own situation, or is in a
        # language the lexicons may not cover.
        if directed and not to_others and len(words) + len(w.CJK.findall(low)) // 4 >= 3:
            if sentiment < 0:
                return Kind.COMPLAINT, "negative wording addressed to the brand"
            if foreign and not praise or sentiment < 0.3 and w.FIRST_PERSON.search(low):
                return Kind.QUESTION, "addressed to the brand, nothing explains it: a human looks"
        return Kind.OTHER, "no request, complaint or praise detected"

"""Triage: decide what an inbound X post is and whether it needs a response.

Pure domain code (no Slack, X or SQL); VADER scores English sentiment. Rules are lexicons
and precompiled regexes, tuned for recall: a care desk would rather see a few extra posts
than miss a complaint. The lexicons live in ``triage_words``, the rules that combine them in
``triage_judge``. Quality and speed: ``python bench/triage_quality.py`` (own labelled set)
and ``python bench/triage_real.py`` (real posts).

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

from bot.domain import triage_words as w
from bot.domain.triage_judge import Reading, judge
from bot.domain.triage_language import guess_language, language_name, normalise_lang
from bot.domain.triage_regex import factor
from bot.domain.triage_sentiment import Sentiment
from bot.domain.triage_words import DEFAULT_SPAM, DEFAULT_URGENT

__all__ = [
    "DEFAULT_SPAM", "DEFAULT_URGENT", "Kind", "Lane", "Priority", "Triage", "TriageRules",
    "Triager",
]

REASON_MAX = 200
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


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


def _flag(name: str, value: bool | str, *, expected: str = "true/false") -> bool:
    """A yes/no setting: a bool as it is, a string from ``_TRUE`` or ``_FALSE``; ValueError
    names the setting and what it expects."""
    if isinstance(value, bool):
        return value
    if (word := value.strip().lower()) not in _TRUE | _FALSE:
        raise ValueError(f"{name}: expected {expected}, got {value!r}")
    return word in _TRUE


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
    # The watched handle is a support account (everything said to it is for the care team);
    # None: decided by its name ("AcmeHelp", "acme_support", "AcmeCares", "AskAcme").
    support_account: bool | None = None

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
        support_account: bool | str | None = None,
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
        if isinstance(flag, bool) or (flag or "").strip():
            kw["respond_to_high_priority"] = _flag("respond_to_high_priority", flag)
        support = support_account
        if isinstance(support, bool) or (support or "").strip().lower() not in ("", "auto"):
            kw["support_account"] = _flag("support_account", support,
                                          expected="auto, true or false")
        return cls(**kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Triage:
    """The verdict on one post. ``sentiment`` is VADER's compound score (-1..1) of the text
    without mentions and URLs; 0.0 when the text is not English (VADER is English-only).
    ``reason`` is one human-readable line (at most ``REASON_MAX`` characters). ``lane`` says
    where the post goes; ``language`` is its language subtag when not English (X's code, or
    a guess), else None."""

    kind: Kind
    sentiment: float
    priority: Priority
    needs_response: bool
    reason: str
    lane: Lane = Lane.FILTERED
    language: str | None = None


def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    latin = [re.escape(k) for k in keywords if re.match(r"[\w$]", k, re.ASCII)]
    other = [re.escape(k) for k in keywords if not re.match(r"[\w$]", k, re.ASCII)]
    parts = [r"(?<!\w)(?:" + factor("|".join(latin)) + ")" + w.SUFFIX] if latin else []
    parts += ["|".join(other)] if other else []
    return re.compile("|".join(parts)) if parts else None  # matched on lowercased text


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
        self._sentiment = Sentiment()
        self._urgent = _keyword_pattern(rules.urgent_keywords)
        self._spam = _keyword_pattern(rules.spam_keywords)

    def _answering(self, brand: str, replying_to_brand: bool) -> str | None:
        """How a post to the brand answers its care team, for the reason line; None when
        the handle is not a support account and the post replies to no post of the brand's."""
        if replying_to_brand:
            return "a reply to the brand's own post"
        support = self.rules.support_account
        if support is None:  # decided by the handle's name
            support = w.SUPPORT_HANDLE.search(brand) is not None
        return "said to the support account" if support else None

    def classify(
        self, *, text: str, author_followers: int = 0, brand_handle: str = "acme",
        lang: str | None = None, replying_to_brand: bool = False,
    ) -> Triage:
        """Classify one post. ``brand_handle`` (no @) tells a post *to* the brand from a post
        that only mentions it or talks to someone else. ``lang`` is X's language code for the
        post (BCP 47, ``und`` when unknown); without it the language is guessed.
        ``replying_to_brand``: the post replies to one of the brand's own posts, so it answers
        the brand as a post to a support account does.

        Example::

            Triager().classify(text="great, another delay, thanks @acme").kind  # COMPLAINT
            Triager().classify(text="thanks @acme that fixed it!").needs_response  # False
        """
        rules = self.rules
        raw = text or ""
        urls = w.URL.findall(raw) if "://" in raw or "www." in raw.lower() else []
        no_urls = w.URL.sub(" ", raw) if urls else raw
        mentions = w.MENTION.findall(no_urls)
        # str.split() and re's \s agree on what whitespace is: one space between words
        clean = " ".join((w.MENTION.sub(" ", no_urls) if mentions else no_urls).split())
        if "\u2019" in clean or "\u2018" in clean:  # typographic apostrophes: "don’t" as "don't"
            clean = clean.translate(_APOSTROPHES)
        low = clean.lower()
        language = normalise_lang(lang) or guess_language(low)
        if language == "en":
            language = None
        foreign = language is not None or w.FOREIGN.search(low) is not None
        sentiment = 0.0
        if clean and not foreign:
            sentiment = self._sentiment.compound(clean)
        urgent: list[str] = []
        if self._urgent is not None and (found := self._urgent.findall(low)):
            urgent = list(dict.fromkeys(x.lower() for x in found))  # the pattern has no groups
        reading = Reading(raw=raw, clean=clean, low=low, sentiment=sentiment, foreign=foreign,
                          urls=tuple(urls), mentions=tuple(mentions),
                          brand=brand_handle.lower().lstrip("@"), language=language)
        kind_name, why = judge(reading, spam=self._spam, urgent=bool(urgent),
                               negative_threshold=rules.negative_threshold,
                               support=self._answering(reading.brand, replying_to_brand))
        kind = Kind(kind_name)

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
        if foreign and language and not why.startswith("in "):
            parts.append(f"not English ({language_name(language)}): sentiment not scored")
        elif foreign:
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
            language=language,
        )

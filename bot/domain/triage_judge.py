"""The judgement behind triage: what kind of post this is, and a short reason why.

Pure domain code: the lexicons of ``triage_words`` combined into ordered rules. Recall comes
first for posts to the brand (a missed complaint is the costly error), while posts that show
nothing a brand's customer would bring (no service words, no trouble, no request) stay out of
the queue. ``triage.Triager`` calls :func:`judge` and adds priority, lane and reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain import triage_words as w
from bot.domain.triage_language import READABLE, language_name

__all__ = ["Reading", "judge"]

_QUESTION_SENTENCE = re.compile(r"(?:^|[.!?]\s)[^.!?]*\b(?:how|what|when|where|why|who|which"
                                r"|can|could|would|will|is|are|do|does|did|should|has|have)\b"
                                r"[^.!?]*\?")
_NEGATED = re.compile(r"(?:(?:not|n't|never|no)\W+(?:\w+\W+)?"
                      r"|(?:get|got) (?:it|this|them) |being )$")


@dataclass(frozen=True)
class Reading:
    """One post prepared for the rules. ``low`` is the text without mentions and URLs,
    lowercased; ``language`` a primary language subtag when not English (None otherwise)."""

    raw: str
    clean: str
    low: str
    sentiment: float
    foreign: bool
    urls: tuple[str, ...]
    mentions: tuple[str, ...]
    brand: str
    language: str | None


def _quote(text: str, start: int, words: int = 4) -> str:
    """A few words of customer text from ``start``, for the reason line."""
    chunk = text[start:start + 60].split()
    snippet = " ".join(chunk[:words])
    more = len(chunk) > words or len(snippet) > 40
    return f'"{snippet[:40].rstrip(" ,.;:")}{"…" if more else ""}"'


def _spam(post: Reading, spam: re.Pattern[str] | None, q) -> tuple[str, str] | None:
    low = post.low
    if (m := spam and spam.search(low)) or (m := w.SPAM_EXTRA.search(low)):
        return "spam", f"promo/scam wording {q(m, 3)}"
    if w.SCAM_HANDLE.search(post.raw):
        return "spam", "points to an account-recovery handle"
    words = w.WORD.findall(w.HASHTAG.sub(" ", low))
    if post.urls and not words:
        return "spam", "link only"
    distinct = len(set(words))
    if distinct <= 1 and (len(words) >= 4 or w.FLOOD.search(low.replace("\ufe0f", ""))
                          or w.LOLFLOOD.search(low)):
        return "spam", "character/emoji/word flood"
    brand_at = "@" + post.brand
    if len(others := {x.lower() for x in post.mentions} - {brand_at}) >= 5:
        if not (brand_at in {x.lower() for x in post.mentions} and w.SERVICE.search(low)):
            return "spam", f"mentions {len(others)} accounts"
    return None


def judge(post: Reading, *, spam: re.Pattern[str] | None,
          negative_threshold: float) -> tuple[str, str]:
    """(kind value, why) for one post. The rules run in order and the first that fits
    decides: spam, other languages, resolved, trolls and insults, chit-chat, sarcasm,
    praise, complaints, trouble, questions, negative wording, the fallbacks."""
    raw, clean, low, sentiment = post.raw, post.clean, post.low, post.sentiment
    src = clean if len(clean) == len(low) else low  # quote original case when aligned

    def q(match: re.Match[str], words: int = 4) -> str:
        return _quote(src, match.start(), words)

    if found := _spam(post, spam, q):
        return found
    if not clean:
        return "other", "only a mention" if not post.urls else "no text"

    brand_at = "@" + post.brand
    lead = w.LEADING.match(raw)
    handles = w.MENTION.findall(lead.group(1).lower()) if lead else []
    directed = brand_at in handles
    to_others = any(h != brand_at for h in handles)
    named = directed or brand_at in {m.lower() for m in post.mentions}
    if post.language and post.language not in READABLE and (named or not post.mentions):
        name = language_name(post.language)
        return "question", f"in {name}: the rules cannot read it, a human looks"

    issue, judged, sarcasm = w.ISSUE.search(low), w.JUDGE.search(low), w.SARCASM.search(low)
    troll, opener, request = w.TROLL.search(low), w.OPENER.search(low), w.REQUEST.search(low)
    qmark, resolved = w.QMARK.search(clean), w.RESOLVED.search(low)
    praise, service = w.PRAISE.search(low), w.SERVICE.search(low)
    problem, ask = w.PROBLEM.search(low), w.ASK.search(low)
    positive = sentiment >= 0.5 or (praise and sentiment >= 0.0)
    problem = problem or (None if positive else w.DELAY.search(low))
    if request and praise and praise.start() < request.start():
        if w.HELP_WORD.fullmatch(request.group(0)):
            request = None  # "thanks for the quick help"
    asked = _QUESTION_SENTENCE.search(low) if qmark else None
    strong_q = opener or request or (ask if service or named else None) or asked
    negative = sentiment <= negative_threshold
    about = named and not directed  # names the brand inside the sentence
    first = handles[:1] == [brand_at]
    trouble = problem and (service and (named or not post.mentions) and (first or not to_others)
                           or about and (service or w.FIRST_PERSON.search(low)))
    words = w.WORD.findall(low)
    mine = named and problem and w.FIRST_PERSON.search(low)  # the author's own trouble

    if resolved and not sarcasm and not qmark and not judged:
        negated = _NEGATED.search(low, 0, resolved.start())
        if not negated and not w.ISSUE.search(low, resolved.end()):
            return "praise", f"resolved {q(resolved)}"
    if troll and not issue and not request:
        insult = w.INSULT.search(low)
        if named and (insult and not w.LAUGH.search(low) or trouble):
            return "complaint", f"insult at the brand {q(insult or troll, 3)}"
        return "other", f"insult/troll, no concrete issue {q(troll, 3)}"
    if not (issue or request or trouble):
        if w.CHITCHAT.match(low) or w.AUDIENCE.search(low):
            return "other", "chit-chat or a question to followers, not to the brand"
    if sarcasm and (issue or judged or not praise or sentiment < 0.9):
        return "complaint", f"sarcasm {q(sarcasm)}"
    complaint = issue or judged
    if positive and not complaint and not strong_q and not trouble and not mine:
        if not qmark or sentiment >= 0.5:
            return "praise", f"praise {q(praise)}" if praise else "positive words"
    if positive and praise and issue and not judged and not qmark and not request:
        if (sentiment >= 0.5 or post.foreign) and not w.ISSUE.search(low, issue.end()):
            return "praise", f"praise despite {q(issue, 2)}"
    if complaint and not (strong_q and not judged and not negative and opener):
        return "complaint", f"says {q(complaint)}"
    if trouble and not (strong_q and not negative):
        why = f"trouble with {q(service, 3)}" if service else f"trouble {q(problem, 3)}"
        return "complaint", why
    if strong_q or (qmark and not to_others):
        if service or post.foreign or not words or named and (request or problem or negative
                                                               or w.PLEA.search(low)):
            return "question", f"asks {q(strong_q or qmark)}"
        return "other", f"a question with nothing for the brand {q(strong_q or qmark)}"
    if negative:
        if service or w.INSULT.search(low):
            return "complaint", "strongly negative wording"
        return "other", "negative wording about nothing the brand offers"
    if positive:
        return "praise", "positive words"
    if clean.isupper() and len(words) >= 3:
        return "complaint", "all-caps rant"
    # A post to the brand that nothing above explains goes to a human when it is about the
    # author's own dealings with the brand, or in a language the lexicons may not cover.
    if named and not to_others and len(words) + len(w.CJK.findall(low)) // 4 >= 3:
        if sentiment < 0 and service:
            return "complaint", "negative wording addressed to the brand"
        if post.foreign and not praise or service and w.FIRST_PERSON.search(low):
            return "question", "addressed to the brand, nothing explains it: a human looks"
    if post.language and (named or not post.mentions):
        name = language_name(post.language)
        return "question", f"in {name}: nothing the rules recognise, a human looks"
    if named and sentiment >= 0.2 and not to_others and not problem:
        return "praise", "a warm mention of the brand"
    return "other", "no request, complaint or praise detected"

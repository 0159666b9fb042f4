"""The judgement behind triage: what kind of post this is, and a short reason why.

Pure domain code: the lexicons of ``triage_words`` combined into ordered rules. Recall comes
first for posts to the brand (a missed complaint is the costly error), while posts that show
nothing a brand's customer would bring (no service words, no trouble, no request) stay out of
the queue. ``triage.Triager`` calls :func:`judge` and adds priority, lane and reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.domain import triage_words as w
from bot.domain.triage_language import READABLE, language_name

__all__ = ["Reading", "judge"]

_QUESTION_SENTENCE = re.compile(r"(?:^|[.!?]\s)[^.!?]*\b(?:how|what|when|where|why|who|which"
                                r"|can|could|would|will|is|are|do|does|did|should|has|have)\b"
                                r"[^.!?]*\?")
_NEGATED = re.compile(r"(?:(?:not|n't|never|no)\W+(?:\w+\W+)?"
                      r"|(?:get|got) (?:it|this|them) |being )$")
# "fixed, it isn't", "sorted? not really": the fix denied right after it is named.
_DENIED = re.compile(r"\W*(?:(?:it|that|this|which|they)(?:'s|'re| is| was| are)? )?"
                     r"(?:isn'?t|wasn'?t|aren'?t|hasn'?t|not|no)\b")


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
    words = w.WORD.findall(w.HASHTAG.sub(" ", low) if "#" in low else low)
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


class _found_once:  # noqa: N801 (used as a decorator, like functools.cached_property)
    """A property computed on first read and then kept on the instance (functools'
    ``cached_property`` takes a lock on each first read in Python 3.11)."""

    def __init__(self, compute) -> None:
        self.compute, self.name = compute, compute.__name__

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.compute(obj)
        return value


class _Signals:
    """What the lexicons find in one post, and to whom it speaks. Each lexicon is searched
    when a rule first reads its signal (the rules stop at the first that fits)."""

    def __init__(self, post: Reading, negative_threshold: float, *,
                 warm: re.Match[str] | None = None, support: str | None = None) -> None:
        """``warm`` is a warm phrase found before it was blanked out ("can't wait for the
        sale"), counted as praise."""
        self._low, self._clean, self._warm = post.low, post.clean, warm
        self._sentiment, self._threshold = post.sentiment, negative_threshold
        brand_at = "@" + post.brand
        lead = w.LEADING.match(post.raw)
        handles = w.MENTION.findall(lead.group(1).lower()) if lead else []
        self.directed = brand_at in handles  # the brand leads the post's mentions
        self.to_others = any(h != brand_at for h in handles)  # another account leads too
        # the brand is mentioned anywhere; the brand is the first account addressed
        self.named = self.directed or brand_at in {m.lower() for m in post.mentions}
        self._mentioned_ok = self.named or not post.mentions
        self.negative = post.sentiment <= negative_threshold
        self.first = handles[:1] == [brand_at]
        # spoken to a support account: whatever a customer says to it is for the care team
        self.support = support  # how a post to the brand answers its care team, or None
        self.to_support = bool(support) and self.first
        self.tags_support = bool(support) and self.named  # the support account tagged anywhere

    @_found_once
    def issue(self) -> re.Match[str] | None:
        return w.ISSUE.search(self._low)

    @_found_once
    def judged(self) -> re.Match[str] | None:
        return w.JUDGE.search(self._low)

    @_found_once
    def sarcasm(self) -> re.Match[str] | None:
        return w.SARCASM.search(self._low)

    @_found_once
    def troll(self) -> re.Match[str] | None:
        return w.TROLL.search(self._low)

    @_found_once
    def resolved(self) -> re.Match[str] | None:
        return w.RESOLVED.search(self._low)

    @_found_once
    def qmark(self) -> re.Match[str] | None:
        return w.QMARK.search(self._clean)

    @_found_once
    def praise(self) -> re.Match[str] | None:
        return w.PRAISE.search(self._low) or self._warm

    @_found_once
    def service(self) -> re.Match[str] | None:
        return w.SERVICE.search(self._low)

    @_found_once
    def positive(self) -> bool:
        sentiment = self._sentiment
        return (sentiment >= 0.5 or bool(self.praise and sentiment >= 0.0)
                or bool(self._warm and sentiment > self._threshold))

    @_found_once
    def request(self) -> re.Match[str] | None:
        request = w.REQUEST.search(self._low)
        if request and (praise := self.praise) and praise.start() < request.start():
            if w.HELP_WORD.fullmatch(request.group(0)):
                return None  # "thanks for the quick help"
        return request

    @_found_once
    def opener(self) -> re.Match[str] | None:
        opener = w.OPENER.search(self._low)
        if opener and not self.qmark and w.STATEMENT_OPENER.match(self._low, opener.start()):
            return None
        return opener

    @_found_once
    def strong_q(self) -> re.Match[str] | None:
        return (self.opener or self.request
                or (w.ASK.search(self._low) if self.service or self.named else None)
                or (_QUESTION_SENTENCE.search(self._low) if self.qmark else None))

    @_found_once
    def _problem_and_trouble(self) -> tuple[re.Match[str] | None, bool]:
        """(problem, trouble): trouble with what the brand sells, or the author's own, to
        the brand."""
        low = self._low
        problem = w.PROBLEM.search(low) or (None if self.positive else w.DELAY.search(low))
        about = self.named and not self.directed  # names the brand inside the sentence
        trouble = bool(problem) and bool(
            self.service and self._mentioned_ok and (self.first or not self.to_others)
            or about and (self.service or w.FIRST_PERSON.search(low)))
        if self.named and not self.to_others and not trouble and (
                broken := w.BROKEN.search(low)):
            # In praise, "in 6 hours" is speed ("got my bag to me in 6 hours, legends").
            speed = self.positive and not problem and w.SPEED.search(low)
            if not (speed and speed.start() < broken.start() < speed.end()):
                problem, trouble = problem or broken, True
        return problem, trouble

    @property
    def problem(self) -> re.Match[str] | None:
        return self._problem_and_trouble[0]

    @property
    def trouble(self) -> bool:
        return self._problem_and_trouble[1]

    @_found_once
    def mine(self) -> bool:
        """The author's own trouble, the brand named."""
        return bool(self.named and self.problem and w.FIRST_PERSON.search(self._low))

    @_found_once
    def words(self) -> int:
        return len(w.WORD.findall(self._low))


def judge(post: Reading, *, spam: re.Pattern[str] | None, negative_threshold: float,
          urgent: bool = False, support: str | None = None) -> tuple[str, str]:
    """(kind value, why) for one post. The rules run in order and the first that fits
    decides: spam, other languages, resolved, trolls and insults, chit-chat, sarcasm,
    praise, complaints, trouble, questions, negative wording, shared moments, the fallbacks;
    warm and harmless phrases ("can't wait for", "no joke") are blanked out first, and a
    complaint or question about other people or about something no brand sells is not for
    the desk. ``urgent``: an urgent keyword was found (a neutral mention with one is not
    taken as praise). ``support``: how a post to the brand answers its care team ("said to
    the support account"), or None: such a post is a case even when no rule explains it, and
    only thanks or praise in words is praise there."""
    clean, low = post.clean, post.low
    src = clean if len(clean) == len(low) else low  # quote original case when aligned

    def q(match: re.Match[str], words: int = 4) -> str:
        return _quote(src, match.start(), words)

    if found := _spam(post, spam, q):
        return found
    if not clean:
        return "other", "only a mention" if not post.urls else "no text"
    named_or_search = ("@" + post.brand in {m.lower() for m in post.mentions}
                       or not post.mentions)
    if post.language and post.language not in READABLE and named_or_search:
        return "question", f"in {language_name(post.language)}: the rules cannot read it, " \
                           "a human looks"
    warm = w.WARM.search(low)
    if warm or w.HARMLESS.search(low):
        post = replace(post, low=_blank_harmless(low))  # same length: quotes stay aligned
    s = _Signals(post, negative_threshold, warm=warm, support=support)
    found = _first_rules(post, s, q) or _last_rules(post, s, q, urgent=urgent)
    if found[0] in ("complaint", "question"):
        if _about_other_people(post, s):
            return "other", "about other people, nothing the brand sells: not for the desk"
        if politics := _about_politics(post, s):
            return "other", f"about politics {q(politics, 2)}, nothing the brand sells: " \
                            "not for the desk"
        if elsewhere := _about_something_else(post, s):
            return "other", f"about {q(elsewhere, 2)}, nothing the brand sells: not for the desk"
    return found


def _blank_harmless(low: str) -> str:
    """``low`` with warm and harmless phrases ("can't wait for", "no joke") blanked out, so
    the trouble lexicons do not read their "can't" or "no" as trouble."""
    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group(0))
    return w.HARMLESS.sub(blank, w.WARM.sub(blank, low))


def _about_something_else(post: Reading, s: _Signals) -> re.Match[str] | None:
    """Trouble or a question about something no brand sells (a landlord, a referee, one's
    keys, a joke, someone's take), with nothing the brand sells named, nothing asked of it and
    the brand not spoken to ("you", "your") outside the match."""
    if s.service or s.request or post.foreign or not (found := w.ELSEWHERE.search(post.low)):
        return None
    rest = post.low[:found.start()] + " " + post.low[found.end():]
    return None if w.YOU.search(rest) else found


def _about_politics(post: Reading, s: _Signals) -> re.Match[str] | None:
    """Politics (lawmakers, bills, parties) with nothing asked of the brand and none of the
    author's own things named."""
    if s.request or w.POSSESSIVE.search(post.low):
        return None
    return w.POLITICS.search(post.low)


def _about_other_people(post: Reading, s: _Signals) -> bool:
    """Talk about third persons or public figures that names nothing the brand sells, no
    dealings of the author's own and no complaint wording: a reply between people."""
    low = post.low
    return bool(w.OTHER_PEOPLE.search(low)) and not (
        s.service or post.foreign or s.issue or w.FIRST_PERSON.search(low))


def _first_rules(post: Reading, s: _Signals, q) -> tuple[str, str] | None:
    """Resolved, trolls and insults, chit-chat, sarcasm, praise and complaints."""
    low, sentiment = post.low, post.sentiment
    if s.resolved and not s.sarcasm and not s.qmark and not s.judged:
        negated = _NEGATED.search(low, 0, s.resolved.start())
        after = s.resolved.end()
        if not negated and not w.ISSUE.search(low, after) and not _DENIED.match(low, after):
            return "praise", f"resolved {q(s.resolved)}"
    if s.troll and not s.issue and not s.request:
        insult = w.INSULT.search(low)
        if s.named and (insult and not w.LAUGH.search(low) or s.trouble):
            return "complaint", f"insult at the brand {q(insult or s.troll, 3)}"
        return "other", f"insult/troll, no concrete issue {q(s.troll, 3)}"
    about_brand = s.named and not s.directed and not s.to_others
    if not (s.issue or s.request or s.trouble or about_brand or s.named and s.problem):
        if w.CHITCHAT.match(low) or w.AUDIENCE.search(low):
            return "other", "chit-chat or a question to followers, not to the brand"
    if s.sarcasm and (s.issue or s.judged or not s.praise or sentiment < 0.9):
        return "complaint", f"sarcasm {q(s.sarcasm)}"
    complaint = s.issue or s.judged
    if post.clean.isupper() and s.words >= 3 and s.service and s.named and not s.praise:
        return "complaint", f"all-caps about {q(s.service, 3)}"
    # to a support account, only thanks or praise in words is praise: "yes, that would be
    # great" answers the care team
    if (s.positive and not complaint and not s.strong_q and not s.trouble and not s.mine
            and (s.praise or not s.to_support)):
        if not s.qmark or sentiment >= 0.5:
            return "praise", f"praise {q(s.praise)}" if s.praise else "positive words"
    if s.positive and s.praise and s.issue and not s.judged and not s.qmark and not s.request:
        if (sentiment >= 0.5 or post.foreign) and not w.ISSUE.search(low, s.issue.end()):
            return "praise", f"praise despite {q(s.issue, 2)}"
    if complaint and not (s.strong_q and not s.judged and not s.negative and s.opener):
        return "complaint", f"says {q(complaint)}"
    return None


def _last_rules(post: Reading, s: _Signals, q, *, urgent: bool) -> tuple[str, str]:
    """Trouble, questions, negative wording and the fallbacks."""
    low, sentiment = post.low, post.sentiment
    if s.trouble and not (s.strong_q and not s.negative):
        why = f"trouble with {q(s.service, 3)}" if s.service else f"trouble {q(s.problem, 3)}"
        return "complaint", why
    if s.strong_q or (s.qmark and not s.to_others):
        asks = q(s.strong_q or s.qmark)
        if s.service or post.foreign or not s.words or s.tags_support or s.named and (
                s.request or s.problem or s.negative or w.PLEA.search(low)):
            return "question", f"asks {asks}"
        return "other", f"a question with nothing for the brand {asks}"
    if s.negative:
        if s.service or s.tags_support or w.INSULT.search(low):
            return "complaint", "strongly negative wording"
        if s.named and not s.directed and not s.to_others and not s.praise:
            return "complaint", "strongly negative words about the brand"
        return "other", "negative wording about nothing the brand offers"
    if s.positive and (s.praise or not s.to_support):
        return "praise", "positive words"
    if post.clean.isupper() and s.words >= 3:
        return "complaint", "all-caps rant"
    if (moment := w.MOMENT.search(low)) and not (s.problem or s.negative or urgent):
        if sentiment >= 0.2 and s.named and not s.to_others:
            return "praise", f"shares a moment {q(moment, 3)}: a chance to thank"
        return "other", f"shares a moment {q(moment, 3)}, asks nothing"
    # A post to the brand that nothing above explains goes to a human when it is about the
    # author's own dealings with the brand, or in a language the lexicons may not cover.
    if s.named and not s.to_others and s.words + len(w.CJK.findall(low)) // 4 >= 3:
        if sentiment < 0 and s.service:
            return "complaint", "negative wording addressed to the brand"
        if post.foreign and not s.praise or s.service and w.FIRST_PERSON.search(low):
            return "question", "addressed to the brand, nothing explains it: a human looks"
    if post.language and (s.named or not post.mentions):
        name = language_name(post.language)
        return "question", f"in {name}: nothing the rules recognise, a human looks"
    if s.named and sentiment >= 0.2 and not s.to_others and not s.problem and not s.to_support:
        return "praise", "a warm mention of the brand"
    # A post to the brand alone about something it sells, that nothing above explains.
    if (s.directed and not s.to_others and s.service and sentiment <= 0
            and not w.ADVERT.search(low)):
        return "question", f"to the brand about {q(s.service, 2)}: a human looks"
    # The brand named in passing, nothing asked: the praise lane (a like or a thank-you).
    if (s.named and not s.directed and not s.to_others and not s.negative and not urgent
            and not (sentiment < 0 and w.PROBLEM.search(low)) and not w.CREDIT.search(post.raw)):
        return "praise", "talks about the brand, asks nothing: a chance to thank"
    if s.tags_support:
        return "question", f"{s.support}, nothing else explains it: a human looks"
    return "other", "no request, complaint or praise detected"

"""Triage: decide what an inbound X post is and whether it needs a response.

Pure domain code: no Slack, X or SQL. The only dependency is VADER for sentiment.

Example::

    >>> triager = Triager()
    >>> t = triager.classify(text="@acme still waiting for my refund!", author_followers=120)
    >>> (t.kind, t.priority, t.needs_response)
    (<Kind.COMPLAINT: 'complaint'>, <Priority.HIGH: 'high'>, True)
    >>> t.reason  # doctest: +ELLIPSIS
    'complaint: says "still waiting"...; urgent: refund'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

__all__ = ["Kind", "Priority", "Triage", "TriageRules", "Triager"]

REASON_MAX = 200
_QUOTE_WORDS = 4


class Kind(StrEnum):
    """What a post is, from the care desk's point of view."""

    QUESTION = "question"
    COMPLAINT = "complaint"
    PRAISE = "praise"
    SPAM = "spam"
    OTHER = "other"


class Priority(StrEnum):
    """How soon an agent should look at a post."""

    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


DEFAULT_URGENT = (
    "refund", "cancel", "broken", "outage", "hacked", "lawyer", "scam", "fraud", "stolen",
    "stole", "injured", "injury", "unsafe", "chargeback", "phishing", "lawsuit", "sue",
    "emergency", "reembolso", "remboursement", "erstattung", "estafa", "arnaque", "betrug",
)
DEFAULT_SPAM = (
    "follow back", "followback", "f4f", "follow for follow", "like for like", "l4l",
    "follow train", "airdrop", "giveaway", "crypto", "bitcoin", "btc", "eth", "usdt", "nft",
    "forex", "binance", "dm for promo", "dm us for", "link in bio", "check my profile",
    "hot singles", "passive income", "work from home", "more followers", "cheap followers",
    "grow your account", "seo services", "boost your brand", "referral code",
    "recovery expert", "join telegram", "verify your account", "click here",
    "you have been selected", "claim your", "claim here", "claim at", "free tickets",
    "to the moon", "whitelist", "free followers", "made me rich", "trading bot", "in my bio",
    "mixtape", "verified accounts", "retweet to win", "recovers stolen", "sexy",
)


def _split_csv(value: str | None) -> tuple[str, ...] | None:
    if value is None or not value.strip():
        return None
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _parse_kinds(names: Iterable[str | Kind]) -> frozenset[Kind]:
    kinds = set()
    for name in names:
        try:
            kinds.add(Kind(str(name).strip().lower()))
        except ValueError:
            valid = ", ".join(k.value for k in Kind)
            raise ValueError(
                f"unknown triage kind {str(name)!r} in respond_kinds; valid kinds: {valid}"
            ) from None
    return frozenset(kinds)


@dataclass(frozen=True)
class TriageRules:
    """Configurable triage rules. Keywords are matched case-insensitively at word starts
    ("cancel" also matches "cancelled"); non-Latin keywords match anywhere.

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
        norm = lambda kws: tuple(dict.fromkeys(k.strip().lower() for k in kws if k.strip()))  # noqa: E731
        object.__setattr__(self, "urgent_keywords", norm(self.urgent_keywords))
        object.__setattr__(self, "spam_keywords", norm(self.spam_keywords))
        object.__setattr__(self, "respond_kinds", _parse_kinds(self.respond_kinds))
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
        high_reach_followers: int | None = None,
        negative_threshold: float | None = None,
        respond_to_high_priority: bool | None = None,
    ) -> TriageRules:
        """Build rules from environment-style values; None or blank keeps the default.

        Example::

            TriageRules.from_settings(urgent_keywords="refund, recall", respond_kinds="question")
        """
        kwargs: dict[str, object] = {}
        if (urgent := _split_csv(urgent_keywords)) is not None:
            kwargs["urgent_keywords"] = urgent
        if (spam := _split_csv(spam_keywords)) is not None:
            kwargs["spam_keywords"] = spam
        if (kinds := _split_csv(respond_kinds)) is not None:
            kwargs["respond_kinds"] = _parse_kinds(kinds)
        if high_reach_followers is not None:
            kwargs["high_reach_followers"] = int(high_reach_followers)
        if negative_threshold is not None:
            kwargs["negative_threshold"] = float(negative_threshold)
        if respond_to_high_priority is not None:
            kwargs["respond_to_high_priority"] = bool(respond_to_high_priority)
        return cls(**kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Triage:
    """The verdict on one post. ``sentiment`` is VADER's compound score (-1..1)."""

    kind: Kind
    sentiment: float
    priority: Priority
    needs_response: bool
    reason: str


def _rx(*parts: str) -> re.Pattern[str]:
    """One alternation; branches starting at a word boundary share one ``\\b`` (much faster).
    Callers search lowercased text."""
    bounded = [p[2:] for p in parts if p.startswith(r"\b")]
    rest = [p for p in parts if not p.startswith(r"\b")]
    alts = ([r"\b(?:" + "|".join(f"(?:{p})" for p in bounded) + ")"] if bounded else [])
    return re.compile("|".join(alts + [f"(?:{p})" for p in rest]))


_URL = re.compile(r"https?://\S+|\bwww\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@\w{1,30}")
_LEADING = re.compile(r"^\W*(?:(?:hi|hey|hello|yo|dear|ok|so|thanks|thank you)\W+)?((?:@\w+\W*)+)",
                      re.IGNORECASE)
_HASHTAG = re.compile(r"(?<!\w)#\w+")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]{2,}")
_FLOOD = re.compile(r"([^\W\d_]|[^\w\s!?.,;:'\"()¿¡？！。、-])\1{3,}")
_SCAM_HANDLE = re.compile(r"@\w*(?:hack|recover|retriev)\w*", re.IGNORECASE)
_SPAM_EXTRA = _rx(
    r"\$[a-z]{2,6}\b(?!\d)", r"\$\d[\d,]*\s*(?:/|per |a |in one )(?:day|week)",
    r"\$\d[\d,]* into \$", r"\d+% (?:weekly|daily|accuracy)", r"\bcontact (?:them|him|her)\b",
    r"\bsignals\b",
)
_QMARK = re.compile(r"[?？¿]")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|we|we've|our|us|mi|mon|ma|mes|mein"
                           r"|meine|ich|meu|minha|je|j'ai|yo|私)\b", re.IGNORECASE)
_OPENER = _rx(
    r"(?:^|[.!?;:]\s|\b(?:hi|hey|hello|hola|bonjour|hallo|olá|ola)\b\s*,?\s)\s*"
    r"(?:how (?:do|does|did|can|could|should|would|long|much|many|soon|often|to|is|are (?:my|the"
    r"|refunds|bags))|what(?:'s|s)?|when|where(?:'s|s)?|why|who|which|can(?!['’]t)|could|would"
    r"|will|is|are|do(?:es)?(?! a | an | it | this | that | better| not)|did|should|may|has|have"
    r"|any|c[oó]mo|qu[ée]|cu[áa]ndo|d[óo]nde|por qu[ée]|cu[áa]nto|tienen|puedo|pueden|hay"
    r"|aceptan|comment|pourquoi|quand|o[ùu]|est-ce que|quel(?:le)?s?|pouvez|puis-je|avez|wie"
    r"|warum|wann|wo|was|welche[rs]?|kann|k[öo]nnen|gibt es|habt|haben sie|quando|onde|porque"
    r"|qual|voc[êe]s|posso|t[êe]m)\b",
    r"\bwhat (?:should|can|do) (?:i|we)\b", r"ですか|ますか|でしょうか|どこ|どう|いつ|なぜ|教えて",
)
_REQUEST = _rx(
    r"\bany (?:update|news|info|word)\b", r"(?<!the )(?<!your )\bhelp\b",
    r"\b(?:dm|message|contact|call|email) (?:me|us)\b", r"\bget in touch\b",
    r"\b(?:please|pls|plz) (?:dm|advise|check|help|reply|respond|look)\b", r"\b(?:pls|plz) dm\b",
    r"\b(?:can|could) (?:someone|anyone|you)\b", r"\bneed (?:a hand|help|to (?:change|cancel"
    r"|speak|know|talk))\b", r"\bi'?d like to (?:know|request|ask|change|cancel)\b",
    r"\blooking for\b", r"\btrying to\b", r"\bis it possible\b", r"\bmy options\b",
    r"\banyone there\b", r"\bsent you a dm\b", r"\bquick question\b", r"\bquestion for\b",
    r"\bjust to confirm\b", r"\bayuda\b", r"\baidez\b", r"\bhilfe\b", r"\bajuda\b",
)
_AUDIENCE = _rx(r"\banyone else\b", r"\bwho else\b", r"\bchange my mind\b")
_ISSUE = _rx(
    r"\bstill (?:waiting|no|not|says|haven'?t|nothing)\b", r"\bnever (?:arrived|came|showed"
    r"|received|booked|got|told)\b", r"\bdelay(?:ed|s)?\b", r"\b(?:charged|billed) (?:twice"
    r"|me|but)\b", r"\b(?:double|over)[ -]?(?:charg|bill)", r"\bno (?:response|answer|reply"
    r"|update|info|call ?back|refund|one|explanation)\b", r"\bnobody\b(?! asked)",
    r"\bhung up\b", r"\bon hold\b", r"\blost (?:my |our |the )?\w+", r"\blosing\b",
    r"\bcancell?ed\b", r"\bdamaged\b", r"\bbroken\b", r"\bmissing\b", r"\bwrong\b",
    r"\bnot (?:what i ordered|ok|okay|good enough|acceptable|working|happy)\b",
    r"\b(?:doesn'?t|does not|won'?t|didn'?t|can'?t|cannot|isn'?t|wasn'?t|haven'?t) (?:work"
    r"|load|open|log|check|get|find|apply|arrive|print|come|show)", r"\bcrash", r"\berror",
    r"\bfail(?:ed|ing|s)?\b", r"\brefused\b", r"\bstuck\b", r"\bbumped\b", r"\boverbooked\b",
    r"\bsnapped\b", r"\bfell apart\b", r"\bdisappeared\b", r"\bkeeps\b", r"\bdisconnect",
    r"\bwasn'?t honou?red\b", r"\bwaiting\b", r"\bmade me sick\b", r"\bsoaked\b",
    r"\bmissed\b", r"\bnothing (?:was |has )?(?:delivered|arrived|received)\b",
    r"\b(?:hacked|stole|stolen|scam\w*|fraud|drained|phishing)\b", r"\bdown again\b",
    r"\boutage\b", r"\bspeak to a manager\b", r"\bmy complaint\b", r"\bin a row\b",
    r"\bpromised\b", r"\bit'?s been \d+ (?:days|weeks|hours)", r"\btoo (?:small|big|late)\b",
    r"\bretraso\b", r"\bnunca lleg", r"\btodav[ií]a espero\b", r"\besperando\b", r"\bnadie\b",
    r"\broto\b", r"\bannul", r"\bjamais arriv", r"\btoujours pas\b", r"\bretard\b",
    r"\bpersonne ne\b", r"\bd[ée]chir", r"\battente\b", r"\bversp[äa]t", r"\bverloren\b",
    r"\bwarte immer noch\b", r"\bimmer noch nicht\b", r"\bschon wieder\b", r"\bkeiner\b",
    r"\bcancelad", r"\bningu[ée]m\b", r"\batraso\b", r"\bnunca chegou\b", r"\berrad[oa]\b",
    r"\bperderam\b", r"遅延", r"届きません", r"間に合いません", r"紛失", r"届かない", r"まだ",
)
_JUDGE = _rx(
    r"\bworst\b", r"\bterrible\b", r"\bawful\b", r"\bhorrible\b", r"\buseless\b",
    r"\bridiculous\b", r"\bunacceptable\b", r"\bdisappoint", r"\bappalling\b", r"\bunbelievable\b",
    r"\bunreal\b", r"\brude\b", r"\bgross\b", r"\bpoor (?:quality|service)\b",
    r"\bbeyond a joke\b", r"\b(?:so )?done with\b", r"\bfix your\b", r"\bp[ée]ssimo\b",
    r"\bhonteux\b", r"\bd[ée]çu", r"\binadmissible\b", r"\bschlechteste", r"\bunm[öo]glich\b",
    r"\bunfassbar\b", r"\bvergonzoso\b", r"\bvergonha\b", r"最悪", r"ひどい", r"😡", r"🤬", r"😤",
)
_SARCASM = _rx(
    r"\bthanks? (?:you )?for (?:nothing|leaving|losing|ignoring|cancell?ing|wasting|ruining"
    r"|stranding|delaying)\b", r"\blove (?:waiting|sitting|being stuck|how)\b",
    r"\blove that for me\b", r"\breally appreciated\W*$", r"\bnice (?:job|work|one),? \w+ing\b",
    r"\b(?:oh|just|how|so) (?:great|wonderful|lovely|perfect|fantastic|brilliant)\b",
    r"^\W*(?:great|wonderful|perfect|fantastic|cool|lovely|brilliant|awesome|wow)\W+\s*"
    r"(?:another|again|my|'|the|\d)", r"\bimpressive\W*$", r"\bgreat,? another\b", r"🙃", r"🙄",
)
_TROLL = _rx(
    r"\btrash\b", r"\bratio\b", r"\bstfu\b", r"\bnobody asked\b", r"\bclowns?\b", r"🤡",
    r"\bmid\b(?!-)", r"\bfell off\b", r"\bboring\b", r"\bshould resign\b", r"\bsucks?\b",
    r"\bchange my mind\b", r"\bcringe\b", r"\blmao\b",
)
_PRAISE = _rx(
    r"\bthanks?\b", r"\bthank you\b", r"\bcheers\b", r"\bappreciat", r"\bshout ?out\b",
    r"\bprops\b", r"\bkudos\b", r"\bbravo\b", r"\bwell done\b", r"\bnailed it\b",
    r"\byou (?:guys )?rock\b", r"\b10/10\b", r"\bthe best\b", r"\bimpressed\b", r"\bloving\b",
    r"\bgracias\b", r"\bmerci\b", r"\bdanke?\b", r"\bobrigad[oa]\b", r"\bsuper geklappt\b",
    r"\bmeilleur\b", r"ありがとう", r"❤", r"🙏", r"🙌", r"😍",
)
_RESOLVED = _rx(
    r"\bfixed it\b", r"\bsorted\b", r"\bsolved\b", r"\bcame through\b", r"\bgot the refund\b",
    r"\barrived (?:this|early|today|already)\b", r"\ball good\b", r"\bno complaints\b",
    r"\bnever had an issue\b", r"\br[ée]gl[ée]\b", r"\bgeklappt\b", r"\bresolv(?:ed|ido|ida|eram)\b", r"解決",
)


_SUFFIX = r"(?:s|es|d|ed|ing|led|ling|lation|lations|ment|ments|med|ming|mer|mers|er|ers)?(?!\w)"


def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    latin = [re.escape(k) for k in keywords if re.match(r"[\w$]", k, re.ASCII)]
    other = [re.escape(k) for k in keywords if not re.match(r"[\w$]", k, re.ASCII)]
    parts = []
    if latin:
        parts.append(r"(?<!\w)(?:" + "|".join(latin) + r")" + _SUFFIX)
    if other:
        parts.append("|".join(other))
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _quote(text: str, start: int, words: int = _QUOTE_WORDS) -> str:
    """A few words of customer text from ``start``, for the reason line."""
    chunk = text[start:start + 60].split()
    snippet = " ".join(chunk[:words])[:40].rstrip(" ,.;:")
    more = len(chunk) > words or len(" ".join(chunk[:words])) > 40
    return f'"{snippet}{"…" if more else ""}"'


class Triager:
    """Classifies posts with the given rules. Build once and reuse (VADER is loaded once).

    Example::

        triager = Triager(rules=TriageRules(high_reach_followers=5_000))
        verdict = triager.classify(text="@acme where is my bag?", author_followers=8_000)
        if verdict.needs_response:
            ...  # open a case; verdict.reason explains why
    """

    def __init__(self, *, rules: TriageRules = TriageRules()) -> None:  # noqa: B008
        self.rules = rules
        self._analyzer = SentimentIntensityAnalyzer()
        self._urgent = _keyword_pattern(rules.urgent_keywords)
        self._spam = _keyword_pattern(rules.spam_keywords)

    def classify(self, *, text: str, author_followers: int = 0, brand_handle: str = "acme") -> Triage:
        """Classify one post. ``brand_handle`` (without @) is ignored as text.

        Example::

            Triager().classify(text="great, another delay, thanks @acme").kind  # COMPLAINT
        """
        rules = self.rules
        raw = text or ""
        urls = _URL.findall(raw)
        no_urls = _URL.sub(" ", raw)
        mentions = _MENTION.findall(no_urls)
        clean = _SPACES.sub(" ", _MENTION.sub(" ", no_urls)).strip()
        low = clean.lower()
        sentiment = self._analyzer.polarity_scores(clean)["compound"] if clean else 0.0

        urgent = []
        if self._urgent is not None:
            urgent = list(dict.fromkeys(m.group(0).lower() for m in self._urgent.finditer(low)))
        kind, why = self._kind(raw, clean, low, sentiment, urls, mentions, brand_handle)

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
        if strongly_negative:
            parts.append(f"negative sentiment {sentiment:+.2f}")
        elif kind is Kind.PRAISE and sentiment > 0:
            parts.append(f"positive sentiment {sentiment:+.2f}")
        if urgent and kind is not Kind.SPAM:
            parts.append("urgent: " + ", ".join(urgent[:4]))
        if high_reach:
            parts.append(f"high reach: {author_followers:,} followers")
        reason = "; ".join(parts)
        if len(reason) > REASON_MAX:
            reason = reason[: REASON_MAX - 1] + "…"
        return Triage(
            kind=kind, sentiment=sentiment, priority=priority, needs_response=needs, reason=reason
        )

    def _kind(
        self, raw: str, clean: str, low: str, sentiment: float, urls: list[str],
        mentions: list[str], brand: str,
    ) -> tuple[Kind, str]:
        # Spam first: keyword hits, scam handles, link-only posts, floods, mention trains.
        if self._spam is not None and (m := self._spam.search(low)):
            return Kind.SPAM, f"promo/scam wording {_quote(low, m.start(), 3)}"
        if m := _SPAM_EXTRA.search(low):
            return Kind.SPAM, f"promo/scam wording {_quote(low, m.start(), 3)}"
        if _SCAM_HANDLE.search(raw):
            return Kind.SPAM, "points to an account-recovery handle"
        words = _WORD.findall(_HASHTAG.sub(" ", low))
        if urls and not words:
            return Kind.SPAM, "link only"
        if (m := _FLOOD.search(low.replace("\ufe0f", ""))) and len(set(words)) <= 1:
            return Kind.SPAM, "character/emoji flood"
        if words and len(words) >= 4 and len(set(words)) == 1:
            return Kind.SPAM, "repeated word flood"
        other_mentions = [x for x in mentions if x[1:].lower() != brand.lower()]
        if len(other_mentions) >= 5:
            return Kind.SPAM, f"mentions {len(other_mentions)} accounts"
        if not clean:
            return Kind.OTHER, "only a mention" if not urls else "no text"

        issue = _ISSUE.search(low)
        judge = _JUDGE.search(low)
        sarcasm = _SARCASM.search(low)
        troll = _TROLL.search(low)
        opener = _OPENER.search(low)
        request = _REQUEST.search(low)
        qmark = _QMARK.search(clean)
        strong_q = opener or request
        resolved = _RESOLVED.search(low)
        praise = _PRAISE.search(low)
        negative = sentiment <= self.rules.negative_threshold
        lead = _LEADING.match(raw)
        handles = _MENTION.findall(lead.group(1).lower()) if lead else []
        directed = "@" + brand.lower() in handles
        to_others = any(h != "@" + brand.lower() for h in handles)

        if resolved and not sarcasm and not qmark and not judge:
            return Kind.PRAISE, f"resolved {_quote(low, resolved.start())}"
        if troll and not issue and not request:
            return Kind.OTHER, f"insult/troll, no concrete issue {_quote(low, troll.start(), 3)}"
        if _AUDIENCE.search(low) and not issue and not request:
            return Kind.OTHER, "question to followers, not the brand"
        if sarcasm and (issue or judge or not praise or sentiment < 0.9):
            return Kind.COMPLAINT, f"sarcasm {_quote(low, sarcasm.start())}"
        complaint = issue or judge
        positive = sentiment >= 0.5 or (praise and sentiment >= 0.0)
        if positive and not complaint and not strong_q and (not qmark or sentiment >= 0.5):
            cue = praise or resolved
            return Kind.PRAISE, (f"praise {_quote(low, cue.start())}" if cue else "positive words")
        if positive and praise and issue and not judge and not qmark and not request:
            if sentiment >= 0.5 and not _ISSUE.search(low, issue.end()):
                return Kind.PRAISE, f"praise {_quote(low, praise.start())}"
        if complaint and not (strong_q and not judge and not negative and opener):
            return Kind.COMPLAINT, f"says {_quote(low, complaint.start())}"
        if strong_q or (qmark and not to_others):
            cue = strong_q or qmark
            return Kind.QUESTION, f"asks {_quote(clean, cue.start())}"
        if negative:
            return Kind.COMPLAINT, "strongly negative wording"
        if positive:
            return Kind.PRAISE, "positive words"
        if clean.isupper() and len(words) >= 3:
            return Kind.COMPLAINT, "all-caps rant"
        # Recall first: a statement addressed to the brand about the author's own situation
        # is treated as a request for help unless something above explained it away.
        if directed and not to_others and len(words) >= 4 and _FIRST_PERSON.search(low) and sentiment < 0.5:
            return Kind.QUESTION, "addressed to the brand about the author's own situation"
        return Kind.OTHER, "no request, complaint or praise detected"

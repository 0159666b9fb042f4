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

__all__ = ["DEFAULT_SPAM", "DEFAULT_URGENT", "Kind", "Priority", "Triage", "TriageRules", "Triager"]

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
    "mixtape", "verified accounts", "retweet to win", "recovers stolen", "recover your", "sexy",
    "guest post", "appeal here",
)
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


def _lex(bounded: str, anywhere: str = "") -> re.Pattern[str]:
    """Compile a lexicon for lowercased text: ``bounded`` alternatives must start at a word
    boundary (one shared ``\b`` keeps the scan fast); ``anywhere`` ones (CJK, emoji) need not."""
    return re.compile("|".join(p for p in (rf"\b(?:{bounded})" if bounded else "", anywhere) if p))


_URL = re.compile(r"https?://\S+|\bwww\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@\w{1,30}")
_LEADING = re.compile(r"^\W*(?:(?:hi|hey|hello|yo|dear|ok|so|thanks|thank you)\W+)?"
                      r"((?:@\w+[^\w@]*)+)", re.IGNORECASE)
_HASHTAG = re.compile(r"(?<!\w)#\w+")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]{2,}")
_FLOOD = re.compile(r"([^\W\d_]|[^\w\s!?.,;:'\"()¿¡？！。、-])\1{3,}")
_LOLFLOOD = re.compile(r"(\w{2,4}?)\1{4,}")
_QMARK = re.compile(r"[?？¿]")
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_SCAM_HANDLE = re.compile(r"@\w*(?:hack|recover|retriev|restor|cyberfix)\w*", re.IGNORECASE)
_SPAM_EXTRA = _lex(
    r"contact (?:them|him|her)\b|signals\b|earn \$?\d|\d[\d,]*k? (?:real |new )?followers\b"
    r"|\d+% (?:weekly|daily|accuracy)|\d+x guaranteed",
    r"\$[a-z]{2,6}\b(?!\d)|\$\d[\d,]*\s*(?:/|per |a |in one )(?:day|week)|\$\d[\d,]* into \$",
)
# Text in another language: VADER is English-only, so its score is not used.
_FOREIGN = _lex(
    r"(?:und|für|nicht|ist|ich|mit|der|das|den|dem|ein|eine|keine|seit|mein|meine|wurde|sind|auf"
    r"|les|sur|tout|pour|avec|pas|une|du|au|je|vous|tr[eè]s|por|para|una|pero|llev[oa]|não|você"
    r"|vocês|muito|uma|meu|minha|está|até)\b",
    r"[\u3040-\u30ff\u4e00-\u9fffáíóúñçãõäöüßèêàâîôûëœ]",
)
_FIRST_PERSON = _lex(
    r"(?:i|i'm|i've|i'd|me|my|we|we've|our|us)\b",
)
_OPENER = re.compile(
    r"(?:^|[.!?;:]\s|\b(?:hi|hey|hello|yo|hola|bonjour|salut|hallo|olá|ola|oi)\b\W*\s)\s*"
    r"(?:how (?:do|does|did|can|could|should|would|long|much|many|soon|often|early|to|is|are"
    r" (?:my|the|refunds|bags))|what(?:'s|s)?|when|where(?:'s|s)?|why|who|which|can(?!['’]t)"
    r"|could|would|will|is|are|do(?:es)?(?! a | an | it | this | that | better| not)|did"
    r"|should|may|has|have|any|c[oó]mo|qu[ée]|cu[áa](?:ndo|l|nto)|d[óo]nde|por qu[ée]|tienen"
    r"|puedo|pueden|hay|aceptan|se puede|comment|combien|pourquoi|quand|o[ùu]|est-ce que"
    r"|est-il|quel(?:le)?s?|pouvez|puis-je|avez|wie|warum|wann|wo|was|welche[rs]?|kann"
    r"|k[öo]nnen|gibt es|habt|haben sie|quando|onde|porque|qual|voc[êe]s|posso|t[êe]m)\b"
    r"|\bwhat (?:should|can|do|does|now)\b|ですか|ますか|でしょうか|どこ|どう|いつ|なぜ|教えて"
    r"|ませんか|[ぁ-ん]か[？?。]?$"
)
_REQUEST = _lex(
    r"any (?:update|news|info|word|chance)\b|(?<!the )(?<!your )(?:help|hilfe|ayuda|aide|ajuda)\b"
    r"|(?:dm|message|contact|call|email) (?:me|us)\b|get in touch\b|(?:please|pls|plz),? (?:dm"
    r"|advise|check|help|reply|respond|look)\b|(?:pls|plz) dm\b|(?:can|could) (?:someone|anyone|you"
    r"|u)\b|need (?:a hand|help|to (?:change|cancel|speak|know|talk|move))\b|i'?d like to (?:know"
    r"|request|ask|change|cancel)\b|looking (?:for|to)\b|trying to\b|is it possible\b|my options\b"
    r"|anyone (?:there|from|around)\b|sent you a dm\b|(?:quick )?question (?:for|about)\b"
    r"|just (?:to confirm|checking)\b|allowed\b|who do i\b",
)
_AUDIENCE = _lex(
    r"anyone else\b|who else\b|change my mind\b",
)
_ISSUE = _lex(
    r"still (?:waiting|no|not|says|haven'?t|hasn'?t|nothing)\b|never (?:arrived|came|showed"
    r"|received|booked|got|told|again)\b|delay(?:ed|s)?\b|late\b|(?:charged|billed) (?:twice|me|but"
    r"|three times)\b|(?:double|over)[ -]?(?:charg|bill)|no (?:response|answer|reply|update|info"
    r"|call ?back|refund|one|explanation|resolution)\b|nobody\b(?! asked| cares)|hung up\b"
    r"|on hold\b|lost (?:my |our |the )?\w+|losing\b|lose\b|cancell?ed\b|damaged\b|broken\b"
    r"|missing\b|wrong\b(?! (?:account|person|handle))|out of order\b|stranded\b"
    r"|not (?:what i ordered|ok|okay|good enough|acceptable|working|happy|impressed)\b|(?:doesn'?t"
    r"|does not|won'?t|didn'?t|don'?t|can'?t|cannot|isn'?t|wasn'?t|haven'?t) (?:work|load|open|log"
    r"|check|get|find|apply|arrive|print|come|show|answer|exist|access|exchange)|stopped working\b"
    r"|crash|error|fail(?:ed|ing|s)?\b|refused\b|stuck\b|bumped\b|overbooked\b|oversold\b|snapped\b"
    r"|shrank\b|fell apart\b|in pieces\b|disappeared\b|keeps\b|freezes\b|locked\b|disconnect"
    r"|wasn'?t honou?red\b|waiting\b|made me sick\b|poisoning\b|mou?ld\b|soaked\b|missed\b"
    r"|miss my\b|nothing (?:was |has )?(?:delivered|arrived|received)\b|hacked\b|stole|stolen\b"
    r"|scam|fraud|drained\b|phishing|fake\b|down again\b|outage\b|speak to a manager\b"
    r"|my complaint\b|in a row\b|promised\b|it'?s been \d+ (?:days|weeks|hours)|too (?:small|big"
    r"|late)\b|quality control\b|yelled\b|aggressive\b|unprofessional\b|laughed at\b|tear\b|torn\b"
    r"|ripped\b|faulty\b|defective\b|unusable\b|bent\b|retras|nunca lleg|todav[ií]a\b|a[uú]n no\b"
    r"|esperando\b|nadie\b|sin (?:respuesta|informaci[oó]n)\b|rot[oa]\b|dañad|perd(?:u|ue|ido|ida|í"
    r"|i|eram|emos)\b|cancelad|annul|jamais arriv|toujours pas\b|retard\b|personne ne\b|d[ée]chir"
    r"|attente\b|cass[ée]|endommag|injoignable\b|sans r[ée]ponse\b|pas de r[ée]ponse\b|versp[äa]t"
    r"|verloren\b|warte|immer noch\b|schon wieder\b|keine antwort\b|reagiert nicht\b|niemand\b"
    r"|kaputt|besch[äa]digt|storniert|keiner\b|ningu[ée]m\b|atras|nunca chegou\b|err?ad[oa]\b"
    r"|perderam\b|quebrad|danificad|sem resposta\b|at[ée] agora\b|nenhuma\b|ainda n[ãa]o\b",
    r"遅延|遅れ|届きません|間に合いません|紛失|届かない|まだ|壊れ|破損|ません(?!か)|ない[。！!]?$",
)
_JUDGE = _lex(
    r"worst\b|terrible\b|awful\b|horrible\b|useless\b|ridiculous\b|unacceptable\b|disappoint"
    r"|appalling\b|unbelievable\b|unreal\b|rude\b|gross\b|shameful\b|absurd|poor (?:quality"
    r"|service)\b|beyond a joke\b|(?:so )?done with\b|fix your\b|p[ée]ssim[oa]\b|honteu"
    r"|lamentable\b|d[ée]çu|inadmissible\b|scandal|schlechteste|unm[öo]glich\b|unfassbar\b"
    r"|entt[äa]usch|unversch[äa]mt|frechheit\b|vergonzoso\b|vergonha\b|horr[ií]vel\b|decepcionad"
    r"|pathetic\b|you (?:really )?(?:need|have) to (?:train|fix|sort|do)\b|do better\b",
    r"最悪|ひどい|残念|😡|🤬|😤",
)
_SARCASM = _lex(
    r"thanks?(?: you)?(?: so much| a lot)? for (?:nothing|leaving|losing|ignoring|cancell?ing"
    r"|wasting|ruining|stranding|delaying)\b|love (?:waiting|sitting|being stuck|how)\b"
    r"|love that for me\b|really appreciated\W*$|nice (?:job|work|one),? \w+ing\b|so much for\b"
    r"|(?:oh|just|how|so) (?:great|wonderful|lovely|perfect|fantastic|brilliant)\b"
    r"|great,? another\b|impressive\W*$|as usual\b|(?:incredible|amazing|funny) how\b",
    r"^\W*(?:great|wonderful|perfect|fantastic|cool|lovely|brilliant|awesome|wow|excellent|superb"
    r"|terrific|nice)\W+\s*(?:another|again|my|'|the|\d)|🙃|🙄",
)
_TROLL = _lex(
    r"trash\b|ratio\b|stfu\b|nobody (?:asked|cares)\b|clowns?\b|mid\b(?!-)|fell off\b|boring\b"
    r"|should resign\b|sucks?\b|change my mind\b|cringe\b|lmao\b|go away\b|corny\b|ur mom\b",
    r"🤡",
)
_PRAISE = _lex(
    r"thanks?\b|thank you\b|cheers\b|appreciat|shout ?out\b|props\b|kudos\b|bravo\b|well done\b"
    r"|nailed it\b|you (?:guys )?rock\b|10/10\b|the best\b|impressed\b|loving\b|top marks\b"
    r"|excellent\b|incredible\b|impeccable\b|superb\b|outstanding\b|made my day\b|happy with\b"
    r"|legends?\b|absolute star\b|so kind\b|customer for life\b|gracias\b|excelente\b|genial\b"
    r"|merci\b|parfait\b|danke?\b|super\b|toll\b|klasse\b|obrigad[oa]\b|adorei\b|parab[ée]ns\b"
    r"|[óo]timo\b|meilleur\b|goat\b",
    r"ありがとう|素晴らしい|最高|助かりました|❤|🙏|🙌|😍|👏",
)
_RESOLVED = _lex(
    r"(?<!n't )(?<!not )(?<!be )fixed\b|sorted\b|solved\b|came through\b|got (?:the|my) refund\b"
    r"|arrived (?:this|early|today|already)\b|all good\b|no complaints\b|never had an issue\b"
    r"|r[ée]gl[ée]\b|geklappt\b|resolv(?:ed|ido|ida|eram)\b",
    r"解決",
)
_CHITCHAT = re.compile(
    r"^\W*(?:(?:happy|merry|frohe|feliz|joyeux|joyeuses|bonne|buon)\b.*|(?:sorry,? )?wrong"
    r" (?:account|person|handle)\b.*|(?:good )?(?:morning|night|evening)|first|gm|hi+|hello"
    r"|hey|lol|nice|ok(?:ay)?|cool|hmm+)\W*$"
)


_HELP_WORD = re.compile(r"help|hilfe|ayuda|aide|ajuda")
_SUFFIX = r"(?:s|es|d|ed|ing|led|ling|lation|lations|ment|ments|med|ming|mer|mers|er|ers)?(?!\w)"


def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    latin = [re.escape(k) for k in keywords if re.match(r"[\w$]", k, re.ASCII)]
    other = [re.escape(k) for k in keywords if not re.match(r"[\w$]", k, re.ASCII)]
    parts = [r"(?<!\w)(?:" + "|".join(latin) + ")" + _SUFFIX] if latin else []
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
        urls = _URL.findall(raw)
        no_urls = _URL.sub(" ", raw)
        mentions = _MENTION.findall(no_urls)
        clean = _SPACES.sub(" ", _MENTION.sub(" ", no_urls)).strip()
        low = clean.lower()
        foreign = _FOREIGN.search(low) is not None
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
            kind=kind, sentiment=sentiment, priority=priority, needs_response=needs, reason=reason
        )

    def _kind(
        self, raw: str, clean: str, low: str, sentiment: float, foreign: bool, urls: list[str],
        mentions: list[str], brand: str,
    ) -> tuple[Kind, str]:
        src = clean if len(clean) == len(low) else low  # quote original case when aligned

        def q(match: re.Match[str], words: int = 4) -> str:
            return _quote(src, match.start(), words)

        # Spam first: keyword hits, scam handles, link-only posts, floods, mention trains.
        if (m := self._spam and self._spam.search(low)) or (m := _SPAM_EXTRA.search(low)):
            return Kind.SPAM, f"promo/scam wording {q(m, 3)}"
        if _SCAM_HANDLE.search(raw):
            return Kind.SPAM, "points to an account-recovery handle"
        words = _WORD.findall(_HASHTAG.sub(" ", low))
        if urls and not words:
            return Kind.SPAM, "link only"
        flood = _FLOOD.search(low.replace("\ufe0f", "")) or _LOLFLOOD.search(low)
        if flood and len(set(words)) <= 1 or len(words) >= 4 and len(set(words)) == 1:
            return Kind.SPAM, "character/emoji/word flood"
        brand_at = "@" + brand.lower().lstrip("@")
        if len(others := {x.lower() for x in mentions} - {brand_at}) >= 5:
            return Kind.SPAM, f"mentions {len(others)} accounts"
        if not clean:
            return Kind.OTHER, "only a mention" if not urls else "no text"

        issue, judge, sarcasm = _ISSUE.search(low), _JUDGE.search(low), _SARCASM.search(low)
        troll, opener, request = _TROLL.search(low), _OPENER.search(low), _REQUEST.search(low)
        qmark, resolved, praise = _QMARK.search(clean), _RESOLVED.search(low), _PRAISE.search(low)
        if request and praise and praise.start() < request.start():
            if _HELP_WORD.fullmatch(request.group(0)):
                request = None  # "thanks for the quick help"
        strong_q = opener or request
        negative = sentiment <= self.rules.negative_threshold
        lead = _LEADING.match(raw)
        handles = _MENTION.findall(lead.group(1).lower()) if lead else []
        directed = brand_at in handles
        to_others = any(h != brand_at for h in handles)

        if resolved and not sarcasm and not qmark and not judge:
            return Kind.PRAISE, f"resolved {q(resolved)}"
        if troll and not issue and not request:
            return Kind.OTHER, f"insult/troll, no concrete issue {q(troll, 3)}"
        if _CHITCHAT.match(low) or _AUDIENCE.search(low) and not issue and not request:
            return Kind.OTHER, "chit-chat or a question to followers, not to the brand"
        if sarcasm and (issue or judge or not praise or sentiment < 0.9):
            return Kind.COMPLAINT, f"sarcasm {q(sarcasm)}"
        complaint = issue or judge
        positive = sentiment >= 0.5 or (praise and sentiment >= 0.0)
        if positive and not complaint and not strong_q and (not qmark or sentiment >= 0.5):
            return Kind.PRAISE, f"praise {q(praise)}" if praise else "positive words"
        if positive and praise and issue and not judge and not qmark and not request:
            if (sentiment >= 0.5 or foreign) and not _ISSUE.search(low, issue.end()):
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
        if directed and not to_others and len(words) + len(_CJK.findall(low)) // 4 >= 3:
            if sentiment < 0:
                return Kind.COMPLAINT, "negative wording addressed to the brand"
            if foreign and not praise or sentiment < 0.3 and _FIRST_PERSON.search(low):
                return Kind.QUESTION, "addressed to the brand, nothing explains it: a human looks"
        return Kind.OTHER, "no request, complaint or praise detected"

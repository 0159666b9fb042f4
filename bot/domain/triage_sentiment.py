"""VADER sentiment for triage: the same scores as VADER, with less work per post.

``SentimentIntensityAnalyzer.polarity_scores`` (vaderSentiment 3.3.2, pinned) first rewrites
emoji as words, one character at a time: about 40% of its cost on a post. Text with no emoji
is left unchanged by that pass, so :class:`Sentiment` skips it and scores the text the same
way, with each word lowercased once per post (VADER lowercases the whole post again for each
word it scores) and no call to the per-word scorer for words its lexicon does not hold (it
gives them 0); text with emoji goes through VADER untouched. A unit test keeps both paths
equal.

Example::

    Sentiment().compound("@acme thank you!")  # 0.4199
"""

from __future__ import annotations

import string

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    allcap_differential,
    normalize,
    scalar_inc_dec,
)

__all__ = ["Sentiment"]

_NEGATE = frozenset(NEGATE)
_PUNCTUATION = string.punctuation


def _negated(word: str) -> bool:
    """VADER's ``negated([word])``."""
    lowered = word.lower()
    return lowered in _NEGATE or "n't" in lowered


class Sentiment(SentimentIntensityAnalyzer):
    """VADER's analyzer with a shortcut for text without emoji."""

    def compound(self, text: str) -> float:
        """VADER's compound score (-1..1) of ``text``."""
        if not self.emojis.keys().isdisjoint(text):
            return super().polarity_scores(text)["compound"]
        text = text.strip()
        sentiments = self._sentiments(text)
        if sentiments is None:
            return 0.0  # no word VADER scores: what score_valence gives
        total = float(sum(sentiments))
        emphasis = self._punctuation_emphasis(text)
        if total > 0:
            total += emphasis
        elif total < 0:
            total -= emphasis
        return round(normalize(total), 4)  # score_valence's compound

    def polarity_scores(self, text: str) -> dict[str, float]:
        if not self.emojis.keys().isdisjoint(text):
            return super().polarity_scores(text)
        text = text.strip()
        sentiments = self._sentiments(text)
        if sentiments is None:
            sentiments = [0] * len(text.split())
        return self.score_valence(sentiments, text)

    def _sentiments(self, text: str) -> list[float] | None:
        """VADER's per-word valences of emoji-free ``text``; None when it scores no word
        (every valence 0)."""
        words = [t if len(s := t.strip(_PUNCTUATION)) <= 2 else s for t in text.split()]
        lower = [t.lower() for t in words]
        lexicon = self.lexicon
        scored = [i for i, t in enumerate(lower) if t in lexicon and t not in BOOSTER_DICT]
        if not scored:
            return None
        cap_diff = allcap_differential(words)
        last = len(lower) - 1
        sentiments: list[float] = [0] * len(words)  # what VADER gives a word it does not score
        for i in scored:
            if not (lower[i] == "kind" and i < last and lower[i + 1] == "of"):
                sentiments[i] = self._valence(words, lower, i, cap_diff)
        if "but" in lower:
            sentiments = self._but_check(words, sentiments)
        return sentiments

    def _valence(self, words: list[str], lower: list[str], i: int, cap_diff: bool) -> float:
        """VADER's ``sentiment_valence`` for the lexicon word ``words[i]`` (``lower``: the
        same words lowercased)."""
        lexicon = self.lexicon
        item = lower[i]
        valence = lexicon[item]
        if item == "no" and i != len(lower) - 1 and lower[i + 1] in lexicon:
            valence = 0.0
        if (i > 0 and lower[i - 1] == "no") or (i > 1 and lower[i - 2] == "no") or (
                i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor")):
            valence = lexicon[item] * N_SCALAR
        if words[i].isupper() and cap_diff:
            valence = valence + C_INCR if valence > 0 else valence - C_INCR
        for start_i in range(3):
            if i > start_i and lower[i - (start_i + 1)] not in lexicon:
                s = scalar_inc_dec(words[i - (start_i + 1)], valence, cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = _negation(valence + s, lower, start_i, i)
                if start_i == 2:
                    valence = _special_idioms(valence, lower, i)
        return self._least_check(valence, words, i)


def _negation(valence: float, lower: list[str], start_i: int, i: int) -> float:
    """VADER's ``_negation_check`` on lowercased words."""
    if start_i == 0:
        if _negated(lower[i - 1]):
            valence = valence * N_SCALAR
    elif start_i == 1:
        if lower[i - 2] == "never" and (lower[i - 1] == "so" or lower[i - 1] == "this"):
            valence = valence * 1.25
        elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
            pass
        elif _negated(lower[i - 2]):
            valence = valence * N_SCALAR
    else:
        if lower[i - 3] == "never" and (lower[i - 2] == "so" or lower[i - 2] == "this") or (
                lower[i - 1] == "so" or lower[i - 1] == "this"):
            valence = valence * 1.25
        elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
            pass
        elif _negated(lower[i - 3]):
            valence = valence * N_SCALAR
    return valence


def _special_idioms(valence: float, lower: list[str], i: int) -> float:
    """VADER's ``_special_idioms_check`` on lowercased words (its negative indexes kept)."""
    onezero = f"{lower[i - 1]} {lower[i]}"
    twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
    twoone = f"{lower[i - 2]} {lower[i - 1]}"
    threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
    threetwo = f"{lower[i - 3]} {lower[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    if len(lower) - 1 > i and (zeroone := f"{lower[i]} {lower[i + 1]}") in SPECIAL_CASES:
        valence = SPECIAL_CASES[zeroone]
    if len(lower) - 1 > i + 1 and (
            zeroonetwo := f"{lower[i]} {lower[i + 1]} {lower[i + 2]}") in SPECIAL_CASES:
        valence = SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[n_gram]
    return valence

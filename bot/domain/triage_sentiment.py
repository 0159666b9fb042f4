"""VADER sentiment for triage, without the per-character emoji pass on text that has none.

``SentimentIntensityAnalyzer.polarity_scores`` (vaderSentiment 3.3.2, pinned) first rewrites
emoji as words, one character at a time: about 40% of its cost on a post. Text with no emoji
is left unchanged by that pass, so :class:`Sentiment` skips it and scores the text the same
way, without calling VADER's per-word scorer for words its lexicon does not hold (it gives
them 0); text with emoji goes through VADER untouched. A unit test keeps both paths equal.

Example::

    Sentiment().compound("@acme thank you!")  # 0.4199
"""

from __future__ import annotations

from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

__all__ = ["Sentiment"]


class Sentiment(SentimentIntensityAnalyzer):
    """VADER's analyzer with a shortcut for text without emoji."""

    def compound(self, text: str) -> float:
        """VADER's compound score (-1..1) of ``text``."""
        return self.polarity_scores(text)["compound"]

    def polarity_scores(self, text: str) -> dict[str, float]:
        if not self.emojis.keys().isdisjoint(text):
            return super().polarity_scores(text)
        text = text.strip()
        sentitext = SentiText(text)
        sentiments: list[float] = []
        words = sentitext.words_and_emoticons
        lexicon = self.lexicon
        for i, item in enumerate(words):
            lowered = item.lower()
            if lowered not in lexicon or lowered in BOOSTER_DICT or (
                    lowered == "kind" and i < len(words) - 1 and words[i + 1].lower() == "of"):
                sentiments.append(0)  # what sentiment_valence gives a word not in the lexicon
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words, sentiments)
        return self.score_valence(sentiments, text)

"""The sentiment shortcut scores exactly as VADER does, with and without emoji."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from bot.domain.triage_sentiment import Sentiment

DATA = Path(__file__).resolve().parents[1] / "data" / "triage_labelled.jsonl"
VADER, FAST = SentimentIntensityAnalyzer(), Sentiment()


def test_same_scores_as_vader_on_the_labelled_set() -> None:
    texts = [json.loads(line)["text"] for line in DATA.read_text(encoding="utf-8").splitlines()]
    texts += ["", "   ", "kind of awful", "the kind of", "not bad, but great", "😀 good",
              "a 😡 day", "GREAT!!! :)", "it was kind", "without doubt it good",
              "without a doubt good", "never so good", "never this bad", "it was so bad",
              "no or nor good", "no good", "not at all good", "at least good", "very least bad",
              "least bad", "the shit is here", "kiss of death indeed", "yeah right good",
              "sort of good stuff", "kind of great", "NOT GOOD at all", "EXTREMELY bad day",
              "it isn't good", "hardly great", "a bus stop", "to die for good"]
    for text in texts:
        assert FAST.polarity_scores(text) == VADER.polarity_scores(text), text
        assert FAST.compound(text) == VADER.polarity_scores(text)["compound"], text
    assert FAST.compound("@acme thank you!") == VADER.polarity_scores("@acme thank you!")[
        "compound"] > 0


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200))
def test_same_scores_as_vader_on_any_text(text: str) -> None:
    assert FAST.polarity_scores(text) == VADER.polarity_scores(text)
    assert FAST.compound(text) == VADER.polarity_scores(text)["compound"]


_TRICKY = ["no", "not", "never", "so", "this", "without", "doubt", "least", "at", "very", "but",
           "kind", "of", "sort", "the", "shit", "bomb", "bad", "ass", "yeah", "right", "to",
           "die", "for", "kiss", "death", "or", "nor", "isn't", "good", "GOOD", "great",
           "awful", "LOVE", "hate", "extremely", "EXTREMELY", "slightly", "nice!", "...", ":)",
           "Bad", "okay,", "happy.", "sad?", "!!"]


@settings(max_examples=400, deadline=None)
@given(words=st.lists(st.sampled_from(_TRICKY), max_size=14))
def test_same_scores_as_vader_on_negations_boosters_and_idioms(words: list[str]) -> None:
    text = " ".join(words)
    assert FAST.polarity_scores(text) == VADER.polarity_scores(text), text
    assert FAST.compound(text) == VADER.polarity_scores(text)["compound"], text

"""Screening hands triage what X says about a post, its language included."""

from datetime import UTC, datetime

from bot.domain.model import Author, InboundPost
from bot.domain.triage import Triager
from bot.services.screening import Screening


def test_screening_reads_the_language_x_gives_the_post():
    screening = Screening(triager=Triager(), muted=None, brand=lambda: ("1", "acme"))
    post = InboundPost(id="5", text="@acme siparişim gelmedi", kind="post",
                       author=Author(id="9", username="ayse", name="Ayşe", followers=10),
                       created_at=datetime(2026, 11, 30, 9, tzinfo=UTC), conversation_id="5",
                       lang="tr")
    verdict = screening.screen(post, origin="mention")
    assert verdict.triage.language == "tr"
    assert verdict.case

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


def test_a_reply_to_the_brands_own_post_answers_the_brand():
    screening = Screening(triager=Triager(), muted=None, brand=lambda: ("1", "acme"))

    def reply(to_user: str | None) -> InboundPost:
        return InboundPost(id="6", text="@acme It was Leeds, by the bridge", kind="post",
                           author=Author(id="9", username="jo", name="Jo", followers=10),
                           created_at=datetime(2026, 11, 30, 9, tzinfo=UTC),
                           conversation_id="4", in_reply_to_user_id=to_user)
    to_brand = screening.screen(reply("1"), origin="mention")
    assert to_brand.case and "a reply to the brand's own post" in to_brand.reason
    to_someone_else = screening.screen(reply("7"), origin="mention")
    assert not to_someone_else.case
    assert not screening.screen(reply(None), origin="mention").case

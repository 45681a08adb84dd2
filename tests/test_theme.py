"""The theme's rules that need no browser: card text and "Often in the same reports"."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import lxml.html
import pytest

from bulletin.posts.extras import co_occurring
from bulletin.posts.teaser import teaser
from bulletin.seeds.seeds import parse_seed


def seed(text: str):
    return parse_seed(text.encode(), Path("s.txt"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the headline is the lead sentence: the card goes on from the next one
        (
            "date 2024-06-11 Germany approved a plan on Tuesday. The plan protects water.\n\nMore.",
            "The plan protects water. More.",
        ),
        # a clipped headline: the card goes on where it stopped
        (
            "date 2024-06-10 Kazakhstan and Uzbekistan signed an agreement in Astana on Monday on"
            " sharing the Syr Darya river. The accord sets quotas.",
            "…Darya river. The accord sets quotas.",
        ),
        # after a dateline
        (
            "date 2024-06-10 ASTANA. KAZINFORM – The Senate passed the law. It takes effect soon.",
            "It takes effect soon.",
        ),
        ("date 2024-06-10 A one-sentence report.", ""),
    ],
)
def test_card_text_does_not_repeat_the_headline(text, expected):
    assert teaser(seed(text)) == expected


def test_cards_show_the_rest_of_the_lead(site):
    page = lxml.html.parse(str(site / "index.html")).getroot()
    cards = page.find_class("summary")
    assert cards
    for card in cards:
        title = card.find(".//h2").text_content().strip().rstrip("…")
        lead = card.find_class("lead")[0].text_content()
        assert not lead.startswith(title[:20]), lead
        assert lead[:1] == "…" or lead[:1].isupper()


def entity(name, kind="countries"):
    return SimpleNamespace(name=name, kind=kind, slug=name.lower(), articles=[])


def post(*pages):
    article = SimpleNamespace(view=SimpleNamespace(pages=lambda: list(pages)))
    for page in pages:
        page.articles.append(article)
    return article


def test_often_together_needs_two_shared_reports_and_ranks_by_strength():
    kz, uz, ru = entity("Kazakhstan"), entity("Uzbekistan"), entity("Russia")
    aa = entity("Aaron Once", "people")
    post(kz, uz, ru)
    post(kz, uz, ru)
    post(kz, aa)  # once only: not listed, whatever its name
    for _ in range(20):
        post(ru)  # Russia is in many other reports: a weaker tie than Uzbekistan's
    post(kz, ru)
    assert [(p.name, n) for p, n in co_occurring(kz)] == [("Uzbekistan", 2), ("Russia", 3)]


def test_footer_names_each_feed_once(site):
    footer = lxml.html.parse(str(site / "index.html")).getroot().find(".//footer")
    names = [a.text_content() for a in footer.find_class("button")]
    assert names == ["RSS feed of all posts", "Atom feed of all posts", "JSON Feed of all posts"]

"""Random Unicode, control characters, markup and entity names through the tagger,
and through real builds: every page and feed stays well-formed and inert."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import feedparser
import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from bulletin.slugs import make_slug
from bulletin.tagging import tag_text
from conftest import build_site
from hostile_checks import assert_no_markup_from_seeds, atom_titles

PIECES = [
    "<script>pwned()</script>",
    "<img src=pwned onerror=pwned(1)>",
    '"><svg onload=pwned(3)>',
    "<a href='javascript:pwned(4)'>",
    "]]><pwned/>",
    "<!-- pwned -->",
    "&amp;",
    "\x00\x07\x1b\x0c\x85\ufffe",
    "\r\n",
    "\n\n",
    " Kazakhstan ",
    " Türkiye’s ",
    " the Senate of Kazakhstan ",
    " NATO ",
    " President Numan Kurtulmuş said ",
    " Speaker Ⲁⲁ Ⲃⲃ said ",
]
TEXT = st.lists(
    st.one_of(
        st.text(st.characters(exclude_categories=["Cs"]), max_size=30), st.sampled_from(PIECES)
    ),
    max_size=12,
).map("".join)
SLUG = re.compile(r"[a-z0-9_-]+")  # never empty, never a "/" or "."


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_tagger_takes_any_text(text):
    tags = tag_text(text)
    for _, found in [*tags.by_kind(), ("mentioned", tags.mentioned)]:
        for tag in found:
            assert tag.count >= len(tag.mentions) >= 1
            assert all(mention in text for mention in tag.mentions)
            assert SLUG.fullmatch(tag.entity.slug), tag.entity


def test_names_without_an_ascii_spelling_get_slugs_of_their_own():
    slugs = [make_slug(name) for name in ("Ⲁⲁ Ⲃⲃ", "Ⲅⲅ Ⲇⲇ")]
    assert len(set(slugs)) == 2 and all(SLUG.fullmatch(s) for s in slugs)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(TEXT, min_size=1, max_size=3))
def test_random_seeds_build_into_well_formed_inert_pages_and_feeds(texts):
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp, "seeds")
        seeds.mkdir()
        for day, text in enumerate(texts, start=10):
            (seeds / f"{day}.txt").write_bytes(f" date 2024-05-{day} {text}".encode())
        output = build_site(Path(tmp), seeds)
        assert assert_no_markup_from_seeds(output) >= 5
        posts = sorted(output.glob("20*/*/*/*/index.html"))
        titles = sorted(lxml.html.parse(p).findtext(".//h1") for p in posts)
        for feed in output.rglob("*.xml"):
            etree.parse(feed)
            assert feedparser.parse(feed.read_bytes()).bozo == 0, feed
        assert sorted(atom_titles(output / "atom.xml")) == titles

"""Archive-scale rules seen in real builds."""

from __future__ import annotations

from pelican import signals
from pelican.generators import ArticlesGenerator

from conftest import build_site


def _articles_generator(tmp_path, **override) -> ArticlesGenerator:
    """Build the fixture site; return its articles generator as it was after output."""
    seen = []

    def keep(generator, writer):
        if isinstance(generator, ArticlesGenerator):
            seen.append(generator)

    signals.article_writer_finalized.connect(keep)
    try:
        build_site(tmp_path, OUTPUT_WORKERS=1, **override)
    finally:
        signals.article_writer_finalized.disconnect(keep)
    return seen[-1]


def test_unwritten_tags_categories_and_authors_are_not_listed_again(tmp_path):
    """No tag, category or author page is written: Pelican's generator has none
    to loop over (taxonomies.py), while the context keeps them for themes."""
    generator = _articles_generator(tmp_path)
    assert generator.context["tags"] and generator.context["categories"]
    assert not generator.tags and not generator.categories and not generator.authors


def test_tag_feeds_are_written_when_a_site_asks_for_them(tmp_path):
    generator = _articles_generator(tmp_path, TAG_FEED_ATOM="feeds/tag-{slug}.atom.xml")
    assert generator.tags and not generator.categories
    assert list((tmp_path / "output" / "feeds").glob("tag-*.atom.xml"))

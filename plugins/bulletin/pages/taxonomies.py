"""Pelican's tag, category and author pages and feeds are not written here (no
save_as, articlefields.py; no *_FEED_* settings: entity pages replace them), yet Pelican's
ArticlesGenerator still lists, for each tag, category and author, its posts among
all posts by date (a list scan per post: time in posts × tags, minutes at 10,000
posts, in every output process). Once the context holds them for the themes, the
generator forgets those it writes nothing for, so its loops have nothing to do.
"""

from __future__ import annotations

from pelican.generators import ArticlesGenerator

# attribute of the generator → the settings of its feeds
FEEDS = {
    "tags": ("TAG_FEED_ATOM", "TAG_FEED_RSS"),
    "categories": ("CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS"),
    "authors": ("AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS"),
}


def skip_unwritten(generators) -> None:
    """`all_generators_finalized`: empty the generator's tags, categories and
    authors when none has a page (save_as) or feeds (context["tags"], … stay)."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            for name, feeds in FEEDS.items():
                found = getattr(generator, name)
                subjects = found.keys() if isinstance(found, dict) else (s for s, _ in found)
                if any(generator.settings.get(key) for key in feeds):
                    continue
                if not any(subject.save_as for subject in subjects):
                    setattr(generator, name, type(found)())

"""What a post shows beyond Pelican's own fields: the one declared structure a
post's Pelican article carries, as `article.view`.

Our theme reads it (`article.view.tagged`, `article.view.lead`, …) and the page
keys digest it (pagekeys.py), so a field added here is the one place to add
what a post shows. Pelican's own fields (title, date, url, content, summary,
category, tags, authors) stay on the article, where any theme looks for them.

Filled in three steps of the build, each owning its fields:
- posts.py, from the seed and its tags: seed, tags, lead;
- urlmemory.py, once every post is made: feed_id (and the article's url);
- entities.py, once every entity has a page: tagged;
- extras.py, once every post is tagged: newer, older, related, mentioned, json_ld.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .teaser import teaser

if TYPE_CHECKING:
    from pelican.contents import Article

    from ..seeds.seeds import Seed
    from ..tagging import Tag, Tags
    from .entities import EntityPage


@dataclass(eq=False)
class PostView:
    """A post's data for the theme and the page keys."""

    seed: Seed  # the source file: its path, paragraphs and the digest of its text
    tags: Tags  # what the tagger found in the text (tags and passing mentions)
    lead: str  # plain text: the lead paragraph, clipped
    # The URL first published at (relative), the post's feed id forever: urlmemory.py.
    feed_id: str = ""

    # Each kind with its tags, in the tagger's order, and each tag's entity page.
    tagged: dict[str, list[tuple[Tag, EntityPage]]] = field(default_factory=dict)

    # Neighbours in date order (newest first) and posts sharing the most entities.
    newer: Article | None = None
    older: Article | None = None
    related: list[Article] = field(default_factory=list)
    # Passing mentions, with the entity's page when it has one.
    mentioned: list[tuple[Tag, EntityPage | None]] = field(default_factory=list)
    # schema.org NewsArticle (the json_ld property): a dict, or a function that
    # makes it, called once if the post's page is rendered.
    _json_ld: dict[str, Any] | Callable[[], dict[str, Any]] = field(
        default_factory=dict, repr=False
    )

    # pagekeys.py's digest of the post's card in a listing, made once per build.
    card_key: bytes | None = None

    # pages() of the tagged dict it was made from (tagged is set whole, never changed).
    _pages: tuple[dict, list[EntityPage]] | None = field(default=None, repr=False)

    def pages(self) -> list[EntityPage]:
        """The entity page of every tag, kind by kind (the list is shared: do not
        change it)."""
        if self._pages is None or self._pages[0] is not self.tagged:
            pages = [page for tagged in self.tagged.values() for _tag, page in tagged]
            self._pages = (self.tagged, pages)
        return self._pages[1]

    @property
    def json_ld(self) -> dict[str, Any]:
        if callable(self._json_ld):
            self._json_ld = self._json_ld()
        return self._json_ld

    @json_ld.setter
    def json_ld(self, value: dict[str, Any] | Callable[[], dict[str, Any]]) -> None:
        self._json_ld = value

    def card_data(self) -> tuple:
        """As plain data, what the post's card in a listing shows besides its link."""
        chips = [
            (k, [entity_link(page) for _, page in tagged]) for k, tagged in self.tagged.items()
        ]
        return self.teaser, chips

    @property
    def teaser(self) -> str:
        """The card's text: what follows the headline (teaser.py)."""
        return teaser(self.seed)

    def page_data(self) -> tuple:
        """As plain data, what the post's page shows besides its card: its text (by the
        seed's digest), why it has each tag, passing mentions, related posts and
        neighbours. The JSON-LD is made of the rest. Add here what a new field shows."""
        return (
            self.seed.digest,
            [
                (tag.count, tag.mentions)
                for _kind, tagged in self.tagged.items()
                for tag, _ in tagged
            ],
            [(t.entity.kind, t.entity.name, page and page.url) for t, page in self.mentioned],
            [post_link(other) for other in self.related],
            post_link(self.older),
            post_link(self.newer),
        )


def post_link(article) -> tuple:
    """What a link to a post shows: its URL, title and date."""
    return (article.url, article.title, article.date.isoformat()) if article else ()


def entity_link(page) -> tuple:
    """What a link to an entity page (or bundle) shows."""
    return (page.kind, page.slug, page.url, page.name, page.code)

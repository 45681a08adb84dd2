"""Entity pages and indexes: one page per country, organisation and person."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pelican.generators import Generator

from .. import feeds
from ..collector import lasting
from ..feeds.bundles import make_bundles
from ..pages import settled
from ..pages.listing import Listing, page_size, write_listing
from ..pages.themes import ThemeTemplates
from ..publish.parallel import owns
from ..publish.publish import reuse_all
from ..settings import save_as
from ..tagging import KINDS, Tag

ENTITY_TEMPLATE = "entity"
INDEX_TEMPLATE = "entities"
FEEDS_TEMPLATE = "feeds"


@dataclass
class EntityPage(Listing):
    """An entity with the articles tagged with it, newest first."""

    kind: str
    slug: str
    url: str
    articles: list = field(default_factory=list)
    names: Counter = field(default_factory=Counter)
    code: str = ""
    feed_links: tuple = ()  # (label, media type, URL) of each feed format
    name: str = ""  # the name most articles use (ties: alphabetical), once all are counted
    description: str = ""  # the editor's, from the editorial file


def group_by_entity(articles, settings) -> dict[str, list[EntityPage]]:
    """One pass over the articles: every entity's page, sorted by name."""
    pages = {kind: {} for kind in KINDS}
    for article in articles:
        view, tagged = article.view, {}
        for kind, tags in view.tags.by_kind():
            tagged[kind] = [(tag, _page(pages[kind], kind, tag, settings)) for tag in tags]
            for tag, page in tagged[kind]:
                page.articles.append(article)
                page.names[tag.entity.name] += 1
                page.description = page.description or tag.entity.description
        view.tagged = tagged  # set whole (postview.PostView.pages)
    for found in pages.values():
        for page in found.values():
            page.name = min(page.names, key=lambda n: (-page.names[n], n))
    return {
        kind: sorted(found.values(), key=lambda p: (p.name.casefold(), p.slug))
        for kind, found in pages.items()
    }


def _page(pages: dict, kind: str, tag: Tag, settings) -> EntityPage:
    entity = tag.entity
    if entity.slug not in pages:
        url = settings["ENTITY_URLS"][kind].format(slug=entity.slug)
        links = feeds.entity_links(url, settings) if kind in settings["ENTITY_FEED_KINDS"] else ()
        pages[entity.slug] = EntityPage(kind, entity.slug, url, code=entity.code, feed_links=links)
    return pages[entity.slug]


class EntitiesGenerator(ThemeTemplates, Generator):
    """Writes entity pages, the index of each kind, bundle pages, the feeds and their page."""

    def generate_context(self):
        articles = self.context["articles"]
        with lasting():  # collector.py
            self.entity_pages = group_by_entity(articles, self.settings)
            self.bundles = make_bundles(self.settings, self.entity_pages, articles)
        site = feeds.Site(self.settings["SITENAME"], feeds.site_links(self.settings), articles)
        self.feed_groups = feeds.feed_groups(site, self.entity_pages, self.bundles, self.settings)
        self.context["entity_pages"] = self.entity_pages
        self.context["entity_index_urls"] = self.settings["ENTITY_INDEX_URLS"]
        self.context["site_feeds"] = list(site.feeds)
        self.context["feeds_url"] = self.settings["FEEDS_URL"]

    def generate_output(self, writer):
        entity_template = self.get_template(ENTITY_TEMPLATE)
        index_template = self.get_template(INDEX_TEMPLATE)
        for page in self.bundles:
            self._write_entity_page(writer, entity_template, page)
        for kind, pages in self.entity_pages.items():
            for page in pages:
                self._write_entity_page(writer, entity_template, page)
            index_url = self.settings["ENTITY_INDEX_URLS"][kind]
            writer.write_file(
                save_as(index_url),
                index_template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=index_url,
                kind=kind,
                entities=pages,
            )
        feeds_url = self.settings["FEEDS_URL"]
        writer.write_file(
            save_as(feeds_url),
            self.get_template(FEEDS_TEMPLATE),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=feeds_url,
            feed_groups=self.feed_groups,
            opml_all=feeds.opml_url("all", self.settings),
        )
        feeds.write_all(self.feed_groups, self.settings, self.output_path)

    def _write_entity_page(self, writer, template, page):
        """The page of an entity or bundle: its posts, paginated (listing.py). When
        all its pages are the last build's (settled.kept) and output/ holds them,
        they are kept without making them again."""
        renders = settled.kept(page.url)
        if renders is not None and reuse_all([(r, key) for r, key in renders if owns(r)]):
            return
        write_listing(
            writer,
            template,
            self.context,
            page.url,
            page.articles,
            page_size(self.settings, ENTITY_TEMPLATE),
            relative_urls=self.settings["RELATIVE_URLS"],
            entity=page,
        )

"""Page data the theme needs: related posts (related.py), previous/next, entity statistics,
the most covered entities of the last 30 days, passing mentions and JSON-LD."""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from datetime import timedelta
from itertools import takewhile

from markupsafe import Markup

from ..logs import every_time_logger
from ..pages.chart import monthly_chart
from ..pages.fragments import once, site_wide
from .related import rank, relate

logger = every_time_logger(__name__)

CO_OCCURRING = 8
CO_OCCURRING_MIN = 2  # shared posts an entity needs to be listed
TRENDING = 8
TRENDING_DAYS = 30
SCHEMA_TYPES = {"countries": "Country", "organisations": "Organization", "people": "Person"}


def add_filters(pelican) -> None:
    """Make the theme's Jinja filters (`initialized` signal): entity statistics, and
    macros rendered once per post or per site (fragments.py)."""
    filters = pelican.settings.setdefault("JINJA_FILTERS", {})
    filters.update(
        coverage_chart=coverage_chart, co_occurring=co_occurring, once=once, site_wide=site_wide
    )


def annotate(articles: list, entity_pages: dict, settings: dict) -> dict:
    """Set the theme's attributes on articles and entity pages; return the
    site-wide context (the most covered entities of the last days)."""
    pages = {(kind, p.slug): p for kind, found in entity_pages.items() for p in found}
    for i, article in enumerate(articles):  # newest first
        article.view.newer = articles[i - 1] if i else None
        article.view.older = articles[i + 1] if i + 1 < len(articles) else None
    ranked = relate(articles, entity_pages, settings)
    logger.info("Related posts: %d of %d posts ranked", ranked, len(articles))
    for article in articles:
        article.view.mentioned = [
            (tag, pages.get((tag.entity.kind, tag.entity.slug)))
            for tag in article.view.tags.mentioned
        ]
        # made when the post's page is rendered: most rebuilds render few
        article.view.json_ld = functools.partial(news_article, article, settings)
    for found in entity_pages.values():
        for page in found:
            page.initial = initial(page.name)
    return {"trending": trending(articles, entity_pages)}


def related_posts(articles: list, entity_pages: dict, only: list | None = None) -> None:
    """Related posts of each post of only (quickpage.py's one post), ranked now."""
    rank(articles if only is None else only)


def coverage_chart(entity) -> Markup:
    """The monthly chart of an entity page or bundle (a Jinja filter)."""
    months = Counter((a.date.year, a.date.month) for a in entity.articles)
    return monthly_chart(months, entity.name)


def co_occurring(entity) -> list:
    """(page, shared posts) of the entities most strongly tied to an entity page or
    bundle, besides itself and its members (a Jinja filter): those in at least
    CO_OCCURRING_MIN of its posts, ranked by the Jaccard index of their posts
    (shared / either's), so that a strong link beats a merely frequent entity."""
    seen, found = Counter(), {}
    for article in entity.articles:
        pages = article.view.pages()
        seen.update(map(id, pages))  # in C: the loop over pages in Python took 4 times longer
        found.update(zip(map(id, pages), pages, strict=True))
    for skipped in (entity, *getattr(entity, "members", ())):
        seen.pop(id(skipped), None)
        found.pop(id(skipped), None)
    total = len(entity.articles)

    def jaccard(page) -> float:
        shared = seen[id(page)]
        return shared / (total + len(page.articles) - shared)

    strong = [page for page in found.values() if seen[id(page)] >= CO_OCCURRING_MIN]
    ranked = sorted(
        strong, key=lambda p: (-jaccard(p), -seen[id(p)], p.name.casefold(), p.kind, p.slug)
    )
    return [(page, seen[id(page)]) for page in ranked[:CO_OCCURRING]]


def initial(name: str) -> str:
    """The letter a name is listed under in a directory: "Ö" under "O", "#" for digits."""
    letter = unicodedata.normalize("NFD", name[:1])[:1].upper()
    return letter if letter.isalpha() else "#"


def trending(articles: list, entity_pages: dict) -> dict:
    """Countries and organisations with the most posts in the last TRENDING_DAYS
    days of the bulletin (counted back from its newest post, not from today)."""
    if not articles:
        return {}
    since = articles[0].date - timedelta(days=TRENDING_DAYS)
    result = {}
    for kind in ("countries", "organisations"):
        counts = [
            (page, sum(1 for _ in takewhile(lambda a: a.date > since, page.articles)))
            for page in entity_pages.get(kind, [])
        ]
        ranked = sorted(
            (c for c in counts if c[1]), key=lambda c: (-c[1], c[0].name.casefold(), c[0].slug)
        )
        result[kind] = ranked[:TRENDING]
    return result


def news_article(article, settings: dict) -> dict:
    """schema.org NewsArticle for a post: its tags are `about`, passing
    mentions are `mentions`."""
    siteurl = settings["SITEURL"]
    url = f"{siteurl}/{article.url}"

    def thing(kind, name, page=None):
        data = {"@type": SCHEMA_TYPES[kind], "name": name}
        if page is not None:
            data["url"] = f"{siteurl}/{page.url}"
        return data

    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.view.lead,
        "datePublished": article.date.isoformat(),
        "inLanguage": settings["DEFAULT_LANG"],
        "url": url,
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": settings["SITENAME"], "url": f"{siteurl}/"},
        "about": [thing(page.kind, page.name, page) for page in article.view.pages()],
        "mentions": [
            thing(tag.entity.kind, tag.entity.name, page) for tag, page in article.view.mentioned
        ],
    }

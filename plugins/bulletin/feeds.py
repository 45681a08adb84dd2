"""RSS 2.0 feeds with feedgen: the whole site, and one per entity."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from feedgen.feed import FeedGenerator

logger = logging.getLogger(__name__)
KIND_LABELS = {"countries": "country", "organisations": "organisation", "people": "person"}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def write_all(articles, entity_pages, settings, output_path) -> int:
    """Write the site feed and every entity feed; return how many were written."""
    siteurl = settings["SITEURL"].rstrip("/")
    if not siteurl:
        logger.warning("SITEURL is empty: feed links will not be absolute")
    sitename = settings["SITENAME"]
    limit = settings["FEED_MAX_ITEMS"]
    output = Path(output_path)
    site_feed = settings["SITE_FEED_RSS"]
    _write_rss(
        output / site_feed,
        siteurl,
        title=sitename,
        page_url="",
        feed_url=site_feed,
        description=f"Latest posts of {sitename}",
        articles=articles[:limit],
    )
    written = 1
    for kind, pages in entity_pages.items():
        for page in pages:
            if page.feed_url:
                _write_rss(
                    output / page.feed_url,
                    siteurl,
                    title=f"{page.name} — {sitename}",
                    page_url=page.url,
                    feed_url=page.feed_url,
                    description=f"{sitename}: news about {page.name} ({KIND_LABELS[kind]})",
                    articles=page.articles[:limit],
                )
                written += 1
    return written


def _write_rss(path: Path, siteurl, *, title, page_url, feed_url, description, articles):
    feed = FeedGenerator()
    feed.title(title)
    feed.description(description)
    feed.language("en")
    feed.generator("")
    feed.docs("")
    feed.link(href=f"{siteurl}/{feed_url}", rel="self")
    feed.link(href=f"{siteurl}/{page_url}", rel="alternate")  # the last link is <link>
    feed.lastBuildDate(articles[0].date if articles else EPOCH)
    for article in articles:
        url = f"{siteurl}/{article.url}"
        entry = feed.add_entry(order="append")
        entry.title(article.title)
        entry.link(href=url)
        entry.guid(url, permalink=True)
        entry.pubDate(article.date)
        entry.description(article.lead)
        entry.content(article.content)
        entry.category(
            [{"term": tag.entity.name} for _, tags in article.entities.by_kind() for tag in tags]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(feed.rss_str(pretty=True))

"""Feed history for readers who poll rarely: RFC 5005 archived feeds.

A feed holds its newest FEED_MAX_ITEMS items (the subscription document). Once a
subject has more posts, its posts from the oldest on are cut into archives of
FEED_MAX_ITEMS each; only full ones are published, so every post is in an archive
or in the subscription document, or both. Archive n of a feed sits beside it:
``country/kazakhstan/feed-archive/3/rss.xml`` (``feed-archive/3/rss.xml`` for the
site's own feeds), and holds the same items in RSS, Atom and JSON Feed.

Links (RFC 5005 section 4): the subscription document has ``prev-archive`` to the
newest archive; each archive has ``<fh:archive/>``, ``current`` to the
subscription document and ``prev-archive`` to the archive before it (none in the
first). Archives carry no ``next-archive`` link (a SHOULD of the RFC): a full
archive gains no items, so with it the newest archive would change whenever a
newer one appears; consumers walk ``prev-archive`` from the subscription document
(RFC 5005 section 4.2). In RSS the links are atom:link elements (RFC 5005
appendix B); in JSON Feed, ``next_url`` leads from each document to the next older
one.

An archive is rendered again only when what it shows changes: one of its posts is
edited or retagged (its render key, publish.render_once). A post dated before
the posts of an archive, or the removal of an archived post, shifts the archives
after it: they are rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from lxml import etree

from ..pages.pagekeys import digest_of

FH = "http://purl.org/syndication/history/1.0"
ATOM = "http://www.w3.org/2005/Atom"
FOLDER = "feed-archive"


@dataclass(frozen=True)
class History:
    """A feed document's place in the archived feed: the URLs (by format key) of
    the subscription document, when this is an archive, and of the archive before."""

    current: tuple[tuple[str, str], ...] = ()
    prev_archive: tuple[tuple[str, str], ...] = ()

    @property
    def archived(self) -> bool:
        return bool(self.current)

    def links(self, key: str) -> list[tuple[str, str]]:
        """(rel, URL) of the links of the document in format key."""
        found = [("current", url) for k, url in self.current if k == key]
        return found + [("prev-archive", url) for k, url in self.prev_archive if k == key]

    def older(self, key: str) -> str | None:
        """The URL of the next older document in format key."""
        return next((url for k, url in self.prev_archive if k == key), None)


def split(articles: list, size: int) -> list[list]:
    """The archives of a subject whose articles (newest first) overflow its feed:
    full runs of size articles from the oldest, oldest first, each newest first."""
    if not size or len(articles) <= size:
        return []
    oldest_first = articles[::-1]
    return [oldest_first[i : i + size][::-1] for i in range(0, len(articles) - size + 1, size)]


def urls(feed_urls: dict[str, str], number: int) -> dict[str, str]:
    """The URLs of archive number of the feeds at feed_urls (format key → URL)."""
    found = {}
    for key, url in feed_urls.items():
        folder, _, name = url.rpartition("/")
        found[key] = f"{folder}/{FOLDER}/{number}/{name}" if folder else f"{FOLDER}/{number}/{name}"
    return found


def fingerprint(article) -> tuple:
    """What a feed shows of a post, for its render key (cheaper than its item): the
    item's fields, its text by the seed's digest."""
    view = article.view
    tags = [(kind, page.name) for kind, tagged in view.tagged.items() for _, page in tagged]
    return (
        article.url,
        view.feed_id,
        article.title,
        article.date.isoformat(),
        view.lead,
        view.seed.digest,
        tags,
    )


class Fingerprints:
    """Each post's fingerprint, digested once however many feeds carry it."""

    def __init__(self):
        self._made: dict[int, bytes] = {}

    def __call__(self, article) -> bytes:
        found = self._made.get(id(article))
        if found is None:
            found = self._made[id(article)] = digest_of(*fingerprint(article))
        return found


class HistoryLinks(BaseExtension):
    """feedgen extension: a document's RFC 5005 links and fh:archive, in Atom and
    in RSS (before the first entry or item)."""

    def __init__(self):
        self.history = History()
        self.keys = {"atom": "atom", "rss": "rss"}

    def extend_ns(self):
        return {"fh": FH}

    def extend_atom(self, feed):
        # feedgen writes Atom's namespace as a plain xmlns attribute: its elements
        # have no namespace in the tree, and neither may these
        self._add(feed, "entry", "link", "atom")
        return feed

    def extend_rss(self, rss):
        self._add(rss.find("channel"), "item", f"{{{ATOM}}}link", "rss")
        return rss

    def _add(self, parent, item: str, link: str, key: str) -> None:
        first_item = parent.find(item)
        at = list(parent).index(first_item) if first_item is not None else len(parent)
        # made inside parent, so that they take its prefixes (no xmlns of their own)
        elements = [
            etree.SubElement(parent, link, href=url, rel=rel)
            for rel, url in self.history.links(key)
        ]
        if self.history.archived:
            elements.append(etree.SubElement(parent, f"{{{FH}}}archive"))
        for offset, element in enumerate(elements):
            parent.insert(at + offset, element)  # moved before the first item


class NoEntryLinks(BaseEntryExtension):
    """HistoryLinks adds nothing to entries (feedgen wants a class for them)."""

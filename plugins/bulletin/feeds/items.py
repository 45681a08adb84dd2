"""Articles → feed items: the text every format shares, cleaned once per article."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from html import escape

# Characters XML 1.0 forbids (C0 controls but tab and line ends, surrogates, U+FFFE/U+FFFF)
# and the C1 controls and DEL it discourages; lxml refuses the former outright.
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """The text without characters that XML cannot carry."""
    return _NOT_XML.sub("", text)


@dataclass(frozen=True)
class Item:
    """One post as every feed shows it; URLs are absolute, text is XML-safe."""

    url: str
    title: str
    date: datetime
    summary: str  # plain text
    content: str  # HTML; "" when FEED_FULL_CONTENT is off
    tags: tuple[tuple[str, str], ...]  # (entity name, absolute URL of its kind's index)
    first_url: str = ""  # the URL first published at (urlmemory.py), if it moved

    @property
    def id(self) -> str:
        """The feed id: the URL first published at, kept when the post moves."""
        return self.first_url or self.url

    @property
    def summary_html(self) -> str:
        return escape(self.summary, quote=False)


class Items:
    """Makes each article's Item once, however many feeds carry it."""

    def __init__(self, settings: dict):
        self.siteurl = settings["SITEURL"].rstrip("/")
        self.full_content = settings["FEED_FULL_CONTENT"]
        self.index_urls = settings["ENTITY_INDEX_URLS"]
        self._made: dict[str, Item] = {}

    def __call__(self, article) -> Item:
        item = self._made.get(article.url)
        if item is None:
            item = self._made[article.url] = self._make(article)
        return item

    def _make(self, article) -> Item:
        tags = tuple(
            (xml_safe(page.name), f"{self.siteurl}/{self.index_urls[kind]}")
            for kind, tagged in article.view.tagged.items()
            for _, page in tagged
        )
        return Item(
            url=f"{self.siteurl}/{article.url}",
            title=xml_safe(article.title),
            date=article.date,
            summary=xml_safe(article.view.lead),
            content=xml_safe(article.content) if self.full_content else "",
            tags=tags,
            first_url=f"{self.siteurl}/{article.view.feed_id or article.url}",
        )

"""RSS 2.0 and Atom 1.0 with feedgen, both from one generator per channel."""

from __future__ import annotations

import re
from html import escape

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator

from .archives import HistoryLinks, NoEntryLinks
from .items import Item

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
HTML_TYPE = "text/html"
# RSS elements holding plain text, whose "&", "<" and ">" readers take best as hex references
# (RSS Best Practices Profile, "Character Data"): lxml writes them as named entities.
# Only text holding a reference ("&…;") is matched: "<" and ">" are written as references.
_CHANNEL_TEXT = re.compile(rb"(<(title|description|category)\b[^>]*>)([^<&]*&[^<]*)(</\2>)")
_ITEM_TEXT = re.compile(rb"(<(title|category)\b[^>]*>)([^<&]*&[^<]*)(</\2>)")  # description: HTML
_HEX_REFS = ((b"&amp;", b"&#x26;"), (b"&lt;", b"&#x3C;"), (b"&gt;", b"&#x3E;"))
# Plain text that readers would take for HTML: an end tag or a character reference.
_LOOKS_LIKE_HTML = re.compile(r"</\w+>|&#?\w+;")


class FeedgenWriter:
    """Renders channels; each item's feedgen entry is made once and shared (its RSS
    and Atom elements are built for each feed: kept, they would cost far more memory
    than the time they save)."""

    def __init__(self):
        self._entries: dict[str, FeedEntry] = {}

    def render(self, channel, items: list[Item]) -> tuple[bytes, bytes]:
        """The RSS and Atom documents of a channel, items newest first."""
        feed = FeedGenerator()
        feed.register_extension("history", HistoryLinks, NoEntryLinks)
        feed.history.history = channel.history  # RFC 5005 links (archives.py)
        feed.title(channel.title)
        feed.description(channel.description)  # Atom: the subtitle
        feed.language(channel.language)
        feed.author(name=channel.author)  # Atom only: RSS would want an e-mail address
        feed.id(channel.page_url)
        feed.generator("")
        feed.docs("")
        feed.updated(channel.updated)  # RSS: lastBuildDate
        for item in items:
            feed.add_entry(self._entry(item), order="append")
        # RSS takes the last link for the channel's <link>: the HTML page comes last.
        page = {"href": channel.page_url, "rel": "alternate", "type": HTML_TYPE}
        feed.link([{"href": channel.urls["rss"], "rel": "self", "type": RSS_TYPE}, page])
        rss = _plain_text_refs(feed.rss_str(pretty=True))
        feed.link([{"href": channel.urls["atom"], "rel": "self", "type": ATOM_TYPE}, page], True)
        return rss, feed.atom_str(pretty=True)

    def _entry(self, item: Item) -> FeedEntry:
        entry = self._entries.get(item.url)
        if entry is None:
            entry = self._entries[item.url] = _make_entry(item)
        return entry


def _make_entry(item: Item) -> FeedEntry:
    entry = FeedEntry()
    entry.register_extension("bulletin", PlainTitles)
    entry.title(item.title)
    entry.link(href=item.url, rel="alternate", type=HTML_TYPE)
    entry.guid(item.id, permalink=item.id == item.url)  # Atom: the id
    entry.published(item.date)
    entry.updated(item.date)
    entry.summary(item.summary_html, type="html")  # RSS: the description
    if item.content:
        entry.content(item.content, type="html")  # RSS: content:encoded
    entry.category([{"term": name, "scheme": scheme} for name, scheme in item.tags])
    return entry


class PlainTitles(BaseEntryExtension):
    """Keeps a title that looks like HTML ("<b>…</b>", "&amp;") plain text for readers:
    it goes out HTML-escaped, in Atom declared as type="html"."""

    def extend_atom(self, entry):
        title = entry.find("title")
        if _LOOKS_LIKE_HTML.search(title.text):
            title.set("type", "html")
            title.text = escape(title.text, quote=False)
        return entry

    def extend_rss(self, item):
        title = item.find("title")
        if _LOOKS_LIKE_HTML.search(title.text):
            title.text = escape(title.text, quote=False)
        return item


def _plain_text_refs(rss: bytes) -> bytes:
    channel, item, items = rss.partition(b"<item>")
    return _CHANNEL_TEXT.sub(_hex_refs, channel) + item + _ITEM_TEXT.sub(_hex_refs, items)


def _hex_refs(match: re.Match) -> bytes:
    text = match.group(3)
    for entity, reference in _HEX_REFS:
        text = text.replace(entity, reference)
    return match.group(1) + text + match.group(4)

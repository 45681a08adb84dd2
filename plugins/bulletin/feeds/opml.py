"""OPML 2.0 subscription lists (http://opml.org/spec2.opml) of the RSS feeds."""

from __future__ import annotations

from html import escape

from lxml import etree

from .items import xml_safe
from .rss_atom import RSS_TYPE


def render(title: str, groups, siteurl: str, nested: bool) -> bytes:
    """An OPML document listing every subject's RSS feed; with nested, one
    outline per group holds its subjects."""
    opml = etree.Element("opml", version="2.0")
    head = etree.SubElement(opml, "head")
    etree.SubElement(head, "title").text = xml_safe(title)
    body = etree.SubElement(opml, "body")
    for group in groups:
        parent = body
        if nested:
            parent = etree.SubElement(body, "outline", text=group.label)
        for subject in group.subjects:
            _outline(parent, subject, siteurl)
    return etree.tostring(opml, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def key(group, siteurl: str) -> tuple:
    """What render shows of a group, for its render key."""
    return group.label, siteurl, [(s.name, s.url, s.feeds) for s in group.subjects]


def _outline(parent, subject, siteurl: str) -> None:
    name = escape(xml_safe(subject.name), quote=False)  # OPML's text may hold HTML
    rss = next(url for _, media_type, url in subject.feeds if media_type == RSS_TYPE)
    etree.SubElement(
        parent,
        "outline",
        type="rss",
        version="RSS2",
        text=name,
        title=name,
        xmlUrl=f"{siteurl}/{rss}",
        htmlUrl=f"{siteurl}/{subject.url}",
    )

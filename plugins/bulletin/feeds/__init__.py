"""Feeds of the site, every entity and every bundle: RSS 2.0 and Atom 1.0 with feedgen,
JSON Feed 1.1, and OPML 2.0 lists to subscribe to them all or to one kind."""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from ..pages import settled
from ..pages.pagekeys import feed_key
from ..publish.parallel import owns
from ..publish.publish import put, render_once, reuse_all
from . import archives, jsonfeed, opml
from .items import Items, xml_safe
from .rss_atom import ATOM_TYPE, RSS_TYPE, FeedgenWriter

logger = logging.getLogger(__name__)

# (key, label, media type); the file names are the settings SITE_FEED_<KEY>, ENTITY_FEED_<KEY>.
FORMATS = (
    ("rss", "RSS", RSS_TYPE),
    ("atom", "Atom", ATOM_TYPE),
    ("json", "JSON Feed", jsonfeed.MEDIA_TYPE),
)
GROUP_LABELS = {
    "site": "All posts",
    "bundles": "Bundles",
    "countries": "Countries",
    "organisations": "Organisations",
    "people": "People",
}
KIND_LABELS = {"countries": "country", "organisations": "organisation", "people": "person"}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # the date of the site's feeds before any post


def site_links(settings: dict) -> tuple[tuple[str, str, str], ...]:
    """(label, media type, URL) of each feed of the whole site."""
    return _links("", "SITE", settings)


def entity_links(url: str, settings: dict) -> tuple[tuple[str, str, str], ...]:
    """(label, media type, URL) of each feed of the page at url (an entity or bundle)."""
    return _links(url, "ENTITY", settings)


def _links(base: str, scope: str, settings: dict):
    return tuple(
        (label, media_type, base + settings[f"{scope}_FEED_{key.upper()}"])
        for key, label, media_type in FORMATS
    )


@dataclass
class Site:
    """The whole site as a feed subject, shaped like an entity page."""

    name: str
    feeds: tuple
    articles: list
    url: str = ""
    kind: str = "site"


@dataclass
class Group:
    """The subjects of one kind that have feeds, and the OPML file listing them."""

    kind: str
    label: str
    opml_url: str  # "" for the site's own group
    subjects: list


@dataclass(frozen=True)
class Channel:
    """What a feed says about its subject; URLs are absolute."""

    title: str
    description: str
    page_url: str
    urls: dict  # format key → feed URL
    language: str
    author: str
    updated: datetime  # of the newest item
    history: archives.History = archives.History()  # RFC 5005 links


def feed_groups(site: Site, entity_pages: dict, bundles: list, settings: dict) -> list[Group]:
    """Every subject with feeds, by kind: the site, bundles, then ENTITY_FEED_KINDS."""
    kinds = [("site", [site]), ("bundles", bundles)]
    kinds += [(k, pages) for k, pages in entity_pages.items() if k in settings["ENTITY_FEED_KINDS"]]
    return [
        Group(kind, GROUP_LABELS[kind], "" if kind == "site" else opml_url(kind, settings), pages)
        for kind, pages in kinds
        if pages
    ]


def opml_url(kind: str, settings: dict) -> str:
    return settings["FEEDS_OPML"].format(kind=kind)


def write_all(groups: list[Group], settings: dict, output_path) -> int:
    """Write every subject's feeds and the OPML files; return how many feeds were written."""
    started, cpu = time.perf_counter(), time.process_time()
    siteurl = settings["SITEURL"].rstrip("/")
    if not siteurl:
        logger.warning("SITEURL is empty: feed links will not be absolute")
    output = Path(output_path)
    items, shown = Items(settings), archives.Fingerprints()
    writers = FeedgenWriter(), jsonfeed.JsonFeedWriter()
    limit = settings["FEED_MAX_ITEMS"]
    written = 0
    for subject in (subject for group in groups for subject in group.subjects):
        urls = {key: url for (key, _, _), (_, _, url) in zip(FORMATS, subject.feeds, strict=True)}
        if not urls or not owns(next(iter(urls.values()))):
            continue  # no feeds, or another process writes them (parallel.py)
        # All the last build's, in output/: this process owns them all (a subject's
        # feeds and archives go with its first feed; a listing's pages, each its own).
        kept = settled.kept(settled.feeds_group(subject))
        if kept is not None and reuse_all(kept):
            written += len(urls) * len(kept)
            continue
        channel = _channel(subject, urls, settings, siteurl)
        chunks = archives.split(subject.articles, limit) if settings["FEED_ARCHIVES"] else []
        if chunks:
            newest = _absolute(archives.urls(urls, len(chunks)), siteurl)
            channel = replace(channel, history=archives.History(prev_archive=newest))
        latest = subject.articles[:limit]
        render = next(iter(urls.values()))
        key = settled.key(render) or feed_key(channel, [shown(article) for article in latest])

        def make(channel=channel, latest=latest, urls=urls):
            entries = [items(article) for article in latest]
            _write_feeds(writers, channel, entries, urls, output)

        render_once(render, key, make)
        written += len(urls) * (1 + len(chunks))
        _write_archives(chunks, channel, urls, items, shown, writers, output, siteurl)
    opml_files = _write_opml(groups, settings, siteurl, output)
    logger.info(
        "Feeds: wrote %d feeds and %d OPML files in %.2f s (CPU %.2f s)",
        written,
        opml_files,
        time.perf_counter() - started,
        time.process_time() - cpu,
    )
    return written


def _write_archives(chunks, channel: Channel, urls: dict, items, shown, writers, output, siteurl):
    """The RFC 5005 archive documents of a subject's feeds (archives.py)."""
    current = _absolute(urls, siteurl)
    for number, chunk in enumerate(chunks, 1):
        own = archives.urls(urls, number)
        older = _absolute(archives.urls(urls, number - 1), siteurl) if number > 1 else {}
        history = archives.History(current=current, prev_archive=older)
        own_urls = dict(_absolute(own, siteurl))
        archived = replace(channel, urls=own_urls, updated=chunk[0].date, history=history)
        render = next(iter(own.values()))
        key = settled.key(render) or feed_key(archived, [shown(article) for article in chunk])

        def make(chunk=chunk, archived=archived, own=own):
            entries = [items(article) for article in chunk]
            _write_feeds(writers, archived, entries, own, output)

        render_once(render, key, make)


def _absolute(urls: dict, siteurl: str) -> tuple[tuple[str, str], ...]:
    return tuple((key, f"{siteurl}/{url}") for key, url in urls.items())


def _write_feeds(writers, channel: Channel, entries: list, urls: dict, output: Path) -> None:
    """A subject's feeds in every format."""
    feedgen_writer, json_writer = writers
    rss, atom = feedgen_writer.render(channel, entries)
    documents = {"rss": rss, "atom": atom, "json": json_writer.render(channel, entries)}
    for key, url in urls.items():
        _write(output / url, documents[key])


def _channel(subject, urls: dict, settings: dict, siteurl: str) -> Channel:
    sitename = settings["SITENAME"]
    if subject.kind == "site":
        title, description = sitename, f"Latest posts of {sitename}"
    elif subject.kind == "bundles":
        members = ", ".join(member.name for member in subject.members)
        title = f"{subject.name} — {sitename}"
        description = f"{sitename}: news about {subject.name} ({members})"
    else:
        title = f"{subject.name} — {sitename}"
        description = getattr(subject, "description", "") or (
            f"{sitename}: news about {subject.name} ({KIND_LABELS[subject.kind]})"
        )
    return Channel(
        title=xml_safe(title),
        description=xml_safe(description),
        page_url=f"{siteurl}/{subject.url}",
        urls={key: f"{siteurl}/{url}" for key, url in urls.items()},
        language=settings["DEFAULT_LANG"],
        author=xml_safe(sitename),
        updated=subject.articles[0].date if subject.articles else EPOCH,
    )


def _write_opml(groups: list[Group], settings: dict, siteurl: str, output: Path) -> int:
    sitename = settings["SITENAME"]
    files = [(opml_url("all", settings), f"{sitename}: all feeds", groups, True)]
    files += [
        (group.opml_url, f"{sitename}: {group.label.lower()}", [group], False)
        for group in groups
        if group.opml_url
    ]
    subjects = {id(group): opml.key(group, siteurl) for group in groups}
    for url, title, listed, nested in files:
        if owns(url):
            key = feed_key((title, nested), [subjects[id(group)] for group in listed])
            make = functools.partial(_make_opml, output / url, title, listed, siteurl, nested)
            render_once(url, key, make)
    return len(files)


def _make_opml(path: Path, title: str, groups, siteurl: str, nested: bool) -> None:
    _write(path, opml.render(title, groups, siteurl, nested))


def _write(path: Path, data: bytes) -> None:
    put(path, data)

"""RFC 5005 archived feeds: every item a capped feed drops is in an archive document
reached by prev-archive links (next_url in JSON Feed); a full archive is rewritten
only when one of its own posts changes; a rebuild gives the bytes of a build from
scratch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
from lxml import etree

from conftest import SITEURL, build_site, tree

LIMIT = 5  # FEED_MAX_ITEMS for these tests: 12 posts make two full archives
FH = "{http://purl.org/syndication/history/1.0}archive"
FEEDS = ("rss.xml", "atom.xml")


def seed_text(day: int, word: str = "trade") -> str:
    return (
        f" date 2024-01-{day:02d} Officials in Kazakhstan met for talks number {day} "
        f"about {word}.\n\nThe talks in Astana went on.\n"
    )


def write_seeds(folder: Path, days) -> Path:
    folder.mkdir(exist_ok=True)
    for day in days:
        (folder / f"{day:02d}.txt").write_text(seed_text(day))
    return folder


def build(tmp_path: Path, seeds: Path) -> Path:
    return build_site(tmp_path, seeds, FEED_MAX_ITEMS=LIMIT)


def local(url: str, output: Path) -> Path:
    return output / url.removeprefix(f"{SITEURL}/")


def walk(output: Path, feed: str) -> list[tuple[Path, list[str]]]:
    """The subscription document and each archive it leads to: (file, item links)."""
    documents, path = [], output / feed
    while path is not None:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, path
        documents.append((path, [entry.link for entry in parsed.entries]))
        older = [link.href for link in parsed.feed.get("links", []) if link.rel == "prev-archive"]
        path = local(older[0], output) if older else None
    return documents


def test_every_item_dropped_from_a_capped_feed_is_in_an_archive(tmp_path):
    output = build(tmp_path, write_seeds(tmp_path / "seeds", range(1, 13)))
    posts = {
        f"{SITEURL}/{p.parent.relative_to(output).as_posix()}/"
        for p in output.glob("2024/*/*/*/index.html")
    }
    assert len(posts) == 12
    for feed in [*FEEDS, *(f"country/kazakhstan/{name}" for name in FEEDS)]:
        documents = walk(output, feed)
        assert [len(links) for _, links in documents] == [LIMIT, LIMIT, LIMIT]
        assert {link for _, links in documents for link in links} == posts, feed
        subscription = etree.parse(documents[0][0]).getroot()
        assert subscription.find(f".//{FH}") is None
        for path, _ in documents[1:]:
            root = etree.parse(path).getroot()
            assert root.find(f".//{FH}") is not None, path  # <fh:archive/>
            current = [e.get("href") for e in root.iter() if e.get("rel") == "current"]
            assert current == [f"{SITEURL}/{feed}"]
    assert documents[-1][0] == output / "country/kazakhstan/feed-archive/1/atom.xml"
    json_links, path = set(), output / "feed.json"
    while path:
        document = json.loads(path.read_bytes())
        json_links |= {item["url"] for item in document["items"]}
        path = local(document["next_url"], output) if "next_url" in document else None
    assert json_links == posts


def test_a_full_archive_is_rewritten_only_when_one_of_its_posts_changes(tmp_path):
    seeds = write_seeds(tmp_path / "seeds", range(1, 13))
    output = build(tmp_path, seeds)

    def stamps(number: int) -> dict:
        folder = output / "feed-archive" / str(number)
        return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}

    first, second = stamps(1), stamps(2)
    write_seeds(seeds, [13])  # a new post: the archives stay as they are
    build(tmp_path, seeds)
    assert stamps(1) == first and stamps(2) == second
    (seeds / "07.txt").write_text(seed_text(7, "energy"))  # edit a post of archive 2
    build(tmp_path, seeds)
    assert stamps(1) == first and stamps(2) != second
    assert "about energy" in (output / "feed-archive/2/atom.xml").read_text()
    (tmp_path / "scratch").mkdir()  # with the same URL memory (urlmemory.py)
    shutil.copy(tmp_path / "urls.tsv", tmp_path / "scratch/urls.tsv")
    assert tree(output) == tree(build(tmp_path / "scratch", seeds))


def test_feeds_within_the_cap_have_no_archives(tmp_path):
    output = build(tmp_path, write_seeds(tmp_path / "seeds", range(1, LIMIT + 1)))
    assert not (output / "feed-archive").exists()
    assert len(walk(output, "rss.xml")) == 1

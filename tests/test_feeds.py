"""Feeds, end to end: fixture seeds built with real Pelican, every feed read back."""

import json
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html import escape, unescape
from pathlib import Path

import feedparser
import lxml.html
import pytest
from lxml import etree

from bulletin.feeds import Channel
from bulletin.feeds.items import Item, xml_safe
from bulletin.feeds.jsonfeed import JsonFeedWriter, _item
from bulletin.feeds.rss_atom import FeedgenWriter
from conftest import FIXTURES, SITEURL, build_site

SEEDS = FIXTURES / "feeds"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json"}
RFC822 = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d\d:\d\d:\d\d [+-]\d{4}"
)
HOSTILE_TITLE = 'Kazakhstan <b>markets</b> & "bonds" ]]></description> rose today'
POSTS = {  # the fixture posts, newest first
    "astana": f"{SITEURL}/2024/07/02/leaders-of-kazakhstan-and-uzbekistan-met-in-astana-on-tuesday/",
    "bishkek": f"{SITEURL}/2024/07/02/kyrgyzstan-and-turkiye-signed-a-transport-agreement-in-bishkek/",
    "hostile": f"{SITEURL}/2024/07/01/kazakhstan-markets-bonds-rose-today/",
    "ankara": f"{SITEURL}/2024/06/30/the-speaker-of-the-grand-national-assembly-of-turkiye-numan/",
}


@pytest.fixture(scope="session")
def out(tmp_path_factory) -> Path:
    """The feed fixture seeds built once with the project's settings."""
    return build_site(tmp_path_factory.mktemp("feeds"), seeds=SEEDS)


@pytest.fixture(scope="session")
def lean(tmp_path_factory) -> Path:
    """A build with two items per feed, summaries only and no feeds for people."""
    return build_site(
        tmp_path_factory.mktemp("lean"),
        seeds=SEEDS,
        FEED_MAX_ITEMS=2,
        FEED_FULL_CONTENT=False,
        ENTITY_FEED_KINDS=("countries", "organisations"),
    )


def url_of(output: Path, path: Path) -> str:
    return f"{SITEURL}/{path.relative_to(output).as_posix()}"


def file_of(output: Path, url: str) -> Path:
    """The file behind a site URL (directory URLs: their index.html)."""
    relative = url.removeprefix(f"{SITEURL}/")
    return (
        output / relative / "index.html" if not relative or url.endswith("/") else output / relative
    )


def feeds(output: Path, name: str) -> list[Path]:
    return sorted(output.rglob(name))


def xml(path: Path):
    return etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False))


def html(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def alternates(page: Path) -> dict[str, str]:
    return {
        link.get("href"): link.get("type")
        for link in html(page).findall(".//head/link[@rel='alternate']")
    }


def rss_items(path: Path) -> list[dict]:
    return [
        {
            "title": item.findtext("title"),
            "link": item.findtext("link"),
            "guid": item.findtext("guid"),
            "permalink": item.find("guid").get("isPermaLink"),
            "date": item.findtext("pubDate"),
            "summary": unescape(item.findtext("description")),
            "content": item.findtext(CONTENT),
            "tags": [(c.text, c.get("domain")) for c in item.findall("category")],
        }
        for item in xml(path).iter("item")
    ]


def shown_title(entry) -> str:
    """An entry's title as a reader shows it (feedparser marks escaped ones as HTML)."""
    return unescape(entry.title) if entry.title_detail.type == "text/html" else entry.title


def test_every_feed_parses_cleanly(out):
    rss, atom, json_feeds = feeds(out, "rss.xml"), feeds(out, "atom.xml"), feeds(out, "feed.json")
    folders = [sorted(p.parent for p in found) for found in (rss, atom, json_feeds)]
    assert folders[0] == folders[1] == folders[2]
    assert {p.parent.relative_to(out).as_posix() for p in rss} >= {
        ".",
        "bundle/central-asia",
        "country/kazakhstan",
        "organisation/nato",
        "person/numan-kurtulmus",
    }
    for path, version in [*((p, "rss20") for p in rss), *((p, "atom10") for p in atom)]:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version == version and parsed.entries, path
    for path in json_feeds:
        feed = json.loads(path.read_bytes())
        assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["title"]
        assert feed["items"] and all(i["id"] and i["content_html"] for i in feed["items"])


def test_rss_follows_the_rules_element_by_element(out):
    for path in feeds(out, "rss.xml"):
        channel = xml(path).find("channel")
        selves = channel.findall(f"{ATOM}link[@rel='self']")
        assert [(s.get("href"), s.get("type")) for s in selves] == [
            (url_of(out, path), "application/rss+xml")
        ]
        page = file_of(out, channel.findtext("link"))
        assert channel.findtext("link") == url_of(out, path).removesuffix("rss.xml")
        assert alternates(page)[url_of(out, path)] == "application/rss+xml"
        name = channel.findtext("title").split(" — ")[0]
        assert name in channel.findtext("description")
        assert channel.find("generator") is None and channel.find("docs") is None
        items = rss_items(path)
        dates = [parsedate_to_datetime(item["date"]) for item in items]
        assert dates == sorted(dates, reverse=True)
        assert channel.findtext("lastBuildDate") == items[0]["date"]
        for item in items:
            assert item["guid"] == item["link"] and item["permalink"] == "true"
            assert file_of(out, item["link"]).exists()
            assert RFC822.fullmatch(item["date"]), item["date"]
            assert item["title"] and item["summary"] and item["content"].startswith("<p>")


def test_items_carry_their_entity_tags_as_categories(out):
    ankara = next(i for i in rss_items(out / "rss.xml") if i["link"] == POSTS["ankara"])
    assert {
        ("Türkiye", f"{SITEURL}/countries/"),
        ("Kazakhstan", f"{SITEURL}/countries/"),
        ("Grand National Assembly of Türkiye", f"{SITEURL}/organisations/"),
        ("Numan Kurtulmuş", f"{SITEURL}/people/"),
    } <= set(ankara["tags"])
    # Every category names an entity whose own feed carries the item.
    titles = {xml(p).findtext("channel/title"): p for p in feeds(out, "rss.xml")}
    for item in rss_items(out / "rss.xml"):
        for name, _ in item["tags"]:
            entity_feed = titles[f"{name} — Bulletin"]
            assert item["link"] in [i["link"] for i in rss_items(entity_feed)]


def test_dates_keep_their_zone_and_feed_dates_come_from_the_newest_item(out):
    items = rss_items(out / "country/kazakhstan/rss.xml")
    assert [i["link"] for i in items] == [POSTS["astana"], POSTS["hostile"], POSTS["ankara"]]
    assert items[0]["date"] == "Tue, 02 Jul 2024 09:30:00 +0500"
    atom = xml(out / "country/kazakhstan/atom.xml")
    assert atom.findtext(f"{ATOM}updated") == "2024-07-02T09:30:00+05:00"
    assert [i["link"] for i in rss_items(out / "rss.xml")] == list(POSTS.values())


def test_atom_and_json_feed_hold_the_same_items_as_rss(out):
    for rss_path in feeds(out, "rss.xml"):
        channel = xml(rss_path).find("channel")
        atom_path = rss_path.with_name("atom.xml")
        atom = xml(atom_path)
        feed = json.loads(rss_path.with_name("feed.json").read_bytes())
        page = channel.findtext("link")
        atom_links = {(a.get("rel"), a.get("href")) for a in atom.findall(f"{ATOM}link")}
        assert atom_links == {
            ("self", url_of(out, atom_path)),
            ("alternate", page),
        }
        assert atom.findtext(f"{ATOM}id") == page == feed["home_page_url"]
        assert feed["feed_url"] == url_of(out, rss_path.with_name("feed.json"))
        title, description = channel.findtext("title"), channel.findtext("description")
        assert atom.findtext(f"{ATOM}title") == feed["title"] == title
        assert atom.findtext(f"{ATOM}subtitle") == feed["description"] == description
        assert atom.findtext(f"{ATOM}author/{ATOM}name") == "Bulletin"

        rss = rss_items(rss_path)
        entries = atom.findall(f"{ATOM}entry")
        read = zip(
            *(feedparser.parse(p.read_bytes()).entries for p in (rss_path, atom_path)), strict=True
        )
        assert len(rss) == len(entries) == len(feed["items"])
        for item, entry, record, (rss_read, atom_read) in zip(
            rss, entries, feed["items"], read, strict=True
        ):
            assert item["link"] == entry.findtext(f"{ATOM}id") == record["id"] == record["url"]
            assert entry.find(f"{ATOM}link").get("href") == item["link"]
            assert shown_title(rss_read) == shown_title(atom_read) == record["title"]
            published = parsedate_to_datetime(item["date"]).isoformat()
            assert entry.findtext(f"{ATOM}published") == published == record["date_published"]
            assert entry.findtext(f"{ATOM}updated") == published
            assert unescape(entry.findtext(f"{ATOM}summary")) == item["summary"]
            assert item["summary"] == record["summary"]
            assert entry.findtext(f"{ATOM}content") == item["content"] == record["content_html"]
            categories = [
                (c.get("term"), c.get("scheme")) for c in entry.findall(f"{ATOM}category")
            ]
            assert categories == item["tags"]
            assert record["tags"] == [name for name, _ in item["tags"]]


def test_hostile_seed_text_stays_text_in_well_formed_feeds(out):
    raw = (out / "rss.xml").read_bytes()
    assert "\ufffe".encode() not in raw and b"\x0b" not in raw and b"\x01" not in raw
    items = {i["link"]: i for i in rss_items(out / "rss.xml")}
    item = items[POSTS["hostile"]]
    # A title that readers would take for HTML goes out HTML-escaped (Atom: type="html") …
    assert item["title"] == escape(HOSTILE_TITLE, quote=False)
    entries = {e.link: e for e in feedparser.parse((out / "atom.xml").read_bytes()).entries}
    assert entries[POSTS["hostile"]].title_detail.type == "text/html"
    assert shown_title(entries[POSTS["hostile"]]) == HOSTILE_TITLE
    # … and any other title as it is.
    assert items[POSTS["astana"]]["title"] == entries[POSTS["astana"]].title
    assert entries[POSTS["astana"]].title_detail.type == "text/plain"
    assert item["summary"].startswith(HOSTILE_TITLE)
    content = lxml.html.fragment_fromstring(item["content"], create_parent="div")
    assert content.find(".//script") is None and content.find(".//b") is None
    assert "<script>alert('x')</script> is text, not code ]]> &amp; that" in content.text_content()
    entry = json.loads((out / "feed.json").read_bytes())["items"][2]
    assert entry["title"] == HOSTILE_TITLE
    # Plain-text elements use hex references, as the RSS Best Practices Profile asks.
    assert b"<title>Kazakhstan &#x26;lt;b&#x26;gt;markets&#x26;lt;/b&#x26;gt; &#x26;amp; " in raw


def test_xml_safe_drops_only_what_xml_cannot_carry():
    kept = "tab\tline\ncr\r é ü 😀 \ue000 \ufffd"
    assert xml_safe(kept) == kept
    assert xml_safe("a\x00b\x0bc\x1fd\x7fe\x85f\ud800g\ufffeh\uffff") == "abcdefgh"


def channel_of(name: str) -> Channel:
    page = f"{SITEURL}/{name}/"
    urls = {key: page + file for key, file in (("rss", "rss.xml"), ("atom", "atom.xml"))}
    return Channel(
        name,
        f"News about {name}",
        page,
        {**urls, "json": page + "feed.json"},
        "en",
        "Bulletin",
        datetime(2024, 7, 2, tzinfo=UTC),
    )


ITEMS = [
    Item(
        f"{SITEURL}/2024/07/02/a/",
        'Line\nbreak, "quotes" \u2028 & <b>é</b>',
        datetime(2024, 7, 2, 9, 30, tzinfo=UTC),
        "Lead\n",
        "<p>Text</p>\n<p>ü</p>",
        (("Kazakhstan", f"{SITEURL}/countries/"), ("OSCE", f"{SITEURL}/organisations/")),
    ),
    Item(f"{SITEURL}/2024/07/01/b/", "Plain", datetime(2024, 7, 1, tzinfo=UTC), "Lead", "", ()),
]


@pytest.mark.parametrize("items", [ITEMS, ITEMS[1:], []])
def test_json_feed_items_serialised_once_read_as_the_whole_feed_dumped(items):
    writer, channel = JsonFeedWriter(), channel_of("site")
    for _ in range(2):  # the second time from the items kept
        feed = json.loads(writer.render(channel, items))
        assert feed.pop("items") == [_item(item) for item in items]
        expected = {"version": "https://jsonfeed.org/version/1.1", "title": "site"}
        assert feed.items() >= expected.items()
    dumped = json.dumps({**feed, "items": [_item(i) for i in items]}, ensure_ascii=False, indent=2)
    assert writer.render(channel, items) == (dumped + "\n").encode()


def test_an_item_shared_by_feeds_is_whole_in_each():
    writer = FeedgenWriter()
    first = writer.render(channel_of("one"), ITEMS)
    writer.render(channel_of("two"), ITEMS[:1])
    assert writer.render(channel_of("one"), ITEMS) == first
    for document in first:
        assert document.count(b"Line") == 1 and document.count(b"/2024/07/01/b/") >= 1


def test_entity_pages_link_their_rss_atom_and_json_feeds(out):
    site = {f"{SITEURL}/rss.xml", f"{SITEURL}/atom.xml", f"{SITEURL}/feed.json"}
    for folder in ("country/kazakhstan", "organisation/nato", "person/numan-kurtulmus"):
        links = alternates(out / folder / "index.html")
        own = {href: kind for href, kind in links.items() if href not in site}
        assert own == {
            f"{SITEURL}/{folder}/rss.xml": "application/rss+xml",
            f"{SITEURL}/{folder}/atom.xml": "application/atom+xml",
            f"{SITEURL}/{folder}/feed.json": "application/feed+json",
        }
        assert set(links) >= site and all(file_of(out, href).exists() for href in links)


def test_feeds_page_lists_every_feed_grouped_by_kind(out):
    page = html(out / "feeds/index.html")
    sections = page.findall(".//section")
    assert [s.findtext("h2") for s in sections] == [
        "All posts",
        "Bundles",
        "Countries",
        "Organisations",
        "People",
    ]
    prefixes = ["", "bundle/", "country/", "organisation/", "person/"]
    listed = set()
    for section, prefix in zip(sections, prefixes, strict=True):
        for link in section.iter("a"):
            if link.get("type") in FEED_TYPES:
                assert link.get("href").startswith(f"{SITEURL}/{prefix}")
                listed.add(link.get("href"))
    written = [*feeds(out, "rss.xml"), *feeds(out, "atom.xml"), *feeds(out, "feed.json")]
    assert listed == {url_of(out, path) for path in written}
    opml = [a.get("href") for a in page.iter("a") if a.get("type") == "text/x-opml"]
    assert opml == [
        f"{SITEURL}/feeds/{kind}.opml"
        for kind in ("all", "bundles", "countries", "organisations", "people")
    ]
    assert all(file_of(out, href).exists() for href in opml)


def opml_feeds(path: Path) -> list[tuple[str, str]]:
    root = xml(path)
    assert root.tag == "opml" and root.get("version") == "2.0" and root.findtext("head/title")
    outlines = [o for o in root.iter("outline") if o.get("xmlUrl")]
    assert all(o.get("type") == "rss" and o.get("text") for o in outlines)
    return [(o.get("xmlUrl"), o.get("htmlUrl")) for o in outlines]


def test_opml_lists_every_rss_feed_written_and_only_those(out):
    everything = opml_feeds(out / "feeds/all.opml")
    assert sorted(url for url, _ in everything) == [url_of(out, p) for p in feeds(out, "rss.xml")]
    for url, page in everything:
        assert url == page + "rss.xml" and file_of(out, page).exists()
    for kind, folder in [
        ("bundles", "bundle"),
        ("countries", "country"),
        ("organisations", "organisation"),
        ("people", "person"),
    ]:
        listed = sorted(url for url, _ in opml_feeds(out / f"feeds/{kind}.opml"))
        assert listed == [url_of(out, p) for p in feeds(out / folder, "rss.xml")]


def test_two_builds_give_byte_identical_feeds(out, tmp_path):
    again = build_site(tmp_path, seeds=SEEDS)
    files = [p for p in out.rglob("*") if p.suffix in (".xml", ".json", ".opml")]
    assert len(files) > 30
    for path in files:
        assert (again / path.relative_to(out)).read_bytes() == path.read_bytes(), path


def test_item_cap_never_truncates_the_entity_page(lean):
    assert [i["link"] for i in rss_items(lean / "country/kazakhstan/rss.xml")] == [
        POSTS["astana"],
        POSTS["hostile"],
    ]
    assert len(xml(lean / "country/kazakhstan/atom.xml").findall(f"{ATOM}entry")) == 2
    assert len(json.loads((lean / "country/kazakhstan/feed.json").read_bytes())["items"]) == 2
    linked = {a.get("href") for a in html(lean / "country/kazakhstan/index.html").iter("a")}
    assert {POSTS["astana"], POSTS["hostile"], POSTS["ankara"]} <= linked


def test_summary_only_feeds_when_full_content_is_off(lean):
    items = rss_items(lean / "rss.xml")
    assert items and all(item["content"] is None for item in items)
    assert xml(lean / "atom.xml").find(f"{ATOM}entry/{ATOM}content") is None
    for record in json.loads((lean / "feed.json").read_bytes())["items"]:
        assert "content_html" not in record and record["content_text"] == record["summary"]


def test_people_feeds_can_be_turned_off(lean):
    assert (lean / "person/numan-kurtulmus/index.html").exists()
    assert not list((lean / "person").rglob("*.xml")) and not list(
        (lean / "person").rglob("*.json")
    )
    own = [h for h in alternates(lean / "person/numan-kurtulmus/index.html") if "/person/" in h]
    assert own == []
    assert not (lean / "feeds/people.opml").exists()
    assert all("/person/" not in url for url, _ in opml_feeds(lean / "feeds/all.opml"))
    headings = [h.text_content() for h in html(lean / "feeds/index.html").iter("h2")]
    assert "People" not in headings and "Countries" in headings


def test_bundle_combines_its_members_posts_newest_first(out):
    bundle = rss_items(out / "bundle/central-asia/rss.xml")
    members = ["country/kazakhstan", "country/kyrgyzstan", "country/uzbekistan"]
    expected = {i["link"] for m in members for i in rss_items(out / m / "rss.xml")}
    assert [i["link"] for i in bundle] == [url for url in POSTS.values() if url in expected]
    channel = xml(out / "bundle/central-asia/rss.xml").find("channel")
    assert channel.findtext("title") == "Central Asia — Bulletin"
    assert "Kazakhstan" in channel.findtext("description")
    page = out / "bundle/central-asia/index.html"
    assert {f"{SITEURL}/bundle/central-asia/rss.xml"} <= set(alternates(page))
    assert {a.get("href") for a in html(page).iter("a")} >= expected


def test_bundles_from_settings_with_bad_entries_reported(tmp_path, logged):
    bundles = {
        "turkic": {"title": "Turkic <world> & co", "countries": ["TR", "Kazakhstan"]},
        "speaker": {"people": ["numan-kurtulmus"], "organisations": ["NATO"]},
        "quiet": {"countries": ["TM"]},
        "typo": {"countries": ["Kazakstan"]},
        "broken": ["KZ"],
        "Turkic": {"countries": "TR"},
        "TURKIC ": {"countries": ["TR"]},
    }
    output = build_site(tmp_path, seeds=SEEDS, FEED_BUNDLES=bundles)
    messages = logged()
    assert any("'broken'" in m and "skipped" in m for m in messages)
    assert any("'Turkic'" in m and "must be a list" in m for m in messages)
    assert any("'TURKIC '" in m and "bundle/turkic/ is taken" in m for m in messages)
    assert any("'typo'" in m and "'Kazakstan'" in m for m in messages)
    assert any("'quiet'" in m and "no posts yet" in m for m in messages)
    assert not any("'TM'" in m for m in messages)  # a real country code, only without posts
    assert not (output / "bundle/broken").exists() and not (output / "bundle/quiet").exists()
    turkic = [i["link"] for i in rss_items(output / "bundle/turkic/rss.xml")]
    assert turkic == list(POSTS.values())
    channel = (output / "bundle/turkic/rss.xml").read_bytes().split(b"<item>")[0]
    assert b"<title>Turkic &#x3C;world&#x3E; &#x26; co \xe2\x80\x94 Bulletin</title>" in channel
    assert b"<description>Bulletin: news about Turkic &#x3C;world&#x3E; &#x26; co (" in channel
    speaker = [i["link"] for i in rss_items(output / "bundle/speaker/rss.xml")]
    assert speaker == [POSTS["bishkek"], POSTS["ankara"]]
    names = [o.get("text") for o in xml(output / "feeds/bundles.opml").iter("outline")]
    assert "Turkic &lt;world&gt; &amp; co" in names
    listed = sorted(url for url, _ in opml_feeds(output / "feeds/bundles.opml"))
    assert listed == [f"{SITEURL}/bundle/{name}/rss.xml" for name in ("speaker", "turkic")]

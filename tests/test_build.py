"""End to end: the fixture seeds built with real Pelican, checked file by file."""

import filecmp
from pathlib import Path

import feedparser
import lxml.html

from conftest import FIXTURES, SITEURL, build_site

POST = (
    "2024/05/21/kazakh-president-kassym-jomart-tokayev-received-the-speaker-of-the-grand/index.html"
)


def html(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def test_every_dated_seed_becomes_a_post(site):
    posts = sorted(str(p.relative_to(site)) for p in site.glob("20*/*/*/*/index.html"))
    assert posts == [
        POST,
        "2024/06/01/the-osce-pa-opened-its-annual-session-in-bucharest/index.html",
        "2024/06/03/foreign-ministers-of-nato-met-in-brussels-on-monday/index.html",
    ]


def test_post_page_has_text_date_and_entity_links(site):
    page = html(site / POST)
    assert page.findtext(".//h1").startswith("Kazakh President Kassym-Jomart Tokayev received")
    assert page.find(".//article//time").get("datetime") == "2024-05-21T00:00:00+00:00"
    paragraphs = [p.text_content() for p in page.findall(".//div[@class='text']/p")]
    assert paragraphs[1] == "Kurtulmuş said Turkey valued its partnership with Kazakhstan."
    links = {a.text_content().strip(): a.get("href") for a in page.findall(".//aside//li/a")}
    assert links["🇹🇷 Türkiye"] == f"{SITEURL}/country/turkiye/"
    assert links["🇰🇿 Kazakhstan"] == f"{SITEURL}/country/kazakhstan/"
    assert links["Grand National Assembly of Türkiye"] == (
        f"{SITEURL}/organisation/grand-national-assembly-of-turkiye/"
    )
    assert links["Numan Kurtulmuş"] == f"{SITEURL}/person/numan-kurtulmus/"


def test_entity_page_lists_posts_newest_first_on_pages_numbered_from_the_oldest(site):
    """The front page shows the newest post; the older ones are on pages numbered
    from the oldest (listing.py), each linking its newer and older neighbour."""
    front = html(site / "country/turkiye/index.html")
    second = html(site / "country/turkiye/page/2/index.html")
    first = html(site / "country/turkiye/page/1/index.html")
    titles = [p.findtext(".//article/h2/a") for p in (front, second, first)]
    assert [t.split()[0] for t in titles] == ["Foreign", "The", "Kazakh"]
    assert front.find(".//a[@rel='next']").get("href") == f"{SITEURL}/country/turkiye/page/2/"
    assert second.find(".//a[@rel='prev']").get("href") == f"{SITEURL}/country/turkiye/"
    assert second.find(".//a[@rel='next']").get("href") == f"{SITEURL}/country/turkiye/page/1/"
    assert first.find(".//a[@rel='prev']").get("href") == f"{SITEURL}/country/turkiye/page/2/"
    assert first.find(".//a[@rel='next']") is None
    assert first.findtext(".//h1") == "Older reports, page 1"
    assert "Reports" not in first.text_content()  # the count is on the front page only
    assert not (site / "country/turkiye/page/3").exists()


def test_entity_pages_link_their_feed(site):
    for page in ("country/turkiye", "organisation/nato"):
        links = html(site / page / "index.html").findall(".//link[@type='application/rss+xml']")
        assert [link.get("href") for link in links] == [
            f"{SITEURL}/rss.xml",
            f"{SITEURL}/{page}/rss.xml",
        ]


def test_index_pages_list_entities_with_counts(site):
    items = html(site / "countries/index.html").findall(".//ul[@class='directory']/li")
    counts = {li.find("a").text_content().split(" ", 1)[1]: li.findtext("span") for li in items}
    assert counts["Türkiye"] == "(3)"
    assert counts["Kazakhstan"] == "(2)"
    assert counts["United States"] == "(1)"
    people = html(site / "people/index.html").text_content()
    assert "Numan Kurtulmuş" in people and "Antony Blinken" in people


def test_site_and_entity_feeds_parse_with_absolute_links_newest_first(site):
    feeds = [
        site / "rss.xml",
        *site.glob("country/*/rss.xml"),
        *site.glob("organisation/*/rss.xml"),
    ]
    assert len(feeds) > 5
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert feed.bozo == 0, (path, feed.get("bozo_exception"))
        assert feed.feed.description
        self_links = [link.href for link in feed.feed.links if link.rel == "self"]
        assert self_links == [f"{SITEURL}/{path.relative_to(site)}"]
        dates = [entry.published_parsed for entry in feed.entries]
        assert dates == sorted(dates, reverse=True) and dates
        for entry in feed.entries:
            assert entry.link.startswith(f"{SITEURL}/20")
            assert entry.id == entry.link


def test_country_feed_holds_its_posts(site):
    feed = feedparser.parse((site / "country/kazakhstan/rss.xml").read_bytes())
    assert feed.feed.link == f"{SITEURL}/country/kazakhstan/"
    assert [e.link for e in feed.entries] == [
        f"{SITEURL}/2024/06/01/the-osce-pa-opened-its-annual-session-in-bucharest/",
        f"{SITEURL}/{POST.removesuffix('index.html')}",
    ]
    assert feed.entries[1].published == "Tue, 21 May 2024 00:00:00 +0000"
    assert {"Kazakhstan", "Türkiye", "Numan Kurtulmuş"} <= {t.term for t in feed.entries[1].tags}
    raw = (site / "country/kazakhstan/rss.xml").read_text()
    assert "<lastBuildDate>Sat, 01 Jun 2024 00:00:00 +0000</lastBuildDate>" in raw


def test_seed_without_date_is_skipped_with_an_error_naming_it(tmp_path, logged):
    output = build_site(tmp_path)
    assert any("no-date.txt" in m and "no date" in m for m in logged())
    assert len(list(output.glob("20*/*/*/*/index.html"))) == 3


def test_same_seeds_give_identical_output(site, tmp_path):
    again = build_site(tmp_path, DEFAULT_PAGINATION=1)
    comparison = filecmp.dircmp(site, again)
    _assert_same(comparison)


def _assert_same(comparison):
    assert not comparison.left_only and not comparison.right_only
    _, mismatch, errors = filecmp.cmpfiles(
        comparison.left, comparison.right, comparison.common_files, shallow=False
    )
    assert not mismatch and not errors, mismatch
    for sub in comparison.subdirs.values():
        _assert_same(sub)


def test_siteurl_and_seeds_path_come_from_settings(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "one.txt").write_text("date 2024-01-02 Germany and NATO agreed.", "utf-8")
    output = build_site(tmp_path, seeds=seeds, SITEURL="https://example.org/news")
    feed = feedparser.parse((output / "country/germany/rss.xml").read_bytes())
    assert feed.entries[0].link == "https://example.org/news/2024/01/02/germany-and-nato-agreed/"
    assert len(list(output.glob("20*/*/*/*/index.html"))) == 1
    assert FIXTURES.exists()

"""The theme's pages and files, read back from a real build: links, machine-readable
data, entity statistics, related posts, archives, search index and page weights."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html
import pytest

from bulletin.chart import monthly_chart
from bulletin.extras import initial
from conftest import SITEURL, build_site

POST = "2024/05/21/kazakh-president-kassym-jomart-tokayev-received-the-speaker-of-the-grand/"
OSCE = "2024/06/01/the-osce-pa-opened-its-annual-session-in-bucharest/"
NATO = "2024/06/03/foreign-ministers-of-nato-met-in-brussels-on-monday/"


def html(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def local_file(site: Path, url: str) -> Path | None:
    """The file behind a URL of the site, or None for another site's URL."""
    if not url.startswith(SITEURL + "/"):
        return None
    path = unquote(urlsplit(url).path).lstrip("/")
    return site / (path + "index.html" if path.endswith("/") or not path else path)


def broken_links(site: Path) -> list[str]:
    """Every href/src of every HTML page (and every sitemap entry) that points
    into the site at a missing file or a missing #fragment."""
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = set(html(path).xpath("//@id")) if path.suffix == ".html" else set()
        return ids[path]

    broken = []
    for page in sorted(site.rglob("*.html")):
        for element, attribute, link, _ in html(page).iterlinks():
            if link.startswith(("data:", "mailto:")):
                continue
            url = link if "://" in link else f"{SITEURL}/{page.parent.relative_to(site)}/{link}"
            if link.startswith("#"):
                target = page
            else:
                target = local_file(site, url)
                assert target is not None, f"{page}: link out of the site: {link}"
            fragment = urlsplit(url).fragment
            if not target.exists() or (fragment and fragment not in ids_of(target)):
                broken.append(f"{page.relative_to(site)}: {element.tag}@{attribute} {link}")
    for loc in lxml.etree.parse(site / "sitemap.xml").getroot().iter("{*}loc"):
        if not local_file(site, loc.text).exists():
            broken.append(f"sitemap.xml: {loc.text}")
    return broken


def test_no_broken_internal_link_anywhere(site):
    assert len(list(site.rglob("*.html"))) > 30
    assert broken_links(site) == []


def test_a_site_without_posts_still_has_its_pages(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    output = build_site(tmp_path, seeds=seeds)
    assert html(output / "index.html").findtext(".//main//p") == "No posts yet."
    assert json.loads((output / "search.json").read_text()) == {"entities": [], "posts": []}
    assert (output / "404.html").exists() and (output / "sitemap.xml").exists()
    assert broken_links(output) == []


def test_link_checker_finds_a_broken_link(site, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in site.rglob("*"):
        if path.is_file():
            (copy / path.relative_to(site)).parent.mkdir(parents=True, exist_ok=True)
            (copy / path.relative_to(site)).write_bytes(path.read_bytes())
    (copy / "country/ukraine/index.html").unlink()
    assert any("country/ukraine/" in line for line in broken_links(copy))


def test_every_page_has_lang_canonical_open_graph_and_landmarks(site):
    for path in site.rglob("*.html"):
        page = html(path)
        assert page.get("lang") == "en", path
        canonical = page.find(".//link[@rel='canonical']")
        if path.name == "404.html":
            assert canonical is None
        else:
            assert local_file(site, canonical.get("href")).exists(), path
            assert page.find(".//meta[@property='og:url']").get("content") == canonical.get("href")
        assert page.find(".//meta[@property='og:title']").get("content")
        assert len(page.findall(".//main")) == 1 and len(page.findall(".//h1")) == 1, path
        assert page.find(".//a[@class='skip']").get("href") == "#main"


def test_flags_and_charts_never_carry_meaning_alone(site):
    flags = svgs = 0
    for path in site.rglob("*.html"):
        page = html(path)
        for flag in page.find_class("flag"):
            flags += 1
            assert flag.get("aria-hidden") == "true"
            assert flag.getparent().text_content().replace(flag.text, "").strip(), path
        for svg in page.iter("svg"):
            svgs += 1
            assert svg.get("role") == "img" and svg.get("aria-label"), path
            assert svg.findtext("title") == svg.get("aria-label")
        assert all(img.get("alt") is not None for img in page.iter("img")), path
    assert flags > 20 and svgs > 5


def test_post_carries_news_article_json_ld_with_about_and_mentions(site):
    page = html(site / POST / "index.html")
    data = json.loads(page.find(".//script[@type='application/ld+json']").text)
    assert data["@type"] == "NewsArticle"
    assert data["url"] == data["mainEntityOfPage"] == f"{SITEURL}/{POST}"
    assert data["datePublished"] == "2024-05-21T00:00:00+00:00"
    about = {(thing["@type"], thing["name"]) for thing in data["about"]}
    assert ("Country", "Kazakhstan") in about and ("Person", "Numan Kurtulmuş") in about
    assert ("Organization", "Grand National Assembly of Türkiye") in about
    assert isinstance(data["mentions"], list)
    assert page.find(".//meta[@property='og:type']").get("content") == "article"


def test_untrusted_text_stays_text_in_json_ld_and_pages(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    hostile = 'date 2024-01-02 Germany </script><script>alert("x")</script> & NATO <b>met</b>.'
    (seeds / "one.txt").write_text(hostile, "utf-8")
    output = build_site(tmp_path, seeds=seeds)
    post = next(output.glob("2024/01/02/*/index.html"))
    page = html(post)
    assert len(page.findall(".//script")) == 1  # only the JSON-LD
    data = json.loads(page.find(".//script").text)
    assert "</script>" in data["description"]
    raw = post.read_text("utf-8")
    assert "<b>met</b>" not in raw and "&lt;b&gt;met&lt;/b&gt;" in raw
    assert page.findtext(".//h1") == data["headline"]


def test_related_posts_share_most_entities_then_nearest_in_date(site):
    page = html(site / POST / "index.html")
    related = [a.get("href") for a in page.findall(".//section[@class='related']//a")]
    # the OSCE report shares Kazakhstan and Türkiye; the NATO one only Türkiye
    assert related == [f"{SITEURL}/{OSCE}", f"{SITEURL}/{NATO}"]


def test_previous_and_next_follow_the_dates(site):
    middle = html(site / OSCE / "index.html")
    assert middle.find(".//nav[@class='prev-next']/a[@rel='prev']").get("href") == (
        f"{SITEURL}/{POST}"
    )
    assert middle.find(".//nav[@class='prev-next']/a[@rel='next']").get("href") == (
        f"{SITEURL}/{NATO}"
    )
    newest = html(site / NATO / "index.html")
    assert newest.find(".//nav[@class='prev-next']/a[@rel='next']") is None


def test_why_tagged_lists_the_mentions_found(site):
    page = html(site / POST / "index.html")
    why = {
        li.find("a").text_content().strip(): li.find(".//details/p").text_content()
        for li in page.findall(".//ul[@class='tag-list']/li")
    }
    assert why["🇰🇿 Kazakhstan"] == "Found 2 times as “Kazakh”, “Kazakhstan”."


def test_entity_page_has_stats_chart_co_occurring_and_subscribe(site):
    page = html(site / "country/turkiye/index.html")
    stats = {div.findtext("dt"): div.find("dd").text_content() for div in page.findall(".//dl/div")}
    assert stats == {
        "Reports": "3",
        "First": "21 May 2024",
        "Latest": "3 June 2024",
        "Code": "TR",
    }
    chart = page.find(".//figure[@class='coverage']/*[@role='img']")
    assert chart.get("aria-label") == (
        "Reports about Türkiye per month, May 2024 to June 2024: 3 in all, most in June 2024 (2)."
    )
    assert [r.findtext("title") for r in chart.findall("rect")] == ["May 2024: 1", "June 2024: 2"]
    seen = [a.text_content().strip() for a in page.findall(".//section//a[@class]")]
    assert seen[:4] == [
        "🇩🇪 Germany 2",
        "🇰🇿 Kazakhstan 2",
        "OSCE Parliamentary Assembly 2",
        "🇺🇦 Ukraine 2",
    ]
    buttons = [a.get("href") for a in page.findall(".//header//p[@class='subscribe']/a")]
    assert buttons == [
        f"{SITEURL}/country/turkiye/{feed}" for feed in ("rss.xml", "atom.xml", "feed.json")
    ]


def test_chart_spans_empty_months_and_keeps_the_last_five_years():
    svg = lxml.html.fragment_fromstring(
        str(monthly_chart(Counter({(2023, 11): 2, (2024, 2): 1}), "X"))
    )
    assert [r.findtext("title") for r in svg.iter("rect")] == [
        "November 2023: 2",
        "December 2023: 0",
        "January 2024: 0",
        "February 2024: 1",
    ]
    long = monthly_chart(Counter({(2010, 1): 1, (2024, 12): 5}), "X")
    assert long.count("<rect") == 60 and "January 2020 to December 2024" in long


def test_home_shows_the_most_covered_of_the_last_30_days(site):
    strip = html(site / "index.html").find(".//section[@class='trending']")
    chips = [a.text_content().strip() for a in strip.findall(".//a")]
    assert chips[0] == "🇹🇷 Türkiye 3"
    assert "OSCE Parliamentary Assembly 2" in chips
    assert html(site / "page/2/index.html").find(".//section[@class='trending']") is None


def test_directories_sort_a_to_z_by_initial_and_by_count(site):
    page = html(site / "countries/index.html")
    letters = [h.text for h in page.findall(".//section[@class='letter']/h2")]
    assert letters == ["G", "K", "T", "U"]
    by_count = html(site / "countries/by-count/index.html")
    names = [a.text_content().split(" ", 1)[1] for a in by_count.findall(".//ol/li/a")]
    assert names[:2] == ["Türkiye", "Germany"] and names[-1] == "United States"
    assert initial("Österreich") == "O" and initial("1st Army") == "#"


def test_archive_by_year_and_month(site):
    archives = html(site / "archives/index.html")
    months = [a.text for a in archives.findall(".//ul[@class='months']/li/a")]
    assert months == ["June 2024", "May 2024"]
    june = html(site / "2024/06/index.html")
    assert [a.get("href") for a in june.findall(".//ul[@class='post-list']//a")] == [
        f"{SITEURL}/{NATO}",
        f"{SITEURL}/{OSCE}",
    ]
    year = html(site / "2024/index.html").text_content()
    assert "May 2024" in year and "June 2024" in year


def test_month_archive_is_paginated(tmp_path):
    paginated = {"index": None, "entity": None, "period_archives": 1}
    output = build_site(tmp_path, PAGINATED_TEMPLATES=paginated)
    first, second = (html(output / p) for p in ("2024/06/index.html", "2024/06/page/2/index.html"))
    assert first.find(".//a[@rel='next']").get("href") == f"{SITEURL}/2024/06/page/2/"
    assert [a.get("href") for a in second.findall(".//ul[@class='post-list']//a")] == [
        f"{SITEURL}/{OSCE}"
    ]
    assert not (output / "2024/06/page/3").exists()
    assert broken_links(output) == []


def test_search_index_holds_titles_dates_and_entities(site):
    index = json.loads((site / "search.json").read_text("utf-8"))
    titles = {post[0]: post for post in index["posts"]}
    assert len(titles) == 3
    kazakh = next(p for t, p in titles.items() if t.startswith("Kazakh"))
    assert kazakh[1:3] == ["2024-05-21", POST]
    names = {index["entities"][i][1] for i in kazakh[3]}
    assert {"Kazakhstan", "Türkiye", "Numan Kurtulmuş"} <= names


def test_sitemap_robots_and_404(site):
    locs = [loc.text for loc in lxml.etree.parse(site / "sitemap.xml").getroot().iter("{*}loc")]
    assert f"{SITEURL}/{POST}" in locs and f"{SITEURL}/country/turkiye/" in locs
    assert len(locs) == len(set(locs))
    robots = (site / "robots.txt").read_text()
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots
    assert html(site / "404.html").findtext(".//h1") == "Page not found"


@pytest.mark.parametrize("page", ["index.html", f"{POST}index.html", "countries/index.html"])
def test_page_weight_before_the_text_is_small(site, page):
    """CSS under 30 KB; HTML and CSS of a page, less the post text, under 50 KB."""
    css = (site / "theme/css/bulletin.css").read_bytes()
    assert len(css) < 30_000
    assert not re.search(rb"@font-face|@import|url\(", css)
    raw = (site / page).read_bytes()
    text = html(site / page).find(".//div[@class='text']")
    text_size = len(lxml.html.tostring(text, encoding="utf-8")) if text is not None else 0
    assert len(raw) - text_size + len(css) < 50_000

"""The theme's pages and files, read back from a real build: links, machine-readable
data, entity statistics, related posts, archives, search index and page weights."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html
import pytest

from bulletin.pages.chart import monthly_chart
from bulletin.posts.extras import initial
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


def broken_links(site: Path, external: bool = False) -> list[str]:
    """Every href/src of every HTML page (and every sitemap entry) that points
    into the site at a missing file or a missing #fragment. Links out of the site
    fail the check unless `external` (other themes link to their makers)."""
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
                if target is None and external:
                    continue
                assert target is not None, f"{page}: link out of the site: {link}"
            fragment = urlsplit(url).fragment
            if not target.exists() or (fragment and fragment not in ids_of(target)):
                broken.append(f"{page.relative_to(site)}: {element.tag}@{attribute} {link}")
    for sitemap in sorted(site.glob("sitemap*.xml")):
        for loc in lxml.etree.parse(sitemap).getroot().iter("{*}loc"):
            if not local_file(site, loc.text).exists():
                broken.append(f"{sitemap.name}: {loc.text}")
    return broken


def _post_pages(site: Path):
    return [html(path) for path in sorted(site.glob("20*/*/*/*/index.html"))]


def entry_name(link) -> str:
    """The text of an entity link without its flag."""
    flag = link.find("span[@class='flag']")
    return link.text_content().replace(flag.text if flag is not None else "", "", 1).strip()


def posts_and_tags(site: Path) -> dict:
    """Every post's URL → (date, {entity URL: name}), read from its page's chips."""
    posts = {}
    for path in site.glob("20*/*/*/*/index.html"):
        page = html(path)
        date = datetime.fromisoformat(page.find(".//article//time").get("datetime"))
        chips = page.findall(".//aside[@class='tags']//li/a")
        url = f"{SITEURL}/{path.parent.relative_to(site)}/"
        posts[url] = (date, {a.get("href"): entry_name(a) for a in chips})
    return posts


def test_no_broken_internal_link_anywhere(site):
    assert len(list(site.rglob("*.html"))) > 30
    assert broken_links(site) == []


def test_relative_urls_hold_in_cards_and_footers_rendered_once(tmp_path):
    """Cards, head links and footers are rendered once per SITEURL: with relative URLs
    each page depth gets its own, so every link still leads to its page."""
    output = build_site(tmp_path, RELATIVE_URLS=True, DEFAULT_PAGINATION=1)
    assert broken_links(output) == []
    footers = {
        path.parent.relative_to(output).as_posix(): html(path).find(".//footer//a").get("href")
        for path in (output / "index.html", output / "country/kazakhstan/index.html")
    }
    assert footers == {".": "./rss.xml", "country/kazakhstan": "../../rss.xml"}
    for path in (output / "page/1/index.html", output / "country/kazakhstan/page/1/index.html"):
        card = html(path).find(".//article[@class='summary']//h2/a").get("href")
        assert (path.parent / card / "index.html").resolve().is_file(), (path, card)


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


def test_posts_carry_news_article_json_ld_with_about_and_mentions(site):
    types = {"country": "Country", "organisation": "Organization", "person": "Person"}
    for url, (date, tags) in posts_and_tags(site).items():
        page = html(local_file(site, url))
        data = json.loads(page.find(".//script[@type='application/ld+json']").text)
        assert data["@type"] == "NewsArticle"
        assert data["url"] == data["mainEntityOfPage"] == url
        assert data["headline"] == page.findtext(".//h1")
        assert datetime.fromisoformat(data["datePublished"]) == date
        about = [(t["@type"], t["name"], t["url"]) for t in data["about"]]
        assert about == [(types[u.split("/")[3]], name, u) for u, name in tags.items()]
        also = page.find(".//section[@class='mentioned']")
        names = (
            [li.text_content().rsplit(" (", 1)[0] for li in also.iter("li")]
            if also is not None
            else []
        )
        assert [t["name"] for t in data["mentions"]] == names
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
    posts = posts_and_tags(site)
    for url, (date, tags) in posts.items():
        shared = {
            other: len(tags.keys() & other_tags.keys())
            for other, (_, other_tags) in posts.items()
            if other != url and tags.keys() & other_tags.keys()
        }
        expected = sorted(
            shared,
            key=lambda o: (-shared[o], abs(posts[o][0] - date), -posts[o][0].timestamp(), o),
        )
        page = html(local_file(site, url))
        related = [a.get("href") for a in page.findall(".//section[@class='related']//a")]
        assert related == expected[:5]
    assert any(page.find(".//section[@class='related']") is not None for page in _post_pages(site))


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


def test_why_tagged_shows_the_words_found_in_the_text(site):
    checked = 0
    for page in _post_pages(site):
        text = page.find(".//div[@class='text']").text_content()
        for li in page.findall(".//ul[@class='tag-list']/li"):
            why = li.find(".//details/p").text_content()
            found = re.fullmatch(r"Found (\d+) times? as (“[^”]+”(?:, “[^”]+”)*)\.", why)
            assert found, why
            mentions = re.findall(r"“([^”]+)”", found.group(2))
            assert all(m in text for m in mentions), (why, text)
            assert int(found.group(1)) >= len(mentions)
            checked += 1
    assert checked > 10


def test_entity_page_has_stats_chart_co_occurring_and_subscribe(site):
    posts = posts_and_tags(site)
    entity = f"{SITEURL}/country/turkiye/"
    name = "Türkiye"
    dates = sorted(date for date, tags in posts.values() if entity in tags)
    page = html(local_file(site, entity))
    stats = {div.findtext("dt"): div.find("dd").text_content() for div in page.findall(".//dl/div")}
    assert stats == {
        "Reports": str(len(dates)),
        "First": f"{dates[0]:%-d %B %Y}",
        "Latest": f"{dates[-1]:%-d %B %Y}",
        "Code": "TR",
    }
    months = Counter(f"{d:%B %Y}" for d in dates)
    chart = page.find(".//figure[@class='coverage']/*[@role='img']")
    peak = max(months, key=lambda m: (months[m], datetime.strptime(m, "%B %Y")))
    assert chart.get("aria-label") == (
        f"Reports about {name} per month, {dates[0]:%B %Y} to {dates[-1]:%B %Y}:"
        f" {len(dates)} in all, most in {peak} ({months[peak]})."
    )
    assert [r.findtext("title") for r in chart.findall("rect")] == [
        f"{m}: {n}"
        for m, n in sorted(months.items(), key=lambda i: datetime.strptime(i[0], "%B %Y"))
    ]
    together, names = Counter(), {}
    for _, tags in posts.values():
        if entity in tags:
            together.update(url for url in tags if url != entity)
            names.update(tags)
    # at least two shared reports, strongest tie (Jaccard index of their reports) first
    total = Counter(url for _, tags in posts.values() for url in tags)

    def jaccard(url):
        return together[url] / (total[entity] + total[url] - together[url])

    strong = [url for url in together if together[url] >= 2]
    expected = sorted(strong, key=lambda u: (-jaccard(u), -together[u], names[u].casefold(), u))
    expected = expected[:8]
    assert expected
    seen = page.find(".//section[@aria-labelledby='seen-h']")
    assert [(a.get("href"), a.findtext("span[@class='n']")) for a in seen.iter("a")] == [
        (url, str(together[url])) for url in expected
    ]
    buttons = [a.get("href") for a in page.findall(".//header//p[@class='subscribe']/a")]
    assert buttons == [
        f"{SITEURL}/country/turkiye/{feed}" for feed in ("rss.xml", "atom.xml", "feed.json")
    ]


def test_bundle_page_has_members_chart_and_entities_seen_with_it(site):
    page = html(site / "bundle/central-asia/index.html")
    members = [a.get("href") for a in page.findall(".//ul[@aria-labelledby='members-h']/li/a")]
    assert f"{SITEURL}/country/kazakhstan/" in members
    chart = page.find(".//figure[@class='coverage']/*[@role='img']")
    assert chart.get("aria-label").startswith("Reports about Central Asia per month")
    seen = page.find(".//section[@aria-labelledby='seen-h']")
    assert not {a.get("href") for a in seen.iter("a")} & set(members)


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
    posts = posts_and_tags(site)
    since = max(date for date, _ in posts.values()) - timedelta(days=30)
    counts, names = Counter(), {}
    for date, tags in posts.values():
        names.update(tags)
        counts.update(url for url in tags if date > since)
    strip = html(site / "index.html").find(".//section[@class='trending']")
    for prefix, heading in (("country/", "Countries"), ("organisation/", "Organisations")):
        urls = [u for u in counts if u.startswith(f"{SITEURL}/{prefix}")]
        expected = sorted(urls, key=lambda u: (-counts[u], names[u].casefold(), u))[:8]
        chips = strip.xpath(f".//h3[.='{heading}']/following-sibling::ul[1]//a")
        assert [(a.get("href"), a.findtext("span[@class='n']")) for a in chips] == [
            (u, str(counts[u])) for u in expected
        ]
        assert expected
    assert html(site / "page/2/index.html").find(".//section[@class='trending']") is None


def test_directories_sort_a_to_z_by_initial_and_by_count(site):
    page = html(site / "countries/index.html")
    sections = page.findall(".//section[@class='letter']")
    names = [entry_name(a) for section in sections for a in section.iterfind(".//li/a")]
    assert names == sorted(names, key=lambda n: (initial(n), n.casefold()))
    assert [s.findtext("h2") for s in sections] == sorted({initial(n) for n in names})
    by_count = html(site / "countries/by-count/index.html")
    entries = [
        (-int(li.findtext("span[@class='count']").strip("()")), entry_name(li.find("a")).casefold())
        for li in by_count.findall(".//ol/li")
    ]
    assert entries == sorted(entries) and len(entries) == len(names)
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
    front, first = (html(output / p) for p in ("2024/06/index.html", "2024/06/page/1/index.html"))
    assert front.find(".//a[@rel='next']").get("href") == f"{SITEURL}/2024/06/page/1/"
    assert [a.get("href") for a in first.findall(".//ul[@class='post-list']//a")] == [
        f"{SITEURL}/{OSCE}"
    ]
    assert not (output / "2024/06/page/2").exists()
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
    index = lxml.etree.parse(site / "sitemap.xml").getroot()
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    parts = [loc.text for loc in index.iter("{*}loc")]
    assert f"{SITEURL}/sitemap-site.xml" in parts and f"{SITEURL}/sitemap-2024.xml" in parts
    locs = []
    for part in parts:
        locs += [loc.text for loc in lxml.etree.parse(local_file(site, part)).iter("{*}loc")]
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

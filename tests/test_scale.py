"""Archive-scale rules that need no build: the sitemaps split by year, page keys."""

from __future__ import annotations

from datetime import datetime

import lxml.etree

from bulletin.pages import sitefiles
from bulletin.pages.pagekeys import page_key
from bulletin.pages.sitefiles import sitemaps
from bulletin.posts.entities import EntityPage

SITEURL = "https://bulletin.test"
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _entries(posts: dict[str, int]):
    """Site pages, then posts of each year (year → how many)."""
    yield "sitemap-site.xml", "", datetime(2025, 3, 1)
    yield "sitemap-site.xml", "archives/", None
    for year, count in posts.items():
        for n in range(count):
            yield f"sitemap-{year}.xml", f"{year}/01/01/post-{n}/", datetime(year, 1, 1)


def test_sitemap_index_lists_one_sitemap_per_year_with_its_newest_date():
    files = dict(sitemaps(_entries({2024: 2, 2025: 1}), SITEURL))
    assert list(files) == [
        "sitemap.xml",
        "sitemap-site.xml",
        "sitemap-2024.xml",
        "sitemap-2025.xml",
    ]
    index = lxml.etree.fromstring(files["sitemap.xml"].encode())
    assert index.tag == f"{NS}sitemapindex"
    listed = [(s.findtext(f"{NS}loc"), s.findtext(f"{NS}lastmod")) for s in index]
    assert listed == [
        (f"{SITEURL}/sitemap-site.xml", "2025-03-01"),
        (f"{SITEURL}/sitemap-2024.xml", "2024-01-01"),
        (f"{SITEURL}/sitemap-2025.xml", "2025-01-01"),
    ]
    year = lxml.etree.fromstring(files["sitemap-2024.xml"].encode())
    assert [u.findtext(f"{NS}loc") for u in year] == [
        f"{SITEURL}/2024/01/01/post-0/",
        f"{SITEURL}/2024/01/01/post-1/",
    ]


def test_a_new_post_changes_only_its_years_sitemap():
    before = dict(sitemaps(_entries({2023: 3, 2024: 2}), SITEURL))
    after = dict(sitemaps(_entries({2023: 3, 2024: 3}), SITEURL))
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {"sitemap-2024.xml"}


def test_a_sitemap_over_the_limit_is_split_into_parts(monkeypatch):
    monkeypatch.setattr(sitefiles, "SITEMAP_LIMIT", 2)
    files = dict(sitemaps(_entries({2024: 5}), SITEURL))
    assert list(files) == [
        "sitemap.xml",
        "sitemap-site.xml",
        "sitemap-2024.xml",
        "sitemap-2024-2.xml",
        "sitemap-2024-3.xml",
    ]
    locs = [
        u.findtext(f"{NS}loc")
        for name in ("sitemap-2024.xml", "sitemap-2024-2.xml", "sitemap-2024-3.xml")
        for u in lxml.etree.fromstring(files[name].encode())
    ]
    assert locs == [f"{SITEURL}/2024/01/01/post-{n}/" for n in range(5)]


def test_directories_and_years_have_keys_that_follow_what_they_show():
    """A directory shows names and counts, a year its months' counts: keyed on
    these (pagekeys.py), so a rebuild that changes neither skips them."""
    kz = EntityPage("countries", "kazakhstan", "country/kazakhstan/", name="Kazakhstan")
    kz.articles = [object(), object()]

    def directory():
        return page_key(
            "entities.html", {"url": "countries/", "kind": "countries", "entities": [kz]}
        )

    key = directory()
    assert key is not None and directory() == key
    kz.articles.append(object())
    assert directory() != key
    june = {"url": "2024/06/", "title": "June 2024", "articles": [1, 2]}
    year = {"title": "2024", "url": "2024/", "months": [june], "count": 2}
    key = page_key("period_archives.html", {"url": "2024/", "period": year})
    june["articles"].append(3)
    assert key is not None
    assert page_key("period_archives.html", {"url": "2024/", "period": year}) != key

"""The theme's extra pages and files: the home page (listing.py), archives by
year and month, directories by post count, search page and index, 404 page, sitemaps and robots.txt."""

from __future__ import annotations

import json
from itertools import groupby
from pathlib import Path
from xml.sax.saxutils import escape

from pelican.generators import Generator

from ..collector import lasting
from ..posts.extras import annotate
from ..publish.parallel import owns
from ..publish.publish import put
from ..settings import save_as
from .chart import month_name
from .listing import page_size, write_listing
from .themes import BULLETIN_MARK, ThemeTemplates, theme_defines

SEARCH_URL = "search/"
SEARCH_INDEX = "search.json"
YEAR_URL = "{year:04d}/"
MONTH_URL = "{year:04d}/{month:02d}/"
BY_COUNT_URL = "by-count/"
MONTH_PAGE_SIZE = 100  # posts listed on each page of a month's archive
SITEMAP = "sitemap.xml"  # the sitemap index: it lists the sitemaps below
SITE_SITEMAP = "sitemap-site.xml"  # every page but the posts
YEAR_SITEMAP = "sitemap-{year:04d}.xml"  # the posts of a year
SITEMAP_LIMIT = 50_000  # URLs in one sitemap file (sitemaps.org's limit)


class SiteFilesGenerator(ThemeTemplates, Generator):
    """Runs after the entities generator: annotates articles and entity pages
    for the theme, then writes the site-wide extra pages and files."""

    def generate_context(self):
        articles = self.context["articles"]
        with lasting():  # collector.py
            self.context.update(annotate(articles, self.context["entity_pages"], self.settings))
        self.years = archive_periods(articles)
        self.context["archive_years"] = self.years
        self.context["search_url"] = SEARCH_URL
        self.context["by_count_url"] = BY_COUNT_URL
        self.settings["PAGINATED_TEMPLATES"].setdefault("period_archives", MONTH_PAGE_SIZE)
        # A theme written for Bulletin gets the home page as a listing (listing.py),
        # written here instead of by Pelican's `index` direct template; other themes
        # keep Pelican's (and its pagination, newest first).
        self.home = theme_defines(self.settings, BULLETIN_MARK)
        if self.home:
            templates = self.settings["DIRECT_TEMPLATES"]
            self.settings["DIRECT_TEMPLATES"] = [t for t in templates if t != "index"]

    def generate_output(self, writer):
        def write(name, template, **kwargs):
            writer.write_file(
                name,
                self.get_template(template),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                template_name=template,
                **kwargs,
            )

        if self.home:
            write_listing(
                writer,
                self.get_template("index"),
                self.context,
                "",
                self.context["articles"],
                page_size(self.settings, "index"),
                relative_urls=self.settings["RELATIVE_URLS"],
                trending=self.context.get("trending"),
            )
        months = self.get_template("period_archives")
        for year in self.years:
            write(save_as(year["url"]), "period_archives", url=year["url"], period=year)
            for month in year["months"]:
                write_listing(
                    writer,
                    months,
                    self.context,
                    month["url"],
                    month["articles"],
                    page_size(self.settings, "period_archives"),
                    relative_urls=self.settings["RELATIVE_URLS"],
                    period=month,
                )
        for kind, pages in self.context["entity_pages"].items():
            url = self.settings["ENTITY_INDEX_URLS"][kind] + BY_COUNT_URL
            ranked = sorted(pages, key=lambda p: -p.count)  # stable: A–Z within a count
            write(save_as(url), "entities", url=url, kind=kind, entities=ranked, by_count=True)
        write(save_as(SEARCH_URL), "search", url=SEARCH_URL)
        write("404.html", "404", url="404.html")
        out, siteurl = Path(self.output_path), self.settings["SITEURL"]
        if owns(SEARCH_INDEX):  # else another process writes it (parallel.py)
            _write(out / SEARCH_INDEX, search_index(self.context["articles"], self.context))
        if owns(SITEMAP):
            for name, text in sitemaps(self.sitemap_urls(), siteurl):
                _write(out / name, text)
        if owns("robots.txt"):
            _write(
                out / "robots.txt", f"User-agent: *\nDisallow:\n\nSitemap: {siteurl}/sitemap.xml\n"
            )

    def sitemap_urls(self):
        """(sitemap, URL, last modified date or None) of every page worth indexing:
        posts in their year's sitemap, the other pages in the site's."""
        ctx, settings = self.context, self.settings
        yield SITE_SITEMAP, "", ctx["articles"][0].date if ctx["articles"] else None
        yield SITE_SITEMAP, settings["ARCHIVES_URL"], None
        yield SITE_SITEMAP, SEARCH_URL, None
        for page in ctx["pages"]:
            yield SITE_SITEMAP, page.url, None
        for year in self.years:
            yield SITE_SITEMAP, year["url"], None
            for month in year["months"]:
                yield SITE_SITEMAP, month["url"], None
        for kind, pages in ctx["entity_pages"].items():
            yield SITE_SITEMAP, settings["ENTITY_INDEX_URLS"][kind], None
            for page in pages:
                yield SITE_SITEMAP, page.url, page.articles[0].date
        for article in ctx["articles"]:
            yield YEAR_SITEMAP.format(year=article.date.year), article.url, article.date


def archive_periods(articles: list) -> list[dict]:
    """Years, newest first, each with its months and their posts (newest first)."""
    years = []
    for year, in_year in groupby(articles, key=lambda a: a.date.year):
        months = []
        for month, in_month in groupby(in_year, key=lambda a: a.date.month):
            posts = list(in_month)
            months.append(
                {
                    "title": month_name(year, month),
                    "url": MONTH_URL.format(year=year, month=month),
                    "articles": posts,
                    "year": year,
                    "year_url": YEAR_URL.format(year=year),
                }
            )
        years.append(
            {
                "title": str(year),
                "url": YEAR_URL.format(year=year),
                "months": months,
                "count": sum(len(m["articles"]) for m in months),
            }
        )
    return years


def search_index(articles: list, context: dict) -> str:
    """Compact JSON for the search page: entities once, posts pointing at them.

    {"entities": [[kind, name, url, count]], "posts": [[title, date, url, [entity]]]}"""
    entities, number = [], {}
    for kind, pages in context["entity_pages"].items():
        for page in pages:
            number[id(page)] = len(entities)
            entities.append([kind, page.name, page.url, page.count])
    posts = [
        [
            article.title,
            article.date.date().isoformat(),
            article.url,
            [number[id(page)] for page in article.view.pages()],
        ]
        for article in articles
    ]
    data = {"entities": entities, "posts": posts}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def sitemaps(entries, siteurl: str) -> list[tuple[str, str]]:
    """(file name, XML) of each sitemap and of their index, sitemap.xml.

    entries are (sitemap, URL, last modified date or None); a sitemap of more
    than SITEMAP_LIMIT URLs is split into parts, name-2.xml, name-3.xml, …
    A new post changes its year's sitemap, the site's and the index only."""
    grouped: dict[str, list] = {}
    for name, url, modified in entries:
        grouped.setdefault(name, []).append((url, modified))
    files = []
    for name in sorted(grouped, key=lambda n: (n != SITE_SITEMAP, n)):
        urls = grouped[name]
        for start in range(0, len(urls), SITEMAP_LIMIT):
            part = urls[start : start + SITEMAP_LIMIT]
            number = start // SITEMAP_LIMIT + 1
            file = name if number == 1 else name.replace(".xml", f"-{number}.xml")
            files.append((file, sitemap(part, siteurl), max_date(part)))
    index = ['<?xml version="1.0" encoding="UTF-8"?>']
    index.append('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    for file, _, modified in files:
        lastmod = f"<lastmod>{modified.date().isoformat()}</lastmod>" if modified else ""
        index.append(f"<sitemap><loc>{escape(f'{siteurl}/{file}')}</loc>{lastmod}</sitemap>")
    index.append("</sitemapindex>")
    return [(SITEMAP, "\n".join(index) + "\n")] + [(file, text) for file, text, _ in files]


def max_date(urls):
    dates = [modified for _, modified in urls if modified]
    return max(dates) if dates else None


def sitemap(urls, siteurl: str) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    for url, modified in urls:
        lastmod = f"<lastmod>{modified.date().isoformat()}</lastmod>" if modified else ""
        lines.append(f"<url><loc>{escape(f'{siteurl}/{url}')}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    put(path, text.encode("utf-8"))

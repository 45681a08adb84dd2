"""Other themes render the bulletin: Pelican's built-in notmyidea and simple, and
pelican-theme-reflex (a pinned test dependency), each building the real seed with
the `pelican` command beside a build with our theme.

Posts are ordinary Pelican articles (category, entity tags, author, summary); the
plugin's own page types fall back to its templates (plugins/bulletin/templates/)
inside each theme's base.html; feeds, OPML, sitemap and search index are the
same bytes whatever the theme. Screenshots of each theme's post and entity page
go to test-artifacts/themes/.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from playwright.sync_api import sync_playwright
from test_site import broken_links
from test_theme_browser import CHROMIUM_ARGS

from bulletin.pages.themes import FALLBACKS, template_name
from bulletin.posts.articlefields import ArticleFields, EntityTag, name_tags
from bulletin.seeds.seeds import read_seed
from bulletin.settings import DEFAULTS
from bulletin.tagging import Entity, Tag, Tags, tag_text
from conftest import FIXTURES, ROOT, SITEURL

REAL_SEEDS = ROOT / "seeds"
# Settings a site using the theme sets: reflex 4.0.1 reads CC_LICENSE['icon'] unguarded.
THEMES = {"notmyidea": {}, "simple": {}, "reflex": {"CC_LICENSE": "{}"}}
SAME_BYTES = ("**/rss.xml", "**/atom.xml", "**/feed.json", "feeds/*.opml", "sitemap*.xml")
SAME_BYTES += ("search.json", "robots.txt")
ARTIFACTS = ROOT / "test-artifacts" / "themes"


def pelican(output: Path, cache: Path, seeds: Path = REAL_SEEDS, **settings: str):
    """Build with the `pelican` command, as a site does; settings as -e values."""
    extra = {"SEEDS_PATH": f'"{seeds}"', "SITEURL": f'"{SITEURL}"', "CACHE_PATH": f'"{cache}"'}
    extra["URL_MEMORY"] = f'"{cache}/urls.tsv"'  # not the repository's
    extra |= settings
    command = [Path(sys.executable).with_name("pelican"), "-s", "pelican.conf.py"]
    command += ["-o", str(output), "-e", *(f"{k}={v}" for k, v in extra.items())]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    """The real seed built with our theme ("bulletin") and with each other theme."""
    root = tmp_path_factory.mktemp("themes")
    outputs = {}
    for theme, settings in {"bulletin": {}, **THEMES}.items():
        if theme != "bulletin":
            settings = {"THEME": f'"{theme}"', **settings}
        done = pelican(root / theme, root / "cache", **settings)
        assert done.returncode == 0, f"{theme}: {done.stderr[-3000:]}"
        outputs[theme] = root / theme
    return outputs


@pytest.fixture(scope="module")
def seed():
    (path,) = sorted(REAL_SEEDS.glob("*.txt"))
    return read_seed(path)


def html(path: Path):
    """A page parsed as UTF-8 (simple's <meta charset> comes after its <title>)."""
    return lxml.html.fromstring(path.read_text(encoding="utf-8"))


def text(element) -> str:
    return " ".join(element.text_content().split())


def post_file(output: Path) -> Path:
    (path,) = output.glob("20*/*/*/*/index.html")
    return path


def post_url(output: Path) -> str:
    return f"{SITEURL}/{post_file(output).parent.relative_to(output).as_posix()}/"


def links(page) -> set[str]:
    return {a.get("href") for a in page.iter("a")}


def entity_urls(seed) -> dict[str, str]:
    """URL → name of each country and organisation the real seed is tagged with."""
    tags = tag_text(seed.text)
    return {
        f"{SITEURL}/{DEFAULTS['ENTITY_URLS'][kind].format(slug=tag.entity.slug)}": tag.entity.name
        for kind in ("countries", "organisations")
        for tag in getattr(tags, kind)
    }


@pytest.mark.parametrize("theme", THEMES)
def test_a_theme_builds_with_no_broken_internal_link(builds, theme):
    output = builds[theme]
    assert len(list(output.rglob("*.html"))) > 20
    assert broken_links(output, external=True) == []


@pytest.mark.parametrize("theme", THEMES)
def test_the_post_page_shows_title_date_and_text(builds, theme, seed):
    page = html(post_file(builds[theme]))
    headings = [text(h) for h in page.iter("h1", "h2")]
    assert seed.title in headings
    assert "20 May 2024" in text(page)
    paragraphs = {text(p) for p in page.iter("p")}
    for paragraph in seed.paragraphs:
        assert " ".join(paragraph.split()) in paragraphs


@pytest.mark.parametrize("theme", THEMES)
def test_each_country_and_organisation_has_a_page_listing_the_post(builds, theme, seed):
    output = builds[theme]
    post = post_url(output)
    expected = entity_urls(seed)
    assert len(expected) >= 5 and f"{SITEURL}/country/kazakhstan/" in expected
    tag_links = links(html(post_file(output)))
    for url, name in expected.items():
        path = output / unquote(urlsplit(url).path).lstrip("/") / "index.html"
        page = html(path)
        assert post in links(page), (theme, url)
        assert name in text(page), (theme, url)
        assert url in tag_links, f"{theme}: the post's tags do not link to {url}"


@pytest.mark.parametrize("theme", THEMES)
def test_feeds_opml_sitemap_and_search_index_do_not_depend_on_the_theme(builds, theme):
    ours, theirs = builds["bulletin"], builds[theme]
    files = sorted({p.relative_to(ours) for pattern in SAME_BYTES for p in ours.glob(pattern)})
    assert len(files) > 30 and Path("country/kazakhstan/rss.xml") in files
    for name in files:
        assert (theirs / name).read_bytes() == (ours / name).read_bytes(), (theme, name)
    theirs_files = {p.relative_to(theirs) for pattern in SAME_BYTES for p in theirs.glob(pattern)}
    assert theirs_files == set(files)


def test_a_generic_theme_shows_category_author_and_tags_that_lead_somewhere(builds):
    """notmyidea prints the category, the author and every tag, with links."""
    output = builds["notmyidea"]
    page = html(post_file(output))
    info = page.find(".//footer[@class='post-info']")
    (category,) = info.xpath(".//p[starts-with(normalize-space(), 'In')]/a")
    assert (category.text, category.get("href")) == ("News", f"{SITEURL}/")
    # the agency the text credits; named in passing, it has no page: the home page
    author = info.find(".//address//a")
    assert (author.text, author.get("href")) == ("Kazinform", f"{SITEURL}/")
    tag_list = info.xpath(".//p[starts-with(normalize-space(), 'tags:')]/a")
    tags = {a.get("href"): text(a) for a in tag_list}
    assert tags[f"{SITEURL}/country/kazakhstan/"] == "Kazakhstan"
    assert tags[f"{SITEURL}/person/maulen-ashimbayev/"] == "Maulen Ashimbayev"


def test_the_summary_is_the_lead_and_the_menu_reaches_the_plugins_pages(builds, seed):
    home = html(builds["reflex"] / "index.html")
    assert seed.summary in {text(div) for div in home.iter("div")}
    menu = links(html(builds["notmyidea"] / "index.html").find(".//nav"))
    for url in ("countries/", "organisations/", "people/", "archives/", "feeds/"):
        assert f"{SITEURL}/{url}" in menu


def test_the_category_is_the_sites_default_category(tmp_path):
    output = tmp_path / "output"
    done = pelican(output, tmp_path / "cache", THEME='"simple"', DEFAULT_CATEGORY='"Wire"')
    assert done.returncode == 0, done.stderr[-3000:]
    page = html(post_file(output))
    assert {a.get("href") for a in page.iter("a") if text(a) == "Wire"} == {f"{SITEURL}/"}


def test_without_an_agency_the_author_is_the_author_setting(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("date 2024-05-20 The Senate of Kazakhstan met in Astana.\n")
    output = tmp_path / "output"
    done = pelican(output, tmp_path / "cache", seeds, THEME='"notmyidea"', AUTHOR='"Desk"')
    assert done.returncode == 0, done.stderr[-3000:]
    author = html(post_file(output)).xpath("//address//a")[0]
    assert (author.text, author.get("href")) == ("Desk", f"{SITEURL}/")


def test_entities_of_two_kinds_with_one_name_are_two_tags():
    settings = {**DEFAULTS, "DEFAULT_CATEGORY": "News", "SITENAME": "Bulletin"}
    country = Tag(Entity("countries", "Georgia", "georgia", "GE"), ("Georgia",), 2)
    person = Tag(Entity("people", "Georgia", "georgia"), ("Georgia",), 1)
    fields = ArticleFields(settings)
    tags = fields.metadata(Tags(countries=(country,), people=(person,)), "Lead.")["tags"]
    assert [(t.name, t.url, t.slug) for t in tags] == [
        ("Georgia", "country/georgia/", "country-georgia"),
        ("Georgia", "person/georgia/", "person-georgia"),
    ]
    grouped = defaultdict(list)  # as Pelican collects the posts of each tag
    for tag in tags:
        grouped[tag].append("post")
    assert len(grouped) == 2 and all(isinstance(t, EntityTag) for t in grouped)


def test_a_theme_that_defines_a_page_type_renders_it(tmp_path):
    theme = tmp_path / "house"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "search.html").write_text("{% extends 'base.html' %}")
    settings = {
        "THEME": str(theme),
        "THEME_TEMPLATES_OVERRIDES": [],
        "TEMPLATE_EXTENSIONS": [".html"],
    }
    assert template_name(settings, "search") == "search"
    assert template_name(settings, "entity") == FALLBACKS + "entity"
    # Pelican's own period_archives takes other variables: only a Bulletin theme's is used.
    (theme / "templates" / "period_archives.html").write_text("")
    assert template_name(settings, "period_archives") == FALLBACKS + "period_archives"
    (theme / "templates" / "entity.html").write_text("")
    assert template_name(settings, "period_archives") == "period_archives"
    ours = {**settings, "THEME": str(ROOT / "theme")}
    for name in ("entity", "entities", "feeds", "search", "404", "period_archives"):
        assert template_name(ours, name) == name


def test_screenshots_of_each_themes_post_and_entity_page(builds):
    """Each theme's post and entity page in headless Chromium, served from the build
    (requests off the site are refused), saved for a look."""
    chromium = shutil.which("chromium")
    assert chromium, "Chromium is missing: `make test` installs Debian's chromium"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        for theme in ("bulletin", *THEMES):
            output = builds[theme]
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route("**/*", lambda route, _request, output=output: _serve(route, output))
            for name, url in (
                ("post", post_url(output)),
                ("entity", f"{SITEURL}/country/kazakhstan/"),
            ):
                page = context.new_page()
                page.goto(url, wait_until="load")
                assert page.locator("h1:visible").count(), (theme, name)
                page.screenshot(path=str(ARTIFACTS / f"{theme}-{name}.png"), full_page=True)
                page.close()
            context.close()
        browser.close()
    assert len(list(ARTIFACTS.glob("*.png"))) >= 8


def _serve(route, output: Path) -> None:
    """A request to the site answered from the build; any other refused."""
    url = route.request.url
    if not url.startswith(SITEURL + "/"):
        route.abort()
        return
    path = output / unquote(urlsplit(url).path).lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    if path.is_file():
        route.fulfill(path=str(path))
    else:
        route.fulfill(status=404, body="")


def test_another_themes_pages_are_all_rendered_again_on_a_rebuild(tmp_path):
    """Page keys digest what our theme shows; a theme showing anything else (here
    the number of posts, on each post page) gets every page rendered again."""
    theme = tmp_path / "house" / "templates"
    theme.mkdir(parents=True)
    (theme / "base.html").write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>{% block title %}{% endblock %}"
        "</title></head><body>{% block content %}{% endblock %}</body></html>\n"
    )
    (theme / "article.html").write_text(
        "{% extends 'base.html' %}{% block content %}<h1>{{ article.title }}</h1>"
        "<p class='of'>one of {{ articles|length }}</p>{% endblock %}\n"
    )
    seeds, output, cache = tmp_path / "seeds", tmp_path / "output", tmp_path / "cache"
    seeds.mkdir()
    (seeds / "a.txt").write_text("date 2024-05-20 The Senate of Kazakhstan met in Astana.\n")
    (seeds / "b.txt").write_text("date 2024-05-21 The Mazhilis of Kazakhstan met in Astana.\n")
    house = f'"{theme.parent}"'
    assert pelican(output, cache, seeds, THEME=house).returncode == 0
    # a new post that is neither a neighbour of the first nor related to it
    (seeds / "c.txt").write_text("date 2024-05-25 The weather was fine all week.\n")
    done = pelican(output, cache, seeds, THEME=house)
    assert done.returncode == 0, done.stderr[-3000:]
    pages = sorted(output.glob("20*/*/*/*/index.html"))
    assert [html(p).findtext(".//p[@class='of']") for p in pages] == ["one of 3"] * 3


@pytest.mark.parametrize("theme", ["notmyidea", "reflex"])
def test_paginated_listings_bundles_and_archives_link_right_in_another_theme(tmp_path, theme):
    """The fixture seeds, one post a page: the fallback listings' pages, a bundle and
    the month archives, inside the theme, with no broken link."""
    output = tmp_path / "output"
    settings = {"THEME": f'"{theme}"', **THEMES[theme], "DEFAULT_PAGINATION": "1"}
    done = pelican(output, tmp_path / "cache", FIXTURES / "seeds", **settings)
    assert done.returncode == 0, done.stderr[-3000:]
    assert broken_links(output, external=True) == []
    bundle = html(output / "bundle/central-asia/index.html")
    assert "Kazakhstan" in text(bundle) and "Follow Central Asia" in text(bundle)
    pages = sorted(output.glob("country/kazakhstan/page/*/index.html"))
    assert pages, "Kazakhstan's posts span several pages"
    month = html(output / "2024/06/index.html")
    assert {a.get("href") for a in month.iter("a")} >= {
        f"{SITEURL}/2024/06/01/the-osce-pa-opened-its-annual-session-in-bucharest/",
        f"{SITEURL}/2024/06/03/foreign-ministers-of-nato-met-in-brussels-on-monday/",
    }


@pytest.mark.parametrize("theme", THEMES)
def test_untrusted_text_stays_text_in_another_theme(tmp_path, theme):
    """Seed text is escaped in every page another theme renders: titles, summaries,
    text and the names of tags and the author."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    hostile = '<script>alert("x")</script> <img src=x onerror=alert(1)>'
    (seeds / "a.txt").write_text(
        f"date 2024-05-20 {hostile} The Senate of Kazakhstan met in Astana.\n\n{hostile}\n"
    )
    output = tmp_path / "output"
    settings = {"THEME": f'"{theme}"', **THEMES[theme]}
    done = pelican(output, tmp_path / "cache", seeds, **settings)
    assert done.returncode == 0, done.stderr[-3000:]
    for path in output.rglob("*.html"):
        page = html(path)
        assert not page.xpath("//img[@onerror]"), path
        assert all("alert" not in (s.text or "") for s in page.iter("script")), path
    post = text(html(post_file(output)))
    assert '<script>alert("x")</script>' in post  # shown as text


def test_the_author_is_the_agency_named_linked_to_its_page_if_it_has_one():
    settings = {**DEFAULTS, "DEFAULT_CATEGORY": "News", "SITENAME": "Bulletin"}
    fields = ArticleFields(settings)
    reuters = Tag(Entity("organisations", "Reuters", "reuters"), ("Reuters",), 1)
    kabar = Tag(Entity("organisations", "Kabar", "kabar"), ("Kabar",), 1)
    un = Tag(Entity("organisations", "United Nations", "united-nations"), ("UN",), 3)
    tagged = fields.metadata(Tags(organisations=(un, reuters)), "Lead.")
    in_passing = fields.metadata(Tags(organisations=(un,), mentioned=(kabar,)), "Lead.")
    desk = fields.metadata(Tags(organisations=(un,)), "Lead.")
    assert [(m["author"].name, m["author"].url) for m in (tagged, in_passing, desk)] == [
        ("Reuters", "organisation/reuters/"),
        ("Kabar", "organisation/kabar/"),
        ("Bulletin", ""),
    ]

    class Post:  # what name_tags reads of an article
        def __init__(self, metadata):
            self.tags, self.authors = metadata["tags"], metadata["authors"]

    class Page:
        def __init__(self, url, name):
            self.url, self.name = url, name

    un_url = "organisation/united-nations/"
    pages = {"organisations": [Page("organisation/reuters/", "Reuters"), Page(un_url, "UN")]}
    name_tags([Post(tagged), Post(in_passing), Post(desk)], pages)
    assert (tagged["author"].url, in_passing["author"].url) == ("organisation/reuters/", "")
    assert [t.name for t in desk["tags"]] == ["UN"]  # the name most posts use

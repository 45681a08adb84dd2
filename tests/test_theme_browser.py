"""The theme in a real browser: Debian's Chromium, headless, driven by Playwright.

The fixture seeds are built once with SITEURL set to a local http.server that
serves the output; every page type is loaded at 375 px and 1280 px (screenshots
go to test-artifacts/), checked for console errors, failed or third-party
requests and horizontal overflow, and run through axe-core (from npm; WCAG 2.2
A/AA and best-practice rules), in light mode at both widths and dark mode at
1280 px. `make test` installs Chromium (apt) and axe-core (npm ci).
"""

from __future__ import annotations

import json
import shutil
import threading
import unicodedata
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.request import urlopen

import lxml.html
import pytest
from playwright.sync_api import sync_playwright

from conftest import ROOT, build_site

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
POST = "2024/05/21/kazakh-president-kassym-jomart-tokayev-received-the-speaker-of-the-grand/"
PAGES = {
    "home": "",
    "home-older": "page/1/",  # the oldest page (listing.py numbers pages from it)
    "post": POST,
    "country": "countries/by-count/*",  # *: the first entity listed there
    "organisation": "organisations/by-count/*",
    "person": "people/*",
    "bundle": "bundle/central-asia/",
    "directory": "countries/",
    "directory-by-count": "countries/by-count/",
    "archives": "archives/",
    "month": "2024/06/",
    "search": "search/?q=Kazakhstan",
    "about": "about/",
    "feeds": "feeds/",
    "not-found": "404.html",
}
WIDTHS = (375, 1280)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The site built for, and served on, a free port of 127.0.0.1."""
    root = tmp_path_factory.mktemp("served")
    output = root / "output"
    output.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(output)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    build_site(root, SITEURL=base, DEFAULT_PAGINATION=2)
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One headless Chromium (the system's) with a fresh profile."""
    chromium = shutil.which("chromium")
    assert chromium, "Chromium is missing: `make test` installs Debian's chromium"
    assert AXE.exists(), "axe-core is missing: `make test` runs npm ci"
    profile = tmp_path_factory.mktemp("profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        yield context
        context.close()


def resolve(base: str, path: str) -> str:
    """The URL of a path; for "directory/*", of the first entity the directory lists."""
    if not path.endswith("*"):
        return f"{base}/{path}"
    with urlopen(f"{base}/{path[:-1]}") as response:
        page = lxml.html.fromstring(response.read())
    return page.find(".//main//*[@class]/li/a").get("href")


class Visit:
    """A page loaded with everything that went wrong on the way recorded."""

    def __init__(self, context, base: str, path: str, width: int):
        self.base, self.problems, self.requests = base, [], []
        self.page = context.new_page()
        self.page.set_viewport_size({"width": width, "height": 900})
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        self.page.on("request", self._request)
        self.page.on("response", self._response)
        # only the search page loads more (its index) after the load event
        idle = "networkidle" if path.startswith("search/") else "load"
        self.page.goto(resolve(base, path), wait_until=idle)

    def _console(self, message):
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _request(self, request):
        self.requests.append(request.url)
        if not request.url.startswith((self.base + "/", "data:")):
            self.problems.append(f"third-party request: {request.url}")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def axe(self) -> list[str]:
        """Serious and critical axe-core violations, one line each."""
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        assert len(result["passes"]) > 30  # the rules did run
        return [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    def close(self):
        self.page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_cleanly_fits_and_passes_axe(served, browser, name, width):
    visit = Visit(browser, served, PAGES[name], width)
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        visit.page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        assert visit.problems == []
        overflow = visit.page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{name} is {overflow} px wide at {width} px"
        assert visit.axe() == [], "light mode"
        if width == WIDTHS[-1]:  # colours do not depend on the width
            visit.page.emulate_media(color_scheme="dark")
            visit.page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-dark.png"), full_page=True)
            assert visit.axe() == [], "dark mode"
        assert visit.problems == []
    finally:
        visit.close()


def test_every_page_type_fits_360_px(served, browser):
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": 360, "height": 800})
        widths = {}
        for name, path in PAGES.items():
            page.goto(resolve(served, path))
            widths[name] = page.evaluate("document.documentElement.scrollWidth")
        assert widths == dict.fromkeys(PAGES, 360)
    finally:
        page.close()


def test_print_shows_the_report_without_navigation(served, browser):
    visit = Visit(browser, served, POST, 1280)
    try:
        visit.page.emulate_media(media="print")
        assert not visit.page.locator("nav.sections").is_visible()
        assert not visit.page.locator("form.quick-search").is_visible()
        assert not visit.page.locator("footer.site").is_visible()
        assert visit.page.locator(".post h1").is_visible()
        assert visit.page.locator(".tags .chip").first.is_visible()
        ink = visit.page.evaluate("getComputedStyle(document.body).color")
        assert ink == "rgb(0, 0, 0)"
        assert visit.page.pdf()[:4] == b"%PDF"
    finally:
        visit.close()


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def expected_search(base: str, query: str) -> tuple[list[str], list[str]]:
    """What the search page should list for a query, by its rule: every word in a
    post's title or its entities' names (case and accents aside); pages of the
    matching entities, most posts first. Returns (entity URLs, post titles)."""
    with urlopen(f"{base}/search.json") as response:
        index = json.load(response)
    words = fold(query).lower().split()
    entities = index["entities"]

    def hit(*names):
        return all(w in fold(" ".join(names)).lower() for w in words)

    pages = sorted((e for e in entities if hit(e[1])), key=lambda e: -e[3])
    titles = [p[0] for p in index["posts"] if hit(p[0], *(entities[i][1] for i in p[3]))]
    return [f"{base}/{e[2]}" for e in pages[:10]], titles


def status_is(page, text: str) -> None:
    page.wait_for_function(
        "text => document.getElementById('search-status').textContent === text", arg=text
    )


def found(n: int) -> str:
    return f"{n} report{'s' if n != 1 else ''} found."


def test_search_filters_as_you_type_a_country(served, browser):
    visit = Visit(browser, served, "search/", 1280)
    try:
        results = visit.page.locator("#search-results .post-list li a")
        chips = visit.page.locator("#search-results a.chip")
        for query in ("kazakh", "turkiye nato", "Türkiye", "atlantis"):
            visit.page.locator("#q").fill("")
            visit.page.locator("#q").press_sequentially(query)
            pages, titles = expected_search(served, query)
            status_is(visit.page, found(len(titles)))
            assert results.all_inner_texts() == titles, query
            assert [chips.nth(i).get_attribute("href") for i in range(chips.count())] == pages
        assert expected_search(served, "kazakh")[1] and not expected_search(served, "atlantis")[1]
        assert visit.problems == []
    finally:
        visit.close()


def test_header_search_form_opens_search_with_results(served, browser):
    visit = Visit(browser, served, "", 375)
    try:
        visit.page.locator("#quick-q").fill("Türkiye")
        visit.page.locator("#quick-q").press("Enter")
        visit.page.wait_for_url("**/search/?q=*")
        _, titles = expected_search(served, "Türkiye")
        status_is(visit.page, found(len(titles)))
        assert visit.page.locator("#q").input_value() == "Türkiye"
        assert len(titles) > 1
        assert visit.problems == []
    finally:
        visit.close()


def test_skip_link_is_first_and_visible_on_focus(served, browser):
    visit = Visit(browser, served, POST, 375)
    try:
        visit.page.keyboard.press("Tab")
        focused = visit.page.evaluate(
            "(() => { const e = document.activeElement, r = e.getBoundingClientRect();"
            " return [e.textContent, r.top >= 0 && r.bottom <= innerHeight,"
            " getComputedStyle(e).outlineStyle]; })()"
        )
        assert focused == ["Skip to content", True, "solid"]
        visit.page.keyboard.press("Enter")
        assert visit.page.evaluate("document.activeElement.id") == "main"
    finally:
        visit.close()


def test_keyboard_focus_is_visible_on_every_control(served, browser):
    """Tab through the home page: every focused element shows a 2 px+ outline."""
    visit = Visit(browser, served, "", 1280)
    try:
        outlines = []
        for _ in range(40):
            visit.page.keyboard.press("Tab")
            outlines.append(
                visit.page.evaluate(
                    "(() => { const s = getComputedStyle(document.activeElement);"
                    " return [document.activeElement.tagName, s.outlineStyle,"
                    " parseFloat(s.outlineWidth)]; })()"
                )
            )
        assert {tag for tag, _, _ in outlines} >= {"A", "INPUT", "BUTTON"}
        outlines = [o for o in outlines if o[0] != "BODY"]  # past the last control
        faint = [o for o in outlines if o[1] == "none" or o[2] < 2]
        assert faint == [], faint
    finally:
        visit.close()


def test_why_tagged_opens_on_the_post(served, browser):
    visit = Visit(browser, served, POST, 1280)
    try:
        why = visit.page.locator("details.why").first
        assert not why.locator("p").is_visible()
        why.locator("summary").click()
        assert why.locator("p").is_visible()
        assert why.locator("p").inner_text().startswith("Found ")
    finally:
        visit.close()


def test_screenshots_show_the_page_not_a_blank(served, browser):
    """The home page at 375 px paints its masthead and the first headline."""
    visit = Visit(browser, served, "", 375)
    try:
        brand = visit.page.locator(".brand").bounding_box()
        headline = visit.page.locator(".summary h2").first.bounding_box()
        assert brand["width"] > 50 and 0 < brand["y"] < headline["y"] < 900
    finally:
        visit.close()


# ---- Full-text search (Pagefind, plugins/bulletin/pages/fulltext.py) ----

# Two seeds about water besides the fixtures: "irrigation" is only in the first's body.
WATER_SEEDS = {
    "2024-06-10-syr-darya.txt": "date 2024-06-10 Kazakhstan and Uzbekistan signed an agreement"
    " in Astana on Monday on sharing the Syr Darya river.\n\nThe accord sets quotas of irrigation"
    " water for farmers in the south of Kazakhstan and the east of Uzbekistan.\n",
    "2024-06-11-reservoirs.txt": "date 2024-06-11 The German government approved a plan for new"
    " reservoirs in Bavaria on Tuesday.\n\nThe plan protects drinking water for Germany's"
    " southern cities, the ministry said.\n",
}
SYR_DARYA = "Kazakhstan and Uzbekistan signed an agreement in Astana on Monday on sharing the Syr…"
NATO = "Foreign ministers of NATO met in Brussels on Monday to discuss support for Ukraine"
RESERVOIRS = "The German government approved a plan for new reservoirs in Bavaria on Tuesday"


@pytest.fixture(scope="module")
def served_full(tmp_path_factory):
    """The fixtures and the water seeds, built with the full-text index and served."""
    root = tmp_path_factory.mktemp("served-full")
    seeds = root / "seeds"
    shutil.copytree(ROOT / "tests" / "fixtures" / "seeds", seeds)
    for name, text in WATER_SEEDS.items():
        (seeds / name).write_text(text, encoding="utf-8")
    output = root / "output"
    output.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(output)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    build_site(root, seeds, SITEURL=base, SEARCH_FULL_TEXT=True)
    assert (output / "pagefind" / "pagefind.js").exists()
    yield base
    server.shutdown()
    server.server_close()


def full_text_results(page) -> list[str]:
    return page.locator("#search-results .results h3 a").all_inner_texts()


def wait_status(page, part: str) -> str:
    page.wait_for_function(
        "s => document.getElementById('search-status').textContent.includes(s)", arg=part
    )
    return page.locator("#search-status").inner_text()


def test_full_text_search_finds_a_word_only_in_a_body(served_full, browser):
    visit = Visit(browser, served_full, "search/", 375)
    try:
        visit.page.locator("#q").press_sequentially("irrigation")
        assert wait_status(visit.page, "1 report found") == "1 report found for “irrigation”."
        assert full_text_results(visit.page) == [SYR_DARYA]
        result = visit.page.locator("#search-results .results li").first
        assert result.locator("time").inner_text() == "10 June 2024"
        assert result.locator("mark").inner_text().lower() == "irrigation"
        assert result.locator(".lead").inner_text().endswith("…")  # the excerpt cuts the text
        chips = result.locator(".chip")
        assert chips.all_inner_texts()[:2] == ["Kazakhstan", "Uzbekistan"]
        assert chips.first.get_attribute("href") == f"{served_full}/country/kazakhstan/"
        assert visit.page.url.endswith("/search/?q=irrigation")
        # navigation, the footer and related lists are not indexed
        for word in ("sitemap", "subscribe", "previous", "feeds"):
            visit.page.locator("#q").fill(word)
            wait_status(visit.page, f"{word}”")  # wait for the query, not the one before
            assert visit.page.locator("#search-status").inner_text().startswith("0 reports"), word
        assert visit.problems == []
    finally:
        visit.close()


def test_full_text_search_narrows_by_country_and_can_be_linked(served_full, browser):
    visit = Visit(browser, served_full, "search/?q=water", 1280)
    try:
        assert wait_status(visit.page, "2 reports") == "2 reports found for “water”."
        assert sorted(full_text_results(visit.page)) == sorted([SYR_DARYA, RESERVOIRS])
        visit.page.locator("#country").select_option("kazakhstan")
        assert wait_status(visit.page, "1 report") == "1 report found for “water” in Kazakhstan."
        assert full_text_results(visit.page) == [SYR_DARYA]
        assert visit.page.url.endswith("/search/?q=water&country=kazakhstan")
        assert visit.problems == []
    finally:
        visit.close()
    linked = Visit(browser, served_full, "search/?q=water&country=germany", 375)
    try:
        assert wait_status(linked.page, "1 report") == "1 report found for “water” in Germany."
        assert full_text_results(linked.page) == [RESERVOIRS]
        assert linked.page.locator("#country").input_value() == "germany"
        assert linked.page.locator("#q").input_value() == "water"
        assert linked.problems == []
    finally:
        linked.close()


def test_full_text_search_sorts_by_date_and_filters_by_any_entity(served_full, browser):
    visit = Visit(browser, served_full, "search/?q=water&sort=date", 1280)
    try:
        assert wait_status(visit.page, "2 reports") == "2 reports found for “water”, newest first."
        assert full_text_results(visit.page) == [RESERVOIRS, SYR_DARYA]
        assert visit.page.locator("#sort").input_value() == "date"
    finally:
        visit.close()
    # an organisation from the URL, shown by name as a filter that can be removed
    visit = Visit(browser, served_full, "search/?q=said&organisation=nato", 1280)
    try:
        wait_status(visit.page, "1 report")
        status_is(visit.page, "1 report found for “said” in NATO.")
        assert full_text_results(visit.page) == [NATO]
        assert (
            visit.page.locator(".active-filters li").inner_text().startswith("Organisation: NATO")
        )
        visit.page.locator(".active-filters button").click()
        assert wait_status(visit.page, "reports found for “said”.")
        assert len(full_text_results(visit.page)) > 1
        assert visit.page.url.endswith("/search/?q=said")
        assert visit.problems == []
    finally:
        visit.close()


def test_a_filter_without_words_points_to_the_entity_page(served_full, browser):
    """A filter alone would fetch Pagefind's whole word index (bench/search.py)."""
    visit = Visit(browser, served_full, "search/?country=kazakhstan", 375)
    try:
        link = visit.page.locator("#search-results a")
        assert link.inner_text() == "the page of Kazakhstan"
        assert link.get_attribute("href") == f"{served_full}/country/kazakhstan/"
        assert not [u for u in visit.requests if "/pagefind/index/" in u]
        assert visit.problems == []
    finally:
        visit.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_full_text_search_page_fits_and_passes_axe(served_full, browser, width):
    visit = Visit(browser, served_full, "search/?q=water&country=kazakhstan", width)
    try:
        wait_status(visit.page, "1 report")
        ARTIFACTS.mkdir(exist_ok=True)
        visit.page.screenshot(path=str(ARTIFACTS / f"search-full-{width}.png"), full_page=True)
        overflow = visit.page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width
        assert visit.axe() == [], "light mode"
        visit.page.emulate_media(color_scheme="dark")
        visit.page.screenshot(path=str(ARTIFACTS / f"search-full-{width}-dark.png"), full_page=True)
        assert visit.axe() == [], "dark mode"
        assert visit.problems == []
    finally:
        visit.close()


def test_search_falls_back_to_titles_when_the_index_cannot_load(served_full, browser):
    page = browser.new_page()
    try:
        page.route("**/pagefind/**", lambda route: route.fulfill(status=404, body=""))
        page.goto(f"{served_full}/search/?q=reservoirs", wait_until="networkidle")
        status_is(page, found(1))
        assert page.locator("#search-results .post-list a").all_inner_texts() == [RESERVOIRS]
        assert page.locator("label[for=q]").inner_text().startswith("Words of a title")
        assert not page.locator(".filters").is_visible()
    finally:
        page.close()


@pytest.mark.parametrize(("width", "height"), [(390, 844), (375, 667)])
def test_phone_first_screen_shows_the_first_headline(served, browser, width, height):
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{served}/")
        headline = page.locator(".summary h2").first.bounding_box()
        assert headline["y"] > 0 and headline["y"] + headline["height"] <= height
    finally:
        page.close()

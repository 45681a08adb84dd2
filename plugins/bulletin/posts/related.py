"""Related posts: for each post, those sharing the most entities with it, then the
nearest in date; worked out again only for the posts a build may have changed.

A post's candidates are its neighbours on each of its entity pages, RELATED_WINDOW
either side, so its related posts depend on nothing but those windows: which posts
they hold, in which order, and each one's date and slug. The last build's lists
(each entity page's posts, each post's date, slug and pages, and its related posts)
are kept in one store entry under CACHE_PATH/bulletin-related/ (store.py; off with
TAG_CACHE). A rebuild ranks again only:

- the posts whose window on some page may differ: on a page whose list of posts
  changed, those within RELATED_WINDOW of the changed stretch (a new post on a
  page of 3,000 touches about 100 of them);
- a post whose date, slug or pages changed, and its neighbours on each of its
  pages (it is one of their candidates);
- every post, when there is no intact entry for this code.

Every other post gets the related posts the last build found, which are the ones
ranking would give (tests/test_related.py compares with a build from scratch).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from ..store import Store, save_when_built

RELATED_POSTS = 5
RELATED_WINDOW = 50  # neighbours looked at on each side, per shared entity
CACHE_DIR = "bulletin-related"
ENTRY = "lists"


def relate(articles: list, entity_pages: dict, settings: dict) -> int:
    """Set article.view.related for every article; return how many were ranked."""
    pages = [page for found in entity_pages.values() for page in found]
    position: dict = {}  # (id(page), id(post)) → index, page by page when needed (_index)
    lists = {page.url: tuple(article.url for article in page.articles) for page in pages}
    posts = {
        article.url: (article.date, article.slug, tuple(page.url for page in article.view.pages()))
        for article in articles
    }
    store = Store(Path(settings["CACHE_PATH"], CACHE_DIR), _version())
    last = store.load(keep=False).get(ENTRY) if settings["TAG_CACHE"] else None
    stale = _stale(last, lists, posts, articles, position) if last else None
    by_url = {article.url: article for article in articles}
    stamps = _Stamps()
    found, ranked = {}, 0
    for article in articles:
        known = last and last[2].get(article.url)
        if stale is None or article.url in stale or known is None:
            related = _rank(article, position, stamps)
            ranked += 1
        else:
            related = [by_url[url] for url in known if url in by_url]
            if len(related) != len(known):  # not expected: a post in its windows is gone
                related = _rank(article, position, stamps)
                ranked += 1
            else:
                article.view.related = related
                found[article.url] = known
                continue
        article.view.related = related
        found[article.url] = tuple(other.url for other in related)
    if settings["TAG_CACHE"] and (last is None or (lists, posts, found) != last[:3]):
        save_when_built(store, {ENTRY: (lists, posts, found)})
    return ranked


def rank(only: list) -> None:
    """Set article.view.related of the posts in only, ranked now (no store)."""
    position, stamps = {}, _Stamps()
    for article in only:
        article.view.related = _rank(article, position, stamps)


def _index(position: dict, page, article) -> int:
    """The article's index on the page. position keeps, by (id(page), id(post)),
    the indexes of the pages asked about so far: a rebuild ranks few posts."""
    found = position.get((id(page), id(article)))
    if found is None:
        position.update(((id(page), id(a)), i) for i, a in enumerate(page.articles))
        found = position[id(page), id(article)]
    return found


class _Stamps(dict):
    """Each post's date as a POSIX timestamp, by id(post), worked out when first asked for."""

    def of(self, article) -> float:
        found = self.get(id(article))
        if found is None:
            found = self[id(article)] = article.date.timestamp()
        return found


def _stale(last: tuple, lists: dict, posts: dict, articles: list, position: dict) -> set[str]:
    """URLs of the posts whose windows may have changed since the last build."""
    last_lists, last_posts = last[0], last[1]
    stale = set()
    for url, now in lists.items():
        before = last_lists.get(url)
        if before == now:
            continue
        if before is None:
            stale.update(now)
            continue
        same = min(len(now), len(before))
        head = next((i for i in range(same) if now[i] != before[i]), same)
        tail = next((i for i in range(same - head) if now[-1 - i] != before[-1 - i]), same - head)
        stale.update(now[max(0, head - RELATED_WINDOW) : len(now) - tail + RELATED_WINDOW])
    for article in articles:
        if last_posts.get(article.url) != posts[article.url]:
            stale.add(article.url)
            for page in article.view.pages():
                index = _index(position, page, article)
                window = page.articles[max(0, index - RELATED_WINDOW) : index + RELATED_WINDOW + 1]
                stale.update(other.url for other in window)
    return stale


def _rank(article, position: dict, stamps: _Stamps) -> list:
    """The posts sharing the most entities with the article, then the nearest in
    date (then the newest, then by slug), among its neighbours on its pages."""
    shared, found = Counter(), {}
    for page in article.view.pages():
        index = _index(position, page, article)
        window = page.articles[max(0, index - RELATED_WINDOW) : index + RELATED_WINDOW + 1]
        shared.update(map(id, window))
        found.update(zip(map(id, window), window, strict=True))
    found.pop(id(article), None)
    mine = stamps.of(article)
    return sorted(
        found.values(),
        key=lambda o: (-shared[id(o)], abs(stamps.of(o) - mine), -stamps.of(o), o.slug),
    )[:RELATED_POSTS]


def _version() -> str:
    """This module's code and settings: another ranking makes every entry stale."""
    source = Path(__file__).read_bytes()
    return hashlib.sha256(source).hexdigest()[:16]

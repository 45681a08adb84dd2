"""Keys of the pages and feeds whose inputs are the last build's: taken from it, not
worked out again.

A render's key (pagekeys.py) digests everything its files show, so working out the
keys of every post page, listing page and feed costs a rebuild in proportion to the
whole archive. What a key digests comes down to a few facts about each render,
cheap to gather and to compare with the last build's:

- a post's card (pagekeys._card): its URL, title, date and feed id, its seed (its
  text by digest, its lead; its tags by the seed's digest and the tagger's version)
  and the URL of each of its entity pages, whose links (name, code, …) are compared
  page by page;
- a post page: its card, the pages of its passing mentions, the cards of its related
  posts and of its neighbours;
- a listing (an entity's or bundle's page, the home page, a month): which posts it
  lists and what it says of its entity or month; each of its pages: its posts, URL,
  number, template and neighbours; a front page also what it says of all the
  listing's posts (an entity's cards and co-occurring entities);
- a subject's feeds and feed archives: the subject and which posts each carries.

Each build keeps these facts (plain tuples, compared exactly) with the key each
render had, in one store entry under CACHE_PATH/bulletin-settled/ (store.py; off
with TAG_CACHE). A rebuild takes the last key of a render whose facts are the same
and none of whose posts' cards changed ("settled"); the others are keyed as before.
A listing or a subject that no post came to or went from and none of whose posts'
cards changed (a post's card names its entity pages, so the pages of the posts
whose cards changed, as they were and as they are, and of the posts gone, tell
them), and which says the same of its entity, settles whole without listing its
posts or looking at its pages; the output phase keeps its files without making
its pages (kept()). Front pages of entities and bundles also wait for every entity
page their posts are on to keep its link and its number of posts (co-occurring
entities are ranked by them); the home page's front page, which shows the most
covered entities, is always keyed. A taken key is only ever compared with the output
manifest's (publish.render_once): a render whose files output/ no longer holds as
published is made again, from this build's data.

The store's version digests this module and the modules that define the keys: a
change to what a key digests makes every fact stale. The tests compare every kind
of rebuild with a build from scratch (tests/test_incremental.py).
"""

from __future__ import annotations

import hashlib
from operator import attrgetter
from pathlib import Path

from ..feeds import archives
from ..logs import every_time_logger
from ..posts.postview import entity_link
from ..store import Store
from .listing import listing_pages, page_size

CACHE_DIR = "bulletin-settled"
ENTRY = "renders"
HERE = Path(__file__).resolve().parent.parent  # the bulletin package
KEY_SOURCES = (
    "pages/settled.py",
    "pages/pagekeys.py",
    "pages/listing.py",
    "posts/postview.py",
    "posts/extras.py",
    "feeds/__init__.py",
    "feeds/archives.py",
)
logger = every_time_logger(__name__)

_tagger_version = ""  # of this build's tags (posts.py)
_settled: dict[str, bytes] = {}  # render → the last build's key, for this build
_kept: dict[str, list[tuple[str, bytes]]] = {}  # group settled whole → its renders
_planned: Plan | None = None


def tagged_with(version: str) -> None:
    """The version of the tagger whose tags this build's posts carry (posts.py)."""
    global _tagger_version
    _tagger_version = version


def key(render: str) -> bytes | None:
    """The last build's key of a settled render, or None (work it out)."""
    return _settled.get(render)


def kept(group: str) -> list[tuple[str, bytes]] | None:
    """The renders of a listing (by its URL) or of a subject's feeds (feeds_group)
    all of whose renders are settled, with their keys; None for any other."""
    return _kept.get(group)


def feeds_group(subject) -> str:
    """The name of a subject's feeds and feed archives among the groups."""
    return f"feeds:{subject.kind}:{subject.url}"


def _empty() -> dict:
    return {"tagger": None, "cards": {}, "links": {}, "posts": {}, "groups": {}}


_url = attrgetter("url")


class Plan:
    """This build's facts, and which renders are settled."""

    def __init__(self, settings: dict):
        self.enabled = settings["TAG_CACHE"]
        self.store = Store(Path(settings["CACHE_PATH"], CACHE_DIR), _version())
        last = self.store.load(keep=False).get(ENTRY) if self.enabled else None
        if not last or last["tagger"] != _tagger_version:
            last = _empty()
        self.last = last
        self.now = _empty()
        self.now["tagger"] = _tagger_version
        self.changed_cards: set[int] = set()  # id() of posts whose card may differ
        # Listings and subjects holding such a post, or holding it in the last
        # build, or holding a post gone since: the others list the same posts.
        self.touched: set[str] = set()
        self.unsettled_fronts: set[str] = set()
        self.on_busier: set[int] = set()
        self.settled: dict[str, bytes] = {}
        self.kept: dict[str, list[tuple[str, bytes]]] = {}  # groups settled whole
        self.renders = 0

    # ------------------------------------------------------------ the facts

    def posts(self, articles: list, pages: list) -> None:
        """Cards, entity page links, and which posts' cards changed."""
        last_links, links = self.last["links"], self.now["links"]
        moved = set()  # pages whose link changed (or new): cards showing them change
        busier = []  # pages whose link or number of posts changed
        for page in pages:
            now = links[page.url] = (entity_link(page), len(page.articles))
            before = last_links.get(page.url)
            if before != now:
                busier.append(page)
                if before is None or before[0] != now[0]:
                    moved.add(page.url)
        last_cards, cards = self.last["cards"], self.now["cards"]
        changed = self.changed_cards
        for article in articles:
            view = article.view
            url = article.url
            card = cards[url] = (  # the lead is the seed's first paragraph: by the digest
                url,
                article.title,
                article.date.isoformat(),
                view.feed_id,
                view.seed.digest,
                tuple(
                    (kind, tuple(p.url for _, p in tagged)) for kind, tagged in view.tagged.items()
                ),
            )
            before = last_cards.get(url)
            if before != card or (moved and any(page.url in moved for page in view.pages())):
                changed.add(id(article))
                self.touched.update(page.url for page in view.pages())
                if before is not None:  # and the pages it was on
                    self.touched.update(_card_pages(before))
        for gone in last_cards.keys() - cards.keys():  # posts of the last build only
            self.touched.update(_card_pages(last_cards[gone]))
        # Fronts rank co-occurring entities by their links and numbers of posts.
        self.on_busier = {id(a) for page in busier for a in page.articles}
        for page in busier:
            for article in page.articles:
                self.unsettled_fronts.update(other.url for other in article.view.pages())

    def post_pages(self, articles: list) -> None:
        last, now, changed = self.last["posts"], self.now["posts"], self.changed_cards
        for article in articles:
            view = article.view
            render = article.save_as
            shown = now[render] = (
                tuple(page and page.url for _, page in view.mentioned),
                tuple(map(_url, view.related)),
                view.newer and view.newer.url,
                view.older and view.older.url,
            )
            self.renders += 1
            before = last.get(render)
            if before is None or before[0] != shown or id(article) in changed:
                continue
            if changed and any(
                id(other) in changed for other in (*view.related, view.newer, view.older)
            ):
                continue
            if before[1] is not None:
                self.settled[render] = before[1]

    def listing(self, template: str, url: str, articles: list, size: int, about=None) -> None:
        """The pages of a listing written with write_listing; about is its entity or
        bundle, or its month (a dict), or "trending" for the home page."""
        entity = about if hasattr(about, "feed_links") else None
        if entity is not None:
            members = getattr(entity, "members", ())
            shows = (entity_link(entity), entity.feed_links, tuple(map(entity_link, members)))
            touched = url in self.touched or any(m.url in self.touched for m in members)
            if members:  # a bundle's front: co-occurring among its posts' pages
                front = not any(id(a) in self.on_busier for a in articles)
            else:
                front = url not in self.unsettled_fronts
        elif isinstance(about, dict):  # a month
            shows, touched, front = (about["title"], about.get("year_url")), True, True
        else:  # the home page: its front shows the most covered entities
            shows, touched, front = (), True, False
        head = (template, url, size, shows)
        last = self.last["groups"].get(url)
        if not touched and front and last is not None and last[0][0] == head:
            self._keep(url, last[0], last)  # no post came, went or changed: the same list
            return
        urls = tuple(map(_url, articles))
        old = {}
        if last is not None and last[0][0] == head:
            before = list(last[0][1])
            keys = dict(zip(last[1], last[2], strict=True))
            for page in listing_pages(before, url, size):
                old[page.save_as] = (_page_facts(page, before, entity), keys[page.save_as])
        changed = self.changed_cards
        names = []
        for page in listing_pages(articles, url, size):
            names.append(page.save_as)
            self.renders += 1
            found = old.get(page.save_as)
            if found is None or found[1] is None:
                continue
            posts = articles if page.front and entity is not None else page.object_list
            if page.front and not front:
                continue
            if touched and changed and any(id(a) in changed for a in posts):
                continue
            if _page_facts(page, articles, entity, _url) == found[0]:
                self.settled[page.save_as] = found[1]
        self.now["groups"][url] = ((head, urls), tuple(names))

    def feeds(self, groups: list, settings: dict) -> None:
        """The feeds and feed archives of every subject (feeds.write_all)."""
        from ..feeds import FORMATS

        limit = settings["FEED_MAX_ITEMS"]
        formats = [k for k, _, _ in FORMATS]
        archived = settings["FEED_ARCHIVES"]
        for subject in (subject for group in groups for subject in group.subjects):
            urls = {k: url for k, (_, _, url) in zip(formats, subject.feeds, strict=True)}
            if not urls:
                continue
            members = getattr(subject, "members", ())
            about = (
                subject.kind,
                subject.url,
                subject.name,
                getattr(subject, "description", ""),
                tuple(member.name for member in members),
                subject.feeds,
                limit,
                archived,
            )
            group = feeds_group(subject)
            touched = subject.kind == "site" or (
                subject.url in self.touched or any(m.url in self.touched for m in members)
            )
            last = self.last["groups"].get(group)
            if not touched and last is not None and last[0][0] == about:
                self._keep(group, last[0], last)  # the same posts (see listing)
                continue
            facts = (about, tuple(map(_url, subject.articles)))
            old = {}
            if last is not None and last[0][0] == about:
                keys = dict(zip(last[1], last[2], strict=True))
                for render, shown, _ in _feed_renders(list(last[0][1]), urls, limit, archived):
                    old[render] = ((shown[0], tuple(shown[1])), keys[render])
            changed = self.changed_cards
            names = []
            for render, shown, posts in _feed_renders(subject.articles, urls, limit, archived):
                names.append(render)
                self.renders += 1
                found = old.get(render)
                if found is None or found[1] is None:
                    continue
                if touched and changed and any(id(a) in changed for a in posts):
                    continue
                if (shown[0], tuple(map(_url, shown[1]))) == found[0]:
                    self.settled[render] = found[1]
            self.now["groups"][group] = (facts, tuple(names))

    def _keep(self, group: str, facts: tuple, last: tuple) -> None:
        """A listing or subject all of whose renders are settled."""
        self.now["groups"][group] = (facts, last[1])
        self.renders += len(last[1])
        for render, found in zip(last[1], last[2], strict=True):
            if found is not None:
                self.settled[render] = found
        if None not in last[2]:
            self.kept[group] = list(zip(last[1], last[2], strict=True))

    # ------------------------------------------------------------ after the build

    def save(self, rendered: dict) -> None:
        """Keep this build's facts with the keys its renders had (publish's
        ledger: rendered or reused, in every output process)."""
        if not self.enabled:
            return

        def key(render):
            done = rendered.get(render)
            return done and done[0]

        posts = self.now["posts"]
        for render, shown in posts.items():
            posts[render] = (shown, key(render))
        groups = self.now["groups"]
        for group, (facts, names) in groups.items():
            groups[group] = (facts, names, tuple(map(key, names)))
        self.store.save({ENTRY: self.now})


def _card_pages(card: tuple) -> list[str]:
    """The URLs of the entity pages of a post's card (Plan.posts)."""
    return [url for _kind, urls in card[5] for url in urls]


def _page_facts(page, articles: list, entity, url=None) -> tuple:
    """What a page of a listing shows besides its posts' cards and its listing's
    head: its number, posts and neighbours; a front page, all the listing's posts
    (an entity's) or their number. articles are the listing's posts, or their URLs
    (url None)."""
    link = url or (lambda value: value)
    facts = (
        page.number,
        tuple(map(link, page.object_list)),
        page.newer and page.newer.url,
        page.older and page.older.url,
    )
    if page.front:
        facts += (len(articles), entity is not None and tuple(map(link, articles)))
    return facts


def _feed_renders(articles: list, urls: dict, limit: int, archived: bool):
    """(render, (what it says of its subject's posts, its posts), its posts) of a
    subject's feeds and of each of its archives; articles may be their URLs."""
    chunks = archives.split(articles, limit) if archived else []
    yield next(iter(urls.values())), (len(chunks), articles[:limit]), articles[:limit]
    for number, chunk in enumerate(chunks, 1):
        yield next(iter(archives.urls(urls, number).values())), (number, chunk), chunk


def plan(generators) -> None:
    """All generators have their context (all_generators_finalized): gather the
    facts of every post page, listing page and feed, and which are settled."""
    global _planned, _settled, _kept
    from ..posts.entities import ENTITY_TEMPLATE, EntitiesGenerator
    from .sitefiles import SiteFilesGenerator

    _settled, _kept, _planned = {}, {}, None
    context = generators[0].context
    entities = next((g for g in generators if isinstance(g, EntitiesGenerator)), None)
    sitefiles = next((g for g in generators if isinstance(g, SiteFilesGenerator)), None)
    if entities is None or sitefiles is None:
        return
    settings = entities.settings
    found = Plan(settings)
    articles = context["articles"]
    listed = [page for pages in entities.entity_pages.values() for page in pages]
    found.posts(articles, [*listed, *entities.bundles])
    found.post_pages(articles)
    entity_size = page_size(settings, ENTITY_TEMPLATE)
    for page in [*entities.bundles, *listed]:
        found.listing("entity", page.url, page.articles, entity_size, page)
    if sitefiles.home:
        found.listing("index", "", articles, page_size(settings, "index"), "trending")
    month_size = page_size(settings, "period_archives")
    for year in sitefiles.years:
        for month in year["months"]:
            found.listing("period_archives", month["url"], month["articles"], month_size, month)
    found.feeds(entities.feed_groups, settings)
    found.last = None  # the last build's facts: not needed any more
    _planned, _settled, _kept = found, found.settled, found.kept
    logger.info(
        "Page keys: %d of %d renders settled (keys of the last build)",
        len(found.settled),
        found.renders,
    )


def save(rendered: dict) -> None:
    """Keep this build's facts and keys (when the build has succeeded)."""
    global _planned, _settled, _kept
    if _planned is not None:
        _planned.save(rendered)
    _planned, _settled, _kept = None, {}, {}


def _version() -> str:
    sources = hashlib.sha256()
    for name in KEY_SOURCES:
        sources.update((HERE / name).read_bytes())
    return sources.hexdigest()[:16]

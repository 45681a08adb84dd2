"""The preview's quick page: a saved seed's post page, made at once from the state
the devserver's last build left in memory, while the full rebuild that replaces it
runs (devserver.py).

A changed seed is read and parsed, tagged with the warm tagger and made into a post
by the functions a build uses (posts.py: its slug among the other seeds, its
article; urlmemory.py: its URL from the URL memory, so a new post gets the URL the
full build will give it; entities.py and extras.py: its entity pages, neighbours and
related posts), then its page is rendered with the theme and the last build's
context by Pelican's own writer. Nothing is written anywhere a build reads: not the
URL memory (read, never saved), not the caches, not the preview folder; the page is
handed back as bytes for the devserver to serve until the full rebuild is live.

The page's neighbours, related posts and entity names are those of the posts as they
are now: the seeds of the last build, with every seed the quick pages made since.
What it leaves to the full rebuild: every other page (entity pages, listings, feeds,
the other posts' neighbours and related posts) and the site-wide parts of the
context (the most covered entities), which stay as the last in-process build made
them. A seed it cannot make (unreadable, no date, the same text as another post)
gets no quick page; the full rebuild names it.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from .posts import extras, posts, urlmemory
from .posts.articlefields import ArticleFields
from .posts.entities import group_by_entity
from .seeds.seeds import SeedError, read_seed
from .settings import seeds_path
from .tags.tagcache import make_tagger
from .tags.tagpool import BatchTagger


class NotShown(Exception):
    """Why a seed gets no quick page (the full rebuild says it in full)."""


@dataclass
class QuickPage:
    """A post page made at once: its URL (root-relative), the file it is saved as
    under the output folder, and its bytes (None: the post is gone, a 404)."""

    url: str
    save_as: str
    body: bytes | None


class LastBuild:
    """What the devserver's last in-process build left: its settings, article
    generator and context, with each seed the quick pages have made since, and
    indexes so that a quick page costs in proportion to the posts sharing its
    entities or its date, not to the whole site."""

    def __init__(self, generators: list):
        self.generator = next(g for g in generators if isinstance(g, ArticlesGenerator))
        self.settings = self.generator.settings
        self.context = self.generator.context
        self.folder = seeds_path(self.settings)
        self.articles = [a for a in self.generator.articles if getattr(a, "view", None)]
        self.by_path = {str(a.view.seed.path): a for a in self.articles}
        self.by_digest = {a.view.seed.digest: a for a in self.articles}
        self.by_entity: dict[tuple[str, str], dict[int, object]] = defaultdict(dict)
        for article in self.articles:
            self._index(article)
        self.tag = BatchTagger(make_tagger(self.settings))
        self.fields = ArticleFields(self.settings)
        self.memory = _MemoryPaths(self.settings, self.folder)

    def warm(self) -> None:
        """Load the name recogniser now (the build tags in other processes), so that
        the first quick page does not wait for it."""
        self.tag([("Astana, Kazakhstan.", {})])

    def exists(self, name: Path) -> bool:
        return (self.folder / name).exists()

    def update(self, name: Path) -> QuickPage:
        """The page of the seed at name (its path under the seeds folder) as it is
        now, or a 404 if it is gone (raise NotShown if none)."""
        path = self.folder / name  # as the build's scan names it
        if any(part.startswith(".") for part in name.parts):
            raise NotShown("hidden: not a seed")
        if not path.exists():
            return self._remove(path)
        if path.is_symlink() or not path.is_file():
            raise NotShown("not a regular file")
        try:
            seed = read_seed(path)
        except (SeedError, OSError) as error:
            raise NotShown(str(error)) from None
        twin = self.by_digest.get(seed.digest)
        if twin is not None and str(twin.view.seed.path) != str(path):
            raise NotShown(f"same text as {posts.Report(self.folder).name(twin.view.seed.path)}")
        [(tags, _memo)] = self.tag([(seed.text, {})])
        if isinstance(tags, Exception):
            raise NotShown(f"could not be tagged ({tags})")
        old = self.by_path.get(str(path))
        article = posts.make_article(seed, self._slug(seed, old), tags, self.fields, self.generator)
        self._assign_url(article, old)
        if old is not None:
            self._unindex(old)
            self.by_digest.pop(old.view.seed.digest, None)
        self._index(article)
        self.articles = sorted(
            [a for a in self.articles if a is not old] + [article], key=_order, reverse=True
        )
        # Every post sharing an entity with this one (tags or passing mentions): their
        # entity pages, whole, as group_by_entity makes them in the build.
        near = {id(article): article}
        for key in _entities(article.view.tags, mentions=True):
            near.update(self.by_entity.get(key, {}))
        sharing = sorted(near.values(), key=_order, reverse=True)
        entity_pages = group_by_entity(sharing, self.settings)
        _annotate(article, self.articles, sharing, entity_pages, self.settings)
        self.by_path[str(path)] = self.by_digest[seed.digest] = article
        context = {**self.context, "articles": self.articles}
        return QuickPage(article.url, article.save_as, self._render(article, context))

    def _slug(self, seed, old) -> str:
        """The slug posts.py gives the seed: unique on its date, the first path
        keeping the title's (only the seeds of that date count)."""
        day = seed.date.date()
        same_day = [a.view.seed for a in self.articles if a.date.date() == day and a is not old]
        seeds = sorted([*same_day, seed], key=lambda s: s.path)
        report = _Quiet(self.folder)  # the build names slug clashes; this says nothing
        return next(slug for s, slug in posts.unique_slugs(seeds, report) if s is seed)

    def _assign_url(self, article, old) -> None:
        """The post's URL from the URL memory, as the build gives it: urlmemory's own
        assign_post_urls, over the posts that can bear on it (those with no line in
        the memory yet, and those whose line has this text: a rename). The memory
        is read, not saved: only builds write it."""
        digest, known = article.view.seed.digest[: urlmemory.DIGEST_CHARS], self.memory.paths()
        others = [
            a
            for a in self.articles
            if a is not old and known.get(str(a.view.seed.path), digest) == digest
        ]
        try:
            urlmemory.assign_post_urls(
                SimpleNamespace(settings=self.settings, articles=[article, *others])
            )
        finally:
            urlmemory.forget_build()

    def _remove(self, path: Path) -> QuickPage:
        article = self.by_path.pop(str(path), None)
        if article is None:
            raise NotShown("not a post of the last build")
        self.by_digest.pop(article.view.seed.digest, None)
        self._unindex(article)
        self.articles = [a for a in self.articles if a is not article]
        return QuickPage(article.url, article.save_as, None)

    def _index(self, article) -> None:
        for key in _entities(article.view.tags):
            self.by_entity[key][id(article)] = article

    def _unindex(self, article) -> None:
        for key in _entities(article.view.tags):
            self.by_entity[key].pop(id(article), None)

    def _render(self, article, context: dict) -> bytes:
        """The post's page, written by Pelican's writer as the build writes it, into a
        folder of its own."""
        with tempfile.TemporaryDirectory(prefix="bulletin-quick-") as folder:
            Writer(folder, self.settings).write_file(
                article.save_as,
                self.generator.get_template(article.template),
                context,
                article=article,
                category=getattr(article, "category", None),
                override_output=True,
                url=article.url,
                blog=True,
            )
            return Path(folder, article.save_as).read_bytes()


class _Quiet(posts.Report):
    def log(self, *args, **kwargs) -> None:
        return None


class _MemoryPaths:
    """The seed paths the URL memory file has lines for, with each line's text
    digest (read again only when the file changed)."""

    def __init__(self, settings: dict, folder: Path):
        self.path = urlmemory.memory_path(settings)
        self.folder = str(folder)
        self.stamp: tuple | None = None
        self.known: dict[str, str] = {}

    def paths(self) -> dict[str, str]:
        """Absolute seed path → the first DIGEST_CHARS of its text digest."""
        try:
            info = self.path.stat()
            stamp = (info.st_size, info.st_mtime_ns, info.st_ino)
        except FileNotFoundError:
            stamp = None
        if stamp != self.stamp:
            memory = urlmemory.Memory.load(self.path)
            self.known = {
                os.path.join(self.folder, name): record.digest
                for name, record in memory.posts.items()
            }
            self.stamp = stamp
        return self.known


def _order(article) -> tuple:
    return (article.date, article.slug)  # the build's order, read newest first


def _entities(tags, mentions: bool = False):
    """(kind, slug) of every entity a post is tagged with (and mentions)."""
    for kind, found in tags.by_kind():
        for tag in found:
            yield kind, tag.entity.slug
    if mentions:
        for tag in tags.mentioned:
            yield tag.entity.kind, tag.entity.slug


def _annotate(article, articles: list, sharing: list, entity_pages: dict, settings: dict) -> None:
    """What extras.annotate gives each post, for this one post: its neighbours in
    date order (in articles, the whole site), related posts (among sharing, the
    posts sharing an entity with it), passing mentions and JSON-LD."""
    index = next(i for i, a in enumerate(articles) if a is article)  # newest first
    article.view.newer = articles[index - 1] if index else None
    article.view.older = articles[index + 1] if index + 1 < len(articles) else None
    extras.related_posts(sharing, entity_pages, only=[article])
    pages = {(kind, p.slug): p for kind, found in entity_pages.items() for p in found}
    article.view.mentioned = [
        (tag, pages.get((tag.entity.kind, tag.entity.slug))) for tag in article.view.tags.mentioned
    ]
    article.view.json_ld = extras.news_article(article, settings)

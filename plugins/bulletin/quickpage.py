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

What the quick page can get wrong, the full rebuild puts right a few seconds later:
its related posts and entity names are counted over the posts as they were (the
other posts' pages do not change), and a seed the full build will reject (the same
text as another, say) is not shown.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from . import extras, posts, urlmemory
from .articlefields import ArticleFields
from .entities import group_by_entity
from .seeds import SeedError, read_seed
from .settings import seeds_path
from .tagcache import make_tagger
from .tagpool import _Tag


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
    generator and context, with each seed the quick pages have made since."""

    def __init__(self, generators: list):
        self.generator = next(g for g in generators if isinstance(g, ArticlesGenerator))
        self.settings = self.generator.settings
        self.context = self.generator.context
        self.folder = seeds_path(self.settings)
        self.articles = [a for a in self.generator.articles if getattr(a, "view", None)]
        self.by_path = {Path(a.view.seed.path): a for a in self.articles}
        self.tag = _Tag(make_tagger(self.settings))
        self.fields = ArticleFields(self.settings)

    def warm(self) -> None:
        """Load the name recogniser now (the build tags in other processes), so that
        the first quick page does not wait for it."""
        self.tag([("Astana, Kazakhstan.", {})])

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
        twin = next(
            (
                a
                for a in self.articles
                if a.view.seed.digest == seed.digest and a.view.seed.path != path
            ),
            None,
        )
        if twin is not None:
            raise NotShown(f"same text as {self._name(twin.view.seed.path)}")
        [(tags, _memo)] = self.tag([(seed.text, {})])
        if isinstance(tags, Exception):
            raise NotShown(f"could not be tagged ({tags})")
        seeds = sorted(
            [a.view.seed for p, a in self.by_path.items() if p != path] + [seed],
            key=lambda s: s.path,
        )
        report = _Quiet(self.folder)  # the build names slug clashes; this says nothing
        slug = next(slug for s, slug in posts._slugs(seeds, report) if s is seed)
        article = posts._article(seed, slug, tags, self.fields, self.generator)
        articles = [a for a in self.articles if Path(a.view.seed.path) != path] + [article]
        self._assign_url(articles)
        entity_pages = group_by_entity(articles, self.settings)
        _annotate(article, articles, entity_pages, self.settings)
        self.articles, self.by_path[path] = articles, article
        context = {**self.context, "articles": articles, "entity_pages": entity_pages}
        return QuickPage(article.url, article.save_as, self._render(article, context))

    def exists(self, name: Path) -> bool:
        return (self.folder / name).exists()

    def _remove(self, path: Path) -> QuickPage:
        article = self.by_path.pop(path, None)
        if article is None:
            raise NotShown("not a post of the last build")
        self.articles = [a for a in self.articles if a is not article]
        return QuickPage(article.url, article.save_as, None)

    def _assign_url(self, articles: list) -> None:
        """Every post's URL from the URL memory, as the build gives it (the memory is
        read, not saved: only builds write it)."""
        try:
            urlmemory.assign_post_urls(SimpleNamespace(settings=self.settings, articles=articles))
        finally:
            urlmemory._build = None  # what it decided is this page's, not a build's

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

    def _name(self, path) -> str:
        return Report(self.folder).name(Path(path))


Report = posts.Report


class _Quiet(Report):
    def log(self, *args, **kwargs) -> None:
        return None


def _annotate(article, articles: list, entity_pages: dict, settings: dict) -> None:
    """What extras.annotate gives each post, for this one post: its neighbours in
    date order, related posts, passing mentions and JSON-LD."""
    index = next(i for i, a in enumerate(articles) if a is article)  # newest first
    article.view.newer = articles[index - 1] if index else None
    article.view.older = articles[index + 1] if index + 1 < len(articles) else None
    extras._related(articles, entity_pages, only=[article])
    pages = {(kind, p.slug): p for kind, found in entity_pages.items() for p in found}
    article.view.mentioned = [
        (tag, pages.get((tag.entity.kind, tag.entity.slug))) for tag in article.view.tags.mentioned
    ]
    article.view.json_ld = extras.news_article(article, settings)

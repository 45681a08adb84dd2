"""Seeds → tagged Pelican articles, added to the articles generator.

Every file under SEEDS_PATH becomes a post or is named in an ERROR saying why
(so `pelican --fatal errors` fails on it while plain `pelican` publishes the
rest), and the build ends with one summary line.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, count
from pathlib import Path

from pelican.contents import Article

from ..collector import lasting, thaw
from ..logs import every_time_logger, status
from ..pages import settled
from ..seeds.seedcache import SeedCache
from ..seeds.seeds import Seed, SeedError
from ..settings import seeds_path
from ..tagging import Tags
from ..tags import standby
from ..tags.tagcache import TaggingError, TagRun, drop_unsaved
from .articlefields import ArticleFields, Post
from .postview import PostView

logger = every_time_logger(__name__)
SUMMARY_NAMES = 20  # rejected files named in the summary line
KEPT = "Seed %s %s: its post stays as the last build published it"


@dataclass
class Report:
    """What became of the files of the seeds folder in one build."""

    folder: Path
    read: int = 0
    published: int = 0
    rejected: list[str] = field(default_factory=list)
    tripped: bool = False  # a message tripped `pelican --fatal`

    def name(self, path: str | Path) -> str:
        """The file's path under the seeds folder, unprintable characters escaped."""
        path = Path(path)
        name = (
            path.relative_to(self.folder).as_posix()
            if path.is_relative_to(self.folder)
            else str(path)
        )
        return name if name.isprintable() else repr(name)

    def log(self, level: int, message: str, *args, **kwargs) -> None:
        try:
            logger.log(level, message, *args, **kwargs)
        except RuntimeError:  # `pelican --fatal`: go on naming every bad seed, fail at the end
            self.tripped = True

    def reject(self, path: str | Path, reason: str, exc_info: bool = False) -> None:
        self.rejected.append(self.name(path))
        self.log(logging.ERROR, "Seed %s rejected: %s", self.name(path), reason, exc_info=exc_info)

    def line(self) -> str:
        names = ", ".join(sorted(self.rejected)[:SUMMARY_NAMES])
        if len(self.rejected) > SUMMARY_NAMES:
            names += f", … {len(self.rejected) - SUMMARY_NAMES} more"
        rejected = f"{len(self.rejected)} rejected" + (f" ({names})" if names else "")
        return f"{self.read} seeds read, {self.published} published, {rejected}"


_report: Report | None = None  # of the build under way, printed when it ends


def add_seed_articles(generator) -> None:
    """Read, tag and add every valid seed; report every other file. The seeds and
    posts are made out of the garbage collector's way (collector.py); tagging,
    which makes garbage, is not."""
    global _report
    thaw()
    folder = seeds_path(generator.settings)
    _report = report = Report(folder)
    drop_unsaved()
    with lasting():
        cache = SeedCache(generator.settings)
        seeds = _unique(list(_read_all(report, cache, generator.settings)), report)
    cache.save_when_built()
    tagging = TagRun({seed.digest: seed.text for seed in seeds}, generator.settings)
    settled.tagged_with(tagging.tagger.version)
    # While the process on standby tags the new seeds, make the other posts.
    early = tagging.cached if tagging.on_standby else {}
    with lasting():
        fields = ArticleFields(generator.settings)
        slugged = list(unique_slugs(seeds, report))
        ready = [(seed, slug) for seed, slug in slugged if seed.digest in early]
        articles = list(_articles(ready, early, fields, generator, report))
    tags = tagging.wait()
    with lasting():
        rest = [(seed, slug) for seed, slug in slugged if seed.digest not in early]
        articles += _articles(rest, tags, fields, generator, report)
    if early:  # back in seed order, as a build that made them in one go has them
        order = {seed.digest: index for index, (seed, _) in enumerate(slugged)}
        articles.sort(key=lambda article: order[article.view.seed.digest])
    report.published = len(articles)
    generator.articles = sorted(
        generator.articles + articles, key=lambda a: (a.date, a.slug), reverse=True
    )
    if report.tripped:
        print_summary()
        raise RuntimeError("bad seeds (see above) and `pelican --fatal` is set")


def print_summary(*_) -> None:
    """The summary line of the seeds, once the build is over."""
    global _report
    if _report is not None:
        status(_report.line())
        _report = None


def scan(folder: Path) -> Iterator[tuple[str, str | None]]:
    """Every file under the folder (its path as listed, a str), in path order,
    with the reason it cannot be a seed or None. Hidden files and folders (".git")
    are skipped; symbolic links are followed only to files inside the folder."""
    root = folder.resolve()
    found, hidden = [], []

    folders = [folder]
    while folders:
        parent = folders.pop()
        try:
            with os.scandir(parent) as listing:
                entries = list(listing)
        except OSError as error:  # what it holds is unknown: its posts must not go
            raise UnlistableFolderError(
                f"Seeds folder {parent} cannot be listed ({error.strerror or error}): "
                "nothing built, nothing removed"
            ) from None
        for entry in entries:
            if entry.name.startswith("."):
                hidden.append(Path(entry.path).relative_to(folder).as_posix())
            elif entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            else:  # a regular file, or a link, FIFO, … that _problem names
                regular = entry.is_file(follow_symlinks=False)
                found.append((entry.path, None if regular else _problem(Path(entry.path), root)))
    if hidden:
        skipped = ", ".join(sorted(hidden))
        logger.info("Seeds folder %s: hidden entries skipped: %s", folder, skipped)
    # In the order of Path objects (their parts), without comparing Path objects.
    found.sort(key=lambda item: item[0].split(os.sep))
    yield from found


class UnlistableFolderError(OSError):
    """A folder of the seeds that cannot be listed."""


def _problem(path: Path, root: Path) -> str | None:
    if path.is_symlink():
        target = Path(os.path.realpath(path))  # unlike Path.resolve, no error on a loop
        if not target.is_relative_to(root):
            return f"symbolic link to {target}, outside the seeds folder: refused"
        if target.is_dir():
            return "symbolic link to a folder: not followed"
    if not path.exists():
        return "broken symbolic link (or a loop of them)"
    if not path.is_file():
        return "not a regular file"
    return None


def _read_all(report: Report, cache: SeedCache, settings: dict) -> Iterator[Seed]:
    if not report.folder.is_dir():  # a site with no posts would replace output/
        raise FileNotFoundError(f"SEEDS_PATH {report.folder} is not a folder: nothing built")
    found = list(scan(report.folder))
    cache.stat([path for path, problem in found if problem is None])
    if cache.touched_since_saved():  # a new seed to tag, likely: load the model meanwhile
        standby.start(settings)
    cache.load()
    if cache.changed():
        standby.start(settings)  # if the guess above missed it
    else:
        standby.stop()  # a false alarm: nothing to tag
    for path, problem in found:
        report.read += 1
        try:
            if problem:
                raise SeedError(problem)
            seed = cache.seed(path)
        except SeedError as error:
            report.reject(path, str(error))
            continue
        except OSError as error:
            report.reject(path, f"cannot be read ({error.strerror or error})")
            continue
        if fault := cache.fault(path):
            report.log(logging.ERROR, KEPT, report.name(path), fault)
        for note in seed.notes:
            report.log(logging.INFO, "Seed %s: %s", report.name(path), note)
        for warning in seed.warnings:
            report.log(logging.WARNING, "Seed %s: %s", report.name(path), warning)
        yield seed


def _unique(seeds: list[Seed], report: Report) -> list[Seed]:
    """Drop seeds whose text repeats an earlier one, naming both."""
    first: dict[str, Seed] = {}
    for seed in seeds:
        if seed.digest in first:
            earlier = report.name(first[seed.digest].path)
            report.reject(seed.path, f"same text as {earlier}, which is published")
        else:
            first[seed.digest] = seed
    return list(first.values())


def unique_slugs(seeds: list[Seed], report: Report) -> Iterator[tuple[Seed, str]]:
    """Each seed with a slug unique on its date. When titles collide, the first file
    keeps the plain slug; the others get a suffix from their file name, so their
    URLs stay put when the text is edited or other seeds come and go."""
    taken: dict[tuple, Seed] = {}
    for seed in seeds:
        day = seed.date.date()
        if (day, seed.slug) not in taken:
            taken[day, seed.slug] = seed
            yield seed, seed.slug
            continue
        name = report.name(seed.path)
        digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()
        candidates = chain(
            (f"{seed.slug}-{digest[:size]}" for size in (8, 16, 64)),
            (f"{seed.slug}-{digest}-{n}" for n in count(2)),
        )
        slug = next(s for s in candidates if (day, s) not in taken)
        other = report.name(taken[day, seed.slug].path)
        report.log(
            logging.WARNING,
            "Seed %s: same date and title slug as %s; published as %s",
            name,
            other,
            slug,
        )
        taken[day, slug] = seed
        yield seed, slug


def _articles(slugged, tags, fields, generator, report: Report) -> Iterator[Article]:
    """An article for each seed; a seed that fails is rejected, the build goes on."""
    for seed, slug in slugged:
        try:
            article = make_article(seed, slug, tags[seed.digest], fields, generator)
        except Exception as error:  # as Pelican does for a file its readers fail on
            debug = generator.settings.get("DEBUG", False)
            report.reject(seed.path, f"could not be processed ({error!r})", exc_info=debug)
            continue
        yield article


def make_article(
    seed: Seed, slug: str, tags: Tags | TaggingError, fields: ArticleFields, generator
) -> Article:
    """A Pelican article with what any theme expects (articlefields.py) and, as
    article.view, what our theme shows (postview.py). Its URL is fixed once the
    URL memory gives it (urlmemory.py): Pelican's, from the settings, costs more
    than making the article and is needed for new posts only."""
    if isinstance(tags, TaggingError):
        raise tags
    metadata = {"title": seed.title, "date": seed.date, "slug": slug}
    metadata |= fields.metadata(tags, seed.summary)
    article = Post(
        "",  # made from the seed when read (Post._content)
        metadata=metadata,
        settings=generator.settings,
        source_path=str(seed.path),
        context=generator.context,
    )
    article.view = PostView(seed=seed, tags=tags, lead=seed.summary)
    return article

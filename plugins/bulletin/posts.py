"""Seeds → tagged Pelican articles, added to the articles generator."""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path

from pelican.contents import Article

from .seeds import Seed, SeedError, read_seed
from .settings import seeds_path
from .tagging import EditorialError, Tagger

logger = logging.getLogger(__name__)


def add_seed_articles(generator) -> None:
    """Read, tag and add every valid seed; log an error for every other file
    (so `pelican --fatal errors` fails on it, and plain `pelican` goes on)."""
    folder = seeds_path(generator.settings)
    seeds = _unique(list(_read_all(folder)))
    tagger = make_tagger(generator.settings)
    articles = [_article(seed, slug, generator, tagger) for seed, slug in _slugs(seeds)]
    generator.articles = sorted(
        generator.articles + articles, key=lambda a: (a.date, a.slug), reverse=True
    )


def make_tagger(settings: dict) -> Tagger:
    """The tagger with the editorial file ENTITIES_FILE (relative to PATH); without
    it, saying why, if the file cannot be used."""
    path = Path(settings.get("PATH", "content")) / settings["ENTITIES_FILE"]
    try:
        return Tagger(path)
    except EditorialError as error:
        logger.error("Editorial file ignored: %s", error)
        return Tagger()


def seed_files(folder: Path) -> list[Path]:
    """Every visible regular file in the seeds folder, in name order."""
    if not folder.is_dir():
        logger.warning("Seeds folder %s does not exist: no posts built", folder)
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def _read_all(folder: Path):
    for path in seed_files(folder):
        try:
            seed = read_seed(path)
        except (SeedError, OSError) as error:
            logger.error("Seed %s skipped: %s", path, error)
            continue
        for warning in seed.warnings:
            logger.warning("Seed %s: %s", path, warning)
        yield seed


def _unique(seeds: list[Seed]) -> list[Seed]:
    """Drop seeds whose text repeats an earlier one, saying so."""
    first: dict[str, Seed] = {}
    for seed in seeds:
        if seed.digest in first:
            logger.error("Seed %s skipped: same text as %s", seed.path, first[seed.digest].path)
        else:
            first[seed.digest] = seed
    return list(first.values())


def _slugs(seeds: list[Seed]):
    """Each seed with a slug unique on its date; later files get a digest suffix."""
    taken = set()
    for seed in seeds:
        key = (seed.date.date(), seed.slug)
        slug = seed.slug if key not in taken else f"{seed.slug}-{seed.digest[:8]}"
        taken.add(key)
        yield seed, slug


def _article(seed: Seed, slug: str, generator, tagger: Tagger) -> Article:
    content = "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in seed.paragraphs)
    metadata = {"title": seed.title, "date": seed.date, "slug": slug}
    article = Article(
        content,
        metadata=metadata,
        settings=generator.settings,
        source_path=str(seed.path),
        context=generator.context,
    )
    article.seed = seed
    article.lead = seed.summary
    article.entities = tagger.tag(seed.text)
    return article

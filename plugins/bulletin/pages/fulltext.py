"""Full-text search with Pagefind (https://pagefind.app): the index of every post's
title and text, with its countries, organisations and people as filters and its
date to sort by, written to pagefind/ in the staged build (publish.py moves it
into output/ with the rest, all or nothing).

Pagefind reads one small search record per post, made here from the post itself
(title, text, date, entities), never the page around it: navigation, footers and
related lists cannot enter the index. Records go to a temporary folder, whose
layout gives each its post's URL, and the pagefind binary (installed from PyPI as
pagefind[bin], nothing downloaded) indexes them.

Indexing runs when SEARCH_FULL_TEXT is on (publishconf.py, `make publish`).
pagefind/bulletin-index.json records a digest of everything the index is made
from (the posts' URLs, titles, dates, texts and entities, this module and
Pagefind's version). Any build whose posts give the digest of the index already
in output/ keeps that index as it is, without indexing again; a build that does
not index and finds a stale index lets it go (with a warning), so the search page
falls back to titles and entities rather than serving a stale index. The search
page is told which it has (`full_text_search`).

Pagefind's output is not quite byte-deterministic: its fragments and word index
are, but the filter index lists values in hash-map order, so a filter file (and
the metadata file naming it) can differ between two runs on the same posts
(Pagefind issue #638). Keeping a current index makes repeated builds of the same
seeds leave pagefind/ untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from html import escape
from pathlib import Path

from ..logs import every_time_logger, status

logger = every_time_logger(__name__)

INDEX_FOLDER = "pagefind"
STAMP = "bulletin-index.json"  # in INDEX_FOLDER: what the index was made from
# The URL parameter and Pagefind filter of each kind (/search/?q=water&country=kazakhstan).
FILTERS = {"countries": "country", "organisations": "organisation", "people": "person"}

# Pagefind's ready-made interfaces and the index for pages of no language: the
# search page (theme/static/js/search.js) uses its API, and every record is English.
UNUSED = ("pagefind-*ui.*", "pagefind-highlight.js", "wasm.unknown.pagefind")
# Which of the last build's decisions a Pelican instance's next build must undo.
_RETAINED = "_BULLETIN_RETAINED_INDEX"
_plan = None  # (indexing, keep, digest, articles) of the build under way


def plan(generators) -> None:
    """Before pages are written (all_generators_finalized): decide whether this
    build's site has a full-text index, and tell the search page."""
    context, settings = generators[0].context, generators[0].settings
    articles = context["articles"]
    stamp = _read_stamp(Path(os.path.realpath(settings["OUTPUT_PATH"])))
    # Made only to compare with an index's stamp, or to index (most builds need neither).
    digest = _digest(articles) if stamp is not None or settings.get("SEARCH_FULL_TEXT") else None
    keep = stamp is not None and stamp.get("digest") == digest
    indexing = bool(settings.get("SEARCH_FULL_TEXT")) and not keep
    if not indexing and stamp is not None and not keep:
        logger.warning(
            "The full-text search index in %s/ was made from other posts than this build's: "
            "it is removed, and the search page finds titles and entities only until a "
            "build with SEARCH_FULL_TEXT (make publish) indexes them again",
            INDEX_FOLDER,
        )
    context["full_text_search"] = bool(articles) and (indexing or keep)
    global _plan
    _plan = (indexing, keep, digest, articles)


def finish(pelican) -> None:
    """At the end of a build (finalized, before publish.py moves it into output/):
    write the index into the staged build, or keep the current one."""
    global _plan
    settings = pelican.settings
    (indexing, keep, digest, articles), _plan = _plan or (False, False, "", []), None
    retention = [r for r in settings.get("OUTPUT_RETENTION", []) if r != settings.get(_RETAINED)]
    settings[_RETAINED] = None
    if keep and INDEX_FOLDER not in retention:
        retention.append(INDEX_FOLDER)  # publish.py leaves it in output/ as it is
        settings[_RETAINED] = INDEX_FOLDER
    settings["OUTPUT_RETENTION"] = retention
    if not indexing or not articles:
        return
    stats = write_index(articles, Path(pelican.output_path) / INDEX_FOLDER, digest)
    status(f"Full-text search: {stats}")


def write_index(articles: list, folder: Path, digest: str | None = None) -> str:
    """Index the posts into ``folder`` with Pagefind; return its summary line."""
    with tempfile.TemporaryDirectory(prefix="bulletin-search-") as records:
        root = Path(records)
        for article in articles:
            path = root / article.url / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(search_record(article), encoding="utf-8")
        result = subprocess.run(
            [str(_binary()), "--site", str(root), "--output-path", str(folder)]
            + ["--force-language", "en", "--quiet"],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode:
        raise RuntimeError(f"pagefind failed ({result.returncode}): {result.stderr.strip()}")
    for line in (result.stdout + result.stderr).splitlines():
        if line.strip():
            logger.warning("pagefind: %s", line.strip())  # --quiet: warnings and errors only
    for pattern in UNUSED:
        for path in folder.glob(pattern):
            path.unlink()
    stamp = {"digest": digest or _digest(articles), "posts": len(articles)}
    (folder / STAMP).write_text(json.dumps(stamp, sort_keys=True) + "\n", encoding="utf-8")
    return f"{len(articles)} posts indexed into {INDEX_FOLDER}/"


def search_record(article) -> str:
    """What Pagefind indexes of a post: its title and text, its date as metadata and
    sort key, its entities as filters (by slug) and as metadata to show."""
    view = article.view
    date = article.date.date().isoformat()
    pages = [(kind, page) for kind, tagged in view.tagged.items() for _tag, page in tagged]
    entities = [[FILTERS[kind], page.name, page.url] for kind, page in pages]
    filters = "".join(
        f'<meta data-pagefind-filter="{FILTERS[kind]}[content]" content="{escape(page.slug)}">'
        for kind, page in pages
    )
    meta = escape(json.dumps(entities, ensure_ascii=False, separators=(",", ":")))
    # Only the <main> is indexed: the text, whose lead the title is taken from (so the
    # title is not indexed twice). Filters and metadata are read from anywhere.
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>'
        f'<main data-pagefind-body data-pagefind-sort="date:{date}" '
        f'data-pagefind-meta="date:{date}">'
        f"{article.content}</main>"
        f'<meta data-pagefind-meta="title[content]" content="{escape(article.title)}">'
        f'{filters}<meta data-pagefind-meta="entities[content]" content="{meta}">'
        "</body></html>\n"
    )


def _digest(articles: list) -> str:
    """Everything the index is made from: each post's record, this module and Pagefind."""
    h = hashlib.sha256()
    h.update(Path(__file__).read_bytes())
    h.update(_binary_version().encode())
    for article in articles:
        view = article.view
        h.update(
            json.dumps(
                [
                    article.url,
                    article.title,
                    article.date.date().isoformat(),
                    view.seed.digest,
                    [[k, [(p.name, p.url, p.slug) for _, p in t]] for k, t in view.tagged.items()],
                ],
                ensure_ascii=False,
            ).encode()
        )
    return h.hexdigest()


def _read_stamp(output: Path) -> dict | None:
    """What the index in output/ was made from (None: no index there)."""
    folder = output / INDEX_FOLDER
    if not folder.is_dir():
        return None
    try:
        return json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # an index of unknown origin counts as stale


def _binary() -> Path:
    from pagefind.service import get_executable

    path = get_executable()
    if path is None:
        raise RuntimeError("the pagefind binary is missing: install pagefind[bin] (make)")
    return path


def _binary_version() -> str:
    from importlib.metadata import version

    return version("pagefind_bin")

"""Tag many seeds at once: cached by seed digest and tagger version, misses
tagged on standby or in parallel (tagpool.py).

The tag cache is one store file (store.py: an entry per seed, each with its
checksum) under ``CACHE_PATH/bulletin-tags/``, keyed by the
tagger version: any change to the tagger's code, data, editorial file or model
gives a new version, hence a retag of every seed (never a stale tag). The costly
part of tagging, the name recogniser, is cached apart under
``CACHE_PATH/bulletin-ner/`` by model version: its memo of each seed
(ner.read) depends on the text alone, so a retag after an edit of the
editorial file runs the model only on the parts of texts it has not read. A
missing cache is rebuilt; a damaged entry is reported and tagged again.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .. import store
from ..collector import lasting
from ..store import Store, save_when_built
from ..tagging import Tagger, Tags, load_tagger, ner
from . import standby
from .tagpool import BatchTagger, TaggingError, tag_texts

logger = logging.getLogger(__name__)

CACHE_DIR = "bulletin-tags"
NER_CACHE_DIR = "bulletin-ner"


def make_tagger(settings: dict) -> Tagger:
    """The tagger with the editorial file ENTITIES_FILE (relative to PATH)."""
    return load_tagger(Path(settings["PATH"], settings["ENTITIES_FILE"]))


def tag_all(texts: dict[str, str], settings: dict) -> dict[str, Tags | TaggingError]:
    """The Tags of every text, keyed like ``texts`` (by seed digest), or the
    TaggingError of a text the tagger failed on."""
    tagger = make_tagger(settings)
    folder, cached = Path(settings["CACHE_PATH"]), settings["TAG_CACHE"]
    cache = Store(folder / CACHE_DIR, tagger.version)
    memos = Store(folder / NER_CACHE_DIR, ner.version_key())
    with lasting():  # they last the build (collector.py)
        known = cache.load() if cached else {}
    misses = [digest for digest in texts if digest not in known]
    memo = memos.load() if cached and misses else {}
    jobs = [(texts[digest], memo.get(digest, {})) for digest in misses]
    fresh = _tag_on_standby(jobs, tagger)
    if fresh is None:
        fresh = tag_texts(jobs, BatchTagger(tagger), settings["TAG_WORKERS"])
    for digest, (tags, text_memo) in zip(misses, fresh, strict=True):
        known[digest], memo[digest] = tags, text_memo
    result = {digest: known[digest] for digest in texts}
    logger.info(
        "Tags: %d seeds, %d from cache, %d tagged",
        len(texts),
        len(texts) - len(misses),
        len(misses),
    )
    if cached and (misses or len(known) != len(result)):
        good = {d: tags for d, tags in result.items() if not isinstance(tags, TaggingError)}
        save_when_built(cache, good)
        if misses:
            save_when_built(memos, {d: memo[d] for d in texts if d in memo})
    return result


def start_standby(settings: dict) -> None:
    """Have a process load the name recogniser now (see standby.py)."""
    tagger = make_tagger(settings)
    standby.start(BatchTagger(tagger), tagger.version)


def _tag_on_standby(jobs: list, tagger: Tagger) -> list | None:
    """The jobs' results from the process on standby, or None (none, too many
    jobs, or it failed): stopped either way."""
    helper = standby.take()
    if helper is None:
        return None
    if not jobs or len(jobs) > standby.MOST or helper.version != tagger.version:
        helper.stop()
        return None
    try:
        results = helper.tag(jobs)
        logger.info("Tagged %d seeds in the process on standby", len(results))
        return results
    except (EOFError, OSError) as error:
        logger.warning("Tagging process on standby failed (%s): tagging here", error)
        return None


def drop_unsaved() -> None:
    """At the start of a build: forget the caches an earlier, failed one left
    unsaved, and its process on standby."""
    store.drop_unsaved()
    if (helper := standby.take()) is not None:
        helper.stop()

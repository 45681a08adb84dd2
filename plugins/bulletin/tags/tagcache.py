"""Tag many seeds at once: cached by seed digest and tagger version, misses
tagged on standby or in parallel (tagpool.py).

The tag cache is one store file (store.py: an entry per seed, in checksummed
records of a few dozen) under ``CACHE_PATH/bulletin-tags/``, keyed by the
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
from ..store import Pickled, Store, save_when_built
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
    return TagRun(texts, settings).wait()


class TagRun:
    """Tagging texts (keyed by seed digest): ``cached`` holds the tags the cache
    has at once; wait() gives them all. The misses go, if they are few, to the
    process on standby as soon as the run starts, so the caller may do other
    work (make the posts whose tags are cached) while they are tagged;
    otherwise wait() tags them, in parallel if they are many."""

    def __init__(self, texts: dict[str, str], settings: dict):
        self.texts = texts
        self.tagger, self.workers = make_tagger(settings), settings["TAG_WORKERS"]
        folder, self.enabled = Path(settings["CACHE_PATH"]), settings["TAG_CACHE"]
        self.cache = Store(folder / CACHE_DIR, self.tagger.version)
        self.memos = Store(folder / NER_CACHE_DIR, ner.version_key())
        with lasting():  # they last the build (collector.py)
            self.known = self.cache.load() if self.enabled else {}
        self.cached = {d: self.known[d] for d in texts if d in self.known}
        self.misses = [digest for digest in texts if digest not in self.known]
        # Memos of the misses only are needed (none for a new text): unpickled then.
        self.memo = self.memos.load(lazy=True) if self.enabled and self.misses else {}
        self.jobs = [(texts[digest], self._memo(digest)) for digest in self.misses]
        self.helper = _send_to_standby(self.jobs, self.tagger)

    def _memo(self, digest: str) -> ner.Memo:
        memo = self.memo.get(digest)
        return memo.value({}) if isinstance(memo, Pickled) else {}

    @property
    def on_standby(self) -> bool:
        """Whether the misses are being tagged in the process on standby."""
        return self.helper is not None

    def wait(self) -> dict[str, Tags | TaggingError]:
        texts, misses, known, memo = self.texts, self.misses, self.known, self.memo
        fresh = _receive(self.helper) if self.helper is not None else None
        if fresh is None:
            fresh = tag_texts(self.jobs, BatchTagger(self.tagger), self.workers)
        for digest, (tags, text_memo) in zip(misses, fresh, strict=True):
            known[digest], memo[digest] = tags, text_memo
        result = {digest: known[digest] for digest in texts}
        logger.info(
            "Tags: %d seeds, %d from cache, %d tagged",
            len(texts),
            len(texts) - len(misses),
            len(misses),
        )
        if self.enabled and (misses or len(known) != len(result)):
            good = {d: tags for d, tags in result.items() if not isinstance(tags, TaggingError)}
            save_when_built(self.cache, good)
            if misses:
                save_when_built(self.memos, {d: memo[d] for d in texts if d in memo})
        return result


def _send_to_standby(jobs: list, tagger: Tagger) -> standby.Standby | None:
    """The process on standby, tagging the jobs, or None (none, too many jobs,
    or it failed): stopped then."""
    helper = standby.take()
    if helper is None:
        return None
    if not jobs or len(jobs) > standby.MOST:
        helper.stop()
        return None
    try:
        helper.send(tagger.version, jobs)
    except OSError as error:
        _failed(error)
        return None
    return helper


def _receive(helper: standby.Standby) -> list | None:
    """The results of the process on standby, or None if it failed (or its
    tagger is not this build's: the editorial file changed meanwhile)."""
    try:
        results = helper.receive()
    except (EOFError, OSError) as error:
        _failed(error)
        return None
    if results is None:
        logger.info("The process on standby has another tagger's version: tagging here")
        return None
    logger.info("Tagged %d seeds in the process on standby", len(results))
    return results


def _failed(error: Exception) -> None:
    logger.warning("Tagging process on standby failed (%s): tagging here", error)


def drop_unsaved() -> None:
    """At the start of a build: forget the caches an earlier, failed one left
    unsaved (its process on standby is stopped as the build starts:
    standby.start_if_written)."""
    store.drop_unsaved()

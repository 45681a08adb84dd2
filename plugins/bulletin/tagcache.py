"""Tag many seeds at once: cached by seed digest and tagger version, misses
tagged in parallel.

The tag cache is one pickle under ``CACHE_PATH/bulletin-tags/``, keyed by the
tagger version: any change to the tagger's code, data, editorial file or model
gives a new version, hence a retag of every seed (never a stale tag). The costly
part of tagging, the name recogniser, is cached apart under
``CACHE_PATH/bulletin-ner/`` by model version: its memo of each seed
(ner.read) depends on the text alone, so a retag after an edit of the
editorial file runs the model only on the parts of texts it has not read. A
missing or unreadable cache is rebuilt, with a log line.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import standby
from .tagging import Tagger, Tags, load_tagger, ner

logger = logging.getLogger(__name__)

CACHE_DIR = "bulletin-tags"
NER_CACHE_DIR = "bulletin-ner"
# A pool pays off when the texts would take POOL_WORTH seconds here, each at
# least PER_TEXT (sending texts and tags between processes costs ~0.1 ms each);
# estimated on SAMPLE texts.
POOL_WORTH = 1.0
PER_TEXT = 0.001
SAMPLE = 16
# Texts go to the tagger BATCH at a time (its name recogniser reads a batch's
# texts together); small enough that no core waits long for the last batch.
BATCH = 32


class TaggingError(Exception):
    """What the tagger raised on a text; such results are not cached."""


def make_tagger(settings: dict) -> Tagger:
    """The tagger with the editorial file ENTITIES_FILE (relative to PATH)."""
    return load_tagger(Path(settings["PATH"], settings["ENTITIES_FILE"]))


def tag_all(texts: dict[str, str], settings: dict) -> dict[str, Tags | TaggingError]:
    """The Tags of every text, keyed like ``texts`` (by seed digest), or the
    TaggingError of a text the tagger failed on."""
    tagger = make_tagger(settings)
    folder, cached = Path(settings["CACHE_PATH"]), settings["TAG_CACHE"]
    cache = TagCache(folder / CACHE_DIR, tagger.version)
    memos = TagCache(folder / NER_CACHE_DIR, ner.version_key())
    known = cache.load() if cached else {}
    misses = [digest for digest in texts if digest not in known]
    memo = memos.load() if cached and misses else {}
    jobs = [(texts[digest], memo.get(digest, {})) for digest in misses]
    fresh = _tag_on_standby(jobs, tagger)
    if fresh is None:
        fresh = tag_texts(jobs, _Tag(tagger), settings["TAG_WORKERS"])
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
    standby.start(_Tag(tagger), tagger.version)


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


_pending: list[tuple[TagCache, dict]] = []  # saved when the build succeeds


def save_when_built(cache: TagCache, known: dict) -> None:
    """Save known into the cache if the build succeeds."""
    _pending.append((cache, known))


def drop_unsaved() -> None:
    """At the start of a build: forget what an earlier, failed one left."""
    _pending.clear()
    if (helper := standby.take()) is not None:
        helper.stop()


def save_pending(*_) -> None:
    """On Pelican's finalized signal: save the caches of the build (a failed
    build writes nothing)."""
    global _pending
    pending, _pending = _pending, []
    for cache, known in pending:
        cache.save(known)


class _Tag:
    """Tags a batch of (text, memo) jobs: for each, the Tags or the TaggingError
    the tagger raised (the seed is rejected, the build goes on), with the
    text's completed memo."""

    def __init__(self, tagger: Tagger):
        self.tagger = tagger

    def __call__(
        self, jobs: list[tuple[str, ner.Memo]]
    ) -> list[tuple[Tags | TaggingError, ner.Memo]]:
        texts, memos = [text for text, _ in jobs], [memo for _, memo in jobs]
        try:
            return list(zip(self.tagger.tag_many(texts, memos), memos, strict=True))
        except Exception as error:
            if len(jobs) == 1:
                return [(TaggingError(repr(error)), memos[0])]
            return [result for job in jobs for result in self([job])]  # which one fails


def tag_texts(items: Sequence, tag: Callable[[list], list], workers: int = 0) -> list:
    """tag(batch) over the items, BATCH at a time, the results in order: in a
    process pool over all cores (or ``workers``) when the rest would take long
    here, else in this process.

    The first item is tagged alone (it loads the tagger's data, so forked
    workers share it); the next SAMPLE are timed to estimate the cost of
    tagging the rest here.
    """
    if not items:
        return []
    workers = workers or cores()
    results = tag(list(items[:1]))
    start = time.perf_counter()
    results += tag(list(items[1 : 1 + SAMPLE]))
    per_item = (time.perf_counter() - start) / max(1, len(results) - 1)
    rest = items[len(results) :]
    batches = [list(rest[i : i + BATCH]) for i in range(0, len(rest), BATCH)]
    if workers < 2 or per_item < PER_TEXT or per_item * len(rest) < POOL_WORTH:
        return results + [result for batch in batches for result in tag(batch)]
    with ProcessPoolExecutor(
        workers, mp_context=_context(), initializer=_set_worker_tag, initargs=(tag,)
    ) as pool:
        return results + [result for done in pool.map(_worker_tag, batches) for result in done]


def cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _context():
    """fork where there is one: workers start at once, sharing the loaded tagger."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


_tag: Callable | None = None


def _set_worker_tag(tag: Callable) -> None:
    global _tag
    _tag = tag


def _worker_tag(batch: list) -> list:
    return _tag(batch)


class TagCache:
    """A dict by seed digest (tags, or memos of the name recogniser) for one
    version, in one file."""

    def __init__(self, folder: Path, version: str):
        self.folder = folder
        self.path = folder / f"{version}.pickle"

    def load(self) -> dict:
        if not self.path.exists():
            if self.folder.is_dir() and any(self.folder.glob("*.pickle")):
                logger.info("Cache %s: new version (code, data or model changed)", self.folder)
            return {}
        try:
            with self.path.open("rb") as file:
                known = pickle.load(file)
            if not isinstance(known, dict):
                raise TypeError(f"a {type(known).__name__}, not a dict")
            return known
        except Exception as error:  # any damage (truncated, old classes, …): rebuild
            logger.warning("Cache %s unreadable (%s): rebuilt", self.path, error)
            return {}

    def save(self, known: dict) -> None:
        """Write atomically, and drop the caches of other versions."""
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "wb", dir=self.folder, prefix=".tmp-", delete=False
            ) as file:
                temporary = Path(file.name)
                pickle.dump(known, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
            for old in self.folder.glob("*.pickle"):
                if old != self.path:
                    old.unlink(missing_ok=True)
        except OSError as error:
            logger.warning("Cache %s not saved: %s", self.path, error)
            if temporary is not None:
                temporary.unlink(missing_ok=True)

"""Tagging many texts fast: in batches, in a pool of processes over all cores
when the texts would take long here."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from ..tagging import Tagger, Tags, ner

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


class BatchTagger:
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

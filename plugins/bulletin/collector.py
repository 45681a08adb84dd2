"""The build's long-lived objects kept out of the cyclic garbage collector's way.

A big site's caches, posts, entity pages and page data are millions of objects
that live as long as the build. Each full collection walks all of them: at
10,000 posts, a rebuild spent over a second of CPU in collections that found
nothing to free. So the steps that make them run with the collector off, and
freeze what they made (gc.freeze: later collections skip it); tagging, which
makes garbage, runs with it on, as do processes forked meanwhile. Reference
counting still frees whatever is dropped. When the next build in the same
process starts (tests, the devserver), one full collection frees what the last
one left, and what survives it (modules, the name recogniser's model, which
tagging/ner.py froze for good) is frozen again.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator


def thaw() -> None:
    """At the start of a build: collect what an earlier build in this process
    froze and dropped since (nothing to do in a process's first build)."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
        gc.freeze()


_paused = False  # the collector is off for lasting()


@contextlib.contextmanager
def lasting() -> Iterator[None]:
    """Make objects that last the whole build: no collection meanwhile, then frozen.
    A process forked meanwhile (a tagging process) collects as usual."""
    global _paused
    enabled = gc.isenabled()
    gc.disable()
    _paused = _paused or enabled
    try:
        yield
    finally:
        if enabled:
            _paused = False
            gc.enable()
        gc.freeze()


def _forked() -> None:
    global _paused
    if _paused:
        _paused = False
        gc.enable()


os.register_at_fork(after_in_child=_forked)

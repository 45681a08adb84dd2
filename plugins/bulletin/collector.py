"""The build's long-lived objects kept out of the cyclic garbage collector's way.

A big site's caches, posts, entity pages and page data are millions of objects
that live as long as the build. Each full collection walks all of them: at
10,000 posts, a rebuild spent over a second of CPU in collections that found
nothing to free. So the steps that make them run with the collector off, and
freeze what they made (gc.freeze: later collections skip it). Reference
counting still frees whatever is dropped. When the next build in the same
process starts (tests, the devserver), one full collection frees what the last
one left, and what survives it (modules, the name recogniser's model, which
tagging/ner.py froze for good) is frozen again.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


def thaw() -> None:
    """At the start of a build: collect what an earlier build in this process
    froze and dropped since (nothing to do in a process's first build)."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
        gc.freeze()


@contextlib.contextmanager
def lasting() -> Iterator[None]:
    """Make objects that last the whole build: no collection meanwhile, then frozen."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.freeze()

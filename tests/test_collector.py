"""collector.py: what the build makes is frozen out of the garbage collector's
way, and what it dropped is collected when the next build in the process starts."""

from __future__ import annotations

import gc
import os
import weakref

from bulletin.collector import lasting, thaw


class Node:
    """Refers to itself: only the cyclic collector can free it."""

    def __init__(self):
        self.me = self


def test_objects_made_lasting_are_not_collected_until_the_next_build_thaws_them():
    enabled = gc.isenabled()
    with lasting():
        assert not gc.isenabled()
        dropped = weakref.ref(Node())
    assert gc.isenabled() == enabled
    gc.collect()
    assert dropped() is not None  # frozen: the collector does not see it
    kept = Node()
    with lasting():
        pass
    thaw()
    assert dropped() is None
    assert gc.get_freeze_count() > 0 and kept.me is kept  # what lives is frozen again


def test_a_process_forked_while_objects_are_made_collects_as_usual():
    with lasting():
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # a tagging process, say: it makes garbage
            os.write(writing, b"1" if gc.isenabled() else b"0")
            os._exit(0)
        os.waitpid(pid, 0)
        assert not gc.isenabled()
    assert os.read(reading, 1) == b"1"
    os.close(reading)
    os.close(writing)

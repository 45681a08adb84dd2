"""A process on standby for the name recogniser. Started as soon as reading the
seeds finds a new or changed file, it loads the model (about 0.6 s) while this
process reads the rest; then it tags the few texts the tag cache misses. So a
rebuild after one new seed does not wait for the model to load."""

from __future__ import annotations

import logging
import multiprocessing

from ..tagging import ner

MOST = 64  # texts it tags; more go to the pool over all cores (tagcache.tag_texts)
logger = logging.getLogger(__name__)


class Standby:
    """A forked process that loads the model, then runs tag on the one batch it is sent."""

    def __init__(self, tag, version: str):
        self.version = version  # of the tagger in tag
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, tag), daemon=True)
        self.process.start()
        child.close()

    def tag(self, jobs: list) -> list:
        """tag(jobs) in the process (raises EOFError or OSError if it died)."""
        try:
            self.connection.send(jobs)
            return self.connection.recv()
        finally:
            self.stop()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.connection.close()


def _serve(connection, tag) -> None:
    ner.pipeline()
    try:
        jobs = connection.recv()
    except EOFError:  # not needed after all
        return
    connection.send(tag(jobs))


_standby: Standby | None = None


def start(tag, version: str) -> None:
    """Start the process on standby (once a build; only where processes fork)."""
    global _standby
    if _standby is None and "fork" in multiprocessing.get_all_start_methods():
        _standby = Standby(tag, version)


def take() -> Standby | None:
    """The process on standby, if any (the caller tags with it or stops it)."""
    global _standby
    found, _standby = _standby, None
    return found

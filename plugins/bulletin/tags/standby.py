"""A process on standby for the name recogniser. Started as soon as a build finds
a new or changed seed file (before it loads its caches), it loads the model
(0.7 to 1.3 s) while this process reads the seeds and caches; then it tags the
few texts the tag cache misses while this process makes the other posts. So a
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

    def send(self, jobs: list) -> None:
        """Have the process tag the jobs (raises EOFError or OSError if it died;
        then it is stopped). Returns at once unless they fill the pipe."""
        try:
            self.connection.send(jobs)
        except BaseException:
            self.stop()
            raise

    def receive(self) -> list:
        """The results of tag(jobs) sent (raises EOFError or OSError if it died);
        the process is stopped either way."""
        try:
            return self.connection.recv()
        finally:
            self.stop()

    def tag(self, jobs: list) -> list:
        """tag(jobs) in the process (raises EOFError or OSError if it died)."""
        self.send(jobs)
        return self.receive()

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

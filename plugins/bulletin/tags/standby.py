"""A process on standby for the name recogniser. Started as soon as a build knows
that a seed file was written since the seed cache was saved (when the up-to-date
check has stamped the seeds folder, before the build imports its own code; else,
posts.py starts it once the seed files are stamped), it imports the tagger and
loads the model (about 2 s) while this process imports the build's code and reads
the seeds and caches; then it tags the few texts the tag cache misses while this
process makes the other posts. So a rebuild after one new seed does not wait for
the model to load. A build that ends, built or failed, stops it (stop)."""

from __future__ import annotations

import logging
import multiprocessing

from ..seeds.seedcache import saved_ns

MOST = 64  # texts it tags; more go to the pool over all cores (tagcache.tag_texts)
logger = logging.getLogger(__name__)


class Standby:
    """A forked process that makes the tagger of the settings and loads the
    model, then tags the one batch it is sent (if its tagger's version is the
    one the batch was meant for)."""

    def __init__(self, settings: dict):
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, settings), daemon=True)
        self.process.start()
        child.close()

    def send(self, version: str, jobs: list) -> None:
        """Have the process tag the jobs with the tagger of that version (raises
        EOFError or OSError if it died; then it is stopped). Returns at once
        unless they fill the pipe."""
        try:
            self.connection.send((version, jobs))
        except BaseException:
            self.stop()
            raise

    def receive(self) -> list | None:
        """The results of the jobs sent, None if the process' tagger is not of
        the version asked for (raises EOFError or OSError if it died); the
        process is stopped either way."""
        try:
            return self.connection.recv()
        finally:
            self.stop()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.connection.close()


def _serve(connection, settings: dict) -> None:
    try:
        from ..tagging import ner  # imported here: the build forks before it imports them
        from .tagcache import make_tagger
        from .tagpool import BatchTagger

        tagger = make_tagger(settings)
        ner.pipeline()
        version, jobs = connection.recv()
    except (Exception, KeyboardInterrupt):
        # An editorial file that cannot be used, Ctrl-C, not needed after all (the
        # pipe closed): nothing to say here. The build, which gets nothing from the
        # pipe, makes its own tagger and tags, or says what is wrong itself.
        return
    connection.send(BatchTagger(tagger)(jobs) if version == tagger.version else None)


_standby: Standby | None = None


def start(settings: dict) -> None:
    """Start the process on standby (once a build; only where processes fork)."""
    global _standby
    if _standby is None and "fork" in multiprocessing.get_all_start_methods():
        _standby = Standby(settings)


def start_if_written(settings: dict, newest_seed_change: int | None) -> None:
    """When a build starts: stop a process an earlier, failed build left; start
    one if a seed file was written (its ctime, newest_seed_change, is not older)
    since the seed cache was saved, a quick guess that there is a seed to tag.
    Nothing on a first build, or without the check's stamps (None)."""
    stop()
    saved = saved_ns(settings)
    if newest_seed_change is not None and saved is not None and newest_seed_change >= saved:
        start(settings)


def take() -> Standby | None:
    """The process on standby, if any (the caller tags with it or stops it)."""
    global _standby
    found, _standby = _standby, None
    return found


def stop() -> None:
    """Stop the process on standby, if any."""
    if (helper := take()) is not None:
        helper.stop()

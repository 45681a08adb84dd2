"""The output phase on all cores. Once every generator has its context, the
build forks: each process renders and writes its own share of the files (by a
hash of their path; static files are the first process' share), and the first
one waits for the others before the build goes on. The files are the bytes a
single process writes. Every file goes through publish.put.

Settings: OUTPUT_WORKERS, processes (0: one per core; 1: no fork);
PARALLEL_MIN_ARTICLES, the smallest site worth a fork.
"""

from __future__ import annotations

import functools
import gc
import io
import logging
import os
import sys
import traceback
import zlib
from pathlib import Path

from pelican.generators import ArticlesGenerator, StaticGenerator
from pelican.writers import FileOverwriteFailedError, Writer

from ..pages.pagekeys import page_key, site_version
from ..pages.themes import written_for_bulletin
from ..tags.tagpool import cores
from . import publish, uptodate

logger = logging.getLogger(__name__)

_share = (0, 1)  # this process' index, and how many share the output
_children: list[int] = []
_generators: list = []


def owns(path) -> bool:
    """Whether this process writes the output file at path (a path relative to
    the output folder, always given the same way for one file)."""
    index, count = _share
    return count == 1 or zlib.crc32(os.fsencode(path)) % count == index


class ShareWriter(Writer):
    """Pelican's writer, writing only this process' share of the files, through
    publish.put."""

    def write_file(self, name, template, context, *args, **kwargs):
        """Pelican's write_file, if this process owns the file and the last
        build did not render it from the same inputs (pagekeys.py)."""
        if owns(name):
            keyed = written_for_bulletin(self.settings)  # else render every page
            key = page_key(template.name, kwargs) if keyed else None
            write = functools.partial(super().write_file, name, template, context, *args, **kwargs)
            publish.render_once(name, key, write)

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        if path is None or owns(path):
            return super().write_feed(elements, context, path, *args, **kwargs)
        return None

    def _open_w(self, filename, encoding, override=False):
        """Pelican's checks against writing one file twice, then a buffer that
        publish.put writes when it is closed."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f"{filename} overwritten a second time")
            return io.StringIO()  # the overriding file stays
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(f"{filename} written twice")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _Put(Path(filename), encoding)


class _Put(io.StringIO):
    """A page as Pelican writes it, handed to publish.put when closed."""

    def __init__(self, path: Path, encoding: str):
        super().__init__()
        self.path, self.codec = path, encoding

    def close(self):
        if not self.closed:
            publish.put(self.path, self.getvalue().encode(self.codec))
        super().close()


def remember_generators(generators) -> None:
    """On all_generators_finalized: the generators whose output is shared."""
    _generators[:] = generators


def share_output(pelican) -> type[Writer]:
    """On get_writer: fork the output processes (if the site is worth it)."""
    settings = pelican.settings
    if _generators:
        compared = {k: v for k, v in settings.items() if k not in uptodate.UNCOMPARED}
        publish.set_version(site_version(compared, _generators[0].context))
    count = settings["OUTPUT_WORKERS"] or cores()
    articles = sum(len(g.articles) for g in _generators if isinstance(g, ArticlesGenerator))
    if count > 1 and articles >= settings["PARALLEL_MIN_ARTICLES"] and _generators:
        _fork(count)
    return ShareWriter


def _fork(count: int) -> None:
    global _share
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    gc.freeze()  # the collector would touch, hence copy, every page the processes share
    for index in range(1, count):
        pid = os.fork()
        if pid == 0:
            _share = (index, count)
            _children.clear()
            _run_as_child()
            return
        _children.append(pid)
    _share = (0, count)
    last = _generators[-1]
    for generator in _generators:
        generator.generate_output = _waiting(generator.generate_output, generator is last)


def _waiting(generate, last: bool):
    """The first process' generate_output: after the last generator, or on any
    failure, wait for the others; fail if one of them failed."""

    def run(writer):
        try:
            generate(writer)
        except BaseException:
            _wait()
            raise
        if not last:
            return
        count = _share[1]
        if failed := _wait():
            raise RuntimeError(f"{failed} of the output processes failed (see above)")
        publish.take_over(count)

    return run


def _run_as_child() -> None:
    """Make this forked process write its share and exit after the last
    generator, never returning into Pelican (or into whatever called it)."""
    last = _generators[-1]
    for generator in _generators:
        generate = generator.generate_output
        if isinstance(generator, StaticGenerator):
            generate = _nothing
        generator.generate_output = _guarded(generate, generator is last)


def _guarded(generate, last: bool):
    def run(writer):
        try:
            generate(writer)
            if last:
                publish.hand_over(_share[0])
        except BaseException:
            traceback.print_exc()
            _exit(1)
        if last:
            _exit(0)

    return run


def _nothing(writer) -> None:
    return None


def _exit(code: int) -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


def _wait() -> int:
    """Wait for every child; return how many failed. This process writes every
    file again from now on."""
    global _share
    failed = 0
    for pid in _children:
        _, status = os.waitpid(pid, 0)
        failed += os.waitstatus_to_exitcode(status) != 0
    _children.clear()
    _share = (0, 1)
    return failed  # what is frozen stays so: the next build thaws it (collector.py)

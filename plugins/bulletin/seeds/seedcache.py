"""Seeds as the last build read them, under CACHE_PATH/bulletin-seeds/: a file
whose size, mtime, ctime and inode are unchanged is not read again (the quick
check of make and rsync; any write changes the ctime, even one that puts the
mtime back). Kept by a version of the reading code, one store entry per file
(checksummed with its record, store.py); off with TAG_CACHE."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import os
from pathlib import Path

from ..store import Store, save_when_built
from .seeds import MAX_BYTES, Seed, read_seed

CACHE_DIR = "bulletin-seeds"
HERE = Path(__file__).resolve().parent.parent  # the bulletin package
# The up-to-date check's listing of the seeds folder (uptodate.Listed), for the
# build it started: its stamps are taken once a build, not twice.
_listed = None


def listed_by_check(listed) -> None:
    """The check's listing of the seeds folder, for the next stat(); None: stat
    every file."""
    global _listed
    _listed = listed


class SeedCache:
    """Reads seeds, through the cache of the last build."""

    def __init__(self, settings: dict):
        self.enabled = settings["TAG_CACHE"]
        self.store = Store(Path(settings["CACHE_PATH"], CACHE_DIR), _version())
        self.known: dict[str, tuple[tuple, Seed]] = {}
        self.stamps: dict[str, tuple] = {}
        self.read: dict[str, tuple[tuple, Seed]] = {}
        self.faults: dict[str, str] = {}

    def stat(self, paths: list[str]) -> None:
        """Take the stamps of the files about to be read: those the up-to-date
        check took just before the build started, if it did (a file changed since
        then is seen by the next check, whose stamp differs from the one this build
        records), and the others'."""
        global _listed
        listed, _listed = (_listed.stamps() if _listed is not None else {}), None
        for path in paths:
            if (stamp := listed.get(path)) is not None:
                self.stamps[path] = stamp
                continue
            with contextlib.suppress(OSError):  # read_seed will say what is wrong
                self.stamps[path] = _stamp(path)

    def touched_since_saved(self) -> bool:
        """Whether a file stat() saw was written since the last build saved the
        cache (its ctime is not older): a quick guess at changed(), before the
        cache is loaded; False on a first build."""
        saved = self._saved()
        return saved is not None and any(stamp[2] >= saved for stamp in self.stamps.values())

    def load(self) -> None:
        """Load what the last build read."""
        self.known = self.store.load() if self.enabled else {}

    def changed(self) -> bool:
        """Whether any of the files stat() saw is new or changed since the last
        build (False on a first build). A file the last build could not read
        (rejected, so not in the cache) counts only if written since."""
        saved = self._saved()
        if not self.known or saved is None:
            return False
        for key, stamp in self.stamps.items():
            last = self.known.get(key)
            if (stamp[2] >= saved) if last is None else last[0] != stamp:
                return True
        return False

    def _saved(self) -> int | None:
        """When the last build saved the cache (ns), or None."""
        return _saved(self.store.path) if self.enabled else None

    def seed(self, path: str) -> Seed:
        """The seed of a file (raises like read_seed). A file that cannot be read
        now, or that changed while it was read, gives the seed the last build
        read from it, if any (the reason is in ``faults``): a transient fault
        never unpublishes a post."""
        key = os.fspath(path)
        last = self.known.get(key)
        try:
            stamp = self.stamps.get(key) or _stamp(path)
            if last is not None and last[0] == stamp:
                self.read[key] = last
                return last[1]
            seed = read_seed(path)
            if _stamp(path) != stamp:
                raise SeedChangedError("changed while being read (still being written?)")
        except OSError as error:
            if last is None:
                raise
            self.faults[key] = _reason(error)
            self.read[key] = last  # read again next time
            return last[1]
        self.read[key] = (stamp, seed)
        return seed

    def fault(self, path: str) -> str | None:
        """Why the seed of path is the one the last build read, not the file's."""
        return self.faults.pop(os.fspath(path), None)

    def save_when_built(self) -> None:
        if self.enabled and self.read != self.known:
            save_when_built(self.store, self.read)


def saved_ns(settings: dict) -> int | None:
    """When the last build saved the seed cache of these settings (ns), or None."""
    if not settings["TAG_CACHE"]:
        return None
    return _saved(Store(Path(settings["CACHE_PATH"], CACHE_DIR), _version()).path)


def _saved(path: Path) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


class SeedChangedError(OSError):
    """A seed file that changed while it was read."""


def _reason(error: OSError) -> str:
    if isinstance(error, SeedChangedError):
        return str(error)
    return f"cannot be read ({error.strerror or error})"


def _stamp(path: Path) -> tuple:
    info = os.stat(path)
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


@functools.cache
def _version() -> str:
    digest = hashlib.sha256(f"{importlib.metadata.version('pelican')} {MAX_BYTES}".encode())
    for name in ("seeds/seeds.py", "slugs.py", "data/html_elements.txt"):
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:16]

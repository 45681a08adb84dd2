"""The one file format of the build's caches (tags, recogniser memos, seeds, the
output manifest): entries by key, each carrying a checksum of its content.

A store file is MAGIC, then one record per entry::

    key length, value length (4 bytes each, big-endian) | key (UTF-8) | value (pickle)
    | blake2b-128 of everything before it in the record

A record whose checksum does not match (a flipped bit, a torn write, an edit) is
reported and dropped, so the build makes that entry again; it is never used. A
broken length ends the reading there: the entries after it are dropped too. A
value is unpickled only once its checksum matched. Files are written whole to a
temporary file and renamed into place, so a killed build leaves the old file.

Caches are saved only when the build succeeds (save_when_built, then
save_pending on Pelican's finalized signal).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import struct
import tempfile
from pathlib import Path

from .logs import every_time_logger

logger = every_time_logger(__name__)
MAGIC = b"bulletin cache 1\n"
SUFFIX = ".store"
_LENGTHS = struct.Struct(">II")
_DIGEST = 16


def _checksum(data) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST).digest()


class Store:
    """A dict of picklable values by str key, for one version, in one file of
    the folder (with drop_others, files of other versions are removed when it
    is saved)."""

    def __init__(self, folder: Path, version: str, drop_others: bool = True):
        self.folder = folder
        self.path = folder / f"{version}{SUFFIX}"
        self.drop_others = drop_others
        # As loaded, to save again: each value, and where its record is in the file
        # (its bytes are read again when saved, not held meanwhile).
        self._records: dict[str, tuple[object, int, int]] = {}
        self._source: tuple | None = None  # the identity of the file loaded

    def load(self, lazy: bool = False, keep: bool = True) -> dict:
        """The entries that are intact; the damage, if any, is reported. With
        lazy, values stay pickled (Pickled) until asked for, and are saved
        again as they were read. With keep False, the records read are not kept
        to be saved again (for a store whose entries are all made anew)."""
        try:
            with open(self.path, "rb") as file:
                self._source = _identity(os.fstat(file.fileno()))
                data = file.read()
        except FileNotFoundError:
            if self.drop_others and any(self.folder.glob(f"*{SUFFIX}")):
                logger.info("Cache %s: new version (code, data or model changed)", self.folder)
            return {}
        except OSError as error:
            logger.warning("Cache %s unreadable (%s): rebuilt", self.path, error)
            return {}
        if not data.startswith(MAGIC):
            logger.warning("Cache %s damaged (not a cache file of this kind): rebuilt", self.path)
            return {}
        entries, damaged, end = self._parse(memoryview(data), lazy, keep)
        if damaged or end < len(data):
            where = "" if end == len(data) else f", and everything after byte {end}"
            logger.warning(
                "Cache %s damaged: %d entries failed their checksum%s; dropped and rebuilt",
                self.path,
                damaged,
                where,
            )
        return entries

    def _parse(self, data: memoryview, lazy: bool, keep: bool) -> tuple[dict, int, int]:
        entries, damaged, at = {}, 0, len(MAGIC)
        while at < len(data):
            if at + _LENGTHS.size > len(data):
                break
            key_size, value_size = _LENGTHS.unpack_from(data, at)
            end = at + _LENGTHS.size + key_size + value_size + _DIGEST
            if end > len(data):
                break
            record = data[at:end]
            at = end
            if _checksum(record[:-_DIGEST]) != record[-_DIGEST:]:
                damaged += 1
                continue
            start = _LENGTHS.size
            try:
                key = bytes(record[start : start + key_size]).decode("utf-8", "surrogateescape")
                pickled = record[start + key_size : -_DIGEST]
                value = Pickled(pickled) if lazy else pickle.loads(pickled)
            except Exception:  # sound checksum, unknown classes (older code): rebuilt
                damaged += 1
                continue
            entries[key] = value
            if keep:
                self._records[key] = (value, at - len(record), at)
        return entries, damaged, at

    def save(self, entries: dict) -> bool:
        """Write atomically, and drop the files of other versions; False if it
        could not be written (reported)."""
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            loaded = self._loaded_bytes()
            with tempfile.NamedTemporaryFile(
                "wb", dir=self.folder, prefix=".tmp-", delete=False
            ) as file:
                temporary = Path(file.name)
                file.write(MAGIC)
                for key, value in entries.items():
                    file.write(self._record(key, value, loaded))
            os.replace(temporary, self.path)
            self._records.clear()  # the file they were in is gone
            for old in self.folder.iterdir() if self.drop_others else ():
                if old != self.path and not old.name.startswith("."):
                    old.unlink(missing_ok=True)
        except OSError as error:
            logger.warning("Cache %s not saved: %s", self.path, error)
            if temporary is not None:
                temporary.unlink(missing_ok=True)
            return False
        return True

    def _loaded_bytes(self) -> bytes | None:
        """The file as loaded, read again if it is still the same file (a store is
        only ever replaced whole, by rename), else None."""
        if not self._records or self._source is None:
            return None
        try:
            with open(self.path, "rb") as file:
                if _identity(os.fstat(file.fileno())) != self._source:
                    return None
                return file.read()
        except OSError:
            return None

    def _record(self, key: str, value, loaded: bytes | None = None) -> bytes:
        name = key.encode("utf-8", "surrogateescape")
        known = self._records.get(key)
        if loaded is not None and known is not None and known[0] is value:
            record = loaded[known[1] : known[2]]  # unchanged since loaded: its bytes again
            head = _LENGTHS.size + len(name)
            if (
                record[_LENGTHS.size : head] == name
                and _checksum(record[:-_DIGEST]) == record[-_DIGEST:]
            ):
                return record
        if isinstance(value, Pickled):  # checked when loaded
            data = bytes(value.data)
        else:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        head = _LENGTHS.pack(len(name), len(data)) + name + data
        return head + _checksum(head)


def _identity(stat: os.stat_result) -> tuple:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


class Pickled:
    """A value of a store loaded lazily: unpickled by value()."""

    __slots__ = ("data",)

    def __init__(self, data: memoryview):
        self.data = data

    def value(self, default=None):
        """The value, or default if it cannot be unpickled (unknown classes)."""
        try:
            return pickle.loads(self.data)
        except Exception:  # a sound checksum (checked on loading), older code
            return default


_pending: list[tuple[Store, dict]] = []  # saved when the build succeeds


def save_when_built(store: Store, entries: dict) -> None:
    """Save entries into the store if the build succeeds."""
    _pending.append((store, entries))


def drop_unsaved() -> None:
    """At the start of a build: forget what an earlier, failed one left."""
    _pending.clear()


def save_pending(*_) -> None:
    """On Pelican's finalized signal: save the caches of the build (a failed
    build writes nothing)."""
    global _pending
    pending, _pending = _pending, []
    for store, entries in pending:
        store.save(entries)

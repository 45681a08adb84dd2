"""The one file format of the build's caches (tags, recogniser memos, seeds, the
output manifest): entries by key, in records of a few dozen entries, each record
carrying a checksum of its content.

A store file is MAGIC, then records::

    entries, keys' length, values' length (4 bytes each, big-endian)
    | keys (a pickled tuple of str) | values (one pickled tuple, in the keys' order)
    | blake2b-128 of everything before it in the record

Entries keep the order they were saved in. A record ends after an entry whose key's
CRC-32 is a multiple of RECORD_ENTRIES (about that many entries a record), so where
records end depends on the keys alone: adding or changing an entry changes its own
record, and saving again copies the others' bytes (below). One record per entry (the
format before, MAGIC_1) cost a rebuild of 10,000 seeds an unpickling and a checksum
per entry; files of that format are still read, and saved in this one.

A record whose checksum does not match (a flipped bit, a torn write, an edit) is
reported and its entries dropped, so the build makes them again; they are never
used. A broken length ends the reading there: the records after it are dropped too.
Values are unpickled only once the checksum matched. Files are written whole to a
temporary file and renamed into place, so a killed build leaves the old file.

Caches are saved only when the build succeeds (save_when_built, then
save_pending on Pelican's finalized signal).
"""

from __future__ import annotations

import hashlib
import operator
import os
import pickle
import struct
import tempfile
import zlib
from pathlib import Path

from .logs import every_time_logger

logger = every_time_logger(__name__)
MAGIC = b"bulletin cache 2\n"
MAGIC_1 = b"bulletin cache 1\n"  # a record per entry: read, never written
SUFFIX = ".store"
RECORD_ENTRIES = 64  # entries a record holds, on average
_HEAD = struct.Struct(">III")
RECORD_HEAD = _HEAD.size
_LENGTHS = struct.Struct(">II")  # MAGIC_1's records
_DIGEST = 16
_PROTOCOL = pickle.HIGHEST_PROTOCOL


def _checksum(data) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST).digest()


def _ends_record(key: str) -> bool:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % RECORD_ENTRIES == 0


class Store:
    """A dict of picklable values by str key, for one version, in one file of
    the folder (with drop_others, files of other versions are removed when it
    is saved)."""

    def __init__(self, folder: Path, version: str, drop_others: bool = True):
        self.folder = folder
        self.path = folder / f"{version}{SUFFIX}"
        self.drop_others = drop_others
        # As loaded, to save again, by the first key of each record: its keys, its
        # values, and where it is in the file (its bytes are read again when saved,
        # not held meanwhile).
        self._records: dict[str, tuple[tuple, tuple, int, int]] = {}
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
        if data.startswith(MAGIC):
            entries, damaged, end = self._parse(memoryview(data), lazy, keep)
        elif data.startswith(MAGIC_1):
            entries, damaged, end = _parse_1(memoryview(data), lazy)
        else:
            logger.warning("Cache %s damaged (not a cache file of this kind): rebuilt", self.path)
            return {}
        if damaged or end < len(data):
            where = "" if end == len(data) else f", and everything after byte {end}"
            logger.warning(
                "Cache %s damaged: %d records failed their checksum%s; dropped and rebuilt",
                self.path,
                damaged,
                where,
            )
        return entries

    def _parse(self, data: memoryview, lazy: bool, keep: bool) -> tuple[dict, int, int]:
        entries, damaged, at = {}, 0, len(MAGIC)
        while at + _HEAD.size <= len(data):
            count, keys_size, values_size = _HEAD.unpack_from(data, at)
            start, end = at, at + _HEAD.size + keys_size + values_size + _DIGEST
            if end > len(data):
                break
            at = end
            record = data[start:end]
            if _checksum(record[:-_DIGEST]) != record[-_DIGEST:]:
                damaged += 1
                continue
            middle = _HEAD.size + keys_size
            try:
                keys = pickle.loads(record[_HEAD.size : middle])
                if lazy:
                    chunk = _Chunk(record[middle:-_DIGEST])
                    values = tuple(Pickled(chunk, index) for index in range(count))
                else:
                    values = pickle.loads(record[middle:-_DIGEST])
            except Exception:  # sound checksum, unknown classes (older code): rebuilt
                damaged += 1
                continue
            if not (
                count
                and isinstance(keys, tuple)
                and isinstance(values, tuple)
                and len(keys) == len(values) == count
            ):
                damaged += 1
                continue
            entries.update(zip(keys, values, strict=True))
            if keep:
                self._records[keys[0]] = (keys, values, start, end)
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
                keys, values = [], []
                for key, value in entries.items():
                    keys.append(key)
                    values.append(value)
                    if _ends_record(key):
                        file.write(self._record(keys, values, loaded))
                        keys, values = [], []
                if keys:
                    file.write(self._record(keys, values, loaded))
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

    def _record(self, keys: list, values: list, loaded: bytes | None = None) -> bytes:
        known = self._records.get(keys[0])
        if (
            loaded is not None
            and known is not None
            and known[0] == tuple(keys)
            and all(map(operator.is_, known[1], values))
        ):  # unchanged since loaded: its bytes again, if still sound
            record = loaded[known[2] : known[3]]
            if _checksum(record[:-_DIGEST]) == record[-_DIGEST:]:
                return record
        pairs = [
            (k, v.value(_GONE) if isinstance(v, Pickled) else v)
            for k, v in zip(keys, values, strict=True)
        ]
        pairs = [(k, v) for k, v in pairs if v is not _GONE]  # unreadable: made again
        if not pairs:
            return b""
        keys_data = pickle.dumps(tuple(k for k, _ in pairs), protocol=_PROTOCOL)
        values_data = pickle.dumps(tuple(v for _, v in pairs), protocol=_PROTOCOL)
        head = _HEAD.pack(len(pairs), len(keys_data), len(values_data)) + keys_data + values_data
        return head + _checksum(head)


_GONE = object()


def _parse_1(data: memoryview, lazy: bool) -> tuple[dict, int, int]:
    """The entries of a file of the format before (MAGIC_1: a record per entry)."""
    entries, damaged, at = {}, 0, len(MAGIC_1)
    while at + _LENGTHS.size <= len(data):
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
            value = pickle.loads(record[start + key_size : -_DIGEST])
        except Exception:  # sound checksum, unknown classes (older code): rebuilt
            damaged += 1
            continue
        entries[key] = Pickled(_Chunk.of((value,)), 0) if lazy else value
    return entries, damaged, at


def _identity(stat: os.stat_result) -> tuple:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


class _Chunk:
    """The pickled values of one record, unpickled all at once when one of them
    is first asked for (None if they cannot be: unknown classes)."""

    __slots__ = ("data", "values")

    def __init__(self, data: memoryview | None):
        self.data, self.values = data, _GONE

    @classmethod
    def of(cls, values: tuple) -> _Chunk:
        chunk = cls(None)
        chunk.values = values
        return chunk

    def unpickled(self) -> tuple | None:
        if self.values is _GONE:
            try:
                self.values = pickle.loads(self.data)
            except Exception:  # a sound checksum (checked on loading), older code
                self.values = None
            self.data = None
        return self.values


class Pickled:
    """A value of a store loaded lazily: unpickled by value() (with the other
    values of its record)."""

    __slots__ = ("chunk", "index")

    def __init__(self, chunk: _Chunk, index: int):
        self.chunk, self.index = chunk, index

    def value(self, default=None):
        """The value, or default if it cannot be unpickled (unknown classes)."""
        values = self.chunk.unpickled()
        return default if values is None else values[self.index]


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

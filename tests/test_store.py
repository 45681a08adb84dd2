"""The store format (store.py): entries a few dozen to a record, records cut where
their keys say (a new entry changes its own record only); a damaged record loses its
own entries; files of the format before are read; values loaded lazily are
unpickled when asked for and saved again byte for byte."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import struct
import sys
from unittest import mock

import pytest

from bulletin.store import MAGIC, MAGIC_1, RECORD_ENTRIES, RECORD_HEAD, Pickled, Store, _identity


class Gone:
    """A class of older code, gone by the next build."""


def test_a_lazy_load_unpickles_on_demand_and_saves_the_same_bytes(tmp_path):
    store = Store(tmp_path, "v1")
    entries = {"a": {"part": ((0, 3, "ORG"),)}, "b": {}, "c": [1, 2.5, "x"]}
    store.save(entries)
    before = store.path.read_bytes()
    lazy = Store(tmp_path, "v1").load(lazy=True)
    assert set(lazy) == set(entries) and all(isinstance(v, Pickled) for v in lazy.values())
    assert {key: value.value() for key, value in lazy.items()} == entries
    again = Store(tmp_path, "v1")
    loaded = again.load(lazy=True)
    again.save(loaded)
    assert store.path.read_bytes() == before
    loaded["b"] = {"new": ()}  # a fresh value among lazy ones
    again.save(loaded)
    assert Store(tmp_path, "v1").load() == entries | {"b": {"new": ()}}


def test_a_lazy_value_of_a_class_gone_gives_the_default(tmp_path, monkeypatch):
    Store(tmp_path, "v1").save({"a": Gone()})
    monkeypatch.delattr(sys.modules[__name__], "Gone")
    (value,) = Store(tmp_path, "v1").load(lazy=True).values()
    assert value.value({}) == {}
    assert Store(tmp_path, "v1").load() == {}  # eagerly: dropped as damaged


def test_saving_again_reads_unchanged_records_from_the_file_instead_of_holding_them(tmp_path):
    import tracemalloc

    entries = {f"k{n}": "x" * 20_000 + str(n) for n in range(100)}  # 2 MB of records
    Store(tmp_path, "v1").save(entries)
    before = (tmp_path / "v1.store").read_bytes()
    tracemalloc.start()
    try:
        store = Store(tmp_path, "v1")
        loaded = store.load()
        held = tracemalloc.get_traced_memory()[0]
        del store
        assert held - tracemalloc.get_traced_memory()[0] < 200_000  # not the 2 MB again
    finally:
        tracemalloc.stop()
    store = Store(tmp_path, "v1")
    loaded = store.load()
    loaded["k1"] = "changed"
    store.save(loaded)
    assert Store(tmp_path, "v1").load() == entries | {"k1": "changed"}
    assert (tmp_path / "v1.store").read_bytes().replace(b"changed", b"") != before
    store = Store(tmp_path, "v1")
    store.save(store.load())  # nothing changed: the same bytes
    assert store.load() == entries | {"k1": "changed"}


def test_a_file_replaced_since_it_was_loaded_is_not_copied_from(tmp_path):
    store = Store(tmp_path, "v1")
    store.save({"a": "first", "b": "kept"})
    loaded = store.load()
    Store(tmp_path, "v1").save({"a": "other", "b": "other"})  # another build's
    store.save(loaded)
    assert Store(tmp_path, "v1").load() == {"a": "first", "b": "kept"}
    # A record damaged in place (same length) is pickled anew, never copied.
    loaded = store.load()
    data = bytearray(store.path.read_bytes())
    at = data.index(b"kept")
    data[at : at + 4] = b"KEPT"
    store.path.write_bytes(bytes(data))
    store._source = _identity(os.stat(store.path))  # as if unchanged: the checksum decides
    store.save(loaded)
    assert Store(tmp_path, "v1").load() == {"a": "first", "b": "kept"}


def records(path) -> list[bytes]:
    """The records of a store file, as bytes."""
    data, at, found = path.read_bytes(), len(MAGIC), []
    while at < len(data):
        count, keys_size, values_size = struct.unpack_from(">III", data, at)
        end = at + RECORD_HEAD + keys_size + values_size + 16
        found.append(data[at:end])
        at = end
    return found


def test_entries_are_kept_a_few_dozen_to_a_record_cut_where_their_keys_say(tmp_path):
    entries = {f"seed-{n:05d}": ("text", n) for n in range(2_000)}
    store = Store(tmp_path, "v1")
    store.save(entries)
    before = records(store.path)
    assert 2_000 / RECORD_ENTRIES / 3 < len(before) < 2_000 / RECORD_ENTRIES * 3
    loaded = store.load()
    assert list(loaded.items()) == list(entries.items())  # in the order saved
    # One entry added: the others' records are copied as they were, and only the
    # added entry's record is pickled anew.
    added = dict(list(loaded.items())[:700]) | {"seed-new": ("new", -1)}
    added |= dict(list(loaded.items())[700:])
    with mock.patch("bulletin.store.pickle.dumps", wraps=pickle.dumps) as dumps:
        store.save(added)
    assert dumps.call_count == 2  # the keys and the values of one record
    after = records(store.path)
    assert len(set(after) - set(before)) == 1 and len(set(before) - set(after)) <= 1
    assert list(Store(tmp_path, "v1").load().items()) == list(added.items())


def test_a_damaged_record_loses_its_own_entries_only(tmp_path, caplog):
    entries = {f"seed-{n:05d}": f"text of seed {n}" for n in range(1_000)}
    Store(tmp_path, "v1").save(entries)
    path = tmp_path / "v1.store"
    data = bytearray(path.read_bytes())
    at = data.index(b"text of seed 500")
    data[at] ^= 0x20
    path.write_bytes(bytes(data))
    caplog.set_level(logging.WARNING)
    loaded = Store(tmp_path, "v1").load()
    assert "seed-00500" not in loaded and len(loaded) > 1_000 - 3 * RECORD_ENTRIES
    assert all(entries[key] == value for key, value in loaded.items())
    assert [r.getMessage() for r in caplog.records] == [
        f"Cache {path} damaged: 1 records failed their checksum; dropped and rebuilt"
    ]


def format_1(entries: dict) -> bytes:
    """A store file of the format before: a record per entry."""
    data = MAGIC_1
    for key, value in entries.items():
        name, pickled = key.encode(), pickle.dumps(value)
        head = struct.pack(">II", len(name), len(pickled)) + name + pickled
        data += head + hashlib.blake2b(head, digest_size=16).digest()
    return data


@pytest.mark.parametrize("lazy", [False, True])
def test_a_file_of_the_format_before_is_read_and_saved_in_this_one(tmp_path, lazy, caplog):
    entries = {"a": {"part": ((0, 3, "ORG"),)}, "b": "two", "c": [1, 2.5]}
    data = bytearray(format_1(entries))
    data[data.index(b"two")] ^= 0x20  # b damaged: dropped
    (tmp_path / "v1.store").write_bytes(bytes(data))
    store = Store(tmp_path, "v1")
    loaded = store.load(lazy=lazy)
    values = {k: v.value() if lazy else v for k, v in loaded.items()}
    assert values == {"a": entries["a"], "c": entries["c"]}
    assert "1 records failed their checksum" in caplog.text
    store.save(loaded)
    assert store.path.read_bytes().startswith(MAGIC)
    assert Store(tmp_path, "v1").load() == {"a": entries["a"], "c": entries["c"]}

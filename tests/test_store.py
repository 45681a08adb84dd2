"""The store format (store.py): values loaded lazily are unpickled when asked
for and saved again byte for byte."""

from __future__ import annotations

import os
import sys

from bulletin.store import Pickled, Store, _identity


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

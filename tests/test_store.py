"""The store format (store.py): values loaded lazily are unpickled when asked
for and saved again byte for byte."""

from __future__ import annotations

import sys

from bulletin.store import Pickled, Store


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

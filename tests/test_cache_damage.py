"""Verified caches: one byte flipped in any cache file is reported, and the build
makes what it damaged again; its output is byte-identical to a clean build's.

One trial per offset, at six offsets of each cache file (tags, recogniser memos,
seeds, output manifest, related posts, page keys, the record of the last build): the file's header, a length, a key, a letter inside
stored text (its case flipped, so it stays a letter), the middle and the last
byte (a checksum)."""

from __future__ import annotations

import logging
import shutil

import pytest

from bulletin.pages import compiled
from bulletin.store import MAGIC, RECORD_HEAD
from bulletin.tags import tagcache
from conftest import FIXTURES, build_site, tree

UPTODATE = "bulletin-uptodate"  # the record of the last build (publish/uptodate.py)
KINDS = (
    "bulletin-tags",
    "bulletin-ner",
    "bulletin-seeds",
    "bulletin-output",
    "bulletin-related",
    "bulletin-settled",
    UPTODATE,
)
# A word of stored text in each: a seed's text, a tag's name, a file's name.
WORDS = {
    "bulletin-tags": b"Kazakhstan",
    "bulletin-ner": b"Tokayev",
    "bulletin-seeds": b"Tokayev",
    "bulletin-output": b"kazakhstan",
    "bulletin-related": b"kazakhstan",
    "bulletin-settled": b"kazakhstan",
    UPTODATE: b"urls.tsv",
}


def offsets(data: bytes, word: bytes) -> dict[str, tuple[int, int]]:
    """Where to flip a byte, and the bits to flip."""
    return {
        "header": (3, 0x01),
        "length": (len(MAGIC) + 11, 0x01),  # of the first record's values
        "key": (len(MAGIC) + RECORD_HEAD + 14, 0x01),  # in its first key (pickled)
        "text": (data.index(word) + 2, 0x20),
        "middle": (len(data) // 2, 0x01),
        "checksum": (len(data) - 1, 0x01),
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A clean build's output, and a site with its caches, copied away."""
    tmp_path = tmp_path_factory.mktemp("caches")
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "seeds", seeds, ignore=shutil.ignore_patterns("no-date.txt"))
    clean = tree(build_site(tmp_path / "clean", seeds, TAG_CACHE=False))
    build_site(tmp_path / "site", seeds)
    cache = tmp_path / "site/cache"
    # One store file each; the compiled templates are not a store (their damage:
    # test_incremental.py).
    files = sorted(p for p in cache.rglob("*") if p.is_file() and p.parent.name != compiled.FOLDER)
    assert [p.parent.name for p in files] == sorted(KINDS)
    assert all(p.read_bytes().startswith(MAGIC) for p in files)
    shutil.copytree(cache, tmp_path / "pristine")
    return tmp_path, seeds, clean


@pytest.mark.parametrize("where", ["header", "length", "key", "text", "middle", "checksum"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_flipped_byte_is_reported_and_never_used(built, kind, where, caplog):
    tmp_path, seeds, clean = built
    cache = tmp_path / "site/cache"
    shutil.rmtree(cache)
    shutil.copytree(tmp_path / "pristine", cache)
    (path,) = (cache / kind).iterdir()
    data = bytearray(path.read_bytes())
    offset, bits = offsets(bytes(data), WORDS[kind])[where]
    data[offset] ^= bits
    path.write_bytes(bytes(data))
    if kind == "bulletin-ner":  # the memos are read only to tag: tag every seed again
        shutil.rmtree(cache / tagcache.CACHE_DIR)
    caplog.set_level(logging.WARNING)
    # Nothing else changed: only a damaged record lets the build start by itself.
    output = build_site(tmp_path / "site", seeds, FULL_BUILD=kind != UPTODATE)
    assert tree(output) == clean
    assert any(f"Cache {path} damaged" in r.getMessage() for r in caplog.records)

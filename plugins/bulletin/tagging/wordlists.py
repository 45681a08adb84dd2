"""The word lists of the grammar of names (data/names.yml), one list per idea:
titles, honorifics, particles, surname endings, the words that start no name, the
spellings of transliterations…"""

from __future__ import annotations

import functools
from importlib import resources

import yaml

_DATA = resources.files(__package__) / "data" / "names.yml"


@functools.cache
def _lists() -> dict:
    return yaml.safe_load(_DATA.read_text(encoding="utf-8"))


@functools.cache
def wordlist(idea: str) -> frozenset[str]:
    """One list: a YAML list of words or a string of words separated by blanks (the
    form for words YAML would read as booleans: "On", "No")."""
    words = _lists()[idea]
    words = words.split() if isinstance(words, str) else words
    if not all(isinstance(word, str) for word in words):
        raise ValueError(f"{_DATA}: {idea}: not all words are strings: {words}")
    return frozenset(words)


@functools.cache
def spelling_pairs(idea: str) -> tuple[tuple[str, str], ...]:
    """One list of pairs of spellings, in the file's order: a YAML list of
    two-string lists ("[kh, h]")."""
    pairs = _lists()[idea]
    if not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(w, str) for w in p) for p in pairs
    ):
        raise ValueError(f"{_DATA}: {idea}: not all entries are pairs of strings: {pairs}")
    return tuple((a, b) for a, b in pairs)

"""The word lists of the grammar of names (data/names.yml), one list per idea:
titles, honorifics, particles, surname endings, the words that start no name…"""

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

"""Local bodies the region's news names in lower case by their place, level and kind
(data/bodies.yml `local_levels`, `local_kinds`): "Ⲁⲁ district criminal court", "the
Ⲁⲁ city court", "Ⲁⲁ district khokimiyat": an organisation named as written."""

from __future__ import annotations

import functools
import re

from ..slugs import make_slug
from .gazetteer import bodies, countries
from .matcher import Match, covered_mask
from .model import Entity
from .ner import COMMON


def _alternation(words) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@functools.cache
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    """A quick test (a level, then a kind) and the name: one or two capitalised words
    of its place before them."""
    levels = _alternation(bodies()["local_levels"])
    kinds = _alternation(bodies()["local_kinds"])
    return (
        re.compile(rf" (?:{levels}) (?:{kinds})(?![\w-])"),
        re.compile(rf"(?<![\w'’.-])((?:[A-Z][\w'’-]+ ){{1,2}})(?:{levels}) (?:{kinds})(?![\w-])"),
    )


def find_local_bodies(text: str, known: list[Match]) -> list[Match]:
    """The local bodies named by place, level and kind that overlap nothing `known`
    (bodies found; a city's name may be the place, "the Osh city court"), but not
    named by a country's name or adjective ("a Kazakh district court" names none)."""
    quick, name = _patterns()
    if not quick.search(text):  # a quick test first
        return []
    taken = covered_mask(text, known)
    found = []
    for hit in name.finditer(text):
        start = hit.start()
        words = hit.group(1).split()
        while words and words[0] in COMMON:  # "The Ⲁⲁ city court"
            start += len(words.pop(0)) + 1
        if not words or any(taken[start : hit.end()]) or words[0] in countries():
            continue
        surface = text[start : hit.end()]
        found.append(
            Match(start, hit.end(), surface, Entity("organisations", surface, make_slug(surface)))
        )
    return found

"""Find many phrases in a text at once, on word boundaries (Aho-Corasick)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick


def alternation(words: Iterable[str]) -> str:
    """The words as a regular-expression alternation, escaped, the longest first (so
    that "criminal court" is tried before "court")."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    surface: str
    value: object


class PhraseMatcher:
    """Case-sensitive whole-word matching of phrases to values."""

    def __init__(self, phrases: dict[str, object]):
        self._automaton = ahocorasick.Automaton()
        for phrase, value in phrases.items():
            self._automaton.add_word(phrase, (phrase, value))
        if phrases:
            self._automaton.make_automaton()
        self._empty = not phrases

    def find(self, text: str) -> list[Match]:
        """Leftmost-longest, non-overlapping whole-word matches."""
        if self._empty:
            return []
        found = []
        for last, (phrase, value) in self._automaton.iter(text):
            start, end = last - len(phrase) + 1, last + 1
            if _is_boundary(text, start - 1) and _is_boundary(text, end):
                found.append(Match(start, end, phrase, value))
        found.sort(key=lambda m: (m.start, m.start - m.end))
        chosen, reach = [], 0
        for match in found:
            if match.start >= reach:
                chosen.append(match)
                reach = match.end
        return chosen


def _is_boundary(text: str, index: int) -> bool:
    return index < 0 or index >= len(text) or not text[index].isalnum()


def covered_mask(text: str, matches: list[Match]) -> bytearray:
    """1 at the offset of every character inside one of the matches, else 0."""
    mask = bytearray(len(text))
    for match in matches:
        mask[match.start : match.end] = b"\1" * (match.end - match.start)
    return mask


def find_verbatim(
    text: str, phrases: Iterable[str], not_before: re.Pattern, not_after: re.Pattern
) -> list[tuple[int, str]]:
    """(start, phrase) of each occurrence of the phrases in the text that no character
    `not_before` matches precedes and none `not_after` matches follows: at each place
    the longest, left to right, none overlapping. The same as re.finditer with
    (?<!not_before)(?:phrase|…)(?!not_after), the phrases longest first, without
    compiling an expression for every text's own names (Python's cache of compiled
    expressions would thrash)."""
    longest: dict[int, str] = {}
    for phrase in phrases:
        start = text.find(phrase)
        while start >= 0:
            if (
                len(phrase) > len(longest.get(start, ""))
                and not (start and not_before.match(text, start - 1))
                and not not_after.match(text, start + len(phrase))
            ):
                longest[start] = phrase
            start = text.find(phrase, start + 1)
    found, reach = [], 0
    for start in sorted(longest):
        if start >= reach:
            found.append((start, longest[start]))
            reach = start + len(longest[start])
    return found

"""Find many phrases in a text at once, on word boundaries (Aho-Corasick)."""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick


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

"""Bodies named in quotation marks next to their kind in lower case (data/bodies.yml
`kinds_beside_quoted_names`), as the region's news writes parties, movements and
foundations: "the “Ⲁⲁ Ⲃⲃ” party", "the national movement «Ⲁⲁ»", "the "Ⲁⲁ"
Democratic Party" (then named "Ⲁⲁ Democratic Party"); an acronym in brackets right
after the quotes ("“Ⲁⲁ Ⲃⲃ”(ⲀⲂ) party") and its later mentions are the same body."""

from __future__ import annotations

import functools
import re

from ..slugs import make_slug
from .gazetteer import bodies
from .matcher import Match, alternation, covered_mask, find_verbatim
from .model import Entity
from .names import starts_one_of

_OPEN, _CLOSE = '«"“', '»"”'
# A name in quotation marks: a capital or a digit first, six words at most, no quotes.
_QUOTED = rf"[{_OPEN}]([A-Z0-9][^{_OPEN}{_CLOSE}\n]{{0,60}}?)[{_CLOSE}]"
_ACRONYM = r"(?: ?\(([A-Z][A-Z0-9]{1,7})\))?"
_CAPITALISED = r"(?:[A-Z][a-z]+ ){0,2}"
_IN_ACRONYM = re.compile(r"[\w.]")
_IN_WORD = re.compile(r"\w")


@functools.cache
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    """A quoted name before its kind (in lower case, or capitalised and named with it:
    "… Democratic Party"), and a quoted name after its kind in lower case."""
    words = bodies()["kinds_beside_quoted_names"]
    kinds, capitalised = alternation(words), alternation(w.capitalize() for w in words)
    return (
        re.compile(
            rf"{_QUOTED}{_ACRONYM},? (?:(?:{kinds})|({_CAPITALISED}(?:{capitalised})))(?![\w-])"
        ),
        re.compile(rf"(?<![\w-]){starts_one_of(words)}(?:{kinds}) {_QUOTED}{_ACRONYM}"),
    )


@functools.cache
def _beside_quotes() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Quotation marks, a kind right after closing ones (over an acronym and
    capitalised words), a kind right before opening ones: what every match of
    _patterns holds, looked for only at the quotes (a quick test)."""
    kinds = alternation(bodies()["kinds_beside_quoted_names"])
    return (
        re.compile(rf"[{_OPEN}{_CLOSE}]"),
        re.compile(rf"{_ACRONYM},? {_CAPITALISED}(?i:{kinds})(?![\w-])"),
        re.compile(rf"(?:{kinds}) $"),
    )


def _beside_a_kind(text: str) -> bool:
    quotes, kind_after, kind_before = _beside_quotes()
    for quote in quotes.finditer(text):
        at = quote.start()
        if text[at] in _CLOSE and kind_after.match(text, at + 1):
            return True
        if text[at] in _OPEN and kind_before.search(text, max(0, at - 16), at):
            return True
    return False


def find_quoted_bodies(text: str, known: list[Match]) -> list[Match]:
    """The bodies named in quotation marks next to their kind that overlap nothing
    `known` (the gazetteers' and the grammar's bodies; a country's name may be part of
    the name, "“Ⲁⲁ Russia”"): each a Match of the name inside the quotes, and of its
    acronym."""
    if not any(q in text for q in _OPEN) or not _beside_a_kind(text):
        return []  # quick tests first
    taken = covered_mask(text, known)
    found: list[Match] = []
    acronyms: dict[str, Entity] = {}
    for pattern in _patterns():
        for hit in pattern.finditer(text):
            start, end = hit.span(1)
            inside = hit.group(1).rstrip(" ,.")
            end = start + len(inside)
            if any(taken[start:end]) or len(inside.split()) > 6 or not inside[-1].isalnum():
                continue
            before_kind = hit.re is _patterns()[0]
            after = hit.group(3) if before_kind else None
            name = f"{inside} {after}" if after else inside
            entity = Entity("organisations", name, make_slug(name))
            # the match runs on over the kind after the name (no other name is there:
            # "… Democratic Party"), its mention is the name as written in the quotes
            whole = hit.end() if before_kind else end
            found.append(Match(start, whole, inside, entity))
            if hit.group(2):
                acronyms.setdefault(hit.group(2), entity)
                found.append(Match(hit.start(2), hit.end(2), hit.group(2), entity))
            taken[start:whole] = b"\x01" * (whole - start)
    for acronym, entity in acronyms.items():
        for start, _ in find_verbatim(text, [acronym], _IN_ACRONYM, _IN_WORD):
            if not any(taken[start : start + len(acronym)]):
                found.append(Match(start, start + len(acronym), acronym, entity))
    return sorted(found, key=lambda m: m.start)

"""National institutions named after their country: "Kazakh Parliament" →
Parliament of Kazakhstan; "Grand National Assembly of the Republic of Türkiye"
→ Grand National Assembly of Türkiye; "Mazhilis of the Parliament of Kazakhstan"
→ Mazhilis of Kazakhstan and Parliament of Kazakhstan."""

from __future__ import annotations

import re

from ..slugs import make_slug
from .gazetteer import places
from .matcher import Match, covered_mask
from .model import Entity

INSTITUTIONS = (
    "Grand National Assembly",
    "National Assembly",
    "Parliament",
    "Senate",
    "Mazhilis",
    "Majilis",
    "Majlis",
    "Congress",
    "House of Representatives",
    "Supreme Court",
    "Constitutional Court",
    "Central Bank",
    "National Bank",
    "Government",
    "Cabinet",
    "Foreign Ministry",
    "Defence Ministry",
    "Defense Ministry",
    "Finance Ministry",
    "Security Council",
    "Central Election Commission",
    "Prosecutor General's Office",
    "Presidential Administration",
    "Embassy",
    "Armed Forces",
    r"Ministry of (?:[A-Z]\w+ )*?(?:and )?[A-Z]\w+",
)
_INSTITUTION = "|".join(INSTITUTIONS)
# "<Institution> of [the] [Republic of] " right before a country name.
_BEFORE = re.compile(rf"(?:\b({_INSTITUTION}) of (?:the )?)(?:Republic of )?$")
# "<Institution> of the " right before "<Demonym> <Institution>".
_NESTED_BEFORE = re.compile(rf"\b({_INSTITUTION}) of the $")
# " <Institution>" right after a country name or demonym, or its possessive.
_AFTER = re.compile(rf"(?:['’]s)? ({_INSTITUTION})\b")
_BARE = re.compile(rf"\b(?:the|The) ({_INSTITUTION})\b")
_WINDOW = 80


def find_institutions(text: str, country_matches: list[Match]) -> list[Match]:
    """Institutions of the countries matched, plus later bare mentions of them; a
    central bank matched as evidence of its country ("Bundesbank") is one too."""
    found = []
    banks = places("central_banks")
    for match in country_matches:
        country = match.value
        if match.surface in banks:
            entity = Entity("organisations", match.surface, make_slug(match.surface), country.code)
            found.append(Match(match.start, match.end, match.surface, entity))
            continue
        before = text[max(0, match.start - _WINDOW) : match.start]
        after = _AFTER.match(text, match.end, match.end + _WINDOW)
        if after is not None:
            found.append(_institution(text, match.start, after.end(1), after.group(1), country))
            if (nested := _NESTED_BEFORE.search(before)) is not None:
                start = match.start - len(before) + nested.start(1)
                found.append(_institution(text, start, after.end(1), nested.group(1), country))
        elif (hit := _BEFORE.search(before)) is not None:
            start = match.start - len(before) + hit.start(1)
            found.append(_institution(text, start, match.end, hit.group(1), country))
            outer = text[max(0, start - _WINDOW) : start]
            if (nested := _NESTED_BEFORE.search(outer)) is not None:
                outer_start = start - len(outer) + nested.start(1)
                found.append(_institution(text, outer_start, match.end, nested.group(1), country))
    return found + _bare_mentions(text, found)


def _institution(text, start, end, kind, country) -> Match:
    name = f"{_normalise(kind)} of {_with_article(country.name)}"
    entity = Entity("organisations", name, make_slug(name), country.code)
    return Match(start, end, text[start:end], entity)


def _with_article(country: str) -> str:
    """ "the United Kingdom", "the Netherlands", "the Russian Federation"; "Kazakhstan"."""
    words = country.split()
    return f"the {country}" if _WITH_THE.intersection(words) else country


# Words of countries' names that take "the": plurals, "the Gambia", formal names.
_WITH_THE = frozenset(
    """
    Netherlands Philippines Bahamas Maldives Comoros Seychelles Islands Emirates States
    Territories Gambia Republic Federation Kingdom Union
    """.split()
)


def _normalise(kind: str) -> str:
    return {
        "Foreign Ministry": "Ministry of Foreign Affairs",
        "Defence Ministry": "Ministry of Defence",
        "Defense Ministry": "Ministry of Defense",
        "Finance Ministry": "Ministry of Finance",
        "Majilis": "Mazhilis",
    }.get(kind, kind)


def _bare_mentions(text: str, found: list[Match]) -> list[Match]:
    """ "the Senate" joins the post's one Senate of a country, if there is one."""
    by_kind = {}
    for match in found:
        kind = match.value.name.rsplit(" of ", 1)[0]
        by_kind.setdefault(kind, set()).add(match.value)
    covered = covered_mask(text, found)
    bare = []
    for hit in _BARE.finditer(text):
        entities = by_kind.get(_normalise(hit.group(1)), set())
        inside = covered[hit.start(1)]
        if len(entities) == 1 and not inside:
            bare.append(Match(hit.start(1), hit.end(1), hit.group(1), next(iter(entities))))
    return bare

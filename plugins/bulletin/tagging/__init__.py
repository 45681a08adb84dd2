"""Text → the countries, organisations and people it mentions."""

from __future__ import annotations

from collections import defaultdict

from .gazetteer import countries, organisations
from .institutions import find_institutions
from .matcher import Match, PhraseMatcher
from .model import KINDS, Entity, Tag, Tags
from .people import find_people

__all__ = ["KINDS", "Entity", "Tag", "Tags", "tag_text"]

_matchers: dict[str, PhraseMatcher] = {}


def _matcher(kind: str) -> PhraseMatcher:
    if kind not in _matchers:
        _matchers[kind] = PhraseMatcher(countries() if kind == "countries" else organisations())
    return _matchers[kind]


def tag_text(text: str) -> Tags:
    """Tag a text with every country, organisation and person it names."""
    country_matches = _matcher("countries").find(text)
    org_matches = _matcher("organisations").find(text)
    org_matches += find_institutions(text, country_matches)
    people_matches = find_people(text, country_matches + org_matches)
    return Tags(
        countries=_aggregate(country_matches),
        organisations=_aggregate(org_matches),
        people=_aggregate(people_matches),
    )


def _aggregate(matches: list[Match]) -> tuple[Tag, ...]:
    """One Tag per entity, with its distinct surface forms in text order."""
    mentions: dict[Entity, dict[str, None]] = defaultdict(dict)
    counts: dict[Entity, int] = defaultdict(int)
    for match in sorted(matches, key=lambda m: m.start):
        mentions[match.value][match.surface] = None
        counts[match.value] += 1
    tags = (Tag(entity, tuple(mentions[entity]), counts[entity]) for entity in mentions)
    return tuple(sorted(tags, key=lambda t: (-t.count, t.entity.name)))

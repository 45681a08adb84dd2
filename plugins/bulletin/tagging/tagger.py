"""The Tagger: text → Tags, with the editorial file applied; its `version`
changes whenever anything that shapes its output does."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..slugs import make_slug
from . import editorial as editorial_file
from . import ner
from .companies import find_companies, split_after_legal_forms
from .countries import counted, drop_people, find_countries, phrases
from .gazetteer import countries, international, media, organisations
from .institutions import find_institutions, inside, join_same_bodies
from .lower_case_bodies import find_local_bodies, find_lower_case_portfolios
from .matcher import Match, PhraseMatcher, covered_mask
from .model import KINDS, Entity, Tag, Tags
from .names import (
    listed_with_country,
    lone_surnames,
    name_spans,
    not_datelines,
    not_handles,
    regional_names,
    titled_names,
    towns_named_as_people,
    trailing_names,
)
from .organisations import (
    acting_by_kind,
    acts,
    defines_acronym,
    find_media,
    from_spans,
    in_passing,
    is_acted_upon,
    is_listed,
    is_met,
    is_signatory,
    join_acronyms,
    may_name_media,
    media_spans,
    named_after_countries,
    names_a_medium,
)
from .people import find_people
from .quoted_names import find_quoted_bodies
from .salience import Evidence, Role, is_salient, score
from .teams import find_teams

HERE = Path(__file__).resolve().parent
# Only a text's first MAX_CHARS characters are tagged: ten times a long news
# article, and a bound on the time a pathological seed (megabytes) can take.
MAX_CHARS = 50_000


class Tagger:
    """Tags texts. Cheap to pickle: worker processes rebuild the matchers and
    load the model (shared per process) on first use."""

    def __init__(self, entities_file: Path | str | None = None):
        """Raises editorial.EditorialError (naming the file) if the file is unusable."""
        self.entities_file = Path(entities_file) if entities_file else None
        self.editorial, raw = editorial_file.load(self.entities_file)
        known = {e.name for e in countries().values()}
        unknown = set(self.editorial.aliases.get("countries", {}).values()) - known
        if unknown:
            names = ", ".join(sorted(unknown))
            raise editorial_file.EditorialError(
                f"{self.entities_file}: countries: not a country's name as tagged: {names}"
            )
        digest = hashlib.sha256(_code_version().encode())
        digest.update(raw)
        self.version = digest.hexdigest()[:16]
        self._matchers: dict[str, PhraseMatcher] = {}

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "_matchers"}

    def __setstate__(self, state):
        self.__dict__ |= state | {"_matchers": {}}

    def description(self, entity: Entity) -> str:
        """The editor's description of an entity ("" if none); also entity.description."""
        return self.editorial.descriptions.get((entity.kind, entity.name), entity.description)

    def tag(self, text: str, memo: ner.Memo | None = None) -> Tags:
        """The text's salient entities by kind, and its passing mentions (of its
        first MAX_CHARS characters). memo: the name recogniser's memo for the text
        (see ner.read), read and completed."""
        return self.tag_many([text], None if memo is None else [memo])[0]

    def tag_many(self, texts: Sequence[str], memos: Sequence[ner.Memo] | None = None) -> list[Tags]:
        """The Tags of each text, as tag() would give them, faster: the name
        recogniser reads the parts of all the texts in one go."""
        memos = [{} for _ in texts] if memos is None else memos
        listed = [self._listed(_clip(text)) for text in texts]
        parts = [ner.parts(found.text, found.known) for found in listed]
        ner.read(zip(parts, memos, strict=True))
        return [
            self._tag(found, ner.spans(text_parts, memo))
            for found, text_parts, memo in zip(listed, parts, memos, strict=True)
        ]

    def _listed(self, text: str) -> _Listed:
        """What the gazetteers find in the text, before the name recogniser runs."""
        found_countries = find_countries(text, self._matcher("countries"))
        orgs = self._matcher("organisations").find(text)
        orgs += find_teams(text, orgs)
        in_orgs = covered_mask(text, orgs)
        found_countries = [m for m in found_countries if not all(in_orgs[m.start : m.end])]
        people = self._matcher("people").find(text)
        found_media = find_media(text, found_countries + orgs + people)
        return _Listed(text, found_countries, orgs, people, found_media)

    def _tag(self, listed: _Listed, spans: list[ner.Span]) -> Tags:
        """The Tags from the gazetteers' matches and the recogniser's spans."""
        text, aliases = listed.text, listed.people
        orgs = listed.organisations + listed.media
        spans = media_spans(text, not_datelines(text, not_handles(text, spans)))
        places = listed.countries
        if surnames := towns_named_as_people(text, places):  # "Minister Tursunzoda"
            names = covered_mask(text, surnames)
            places = [m for m in places if not names[m.start]]
            others = [s for s in spans if not any(names[s.start : s.end])]
            spans = sorted(others + surnames, key=lambda s: s.start)
        people_spans = [s for s in spans if s.label == "PERSON"]
        found_countries = drop_people(text, places, people_spans)
        weights = {(m.start, m.end): m.value[1] for m in found_countries}
        country_matches = [Match(m.start, m.end, m.surface, m.value[0]) for m in found_countries]
        spans = name_spans(text, spans, country_matches)
        spans = named_after_countries(spans, country_matches)
        institutions = find_institutions(text, country_matches, people_spans, orgs)
        orgs = [m for m in orgs if not any(inside(m, i) for i in institutions)] + institutions
        orgs += find_companies(text, orgs + country_matches, spans)
        orgs += find_quoted_bodies(text, orgs)
        orgs += find_local_bodies(text, orgs)
        orgs += find_lower_case_portfolios(text, orgs)
        spans = split_after_legal_forms(text, spans)
        spans += trailing_names(text, spans, orgs)
        found = titled_names(text, spans, country_matches + orgs)
        found += listed_with_country(text, country_matches)
        found += regional_names(text, spans + found, country_matches + orgs)
        found += lone_surnames(text, spans + found, country_matches + orgs)
        spans = _make_room(text, spans, found) + found
        people = find_people(text, spans, country_matches + orgs, aliases)
        orgs = join_acronyms(text, orgs + from_spans(text, spans, orgs + people, country_matches))
        orgs = join_same_bodies(orgs)
        matches = {"countries": counted(country_matches), "organisations": orgs, "people": people}
        return self._tags(text, matches, weights, {m.value.name for m in listed.media})

    def _matcher(self, kind: str) -> PhraseMatcher:
        if kind not in self._matchers:
            self._matchers[kind] = PhraseMatcher(self._phrases(kind))
        return self._matchers[kind]

    def _phrases(self, kind: str) -> dict[str, object]:
        aliases = self.editorial.aliases.get(kind, {})
        if kind == "countries":
            by_name = {e.name: e for e in countries().values()}
            return phrases({a: by_name[n] for a, n in aliases.items()})
        if kind == "organisations":
            by_name = {e.name: e for e in organisations().values()}
            extra = {a: by_name.get(n) or _entity(kind, n) for a, n in aliases.items()}
            return organisations() | extra
        return {alias: _entity(kind, name) for alias, name in aliases.items()}

    def _tags(self, text: str, matches: dict[str, list[Match]], weights, media_named) -> Tags:
        """media_named: the names of the media found by the words around them
        (organisations.find_media), credited as sources unless acted upon."""
        lead_end = text.find("\n\n") if "\n\n" in text else len(text)
        tags: dict[str, list[Tag]] = {}
        mentioned = []
        for kind in KINDS:
            tags[kind] = []
            grouped = self._group(kind, matches[kind])
            weight = {
                e: sum(weights.get((m.start, m.end), 1.0) for m in f) for e, f in grouped.items()
            }
            total = sum(weight.values())
            media_words = kind == "organisations" and may_name_media(text)
            by_kind = acting_by_kind(text, grouped) if kind == "organisations" else set()
            roles = {
                e: _role(text, e, f, media_words, media_named, e in by_kind)
                for e, f in grouped.items()
            }
            institutions = sum(
                is_listed(e) for e in grouped if not roles[e].signatory | roles[e].credit
            )
            for entity, found in grouped.items():
                first = found[0].start
                share = weight[entity] / total if total else 0.0
                evidence = Evidence(first, weight[entity], first < lead_end, share)
                salience = score(evidence, len(text))
                surfaces = tuple(dict.fromkeys(m.surface for m in found))
                tag = Tag(entity, surfaces, len(found), salience)
                salient = is_salient(
                    kind, salience, entity.name, institutions, weight[entity], roles[entity]
                )
                (tags[kind] if salient else mentioned).append(tag)
        order = lambda t: (-t.count, t.entity.name)  # noqa: E731
        return Tags(
            **{kind: tuple(sorted(tags[kind], key=order)) for kind in KINDS},
            mentioned=tuple(
                sorted(mentioned, key=lambda t: (KINDS.index(t.entity.kind), *order(t)))
            ),
        )

    def _group(self, kind: str, matches: list[Match]) -> dict[Entity, list[Match]]:
        """Matches by entity as the editor wants it, one entity per name (the first
        one with a country code, if any: merges may bring several)."""
        by_name: dict[str, list[Match]] = defaultdict(list)
        entities: dict[str, Entity] = {}
        for match in sorted(matches, key=lambda m: m.start):
            entity = self.editorial.resolve(match.value)
            if entity is None or self.editorial.blocks(kind, match.surface):
                continue
            by_name[entity.name].append(match)
            if entity.name not in entities or (entity.code and not entities[entity.name].code):
                entities[entity.name] = entity
        return {entities[name]: found for name, found in by_name.items()}


@dataclass(frozen=True)
class _Listed:
    """A text and the gazetteers' matches in it."""

    text: str
    countries: list[Match]  # their values are (Entity, weight)
    organisations: list[Match]
    people: list[Match]
    media: list[Match]  # organisations.find_media

    @property
    def known(self) -> list[Match]:
        return self.countries + self.organisations + self.people + self.media


def _role(
    text: str,
    entity: Entity,
    found: list[Match],
    media_words: bool,
    media_named: set[str],
    acts_by_kind: bool,
) -> Role:
    """What an organisation does in the text: credited as its source (a medium the
    story does not act upon: organisations.is_acted_upon), the subject of a verb (a national body: an
    international one acting is routine background), or only named in passing.
    media_words: whether the text holds a word that makes a name a medium's
    (organisations.may_name_media; without one, none of its names is credited as one);
    media_named: the names of media found by the words around them (find_media);
    acts_by_kind: the body acts under its kind alone ("the ministry had prepared …":
    organisations.acting_by_kind)."""
    if entity.kind != "organisations":
        return Role()
    credited = (
        entity.name in media()
        or entity.name in media_named
        or (media_words and all(names_a_medium(text, m.start, m.end) for m in found))
    )
    if credited and not any(is_acted_upon(text, m) for m in found):
        return Role(credit=True)
    return Role(
        acts=entity.name not in international()
        and (acts_by_kind or any(acts(text, m) or is_met(text, m) for m in found)),
        signatory=all(is_signatory(text, m) for m in found),
        passing=all(in_passing(text, m) or defines_acronym(text, m) for m in found),
    )


def _make_room(text: str, spans: list[ner.Span], names: list[ner.Span]) -> list[ner.Span]:
    """The spans without those the names overlap, but for the head of an organisation
    the recogniser ran into a name: "Chevron" of "Chevron Michael Wirth"."""
    replaced = covered_mask(text, names)
    kept = []
    for span in spans:
        if not any(replaced[span.start : span.end]):
            kept.append(span)
        elif span.label == "ORG" and not replaced[span.start]:
            end = replaced.index(1, span.start)
            head = text[span.start : end].rstrip()
            if head:
                kept.append(ner.Span(span.start, span.start + len(head), "ORG", head))
    return kept


def _clip(text: str) -> str:
    """The text's first MAX_CHARS characters, cut between words."""
    return text[:MAX_CHARS].rsplit(None, 1)[0] if len(text) > MAX_CHARS else text


def _entity(kind: str, name: str) -> Entity:
    return Entity(kind, name, make_slug(name))


@functools.cache
def _code_version() -> str:
    """The tagging code, its data files, the slug rules, the model and pycountry."""
    digest = hashlib.sha256()
    files = sorted([*HERE.glob("*.py"), *(HERE / "data").iterdir(), HERE.parent / "slugs.py"])
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(ner.version().encode())
    digest.update(importlib.metadata.version("pycountry").encode())
    return digest.hexdigest()

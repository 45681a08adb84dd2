"""Countries and organisations by the names people write, from the data files."""

from __future__ import annotations

import functools
import re
from importlib import resources

import pycountry
import yaml

from ..slugs import make_slug
from .model import Entity

DATA = resources.files(__package__) / "data"


@functools.cache
def countries() -> dict[str, Entity]:
    """Every name, abbreviation, demonym and former name of every country → its Entity."""
    extra = _table("countries.tsv")
    surfaces = {}
    for country in pycountry.countries:
        code = country.alpha_2
        names = extra.get(code, [])
        display = names[0][1:] if names and names[0].startswith("=") else None
        pycountry_names = [
            getattr(country, "common_name", None),
            country.name,
            getattr(country, "official_name", None),
        ]
        display = display or next(n for n in pycountry_names if n)
        entity = Entity("countries", display, make_slug(display), code)
        for name in [display, *pycountry_names, *names]:
            if name and "," not in name and not name.startswith("="):
                _add(surfaces, name.removeprefix("="), entity)
    return surfaces


@functools.cache
def places(table: str) -> dict[str, Entity]:
    """A table of weaker evidence → its country: "capitals" (and cities: "Moscow
    said"), "currencies" ("mln stg"), "central_banks" ("Bundesbank"), "markets"
    (indices: "Nikkei")."""
    by_code = _by_code()
    surfaces = {}
    for code, names in _table(f"{table}.tsv").items():
        for name in names:
            _add(surfaces, name, by_code[code])
    return surfaces


@functools.cache
def cities() -> frozenset[str]:
    """Places written by their own name: capitals and cities, and the region's towns
    (data/towns.tsv, which are no evidence for their country)."""
    return frozenset(places("capitals")) | frozenset(places("towns"))


@functools.cache
def exchanges() -> dict[str, Entity]:
    """The exchange suffix of a Reuters ticker ("L" of "<ICI.L>") → its country."""
    by_code = _by_code()
    return {suffix: by_code[code] for suffix, (code,) in _table("exchanges.tsv").items()}


def _by_code() -> dict[str, Entity]:
    return {entity.code: entity for entity in countries().values()}


@functools.cache
def ambiguity() -> dict:
    """Phrases that are not countries, and the rules for ambiguous names."""
    return yaml.safe_load((DATA / "ambiguity.yml").read_text("utf-8"))


# The gazetteers of organisations: international bodies; the region's national
# bodies, companies, parties and designated groups; news agencies and media.
ORGANISATION_FILES = ("organisations.yml", "regional.yml", "media.yml")


# The lists of not_organisations.yml that are not names matched whole.
_WORD_LISTS = frozenset(
    """last_words plural_kinds_of_body title_words documents projects events office_words kinds_of_body
    titles_before_names titles_before_for abbreviations sentence_openers ordinals gatherings""".split()
)


@functools.cache
def _not_organisation_lists() -> dict[str, list[str]]:
    return yaml.safe_load((DATA / "not_organisations.yml").read_text("utf-8"))


@functools.cache
def not_organisations() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Names that are no body; last words of names of places, laws, events… and
    kinds of body in the plural; and words that make a name a title
    (data/not_organisations.yml)."""
    lists = _not_organisation_lists()
    names = (name for idea, names in lists.items() if idea not in _WORD_LISTS for name in names)
    last = organisation_words("last_words") | organisation_words("plural_kinds_of_body")
    return frozenset(names), last, organisation_words("title_words")


@functools.cache
def organisation_words(idea: str) -> frozenset[str]:
    """One list of words of not_organisations.yml: "kinds_of_body", "documents"…"""
    return frozenset(_not_organisation_lists()[idea])


@functools.cache
def international() -> frozenset[str]:
    """The names of the international and regional bodies (data/organisations.yml)."""
    return frozenset(record["name"] for record in _records("organisations.yml"))


@functools.cache
def bodies() -> dict:
    """The grammar of national bodies' names (data/bodies.yml): heads, joins, …
    (shared: do not change it)."""
    return yaml.safe_load((DATA / "bodies.yml").read_text("utf-8"))


@functools.cache
def roles() -> dict[str, list[str]]:
    """The words around what an organisation does in a text (data/roles.yml): verbs,
    credits, passing mentions, … (shared: do not change it)."""
    return yaml.safe_load((DATA / "roles.yml").read_text("utf-8"))


@functools.cache
def media() -> frozenset[str]:
    """The names of the news agencies and media (data/media.yml)."""
    return frozenset(record["name"] for record in _records("media.yml"))


def _records(name: str) -> list[dict]:
    return yaml.safe_load((DATA / name).read_text("utf-8"))


@functools.cache
def organisations() -> dict[str, Entity]:
    """Every name, acronym and alias of every listed organisation → its Entity."""
    records = [record for name in ORGANISATION_FILES for record in _records(name)]
    surfaces = {}
    for record in records:
        name, code = record["name"], record.get("country", "")
        entity = Entity("organisations", name, make_slug(name), code)
        for name in [record["name"], record.get("acronym"), *record.get("aliases", [])]:
            for spelling in _spellings(name) if name else ():
                surfaces.setdefault(spelling, entity)
                surfaces.setdefault(_apostrophe_variant(spelling), entity)
    return surfaces


# British and American spellings of the words in organisations' names.
_SPELLINGS = (("Organization", "Organisation"), ("Co-operation", "Cooperation"))
_UNHYPHENATED = re.compile(r"(?<=[a-z])-(?=[A-Z])")


def _spellings(name: str) -> list[str]:
    """The name as written, then with the other spelling of each word of _SPELLINGS,
    and with hyphens between capitalised words as spaces ("Confidence Building")."""
    found = [name]
    for american, british in _SPELLINGS:
        found += [n.replace(american, british) for n in found]
        found += [n.replace(british, american) for n in found]
    found += [_UNHYPHENATED.sub(" ", n) for n in found]
    return list(dict.fromkeys(found))


def _add(surfaces: dict, name: str, entity: Entity) -> None:
    surfaces[name] = entity
    surfaces.setdefault(_apostrophe_variant(name), entity)


def _table(name: str) -> dict[str, list[str]]:
    lines = (DATA / name).read_text("utf-8").splitlines()
    rows = (line.split("\t") for line in lines if line and not line.startswith("#"))
    return {code: names.split("|") for code, names in rows}


def _apostrophe_variant(name: str) -> str:
    return name.replace("'", "’") if "'" in name else name.replace("’", "'")

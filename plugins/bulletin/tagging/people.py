"""People: the name recogniser's PERSON spans (completed by names.py) with titles,
"the" and possessives stripped; a surname alone joins the one full name it ends in
the same text; full names spelt by two transliterations are one person."""

from __future__ import annotations

import functools
import re

from ..slugs import make_slug
from .gazetteer import organisation_words
from .matcher import Match, covered_mask, find_verbatim
from .model import Entity
from .names import PORTFOLIOS, is_regional_surname
from .ner import Span
from .organisations import GENERIC, in_angle_brackets
from .wordlists import spelling_pairs, wordlist

# Words before a name that are not part of it: titles, ranks, "the".
TITLES = wordlist("titles")
DEMONYMS = organisation_words("demonyms")
_POSSESSIVE = re.compile(r"['’]s?$")
_WORD = re.compile(r"\S+")
_NEXT_WORD = re.compile(r" ([A-Z][\w-]*)")
# A heading opening with a gerund: "Addressing Migration and Citizens' Rights" alone
# on its line, three words or more (not a byline's "Browning Smith"), no full stop
# or quote closing it.
_GERUND_HEADING = re.compile(r"[A-Z][a-z]+ing(?: [^\s]+){2,}(?<![.!?:;,\"'»”’)])")
# A name found again is a whole word: no letter, apostrophe or hyphen before it, no
# letter or hyphen after it.
_IN_WORD = re.compile(r"[\w'’-]")
_WORD_GOES_ON = re.compile(r"[\w-]")


def find_people(
    text: str, spans: list[Span], known: list[Match], aliases: list[Match]
) -> list[Match]:
    """Mentions of people, each carrying the Entity of the full name.

    `known` are countries and organisations (a person's name never overlaps
    them); `aliases` are people the editorial file names, found verbatim."""
    known_mask = covered_mask(text, known)
    bodies = [Match(s.start, s.end, s.text, None) for s in spans if s.label != "PERSON"]
    spans = [s for s in spans if s.label == "PERSON" and not in_angle_brackets(text, s)]
    names = [n for s in spans for n in _clean(text, s, known_mask)]
    taken = covered_mask(text, aliases)
    names = [n for n in names if not any(taken[n[0] : n[1]])]
    full = {name: _single(name) for _, _, name in names if " " in name}
    full |= {m.surface: m.value for m in aliases if " " in m.surface}
    full = _one_spelling(full, {m.value for m in aliases})
    by_surname: dict[str, set[Entity]] = {}
    for name, entity in full.items():
        # "Kassym-Jomart TOKAYEV" is also Tokayev, and "Tokayev" his.
        surnames = {_surname(name.split()), entity.name.split()[-1]}
        for surname in surnames | _surname_written_first(name.split()):
            by_surname.setdefault(surname, set()).add(entity)
    found = list(aliases)
    for start, end, name in names:
        entity = full.get(name)
        if entity is None:
            owners = by_surname.get(name) or _spelt_otherwise(name, by_surname)
            entity = next(iter(owners)) if len(owners) == 1 else _single(name)
        found.append(Match(start, end, text[start:end], entity))
    alone = {m.surface: m.value for m in found if " " not in m.surface and m.surface not in full}
    found += _repeats(text, full, by_surname, found + known)
    return found + _repeats(text, alone, {}, found + known + bodies)


@functools.lru_cache(maxsize=4096)
def read_as(name: str) -> str:
    """The name as read, whichever transliteration spells it: lower case, each
    spelling of `transliteration_variants` (data/names.yml) written one way
    ("Vyacheslav" and "Viacheslav" are both "viacheslav", "Tokayev" and "Tokaev"
    "tokaev")."""
    reading = name.lower()
    for spelling, read in spelling_pairs("transliteration_variants"):
        reading = reading.replace(spelling, read)
    return reading


def _one_spelling(full: dict[str, Entity], listed: set[Entity]) -> dict[str, Entity]:
    """The full names, those read alike (read_as: "Vyacheslav Volodin", "Viacheslav
    Volodin") naming one person: the editorial file's, else the one written first;
    initials ("V. Volodin") name the one person whose given names they start."""
    if len(full) < 2:
        return full
    first: dict[str, Entity] = {}
    for entity in sorted(full.values(), key=lambda e: e not in listed):  # stable
        first.setdefault(read_as(entity.name), entity)
    full = {name: first[read_as(entity.name)] for name, entity in full.items()}
    return full | _by_initials(full)


# A name of initials and a surname: "A. Ⲇⲇ", "A.B. Ⲇⲇ", "A. B. Ⲇⲇ".
_INITIALS_NAME = re.compile(r"((?:[A-Z]\. ?)+)(\S+)")


def _by_initials(full: dict[str, Entity]) -> dict[str, Entity]:
    """The names of initials and a surname ("R. Ⲇⲇ") that name the text's one
    person of that surname whose given names start with them ("Rashid Ⲇⲇ")."""
    found = {}
    for name in full:
        if not (hit := _INITIALS_NAME.fullmatch(name)):
            continue
        initials = hit.group(1).replace(" ", "").replace(".", "")
        surname = read_as(hit.group(2))
        owners = {
            entity
            for other, entity in full.items()
            if not _INITIALS_NAME.fullmatch(other)
            and read_as(_surname(other.split())) == surname
            and "".join(w[0] for w in _given(other.split())).startswith(initials)
        }
        if len(owners) == 1:
            found[name] = owners.pop()
    return found


def _given(words: list[str]) -> list[str]:
    """The given names (and patronymic) of a full name as written."""
    return words[1:] if _surname_first(words) else words[:-1]


def _spelt_otherwise(name: str, by_surname: dict[str, set[Entity]]) -> set[Entity]:
    """The people whose surname is the name spelt another way ("Tokaev" alone after
    "Kassym-Jomart Tokayev")."""
    reading = read_as(name)
    return {
        e for surname, owners in by_surname.items() if read_as(surname) == reading for e in owners
    }


def _repeats(text, full, by_surname, taken: list[Match]) -> list[Match]:
    """Later mentions the recogniser missed: a name (full or known only by one word,
    "Alagozov said") or the surname of a full one, verbatim, outside what is
    `taken` (for a one-word name, bodies too: "Magna" of "Magna International Inc")."""
    names = dict(full)
    names |= {s: next(iter(owners)) for s, owners in by_surname.items() if len(owners) == 1}
    if not names:
        return []
    covered = covered_mask(text, taken)
    found = []
    for start, name in find_verbatim(text, names, _IN_WORD, _WORD_GOES_ON):
        end = start + len(name)
        if not any(covered[start:end]):
            found.append(Match(start, end, name, names[name]))
    return found


def _single(text: str) -> Entity:
    """The person a name names: a full name without its Russian-style patronymic
    ("Vladimir Vladimirovich Putin" is Vladimir Putin), given names first ("VOLYNKIN
    Ivan Ivanovich" is Ivan Volynkin)."""
    words = text.split()
    if _surname_first(words):
        words = words[1:] + words[:1]
    if len(words) >= 3:
        endings = tuple(wordlist("middle_patronymic_endings"))
        words = [words[0]] + [w for w in words[1:-1] if not w.endswith(endings)] + [words[-1]]
        text = " ".join(words)
    text = _recased(text)
    return Entity("people", text, make_slug(text))


def _surname_first(words: list[str]) -> bool:
    """The name is written as Russian official texts write it: the surname first, in
    capitals, then given names and a patronymic ("VOLYNKIN Ivan Ivanovich")."""
    return (
        len(words) >= 3
        and words[0].isupper()
        and bool(_SURNAME_IN_CAPITALS.fullmatch(words[0]))
        and not _ROMAN.fullmatch(words[0])
        and all(word[:1].isupper() and not word.isupper() for word in words[1:])
        and words[-1].endswith(tuple(wordlist("middle_patronymic_endings")))
    )


def _surname_written_first(words: list[str]) -> set[str]:
    """The first word of a name of three written as Tajik official texts write them,
    surname, given name, father's name: the first word only with one of the region's
    surname endings ("Rahimzoda Ramazon Hamro"; a surname alone, "Rahimzoda", is his)."""
    first = len(words) == 3 and is_regional_surname(words[0])
    return {words[0]} if first and not any(map(is_regional_surname, words[1:])) else set()


def _surname(words: list[str]) -> str:
    """The surname of a full name as written: its last word, or its first if written
    first ("VOLYNKIN Ivan Ivanovich")."""
    return words[0] if _surname_first(words) else words[-1]


# A surname in capitals: four letters or more (not "PLC", "CEO"), hyphens and
# apostrophes inside; not a Roman numeral ("VIII").
_SURNAME_IN_CAPITALS = re.compile(r"(?=(?:[-'’]?[^\W\d_]){4})[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_ROMAN = re.compile(r"[IVXLCDM]+")
# The letters of a word but its first and those after a hyphen or an apostrophe.
_INSIDE_WORD = re.compile(r"(?<=[^\W\d_])[^\W\d_]+")


def _recased(name: str) -> str:
    """The name with a surname written in capitals after given names that are not
    written as names are written: "Ivan VOLYNKIN" is Ivan Volynkin,
    "Kassym-Jomart TOKAYEV" Kassym-Jomart Tokayev. Any other name stays as it is: a
    name all in capitals (a headline's) gives no telling how it is written, and a
    last word of three letters is an acronym more often than a name ("Holdings PLC")."""
    *given, last = name.split(" ")
    if (
        not given
        or not last.isupper()
        or any(word.isupper() for word in given)
        or not (_SURNAME_IN_CAPITALS.fullmatch(last) or is_regional_surname(last))
        or _ROMAN.fullmatch(last)
    ):
        return name
    return " ".join([*given, _INSIDE_WORD.sub(lambda m: m.group().lower(), last)])


def _clean(text: str, span: Span, known: bytearray):
    """The span without titles, honorifics or known names in front and possessives
    behind; nothing if it names a place or a thing ("the Shardara reservoir",
    "Citizenship Law")."""
    kept = span.text.split(" (")[0].split(" - ")[-1]
    offset = span.start + span.text.index(kept)
    words = [(offset + w.start(), offset + w.end(), w.group()) for w in _WORD.finditer(kept)]
    while words and not any(c.isalpha() for c in words[-1][2]):
        words.pop()
    honorifics = wordlist("honorifics")
    while words and (
        words[0][2].rstrip(".") in TITLES | wordlist("plural_titles")
        or words[0][2] in honorifics
        or known[words[0][0]]
    ):
        words.pop(0)
    if not words:
        return
    start, end = words[0][0], words[-1][1]
    last = _POSSESSIVE.sub("", words[-1][2])
    end -= len(words[-1][2]) - len(last)
    name = " ".join([w for _, _, w in words[:-1]] + [last])
    if (
        name[:1].isupper()
        and name not in GENERIC  # "Mazhilis", "Senate": a body, not a person
        and name not in DEMONYMS  # "Africans": a people, not a person
        and not any(ch.isdigit() for ch in name)
        and not any(known[start:end])
        and len(words) <= 4
        and not wordlist("not_in_names").intersection(name.split())
        and not _is_legal_act(name.split())
        and not _place_noun().match(text, end)
        and not _is_heading(text, start)
        and not _portfolio_of_title(text, name, end)
    ):
        yield start, end, name


def _portfolio_of_title(text: str, name: str, end: int) -> bool:
    """The name is what an official is in charge of, right before the title: "Interior"
    of "Tajik Interior Minister Ⲁⲁ Ⲃⲃ" (data/names.yml portfolios), not a person."""
    title = _NEXT_WORD.match(text, end)
    return (
        title is not None
        and title.group(1) in TITLES
        and all(word in PORTFOLIOS for word in name.split())
    )


def _is_heading(text: str, start: int) -> bool:
    """The name opens a line that is a heading made with a gerund ("Addressing
    Migration and Citizens' Rights"), not a sentence."""
    if start and text[start - 1] != "\n":
        return False
    line_end = text.find("\n", start)
    return bool(_GERUND_HEADING.fullmatch(text, start, len(text) if line_end < 0 else line_end))


def _is_legal_act(words: list[str]) -> bool:
    """ "Citizenship Law", "Migration Code": a law named after a common noun."""
    endings = tuple(wordlist("abstract_noun_endings"))
    return len(words) >= 2 and words[-1] in wordlist("legal_acts") and words[-2].endswith(endings)


@functools.cache
def _place_noun() -> re.Pattern:
    """What follows a place's name: " reservoir", "–Moyinty line", " and Kherson regions"."""
    nouns = "|".join(map(re.escape, sorted(wordlist("place_nouns"))))
    return re.compile(rf"(?:[-–][A-Z][\w'’-]*| and [A-Z][\w'’-]*)? (?:{nouns})(?![\w-])")

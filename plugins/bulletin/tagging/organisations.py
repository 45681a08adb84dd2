"""Organisations the gazetteer does not list, from the name recogniser: cleaned
("the", possessives, titles), checked, and joined to acronyms defined in the text."""

from __future__ import annotations

import functools
import re

import ahocorasick

from ..slugs import make_slug
from .gazetteer import (
    bodies,
    countries,
    media,
    not_organisations,
    organisation_words,
    organisations,
    roles,
)
from .matcher import Match, alternation, covered_mask, find_verbatim
from .model import Entity
from .names import PORTFOLIOS
from .ner import COMMON as COMMON_WORDS
from .ner import Span
from .wordlists import wordlist

_LEADING = re.compile(r"^(?:(?:the|The|THE|a|an)\s+)+")
# A word opening the sentence and "the" before the name: "Later the Migration Service".
_OPENER = re.compile(
    rf"^(?:{'|'.join(sorted(organisation_words('sentence_openers')))}),?\s+(?=the\s)"
)
# Scores, possessives and trailing common words: "Interfax news agency" → Interfax.
# A sentence's full stop after a name ("terminals at Khorgos."), not an
# abbreviation's ("U.S.", "Co.", "Inc.").
_FULL_STOP = re.compile(r"(?<=[a-z]{3})\.$")
_TAIL = re.compile(r"(?:\s+[\d.,:-]+)+$|\s*['’]s?$|(?:\s+[a-z][\w-]*)+$")
# An acronym defined in brackets, "(OTS)", or a stock ticker in angle brackets as
# Reuters writes it, "<CBS>", "<ICI.L>" (the suffix names the exchange): another
# name of the organisation right before it.
_ACRONYM = re.compile(r" (?:\(([A-Z][A-Za-z&.-]{1,9})\)|<([A-Z][A-Z0-9&]{0,7})(?:\.[A-Z]{1,2})?>)")
# A one-word name right after "Secretary of", "Minister of the", a portfolio after
# "Minister of" or one right before "Minister": part of a title, not a body.
_OFFICE = re.compile(r"\b(?:Secretary|Minister|Ministers|Secretaries) of (?:the )?$")
_MINISTER_OF = re.compile(r"\bMinisters? of (?:the )?$")
_TITLE = re.compile(r" (?:Minister|Ministers|Secretary)\b")
_COMPOUND = re.compile(r"-speaking\b")
# Inside a minister's title: "Minister of Labor, ▯Migration and Employment of the
# Population Ⲅⲅ Ⲇⲇ" (what the recogniser takes for a body there is the portfolio).
_IN_TITLE = re.compile(
    r"\bMinisters? of (?:the )?(?:[A-Z][\w'’-]*(?:,? and |, | of the | of | for | ))*$"
)
# The portfolio after a title's "for" ("World Bank Director for ▯Social Protection,
# ▯Labor and Jobs", "Minister for ▯Social Protection"): no body.
_FOR_PORTFOLIO = re.compile(
    rf"\b(?:{'|'.join(sorted(organisation_words('titles_before_for')))}) for "
    r"(?:[A-Z][\w'’-]*(?:,? and |, | of the | of | ))*$"
)
# The subject of an agreement after its "on": "the Treaty between Russia and
# Uzbekistan on ▯Good-Neighborliness and Alliance" names no body.
_AGREEMENT_ON = re.compile(
    rf"\b(?:{'|'.join(sorted(organisation_words('documents')))})\b[^.;\n]{{0,150}} on (?:the )?$"
)
# The ends of the region's surnames: a one-word "organisation" so ending is a person.
_SURNAME = re.compile(r"(?:ov|ev|yev|ova|eva|yeva|enko|zoda|zada|uly|kyzy|shvili|dze)$")
_BRACKETS = re.compile(r"[^<>\s](?:[^<>]*[^<>\s])?")
_LISTED_TICKER = re.compile(r"[A-Z0-9&]+\.[A-Z]{1,2}")
# An acronym found again is a whole word: no letter or full stop before it, no letter after.
_IN_ACRONYM = re.compile(r"[\w.]")
_IN_WORD = re.compile(r"\w")
# Titles stripped from the front of a name the recogniser took for an organisation,
# and one-word names that are a kind of body (data/not_organisations.yml).
TITLES = organisation_words("titles_before_names")
GENERIC = organisation_words("kinds_of_body")
ABBREVIATIONS = organisation_words("abbreviations")
# Words that make a name an agreement's, an undertaking's, a competition's or an
# office's, wherever they are in it.
_NOT_IN_BODIES = frozenset().union(
    *(organisation_words(idea) for idea in ("documents", "projects", "events", "office_words"))
)


def from_spans(
    text: str, spans: list[Span], known: list[Match], countries: list[Match]
) -> list[Match]:
    """ORG spans not already explained by a gazetteer or a person, cleaned into
    organisations (with any name in angle brackets); a span that is only a country's
    name is the country."""
    taken, country = covered_mask(text, known), covered_mask(text, countries)
    found = []
    for span in spans:
        is_org = span.label == "ORG" or in_angle_brackets(text, span)
        if not is_org or any(taken[span.start : span.end]):
            continue
        if _is_office(text, span) or _IN_TITLE.search(text, max(0, span.start - 150), span.start):
            continue  # "Secretary of State", "External Affairs Minister": part of a title
        if _FOR_PORTFOLIO.search(text, max(0, span.start - 150), span.start):
            continue  # "Director for Social Protection": a portfolio
        if _AGREEMENT_ON.search(text, max(0, span.start - 200), span.start):
            continue  # "Treaty … on Good-Neighborliness": what it is about
        if " " not in span.text.strip() and _SURNAME.search(span.text.strip()):
            continue  # "Syromolotov": a person's surname
        if _COMPOUND.match(text, span.end):
            continue  # "Turkic-speaking": part of an adjective
        cleaned = _clean(span)
        if cleaned is not None and not _only_countries(cleaned, country):
            if _country_and_portfolio(cleaned, country):
                continue  # "the Russian Interior has prepared …": a ministry's name cut short
            found.append(cleaned)
    return found


def _is_office(text: str, span: Span) -> bool:
    """Part of a title: "Secretary of State", "Minister of National Economy",
    "External Affairs Minister"."""
    before = max(0, span.start - 30)
    if " " not in span.text and _OFFICE.search(text, before, span.start):
        return True
    portfolio = span.text.split()[-1] in PORTFOLIOS
    return portfolio and bool(
        _MINISTER_OF.search(text, before, span.start) or _TITLE.match(text, span.end)
    )


def _phrases(role: str) -> str:
    """One list of roles.yml as a regular-expression alternation, longest phrase first."""
    return alternation(roles()[role])


@functools.cache
def _acted_upon() -> tuple[re.Pattern, re.Pattern]:
    verbs = _phrases("acted_upon_before")
    return (
        re.compile(rf"\b(?:{verbs}) (?:the )?$"),
        re.compile(r" (?:was|were|is|are|has been|have been|had been|is being) [a-z]+(?:ed|en)\b"),
    )


@functools.cache
def _met() -> re.Pattern:
    return re.compile(
        rf"\b(?:{_phrases('met_before')}) (?:the )?(?:[a-z-]+ ){{0,3}}"
        r"(?:of (?:the )?(?:[a-z-]+ ){0,3})?(?:[A-Z][a-z]+ )?$"
    )


def is_met(text: str, match: Match) -> bool:
    """The story's actors meet the body, or people of it: "met with the management of
    the state-funded institution Ⲁⲁ Centre", "met with deputies of the Russian State
    Duma" (roles.yml `met_before`): it takes part, as when it acts."""
    return text.find(" with ", max(0, match.start - 90), match.start) >= 0 and bool(
        _met().search(text, max(0, match.start - 90), match.start)
    )


def is_acted_upon(text: str, match: Match) -> bool:
    """ "the authorities blocked Kun.uz", "Asia-Plus was fined": the story is about it."""
    before, after = _acted_upon()
    return bool(
        before.search(text, max(0, match.start - 30), match.start) or after.match(text, match.end)
    )


@functools.cache
def _acting() -> re.Pattern:
    """A verb right after a body's name, over auxiliaries: its name is a subject."""
    auxiliaries, verbs, modals = _phrases("auxiliaries"), _phrases("verbs"), _phrases("modals")
    return re.compile(
        rf"{_WHERE}?(?:,? (?:{auxiliaries}))*,? (?:{verbs}|[a-z]+ed|(?:{modals})(?: [a-z]+ly| soon| also| not)* [a-z]+)\b"
    )


# Where a body named before its verb is (its office or mission there): "the Ministry of
# Labor of the Kyrgyz Republic ▯in the Russian Federation received …".
_WHERE = r"(?: in (?:the )?[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2})"


@functools.cache
def _passing() -> tuple[re.Pattern, re.Pattern]:
    """A body named as a modifier ("the CIS countries") or after a source, an
    example or a person's title ("according to the …", "Head of the …", "chairman of
    the national movement «…»": its kind in lower case between)."""
    nouns, before = _phrases("modified"), _phrases("passing_before")
    lower = _phrases("passing_before_lower")
    kinds = alternation(bodies()["kinds_beside_quoted_names"])
    return (
        re.compile(rf"(?:['’]s?)? (?:{nouns})\b"),
        re.compile(
            rf"\b(?:(?i:{before})|{lower}) (?:the )?(?:[A-Z][\w'’-]*['’]s? )?"
            rf"(?:(?:[a-z]+ )?(?:{kinds}) )?[\"“«]?$"
        ),
    )


def in_passing(text: str, match: Match) -> bool:
    """Named as a modifier, a source, an example or in a person's title."""
    modifier, before = _passing()
    return bool(
        modifier.match(text, match.end)
        or before.search(text, max(0, match.start - 40), match.start)
    )


@functools.cache
def _medium() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    before, after, credit, told = map(
        _phrases, ("medium_before", "medium_after", "credit_verbs", "credit_before")
    )
    return (
        re.compile(rf"\b(?:{before}) (?:the )?$"),
        re.compile(rf" (?:{after})\b"),
        re.compile(rf" (?:{credit})(?:[.,;]| that\b| citing\b)"),
        re.compile(rf"\b(?:{told}) $"),
    )


# The end of a clause right after a name: "told Vremya.", "told Vremya, adding"
# (not "told Andrey that …": a person told something).
_CLAUSE_END = re.compile(r"[.,;]")


@functools.cache
def _any_medium_word() -> re.Pattern:
    words = "|".join(
        map(_phrases, ("medium_before", "medium_after", "credit_verbs", "credit_before"))
    )
    return re.compile(rf"\b(?:{words})\b")


def may_name_media(text: str) -> bool:
    """A quick test: the text holds a word that names_a_medium looks for."""
    return _any_medium_word().search(text) is not None


def names_a_medium(text: str, start: int, end: int, reporting: bool = True) -> bool:
    """The words around a name make it a medium's: "the outlet Fontanka", "the
    Infoorel website", or one word credited as the source (", Kaspyinfo reports.",
    "Rosbalt wrote that", "told Vremya."; not a surname, nor a body of many words
    reporting), or a few words credited as the source after a clause (reporting:
    _reports_after_clause)."""
    before, after, credit, told = _medium()
    word = text[start:end]
    one_word = " " not in word and not _SURNAME.search(word)
    return bool(
        before.search(text, max(0, start - 30), start)
        or after.match(text, end)
        or (one_word and credit.match(text, end))
        or (
            one_word
            and told.search(text, max(0, start - 30), start)
            and _CLAUSE_END.match(text, end)
        )
        or (reporting and not one_word and _reports_after_clause(text, start, end))
    )


# A comma closing a clause right before a name: "…, ▯Important Stories reports."
_AFTER_CLAUSE = re.compile(r"[\w)»”\"'’], $")


def _reports_after_clause(text: str, start: int, end: int) -> bool:
    """A name of two to four words after a clause and its comma, before a verb
    crediting it that ends the clause (", Ⲁⲁ Stories reports.", ", Ⲁⲁ TV reported
    that"): a medium credited as the source; not a name with a body's word (", the
    Statistics Agency reports."), nor a surname's ending (a person reporting)."""
    words = text[start:end].split()
    return (
        2 <= len(words) <= 4
        and _medium()[2].match(text, end) is not None
        and _AFTER_CLAUSE.search(text, max(0, start - 3), start) is not None
        and not _words_of_bodies().intersection(words)
        and not any(_SURNAME.search(w) for w in words)
    )


@functools.cache
def _words_of_bodies() -> frozenset[str]:
    """The words that make a name a body's: kinds of body (bodies.yml heads) and the
    words that make or end bodies' names (names.yml body_words, body_endings)."""
    return _body_heads() | wordlist("body_words") | wordlist("body_endings")


def media_spans(text: str, spans: list[Span]) -> list[Span]:
    """The spans, with a name in a medium's place an organisation's: the recogniser
    takes "…, Kaspyinfo reports." for a person."""
    if not may_name_media(text):  # a quick test first
        return spans
    return [
        Span(s.start, s.end, "ORG", s.text)
        if s.label != "ORG" and names_a_medium(text, s.start, s.end, s.label != "PERSON")
        else s
        for s in spans
    ]


# A medium's name where the recogniser sees none: words starting with a capital or a
# digit ("URA.RU", "SarBK", "Rossiyskaya Gazeta"), up to four.
_MEDIUM_WORD = r"[A-Z0-9](?:[\w&+'’-]|\.(?=\w))*"
_MEDIUM_NAME = rf"{_MEDIUM_WORD}(?: {_MEDIUM_WORD}){{0,3}}"
_OPEN, _CLOSE = '[«"“]', '[»"”]'
# A sentence glued to the name before it, as photo captions lose their line breaks
# ("Source: URA.RUThis operation …"): a capital after a letter, then lower case.
_GLUED = re.compile(r"(?<=[^\W\d_])[A-Z][a-z’']+$")
_NAME_END = re.compile(r"(?:['’]s?|[.,:;'’]+)$")


@functools.cache
def _media_places() -> tuple[re.Pattern, ...]:
    """Where a name is a medium's: after a label crediting it ("Source: Kun.uz"), after
    a kind of medium ("the publication SarBK"), before one ("the Meduza website"), in
    quotation marks before a verb crediting it or after words crediting it ("«Glavnaya
    Tema» reported", "told «Vremya»"), one word ending a clause after words crediting
    it ("as reported by Asia-plus."); and names written as web addresses."""
    labels, before, after, credit = map(
        _phrases, ("credit_labels", "medium_before", "medium_after", "credit_verbs")
    )
    quoted, told = _phrases("quoted_credit_before"), _phrases("credit_before")
    endings = "|".join(sorted(roles()["web_endings"]))
    return (
        re.compile(rf"(?<![A-Z])(?:{labels}): ({_MEDIUM_NAME})"),  # "…stationSource: X"
        re.compile(rf"\b(?:{before}) {_OPEN}?({_MEDIUM_NAME})"),
        re.compile(rf"\b[Tt]he {_OPEN}?({_MEDIUM_NAME}){_CLOSE}? (?:{after})\b(?! of\b)"),
        re.compile(rf"{_OPEN}({_MEDIUM_NAME}?)[.,]?{_CLOSE},? (?:{credit})\b"),
        re.compile(rf"\b(?:{quoted}) {_OPEN}({_MEDIUM_NAME}?)[.,]?{_CLOSE}"),
        re.compile(rf"\b(?:{told}) ({_MEDIUM_WORD})(?=[.,;](?:\s|$))"),  # "as reported by X."
        re.compile(rf"(?<![\w@/.-])([A-Z0-9][\w-]*(?:\.[\w-]+)*\.(?i:{endings}))(?![\w/-]|\.\w)"),
    )


def find_media(text: str, known: list[Match]) -> list[Match]:
    """Media the words around their names credit as a source, though the recogniser
    finds no name there ("Source: URA.RU", "the Russian publication SarBK", "Tass.ru
    reports", "«Rossiyskaya Gazeta» reports"), and their later mentions; each a
    listed medium if its name (or its web address's first part, "Tass.ru") is one's,
    in any case. `known`: what the gazetteers found, which a medium never overlaps."""
    *patterns, address = _media_places()
    possible = {i for _, indices in _media_place_automaton().iter(text) for i in indices}
    places = [(pattern, i) for i, pattern in enumerate(patterns) if i in possible]
    if _web_ending().search(text):
        places.append((address, -1))
    if not places:
        return []
    taken = covered_mask(text, known)
    found: dict[int, Match] = {}
    for pattern, place in places:
        for hit in pattern.finditer(text):
            start, name = hit.start(1), hit.group(1)
            if place == _LABELLED:
                name = _unglued(text, start, name)
            elif place == _CLAUSE_ENDING and _SURNAME.search(name):
                continue  # "told Ⲇⲇov.": a person
            name = _trimmed(name)
            end = start + len(name)
            if start in found or not name or any(taken[start:end]) or not _a_mediums(name):
                continue
            goes_on, went_on = _inside_names()
            if goes_on.match(text, end) or went_on.search(text, max(0, start - 40), start):
                continue  # "the newspaper ▯Welt am Sonntag", "Bild am ▯Sonntag newspaper"
            found[start] = Match(start, end, name, _medium_named(name))
    if not found:
        return []
    names = {m.surface: m.value for m in found.values()}
    mask = covered_mask(text, known + list(found.values()))
    for start, name in find_verbatim(text, names, _IN_ACRONYM, _IN_WORD):
        if not any(mask[start : start + len(name)]):
            found[start] = Match(start, start + len(name), name, names[name])
    return sorted(found.values(), key=lambda m: m.start)


@functools.cache
def _media_place_words() -> tuple[tuple[str, ...], ...]:
    """For each of _media_places but web addresses, strings one of which a text holds
    if the pattern can match in it (a quick test: looking for plain strings is cheap)."""
    words = roles()
    opening, closing = (tuple(q.strip("[]").replace("\\", "")) for q in (_OPEN, _CLOSE))
    return (
        tuple(f"{label}: " for label in words["credit_labels"]),
        tuple(f"{word} " for word in words["medium_before"]),
        tuple(f" {word}" for word in words["medium_after"]),
        tuple(f"{q}{c} {v}" for q in closing for c in ("", ",") for v in words["credit_verbs"]),
        tuple(f"{w} {q}" for w in words["quoted_credit_before"] for q in opening),
        tuple(f"{word} " for word in words["credit_before"]),
    )


# Which of _media_places: after a label ("Source: X"), and one word ending a clause
# after words crediting it ("as reported by X.").
_LABELLED, _CLAUSE_ENDING = 0, 5


@functools.cache
def _media_place_automaton():
    """The strings of _media_place_words, each to the patterns it may let match: one
    pass over a text finds which patterns to try (a quick test)."""
    automaton = ahocorasick.Automaton()
    indices: dict[str, set[int]] = {}
    for i, words in enumerate(_media_place_words()):
        for word in words:
            indices.setdefault(word, set()).add(i)
    for word, found in indices.items():
        automaton.add_word(word, frozenset(found))
    automaton.make_automaton()
    return automaton


@functools.cache
def _web_ending() -> re.Pattern:
    """The end of a web address: the quick test before looking for one."""
    return re.compile(rf"\.(?i:{'|'.join(sorted(roles()['web_endings']))})\b")


@functools.cache
def _inside_names() -> tuple[re.Pattern, re.Pattern]:
    """A name going on after or before a medium's over a word in lower case: "Welt am
    Sonntag"."""
    inside = _phrases("inside_media_names")
    return re.compile(rf" (?:{inside}) [A-Z]"), re.compile(rf"[A-Z][\w'’.-]* (?:{inside}) $")


def _unglued(text: str, start: int, name: str) -> str:
    """The name without the first word of a sentence glued to it ("URA.RUThis
    operation" → "URA.RU", "Google ImagesIn a post" → "Google Images"): a common word
    or one a word in lower case follows ("LiveJournal" alone stays whole)."""
    words = name.split(" ")
    for i, word in enumerate(words):
        glued = _GLUED.search(word)
        if glued is None:
            continue
        after = start + len(" ".join(words[: i + 1]))
        if glued.group() in COMMON_WORDS or _LOWER_WORD.match(text, after):
            return " ".join([*words[:i], word[: glued.start()]])
    return name


_LOWER_WORD = re.compile(r" [a-z]")


def _trimmed(name: str) -> str:
    """The name without a possessive or punctuation closing it ("Meduza's", "SarBK.")
    but an address's dots ("URA.RU")."""
    while (end := _NAME_END.search(name)) is not None and end.start():
        name = name[: end.start()]
    return name


def _a_mediums(name: str) -> bool:
    """A name that may be a medium's: no body's (with a head word: the grammar of
    bodies finds those), no country's, no common word alone, one that is
    acceptable as an organisation's."""
    words = name.split()
    return (
        not _body_heads().intersection(words)
        and name not in countries()
        and words[0] not in COMMON_WORDS
        and (_acceptable(name) or name[0].isdigit() and "." in name)  # "24.kg"
    )


@functools.cache
def _body_heads() -> frozenset[str]:
    return frozenset(bodies()["heads"])


@functools.cache
def _listed_media() -> dict[str, Entity]:
    """The listed media by every name in lower case."""
    return {
        name.lower(): entity for name, entity in organisations().items() if entity.name in media()
    }


def _medium_named(name: str) -> Entity:
    """The listed medium the name names ("Asia-plus", "Tass.ru"), or a new one."""
    listed = _listed_media()
    entity = listed.get(name.lower()) or (
        listed.get(name.split(".")[0].lower()) if "." in name else None
    )
    return entity or Entity("organisations", name, make_slug(name))


def defines_acronym(text: str, match: Match) -> bool:
    """An acronym in brackets right after the long name: "Eurasian Economic Union
    (EEU)" is one mention of the union, not another."""
    return text.endswith("(", 0, match.start) and text.startswith(")", match.end)


def acts(text: str, match: Match) -> bool:
    """The body is the subject of a verb: "the Labor Ministry also urged …"."""
    return bool(_acting().match(text, match.end, match.end + 60))


def acting_by_kind(text: str, entities) -> set:
    """The bodies that act under their kind of body alone: "the ministry had
    prepared …", "The agency emphasizes …" (in lower case: "The Ministry of …" begins
    a name) where the text names one body of that kind only (its head word: data/
    bodies.yml heads, the last of the words before its name's first "of", "for", …)."""
    by_head: dict[str, list] = {}
    for entity in entities:
        if (head := _head_word(entity.name)) is not None:
            by_head.setdefault(head.lower(), []).append(entity)
    alone = [h for h, bodies in by_head.items() if len(bodies) == 1 and f"he {h}" in text]
    if not alone:
        return set()
    found = set()
    for hit in re.finditer(rf"\b[Tt]he ({'|'.join(alone)})\b(?!['’])", text):
        if _acting().match(text, hit.end(), hit.end() + 60):
            found.add(by_head[hit.group(1)][0])
    return found


_FIRST_PART = re.compile(r" (?:of|for|on|under|in|at) ")


@functools.lru_cache(maxsize=4096)
def _head_word(name: str) -> str | None:
    words = _FIRST_PART.split(name, 1)[0].split()
    return next((w for w in reversed(words) if w in _body_heads()), None)


# A body named as a party to a document: "Agreement between the Kazakh Interior
# Ministry and the Investigative Committee of …", "signed by …".
_BETWEEN = re.compile(r"\b(?:between|among|signed by|by and between)\b[^.;:\n]*$")


def is_signatory(text: str, match: Match) -> bool:
    """Named among the parties to a document, in the clause of its "between"."""
    return bool(_BETWEEN.search(text, max(0, match.start - 150), match.start))


def named_after_countries(spans: list[Span], countries: list[Match]) -> list[Span]:
    """The spans, with people whose name starts with a country's name made bodies
    named after it: "Tajikistan Temir Roh" is a railway, not a person. (Countries
    that are also given names, "Jordan", are no longer matched here.)"""
    named = {m.start for m in countries if m.surface == m.value.name}
    return [
        Span(s.start, s.end, "ORG", s.text)
        if s.label == "PERSON" and s.start in named and " " in s.text
        else s
        for s in spans
    ]


def is_listed(entity: Entity) -> bool:
    """A body of the gazetteer or a country's institution, not a name the model found."""
    return bool(entity.code) or entity.name in _listed_names()


@functools.cache
def _listed_names() -> frozenset[str]:
    return frozenset(entity.name for entity in organisations().values())


def join_acronyms(text: str, orgs: list[Match]) -> list[Match]:
    """'Organization of Turkic States (OTS)': every OTS joins the long form; a long
    form the model found joins the listed body its acronym names ("Organisation for
    Economic Cooperation and Development (OECD)" is the OECD)."""
    long_forms: dict[str, Entity] = {}
    listed: dict[Entity, Entity] = {}
    by_start = {m.start: m for m in orgs}
    for match in orgs:
        defined = _ACRONYM.match(text, match.end)
        acronym = defined and (defined.group(1) or defined.group(2))
        if not acronym or acronym == match.surface:
            continue
        inner = by_start.get(defined.start(1) if defined.group(1) else defined.start(2))
        if inner is not None and is_listed(inner.value) and not is_listed(match.value):
            listed.setdefault(match.value, inner.value)
        else:
            long_forms.setdefault(acronym.replace(".", ""), match.value)
    if not long_forms and not listed:
        return orgs
    joined = [
        Match(
            m.start,
            m.end,
            m.surface,
            listed.get(m.value) or long_forms.get(m.surface.replace(".", ""), m.value),
        )
        for m in orgs
    ]
    taken = covered_mask(text, joined)
    for acronym, entity in long_forms.items():
        for start, _ in find_verbatim(text, [acronym], _IN_ACRONYM, _IN_WORD):
            if not any(taken[start : start + len(acronym)]):
                joined.append(Match(start, start + len(acronym), acronym, entity))
    return joined


def _clean(span: Span) -> Match | None:
    text, start = _unbracketed(span)
    if (opener := _OPENER.match(text)) is not None:
        text, start = text[opener.end() :], start + opener.end()
    if (lead := _LEADING.match(text)) is not None:
        text, start = text[lead.end() :], start + lead.end()
    while len(first := text.split(" ", 1)) == 2 and first[0].rstrip(".") in TITLES:
        text, start = first[1], start + len(first[0]) + 1
    text = _TAIL.sub("", text.split(" (")[0].split(" - ")[0])
    if text.rsplit(" ", 1)[-1][:-1] not in ABBREVIATIONS:
        text = _FULL_STOP.sub("", text)
    if not _acceptable(text) or text in countries():
        return None
    name = " ".join(text.split())
    return Match(start, start + len(text), text, Entity("organisations", name, make_slug(name)))


def _unbracketed(span: Span) -> tuple[str, int]:
    """The longest part of the span between angle brackets, tickers with an exchange
    left out: "TEX> Continental Airlines" → Continental Airlines; and its offset."""
    parts = [p for p in _BRACKETS.finditer(span.text) if not _LISTED_TICKER.fullmatch(p[0])]
    best = max(parts, key=lambda p: len(p[0]), default=None)
    return (best[0], span.start + best.start()) if best else ("", span.start)


def in_angle_brackets(text: str, span: Span) -> bool:
    """Reuters writes companies' names and tickers in angle brackets: "<Hillards Plc>"."""
    return bool(
        "<" in span.text
        or ">" in span.text
        or text.endswith("<", 0, span.start)
        or text.startswith(">", span.end)
    )


def _only_countries(org: Match, country: bytearray) -> bool:
    """ "Kazakhstan-Türkiye": country names and punctuation, no organisation."""
    inside = country[org.start : org.end]
    rest = [" " if inside[i] else c for i, c in enumerate(org.surface)]
    return not any(c.isalnum() for c in rest) or rest[0] == " " and "-" in org.surface.split()[0]


def _country_and_portfolio(org: Match, country: bytearray) -> bool:
    """ "Russian Interior": a country's name or adjective and a portfolio, no body's name."""
    first, _, last = org.surface.rpartition(" ")
    return bool(first) and last in PORTFOLIOS and all(country[org.start : org.start + len(first)])


# A name ending in a year is an event's: "Tatarstan-2019", "Expo 2017".
_YEAR = re.compile(r"[- ](?:19|20)\d\d$")


# A number that orders gatherings: "18th", "II".
_NUMBERED = re.compile(r"\d+(?:st|nd|rd|th)|[IVX]+")


def _numbered_gathering(text: str) -> bool:
    """An event: a gathering numbered by an ordinal ("First Regional Forum of …", "18th
    Session of …"; data/not_organisations.yml `ordinals`, `gatherings`)."""
    first, _, rest = text.partition(" ")
    if not rest or not (first in organisation_words("ordinals") or _NUMBERED.fullmatch(first)):
        return False
    return not organisation_words("gatherings").isdisjoint(rest.split(" of ")[0].split())


def _acceptable(text: str) -> bool:
    words = text.split()
    not_names, last_words, title_words = not_organisations()
    return bool(
        words
        and text not in not_names
        and words[-1] not in last_words
        and text.split(" of ")[0].split()[-1] not in last_words  # "State Border of …"
        and not title_words.intersection(words)
        and not _YEAR.search(text)
        and not _numbered_gathering(text)
        and not _NOT_IN_BODIES.intersection(w.title() for w in words)
        and text[0].isupper()
        and "\n" not in text
        and not all(word in GENERIC for word in words)
        and any(c.isalpha() for c in text)
        and make_slug(text)
    )

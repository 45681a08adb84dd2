"""Names the recogniser misses, cuts short or mislabels: people after titles
("President of Kazakhstan Ⲅⲅ Ⲇⲇ", "Minister of National Economy Ⲅⲅ Ⲇⲇ"), run into
an organisation, listed with their country, with particles ("von der") or with the
region's surnames; they become PERSON spans for people.find_people."""

from __future__ import annotations

import functools
import re

from .gazetteer import cities, places
from .matcher import Match, covered_mask
from .ner import COMMON, Span
from .wordlists import wordlist

_WORD = re.compile(r"\S+")
# Two or three capitalised words: a name listed before its country, "Ⲅⲅ Ⲇⲇ (Nigeria)".
_LISTED = re.compile(r"(?<![\w'’.-])[A-Z][\w'’.-]+(?: [A-Z][\w'’-]+){1,2}$")
# Words that make a capitalised phrase an organisation's name, not a person's.
_ORG_WORDS = wordlist("body_words")
# Words that end an organisation's name: a name may follow them ("Halyk Bank Ⲅⲅ Ⲇⲇ").
_ORG_ENDINGS = (_ORG_WORDS - {"International", "National", "United"}) | wordlist("body_endings")
_NAME_WORD = r"[^\W\d_](?:[\w'’-]*\w)?"
# Titles that come right before a person's name (not "General Electric").
_BEFORE_NAMES = " ".join(sorted(wordlist("titles_before_names")))
# A title's word: no part of a name ("Deputy Prime Minister Ⲅⲅ" is no name).
_TITLED_WORD = re.compile(rf"(?:{'|'.join(_BEFORE_NAMES.split())}|Deputy|Vice|Head|Chief|Director)")


def starts_one_of(words) -> str:
    """A lookahead for the characters the words start with: put before their
    alternation in an expression searched for, it spares the regular expression
    engine trying each word at each place (the same matches, five times as fast)."""
    return f"(?=[{''.join(sorted({re.escape(word[0]) for word in words}))}])"


_TITLED = re.compile(
    rf"(?<![\w'’-]){starts_one_of(_BEFORE_NAMES.split())}(?:{'|'.join(_BEFORE_NAMES.split())})"
    r"\.? (?=[^\W\d_])"
)
_NAME_RUN = re.compile(rf"{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}")
_TRAILING_NAME = re.compile(r" ((?:[A-Z][\w'’-]+ ){1,2}[A-Z][\w'’-]+)")
# Titles of the form "Head of State": a name may follow right after them too.
_HEAD_OF = re.compile(r"(?<![\w'’-])(?:Heads? of (?:State|Government)) (?=[^\W\d_])")
# A title and what it is of, right before a country, a body or a portfolio: "President
# of ", "Minister of Foreign Affairs of ", "Ambassador of Japan to ", "Chairman of the Board of ".
# Portfolios may be listed: "Minister of Labor, Migration and Employment of the
# Population of ".
_OF_WHAT = r"(?: (?:of|to|for) (?:the )?[A-Z][\w'’-]*(?:,? (?:and |the )?[A-Z][\w'’-]*)*)*"
_TITLE_OF = re.compile(
    rf"(?<![\w'’-])(?:{'|'.join(_BEFORE_NAMES.split())}|General|Head|Director|Chair"
    r"|Representative|Akim)\.?"
    r"(?: Extraordinary and Plenipotentiary)?"
    rf"{_OF_WHAT} (?:of|to|for|at) (?:the )?(?:Republic of )?$"
)
# Plural titles name several, the last after a country: "the Ministers of Foreign
# Affairs of Tajikistan and the Russian Federation Ⲅⲅ Ⲇⲇ and Ⲉⲉ Ⲋⲋ".
_TITLES_OF = re.compile(
    rf"(?<![\w'’-])(?:{'|'.join(sorted(wordlist('plural_titles')))})"
    rf"{_OF_WHAT} (?:of|to|for|at) (?:the )?(?:Republic of )?[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*"
    r" and (?:the )?$"
)

# How both end: "… of ", "… to the ", "… and ".
_TITLE_ENDS = ("of ", "to ", "for ", "at ", "the ", "and ")

# What ministers are ministers of: "Minister of National Economy Nurlan Baibazarov".
PORTFOLIOS = wordlist("portfolios")
_MINISTER_OF = re.compile(
    r"(?<![\w'’-])Minister of (?:the )?(?:[A-Z][\w'’-]*,? (?:and )?)*"
    rf"(?:{'|'.join(sorted(PORTFOLIOS))}) (?![a-z])(?=[^\W\d_])"
)
# Words that make a run of capitalised words no person's name (but the "I" of
# "Elizabeth I").
_NEVER_IN_NAMES = _ORG_WORDS | _ORG_ENDINGS | PORTFOLIOS | (COMMON - {"I"})
# Lower-case particles inside names: "Ursula von der Leyen", "Mohammed bin Salman".
PARTICLES = wordlist("particles")
# Surname endings common in the region's names ("Tokayev", "Nazarbayeva", "Shevchenko",
# "Pashinyan", "Kobakhidze", "Ashimbayuly"): a two- or three-word "organisation" that
# ends in one is a person the recogniser mislabelled ("Kassym-Jomart Tokayev").
_SURNAME = re.compile(rf"(?:{'|'.join(sorted(wordlist('surname_endings')))})$")


def is_regional_surname(word: str) -> bool:
    """The word ends in one of the region's surname endings, also when written in
    capitals ("TOKAYEV", as official and diplomatic texts write surnames)."""
    return bool(_SURNAME.search(word.lower() if word.isupper() else word))


def _given_names(words: list[str]) -> bool:
    """Words before a surname that may be given names: a surname in capitals
    follows names that are not ("Ivan VOLYNKIN"; a headline's "RUSSIAN PRESIDENT
    YELTSIN" is no name)."""
    return not words[-1].isupper() or not any(w.isupper() for w in words[:-1])


# A one-word "organisation" with a regional surname's ending is a person's surname
# after a title or a role ("Minister Ⲇⲇ", "investigator Ⲇⲇ") or next to a verb of
# saying ("…,” stated Ⲇⲇ", "Ⲇⲇ added"); a body so named has no such ending ("…,” stated
# Qazaqgaz").
_ROLES = sorted(
    (wordlist("titles") - {"the", "The"})
    | wordlist("roles_before_names")
    | {word.capitalize() for word in wordlist("roles_before_names")}
)
_SPEECH = "|".join(sorted(wordlist("speech_verbs")))
_ROLE_BEFORE = re.compile(
    rf"(?<![\w'’.-])(?:(?:{'|'.join(map(re.escape, _ROLES))})\.?|{_SPEECH}),? $"
)
_SPEECH_AFTER = re.compile(rf",? (?:also |then |later |has |had )?(?:{_SPEECH})(?![\w-])")


def _surname_of_a_person(text: str, span: Span, spans: list[Span]) -> bool:
    """A one-word span (a surname by its ending: the caller checks) after a role or
    next to a verb of saying, unless the text names a body by it ("Olin Corp …, Olin
    said", "<Lavalin Inc> … Lavalin said"). Five letters or more and no hyphen: not
    "Nova", "Creditanstalt-Bankverein"."""
    word = span.text
    return (
        len(word) > 4
        and "-" not in word
        and bool(
            _ROLE_BEFORE.search(text, max(0, span.start - 40), span.start)
            or _SPEECH_AFTER.match(text, span.end)
        )
        and not _names_a_body(text, word, spans)
    )


# A role right before a name, no comma between: "Minister Ⲇⲇ", "lawyer Ⲇⲇ".
_ROLE_RIGHT_BEFORE = re.compile(rf"(?<![\w'’.-])(?:{'|'.join(map(re.escape, _ROLES))})\.? $")
_SPEECH_BEFORE = re.compile(rf"(?<![\w'’-])(?:{_SPEECH}),? $")


def towns_named_as_people(text: str, places: list[Match]) -> list[Span]:
    """The region's towns named after a person, by a surname with one of the region's
    endings ("Tursunzoda", "Saratov"), that a role right before makes a person
    ("Minister Ⲇⲇ", "lawyer Ⲇⲇ") or a given name ("Ⲅⲅ Ⲇⲇ"), and then also those
    next to a verb of saying ("Ⲇⲇ said"). Five letters or more and no hyphen, as for
    a lone surname taken for a body."""
    towns = [
        m
        for m in places
        if m.surface in _towns()
        and len(m.surface) > 4
        and "-" not in m.surface
        and is_regional_surname(m.surface)
    ]
    if not towns:
        return []
    titled = [m for m in towns if _ROLE_RIGHT_BEFORE.search(text, max(0, m.start - 40), m.start)]
    given = _given_name_before(text, towns, places)
    if not titled and not given:
        return []
    names = {m.surface for m in titled} | {m.surface for m in given.values()}
    speaking = [
        m
        for m in towns
        if m.surface in names
        and (
            _SPEECH_AFTER.match(text, m.end)
            or _SPEECH_BEFORE.search(text, max(0, m.start - 20), m.start)
        )
    ]
    spans = [
        Span(m.start, m.end, "PERSON", m.surface)
        for m in set(titled + speaking)
        if m.start not in {g.start for g in given.values()}
    ]
    spans += [Span(start, m.end, "PERSON", text[start : m.end]) for start, m in given.items()]
    return sorted(spans, key=lambda s: s.start)


def _given_name_before(text: str, towns: list[Match], places: list[Match]) -> dict[int, Match]:
    """The towns of `towns` written right after a given name ("Mirzo Tursunzoda"), by
    where the name starts: a capitalised word that may be part of a name, not a title,
    a place, a body's word or a word the text also writes in lower case."""
    taken = None
    found = {}
    for town in towns:
        before = _WORD_BEFORE.search(text, max(0, town.start - 40), town.start)
        if before is None or before.group(1).isupper():
            continue
        taken = covered_mask(text, places) if taken is None else taken
        if _may_be_in_name(text, before.group(1), before.start(), taken):
            found[before.start()] = town
    return found


@functools.cache
def _towns() -> frozenset[str]:
    return frozenset(places("towns"))


def _names_a_body(text: str, word: str, spans: list[Span]) -> bool:
    """The word is a word of a longer organisation's name in the text, is followed by
    a body's word somewhere ("Lavalin Inc", "Olin Corp"), or names where people work
    ("experts at Kaspersky", "Kaspersky analysts")."""
    if any(s.label == "ORG" and s.text != word and word in s.text.split(" ") for s in spans):
        return True
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        after = _NEXT_WORD.match(text, end)
        if after and after.group(1).rstrip(".,") in _ORG_ENDINGS | _ORG_WORDS:
            return True
        whole = not text[start - 1 : start].isalnum() and not text[end : end + 1].isalnum()
        if whole and (
            _STAFF_AFTER.match(text, end) or _STAFF_BEFORE.search(text, max(0, start - 40), start)
        ):
            return True
        start = text.find(word, start + 1)
    return False


_NEXT_WORD = re.compile(r" ([\w.,]+)")
# People who work at a body, before or after its name: "experts at Ⲇⲇ", "Ⲇⲇ analysts".
_STAFF = "|".join(sorted(wordlist("staff_of_bodies")))
_STAFF_BEFORE = re.compile(rf"\b(?i:{_STAFF}) (?:at|of|from|with) (?:the )?$")
_STAFF_AFTER = re.compile(rf" (?:{_STAFF})\b")


def not_handles(text: str, spans: list[Span]) -> list[Span]:
    """The spans but hashtags and social-media handles ("#MigrationPolicy",
    "@DaryoEng"), which name no one, as embedded posts write them."""
    if "#" not in text and "@" not in text:  # a quick test first
        return spans
    return [s for s in spans if not text.endswith(("#", "@"), 0, s.start)]


# A dateline: a place in capitals opening a paragraph before the agency or the date
# ("DUSHANBE. KAZINFORM –", "TASHKENT, May 3 (Daryo) –", "KOSTANAY – The …").
_DATELINE_PLACE = re.compile(r"[^\W\d_](?:[^\W\d_]|[ '’-](?=[^\W\d_]))+")
_DATELINE_AFTER = re.compile(
    r"\.[ \t]+[A-Z]{3,}\b"  # ". KAZINFORM"
    r"|,?[ \t]+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d"  # ", May 3"
    r"|,?[ \t]+(?:\([^()\n]{1,40}\)[ \t]*)?[–—-][ \t]"  # " (Daryo) –", " –"
)


def not_datelines(text: str, spans: list[Span]) -> list[Span]:
    """The spans but a dateline's place, which names no body and no one."""
    return [s for s in spans if not (s.text.isupper() and _is_dateline(text, s))]


def _is_dateline(text: str, span: Span) -> bool:
    """The span is a place in capitals opening a paragraph, before the agency, the date
    or a dash, as wire stories start: "DUSHANBE. KAZINFORM – …"."""
    return (
        span.text.isupper()
        and not text[text.rfind("\n", 0, span.start) + 1 : span.start].strip()
        and bool(_DATELINE_PLACE.fullmatch(span.text))
        and bool(_DATELINE_AFTER.match(text, span.end))
    )


def name_spans(text: str, spans: list[Span], places: list[Match]) -> list[Span]:
    """The recogniser's spans with names completed: a name cut at a particle runs on
    ("Ursula von der" → "Ursula von der Leyen"); an organisation that is, or ends in,
    two or three words of a name with a regional surname is, or ends in, a person
    ("Kassym-Jomart Tokayev"; "Agency for … Market Madina Abylkassymova"), unless a
    country or city is part of it ("Radio Kiev", "Teleradio Moldova"); a one-word
    organisation with such a surname after a role or next to a verb of saying is a
    person ("…,” stated Bastrykin", "investigator Ivanov")."""
    place = covered_mask(text, places)
    found = []
    for span in spans:
        words = span.text.split(" ")
        if span.label == "PERSON" and words[-1] in PARTICLES:
            end = _name_end(text, span.start)
            if end and end > span.end:
                span = Span(span.start, end, "PERSON", text[span.start : end])
        elif (
            span.label == "ORG"
            and is_regional_surname(words[-1])
            and not any(place[span.start : span.end])
        ):
            if (len(words) in (2, 3) and _is_name(words)) or (
                len(words) == 1 and _surname_of_a_person(text, span, spans)
            ):
                span = Span(span.start, span.end, "PERSON", span.text)
            elif len(words) > 3 and _is_name(words[-2:]):
                start = span.end - len(" ".join(words[-2:]))
                found.append(Span(span.start, start - 1, "ORG", text[span.start : start - 1]))
                span = Span(start, span.end, "PERSON", text[start : span.end])
        found.append(span)
    return found


def _is_name(words: list[str]) -> bool:
    return (
        all(re.fullmatch(_NAME_WORD, w) and w[0].isupper() and len(w) > 2 for w in words)
        and _given_names(words)
        and not (
            _ORG_ENDINGS.intersection(words)
            | PORTFOLIOS.intersection(words)
            | {"of", "the"}.intersection(words)
        )
    )


def trailing_names(text: str, spans: list[Span], known: list[Match]) -> list[Span]:
    """Names the recogniser ran into an organisation: "...Assembly of Türkiye Numan
    Kurtulmuş" is the organisation, then a person."""
    ends = {m.start: m.end for m in known}
    found = []
    for span in spans:
        if span.label != "ORG":
            continue
        for start in range(span.start, span.end):
            end = ends.get(start, span.end)
            if end < span.end and (name := _TRAILING_NAME.fullmatch(text, end, span.end)):
                found.append(Span(name.start(1), span.end, "PERSON", name.group(1)))
    return found


def listed_with_country(text: str, countries: list[Match]) -> list[Span]:
    """People in lists with their country, "Falilat Ogunkoya (Nigeria)": two or
    three capitalised words right before a country in brackets."""
    found = []
    for country in countries:
        if text.startswith(")", country.end) and text.endswith(" (", 0, country.start):
            name = _LISTED.search(text, max(0, country.start - 80), country.start - 2)
            if name is not None and not _ORG_WORDS.intersection(name.group().split()):
                found.append(Span(name.start(), name.end(), "PERSON", name.group()))
    return found


def titled_names(text: str, spans: list[Span], known: list[Match]) -> list[Span]:
    """Names right after a title the recogniser missed or cut short: "Minister Ⲅⲅ Ⲇⲇ",
    "Head of State Ⲅⲅ Ⲇⲇ"; or after what the title is of: "President of Kazakhstan
    Ⲅⲅ Ⲇⲇ", "Minister of National Economy Ⲅⲅ Ⲇⲇ", "Chairman of the Board of
    Samruk-Kazyna Ⲅⲅ Ⲇⲇ" (a country, a body or a portfolio), also when the recogniser
    ran the body into the name ("Jusan Bank Ⲅⲅ Ⲇⲇ")."""
    taken = covered_mask(text, known)
    people = covered_mask(text, [s for s in spans if s.label == "PERSON"])
    titles = list(_TITLED.finditer(text))
    if "Head" in text:  # quick tests first: most texts have neither
        titles += _HEAD_OF.finditer(text)
    if "Minister of " in text:
        titles += _MINISTER_OF.finditer(text)
    starts = [hit.end() for hit in titles]
    orgs = [s for s in spans if s.label == "ORG"]
    titled = [a for a in known + orgs if _after_title(text, a.start)]
    starts += [a.end + 1 for a in titled if text.startswith(" ", a.end)]
    found = []
    for start in sorted(set(starts)):
        end = _name_end(text, start)
        if end and not any(taken[start:end]) and not all(people[start:end]):
            found.append(Span(start, end, "PERSON", text[start:end]))
    titled_orgs = set(titled)
    run_into = [_ending_name(text, span) for span in orgs if span in titled_orgs]
    return found + [name for name in run_into if name]


def _after_title(text: str, start: int) -> bool:
    """A title and what it is of end right before `start` (_TITLE_OF, _TITLES_OF)."""
    # Both end in one of _TITLE_ENDS, maybe before a line's end: a quick test first.
    end = start - 1 if text.endswith("\n", 0, start) else start
    if not text.endswith(_TITLE_ENDS, 0, end):
        return False
    return bool(
        _TITLE_OF.search(text, max(0, start - 120), start)
        or _TITLES_OF.search(text, max(0, start - 120), start)
    )


def _ending_name(text: str, span: Span) -> Span | None:
    """The name a body's name runs into after a title: "Chairman of Jusan Bank Ⲅⲅ Ⲇⲇ"
    (the name starts after the body's last word and runs to the span's end or on)."""
    ends = [w.end() for w in _WORD.finditer(span.text) if w.group() in _ORG_ENDINGS]
    if not ends or span.start + ends[-1] >= span.end:
        return None
    start = span.start + ends[-1] + 1
    end = _name_end(text, start)
    return Span(start, end, "PERSON", text[start:end]) if end and end >= span.end else None


def _name_end(text: str, start: int) -> int | None:
    """The end of the two to four capitalised words of a name starting at `start`
    (particles inside it), or None if they are part of a body's name or a date."""
    words = []
    hit = _NAME_RUN.match(text, start)
    for word in hit.group().split(" ") if hit else ():
        if word in _NEVER_IN_NAMES or _TITLED_WORD.fullmatch(word):
            return None
        if not (word[0].isupper() or word in PARTICLES or word in wordlist("patronymics")):
            break
        words.append(word)
        if word in wordlist("patronymics"):  # "Ⲅⲅ Ⲇⲇ uulu": the name ends with it
            break
    while words and words[-1] in PARTICLES:
        words.pop()
    return start + len(" ".join(words)) if len(words) >= 2 else None


# A capitalised word that may be part of a name ("Kassym-Jomart", "O'Brien"), and the
# word right before an offset.
_CAPITALISED_WORD = re.compile(r"(?<![\w'’.-])[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*(?![\w'’-])")
# The same words, but for those starting with a lower-case ASCII letter (most words):
# no name ends in one, and skipping them here is what makes regional_names quick.
_LAST_NAME_WORD = re.compile(
    r"(?<![\w'’.-])(?![a-z])[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*(?![\w'’-])"
)
_WORD_BEFORE = re.compile(r"(?<![\w'’.-])([^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*) $")
_CAPITALISED_NEXT = re.compile(r" [A-Z]")
# A Russian patronymic, written between the given name and the surname.
_PATRONYMIC = re.compile(r"(?:ovich|evich|ovna|evna|ich|ichna)$")


def regional_names(text: str, spans: list[Span], known: list[Match]) -> list[Span]:
    """Names the recogniser missed, by their shape: one or two given names before a
    surname with one of the region's endings ("Talant Mamytov", "Alisher Khalikov"),
    or initials ("A. Ⲇⲇov"), or before a patronymic word ("Bakyt Darmankul uulu"). Not when a capitalised word
    follows ("Nazarbayev University"), nor words the text also writes in lower case
    ("Yesterday Ivanov"), titles, or what the gazetteers found."""
    patronymics = wordlist("patronymics")
    found = []
    taken = people = None  # made at the first candidate: most texts have none
    for hit in _LAST_NAME_WORD.finditer(text):
        last, end = hit.group(), hit.end()
        after = _CAPITALISED_WORD.match(text, end + 1) if text.startswith(" ", end) else None
        if after is not None and after.group() in patronymics:
            end = after.end()
        elif not is_regional_surname(last) or _CAPITALISED_NEXT.match(text, end):
            continue
        if taken is None:
            taken = covered_mask(text, known)
            people = covered_mask(text, [s for s in spans if s.label == "PERSON"])
        if not _may_be_in_name(text, last, hit.start(), taken):
            continue
        start = hit.start()
        while before := _WORD_BEFORE.search(text, max(0, start - 40), start):
            if not _may_be_in_name(text, before.group(1), before.start(), taken) or (
                last.isupper() and before.group(1).isupper()
            ):
                break
            start = before.start()
            if not _PATRONYMIC.search(before.group(1)):  # "Kassym-Jomart Kemelevich Tokayev"
                break
        if start < hit.start() and last.endswith(_MIDDLE_PATRONYMICS):
            start = _surname_before(text, start, taken)  # "VOLYNKIN Ivan Ivanovich"
        if start == hit.start():  # "A. Ⲇⲇ", "A.B. Ⲇⲇ"
            start = _initials_before(text, start, taken)
        if start < hit.start() and not all(people[start:end]):
            found.append(Span(start, end, "PERSON", text[start:end]))
    return found


def lone_surnames(text: str, spans: list[Span], known: list[Match]) -> list[Span]:
    """Surnames alone the recogniser missed, by their ending (is_regional_surname) and a
    person's place: after a role or "according to", next to a verb of saying ("Ⲇⲇ
    added", "…,” said Ⲇⲇ"), or opening a sentence before a verb in the past ("Ⲇⲇ
    arrived in Dushanbe", "Ⲇⲇ also referred to …"). Five letters or more, no hyphen,
    no capitalised word before or after (regional_names completes full names), not a
    body's word nor what the gazetteers found, nor a name of the recogniser's but one
    word it took for a body's ("Ⲇⲇ" alone)."""
    found = []
    taken = None  # made at the first candidate: most texts have none
    for hit in _LONE_WORD.finditer(text):
        word = hit.group()
        if not word.endswith(_LONE_ENDINGS) or word in COMMON:  # is_regional_surname
            continue
        start, end = hit.span()
        if start and _IN_LONE_WORD.match(text, start - 1) or _IN_LONE_WORD.match(text, end):
            continue  # part of a longer word
        if start and text[start - 1] == ".":
            continue
        if _CAPITALISED_NEXT.match(text, end) or _CAPITALISED_BEFORE.search(text, 0, start):
            continue
        if taken is None:  # a body of one word the recogniser found may be the surname
            others = [s for s in spans if s.label == "PERSON" or " " in s.text]
            taken = covered_mask(text, known + others)
        if any(taken[start:end]):
            continue
        if any(m.surface.startswith(f"{word} ") for m in known) or any(
            (s.label != "PERSON" or "<" in text[max(0, s.start - 1) : s.end])
            and s.text.lstrip("<").startswith(f"{word} ")
            for s in spans
        ):
            continue  # "Protein" of "Protein Databases Inc"
        placed = (
            _LONE_ROLE_BEFORE.search(text, max(0, start - 40), start)
            or _ACCORDING_TO.search(text, max(0, start - 20), start)
            or _SPEECH_AFTER.match(text, end)
            or (_SENTENCE_OPENS.search(text, max(0, start - 3), start) or not start)
            and _PAST_AFTER.match(text, end)
        )
        if placed and not _names_a_body(text, word, spans):
            found.append(Span(start, end, "PERSON", word))
    return found


# Roles and titles before a surname alone, without the adjectives among them ("the
# major Latin debtors").
_LONE_ROLE_BEFORE = re.compile(
    rf"(?<![\w'’.-])(?:(?:{'|'.join(map(re.escape, sorted(set(_ROLES) - {'major', 'general', 'Major', 'General'})))})\.?|{_SPEECH}),? $"
)
_LONE_WORD = re.compile(r"[A-Z][a-z]{4,}")
_LONE_ENDINGS = tuple(wordlist("surname_endings"))
_IN_LONE_WORD = re.compile(r"[\w'’-]")
_CAPITALISED_BEFORE = re.compile(r"(?<![\w'’.-])[A-Z][\w'’.-]* $")
_ACCORDING_TO = re.compile(r"\b[Aa]ccording to $")
_SENTENCE_OPENS = re.compile(r"(?:[.!?]\s|\n|[.!?][»\"”]\s)$")
# A verb in the past after a name, over an adverb: "arrived", "also referred".
_PAST_AFTER = re.compile(r" (?:also |then |later |has |had |was |recently )?[a-z]+ed\b")


# Russian official style writes the surname first, in capitals, before the given name
# and the patronymic: "VOLYNKIN Ivan Ivanovich" (people.py names him Ivan Volynkin).
_MIDDLE_PATRONYMICS = tuple(wordlist("middle_patronymic_endings"))
_SURNAME_FIRST = re.compile(r"(?<![\w'’.-])([^\W\d_]{4,}(?:-[^\W\d_]+)*) $")


def _surname_before(text: str, start: int, taken: bytearray) -> int:
    """Where a name of given name and patronymic starting at `start` starts with the
    surname in capitals written before them ("VOLYNKIN Ivan Ivanovich"), else `start`."""
    before = _SURNAME_FIRST.search(text, max(0, start - 40), start)
    if before is None or not before.group(1).isupper():
        return start
    word = before.group(1).capitalize()
    if word in cities() or not _may_be_in_name(text, word, before.start(), taken):
        return start  # "in MOSCOW Ivan Ivanovich", "MINISTER Ivan Ivanovich"
    return before.start()


# One or two initials before a surname, as Turkmen and Russian official texts write
# names: "A. Ⲇⲇ", "A.B. Ⲇⲇ", "A. B. Ⲇⲇ".
_INITIALS = re.compile(r"(?<![\w'’.-])[A-Z]\.(?: ?[A-Z]\.)? $")


def _initials_before(text: str, start: int, taken: bytearray) -> int:
    """Where the initials written right before a surname starting at `start` start
    ("Deputy Minister A. Ⲇⲇ"), else `start`; not what the gazetteers found ("U.S.")."""
    before = _INITIALS.search(text, max(0, start - 6), start)
    if before is None or taken[before.start()]:
        return start
    return before.start()


def _may_be_in_name(text: str, word: str, start: int, taken: bytearray) -> bool:
    return (
        word[0].isupper()
        and len(word) > 2  # not "St", "Le"
        and not taken[start]
        and word not in wordlist("titles")
        and word not in _NEVER_IN_NAMES | wordlist("honorifics")
        and word not in wordlist("not_in_names")
        and word.lower() not in _lower_case_words(text)
        and not _TITLED_WORD.fullmatch(word)
    )


@functools.lru_cache(maxsize=8)
def _lower_case_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"(?<![\w'’-])[a-z][\w'’]*", text))

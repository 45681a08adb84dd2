"""People: capitalised names introduced by a title, an institution or a verb
of speech; a surname alone joins the full name found in the same text."""

from __future__ import annotations

import re

from ..slugs import make_slug
from .matcher import Match, covered_mask
from .model import Entity

_TOKEN = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
_POSSESSIVE = re.compile(r"['’]s$")

TITLES = frozenset(
    """
    Chairman Chairwoman Chair Speaker President Vice Prime Minister Deputy Secretary
    General Ambassador Senator Governor Mayor King Queen Prince Princess Sheikh Emir
    Chancellor Director Chief Executive Head Commissioner Envoy Spokesman Spokeswoman
    Spokesperson Mr Mrs Ms Dr Professor Prof Sir Lord Lady Judge Justice Pope
    Patriarch Imam Colonel Major Captain Lieutenant Admiral Commander Founder
    Chairperson Leader Representative Deputy Delegate Member Officer Manager
    """.split()
)
STOPWORDS = TITLES | frozenset(
    """
    The A An In On At Of For And But Or Our We He She It They This That These Those
    Your His Her Their Its My After Before During When While According As By With
    From To Also However Meanwhile Yet So If Then There Here Why What Who How Today
    January February March April May June July August September October November
    December Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    Parliament Senate Assembly Union Ministry Agency News Congress Council Committee
    Commission Court Bank Party Group Treaty Organization Organisation Association
    Republic Kingdom Federation States State United National Grand International
    Development Concept Secretariat Service Office Department Government Cabinet
    Company Corporation Corp Inc Ltd Co Fund Forum Summit Conference University
    Institute Centre Center Foundation Program Programme Project Strategy Plan
    North South East West Northern Southern Eastern Western Central
    """.split()
)
SPEECH_VERBS = frozenset("said says told added noted stressed announced wrote".split())


def find_people(text: str, known: list[Match]) -> list[Match]:
    """Mentions of people, each carrying the Entity of the full name."""
    tokens = [
        _Token(m.start(), m.end(), _POSSESSIVE.sub("", m.group())) for m in _TOKEN.finditer(text)
    ]
    covered = covered_mask(text, known)
    for token in tokens:
        token.known = covered[token.start]
        token.namelike = token.word[0].isupper() and not token.known and token.word not in STOPWORDS

    runs = _runs(text, tokens)
    full_names = {}
    for index, run in runs:
        if 2 <= len(run) <= 3 and _introduced(text, tokens, index, len(run)):
            name = " ".join(t.word for t in run)
            full_names.setdefault(name, Entity("people", name, make_slug(name)))
    surnames = {}
    for name, entity in full_names.items():
        surnames.setdefault(name.split()[-1], []).append(entity)

    found = []
    for _, run in runs:
        name = " ".join(t.word for t in run)
        if name in full_names:
            found.append(Match(run[0].start, run[-1].end, name, full_names[name]))
        elif len(run) == 1 and len(surnames.get(name, [])) == 1:
            found.append(Match(run[0].start, run[0].end, name, surnames[name][0]))
    return found


class _Token:
    __slots__ = ("start", "end", "word", "known", "namelike")

    def __init__(self, start, end, word):
        self.start, self.end, self.word = start, end, word


def _runs(text, tokens):
    """Maximal runs of name-like tokens separated by single spaces."""
    runs, current, first = [], [], 0
    for index, token in enumerate(tokens):
        joined = current and text[current[-1].end : token.start] == " "
        if token.namelike and (joined or not current):
            if not current:
                first = index
            current.append(token)
            continue
        if current:
            runs.append((first, current))
        current, first = ([token], index) if token.namelike else ([], 0)
    if current:
        runs.append((first, current))
    return runs


def _introduced(text, tokens, index, length) -> bool:
    """A title, country or institution just before, or a verb of speech after."""
    if index > 0:
        before = tokens[index - 1]
        adjacent = text[before.end : tokens[index].start] == " "
        if adjacent and (before.known or before.word in TITLES):
            return True
    after = index + length
    return after < len(tokens) and tokens[after].word in SPEECH_VERBS

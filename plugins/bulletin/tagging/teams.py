"""Sports teams in results and standings, one line a paragraph: "Leeds 1 Aston
Villa 0", "Hartlepool 4 2 1 1 6 5 7", "Queens Park Rangers v Bolton". Teams are
organisations, even when named after a city ("Leeds") or read as a person
("Hamilton"); a country's name stays the country (national teams)."""

from __future__ import annotations

import re

from ..slugs import make_slug
from .gazetteer import countries
from .matcher import Match, covered_mask, find_verbatim
from .model import Entity
from .ner import COMMON

_WORD = r"[A-Z][\w.'’&-]*"
_NAME = rf"{_WORD}(?: (?:of |de |del |la |and )?{_WORD}){{0,4}}"
# A team, maybe with its country or region in brackets: "Benetton (Italy)".
_TEAM = rf"({_NAME})(?: \(([A-Z][\w ]*)\))?"
# Games, points, goals "6-2", a percentage ".542", games behind "1/2" or "-";
# not "63.02" (the figures of a company or a player's average).
_NUMBER = r"(?:\d+(?:-\d+)?|\.\d+|-|\d+/\d+)"
_LINES = (
    # Results: "Grimsby 0 Portsmouth 1", "Benetton (Italy) 92 Dinamo (Russia) 81 (halftime 50-28)".
    re.compile(rf"{_TEAM} \d+ {_TEAM} \d+(?: \(.*\))?"),
    # Standings: a name, then at least three figures and nothing else (a name with
    # its country in brackets and figures is a player: "Carl Suneson (Spain) 65 66 70").
    re.compile(rf"({_NAME})(?: \(([A-Z]{{1,2}})\))?(?: {_NUMBER}){{3,}}"),
    # Fixtures: "Queens Park Rangers v Bolton".
    re.compile(rf"(?:[\w ]+: )?{_TEAM} v {_TEAM}"),
)
# Scorecards: "At Hove: Sussex 363 and 144-5, Lancashire 218 (J. Smith 75)."
_SCORECARD = re.compile(r"(?:At )?[A-Z][^:]{0,40}: ")
_INNINGS = re.compile(rf"(?<=[:,] )({_NAME}) \d+(?:-\d+)?(?: and \d+(?:-\d+)?)?(?= *(?:,|\.?$))")
# "Derbyshire beat Worcestershire by nine wickets", "Benetton of Italy beat Dinamo
# of Russia 92-81"; not a player's win in sets, "6-4 6-3", nor "beat Dole by 10 points".
_BEAT = re.compile(
    rf"(?<![\w'’.-])({_NAME})(?: of [A-Z]\w+)? beat ({_NAME})(?: of [A-Z]\w+)?"
    r" (?:by (?:an innings|\w+ (?:wickets?|runs))|\d+-\d+(?! \d))"
)
_BRACKETS = re.compile(r"\([^()]*\)")
_PARAGRAPH = re.compile(r"[^\n]+")
# A team's name found again is a whole word: no letter, apostrophe or hyphen before
# it, no letter or hyphen after it.
_IN_WORD = re.compile(r"[\w'’-]")
_WORD_GOES_ON = re.compile(r"[\w-]")


def find_teams(text: str, known: list[Match]) -> list[Match]:
    """The teams named in result, standings and fixture lines, and every other
    mention of them in the text, except where `known` organisations are."""
    beaten = _BEAT.finditer(text) if " beat " in text else ()  # a quick test first
    names = [(hit.start(g), hit.group(g)) for hit in beaten for g in (1, 2)]
    for line in _PARAGRAPH.finditer(text):
        names += [(line.start() + start, name) for start, name in _in_line(line.group())]
    taken = covered_mask(text, known)
    found = []
    for start, name in names:
        team, _, country = name.rpartition(" of ")  # "Nijmeh of Lebanon"
        name = team if country in countries() else name
        if _is_team(name) and not any(taken[start : start + len(name)]):
            found.append(Match(start, start + len(name), name, _entity(name)))
    return found + _repeats(text, {m.surface for m in found}, known + found)


def _repeats(text: str, names: set[str], taken: list[Match]) -> list[Match]:
    """The teams' names elsewhere in the text ("Surrey need 148 to win")."""
    if not names:
        return []
    covered = covered_mask(text, taken)
    return [
        Match(start, start + len(name), name, _entity(name))
        for start, name in find_verbatim(text, names, _IN_WORD, _WORD_GOES_ON)
        if not any(covered[start : start + len(name)])
    ]


def _entity(name: str) -> Entity:
    return Entity("organisations", name, make_slug(name))


def _in_line(line: str):
    """(offset, name) of the teams of one results, standings or fixtures line."""
    for pattern in _LINES:
        if (hit := pattern.fullmatch(line)) is not None:
            return [(hit.start(g), hit.group(g)) for g in range(1, pattern.groups + 1, 2)]
    if (prefix := _SCORECARD.match(line)) is not None:
        # Players' scores in brackets are blanked, keeping the offsets.
        line = _BRACKETS.sub(lambda b: " " * len(b.group()), line)
        return [(hit.start(1), hit.group(1)) for hit in _INNINGS.finditer(line, prefix.end())]
    return []


def _is_team(name: str | None) -> bool:
    """Not a country, not a sentence's first word, not a player's initial ("M. Walker")."""
    if not name or name in countries():
        return False
    first = name.split()[0]
    return first not in COMMON and not (len(first) == 2 and first.endswith("."))

"""National institutions named after their country: "Kazakh Parliament" →
Parliament of Kazakhstan; "Grand National Assembly of the Republic of Türkiye"
→ Grand National Assembly of Türkiye; "Mazhilis of the Parliament of Kazakhstan"
→ Mazhilis of Kazakhstan and Parliament of Kazakhstan; and the grammar of bodies'
names (data/bodies.yml): "Ministry of Labor, Migration and Employment of the
Population of Tajikistan", "the Russian Ministry of Internal Affairs" → Ministry
of Internal Affairs of the Russian Federation, "Agency for Employment Abroad under
the Government of Tajikistan", "Embassy of Uzbekistan in Russia"."""

from __future__ import annotations

import functools
import re

from ..slugs import make_slug
from .gazetteer import bodies, cities, countries, not_organisations, organisations, places
from .matcher import Match, covered_mask
from .model import Entity

# National institutions found by name right before or after their country
# (data/bodies.yml: named_after_countries).
INSTITUTIONS = tuple(bodies()["named_after_countries"])
_INSTITUTION = "|".join(map(re.escape, INSTITUTIONS))
# "<Institution> of [the] [Republic of] " right before a country name.
_BEFORE = re.compile(rf"(?:\b({_INSTITUTION}) of (?:the )?)(?:Republic of )?$")
# "<Institution> of the " right before "<Demonym> <Institution>".
_NESTED_BEFORE = re.compile(rf"\b({_INSTITUTION}) of the $")
# " <Institution>" right after a country name or demonym, or its possessive.
_AFTER = re.compile(rf"(?:['’]s)? ({_INSTITUTION})\b")
_BARE = re.compile(rf"\b(?:the|The) ({_INSTITUTION})\b")
_WINDOW = 80


def find_institutions(
    text: str, country_matches: list[Match], people=(), listed: list[Match] = ()
) -> list[Match]:
    """Institutions of the countries matched, plus later bare mentions of them; a
    central bank matched as evidence of its country ("Bundesbank") is one too; and
    the bodies the grammar of names finds (people: spans of people's names, which end
    a body's name: "… of Tajikistan Shahnoza Nodiri"; listed: the gazetteer's
    matches, which a body of the grammar overlaps only if it holds them whole:
    tagger drops those)."""
    named = _named_after_countries(text, country_matches)
    bodies = [
        b for b in find_bodies(text, country_matches, people, listed)
        if not any(_overlap(b, m) and not inside(m, b) for m in listed)
    ]  # fmt: skip
    kept = [
        b for b in bodies
        if not any(n.start <= b.start and b.end <= n.end for n in named)
    ]  # fmt: skip
    named = [
        n for n in named
        if not any(b.start <= n.start and n.end <= b.end and b.end - b.start > n.end - n.start for b in kept)
    ]  # fmt: skip
    found = named + kept
    return found + _bare_mentions(text, found)


def _overlap(a: Match, b: Match) -> bool:
    return a.start < b.end and b.start < a.end


def inside(inner: Match, outer: Match) -> bool:
    """Strictly inside: "Main Directorate for Migration Affairs" of "Main Directorate
    for Migration Affairs of the Ministry of Internal Affairs of Russia"."""
    return (
        outer.start <= inner.start
        and inner.end <= outer.end
        and outer.end - outer.start > inner.end - inner.start
    )


def _named_after_countries(text: str, country_matches: list[Match]) -> list[Match]:
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
    return found


def _institution(text, start, end, kind, country) -> Match:
    name = f"{_short(kind)} of {_with_article(country.name)}"
    entity = Entity("organisations", name, make_slug(name), country.code)
    return Match(start, end, text[start:end], entity)


def _with_article(country: str) -> str:
    """ "the United Kingdom", "the Netherlands", "the Russian Federation"; "Kazakhstan"."""
    words = country.split()
    return f"the {country}" if not _with_the().isdisjoint(words) else country


def _bare_mentions(text: str, found: list[Match]) -> list[Match]:
    """ "the Senate" joins the post's one Senate of a country, if there is one."""
    if not found:  # nothing for "the Senate" to join
        return []
    by_kind = {}
    for match in found:
        kind = match.value.name.rsplit(" of ", 1)[0]
        by_kind.setdefault(kind, set()).add(match.value)
    covered = covered_mask(text, found)
    bare = []
    for hit in _BARE.finditer(text):
        entities = by_kind.get(_short(hit.group(1)), set())
        inside = covered[hit.start(1)]
        if len(entities) == 1 and not inside:
            bare.append(Match(hit.start(1), hit.end(1), hit.group(1), next(iter(entities))))
    return bare


# The grammar of bodies' names. A run of capitalised words ("Prosecutor General's",
# "Tajik-Russian"), and what may join two runs inside one name.
_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_WORD = rf"(?:[{_UPPER}][\w'’-]*\w|[A-Z]\.(?:[A-Z]\.)+)"
_RUN = re.compile(rf"{_WORD}(?: {_WORD})*")
_JOINS = re.compile(r" (of|for|on|under|in) (?:the )?| (and) |,( and)? | (&) ")
_POSSESSIVE = re.compile(r"['’]s?$")
_PLACE_WORD = re.compile(r" (\w+)")
_JOINED = re.compile(r" (?:of|for|on|under|in|and) ")
# The ends of the region's surnames (names.py): "… Market Madina Abylkassymova".
_SURNAME = re.compile(
    r"(?:ov|ev|yev|ova|eva|yeva|enko|uly|kyzy|ovich|evich|ovna|evna|yan|dze|zoda|zada)$"
)


def _grammar() -> dict:
    return bodies()


@functools.cache
def legal_forms() -> frozenset[str]:
    """The legal forms that end a company's name ("LLC", "JSC", "Co., Ltd")."""
    return frozenset(_grammar()["legal_forms"])


@functools.cache
def _with_the() -> frozenset[str]:
    return frozenset(_grammar()["with_the"])


@functools.cache
def _title_words() -> frozenset[str]:
    return frozenset(_grammar()["titles"])


@functools.cache
def _portfolio_title() -> re.Pattern:
    """A title right before a body whose "for …" is the title's portfolio."""
    titles = "|".join(sorted(_grammar()["titles_with_a_portfolio"]))
    return re.compile(rf"\b(?:{titles}) of (?:the )?$")


@functools.cache
def _heads() -> tuple[frozenset[str], re.Pattern]:
    heads = frozenset(_grammar()["heads"])
    return heads, re.compile(rf"\b(?:{'|'.join(map(re.escape, sorted(heads)))})\b")


def find_bodies(
    text: str, country_matches: list[Match], people=(), listed: list[Match] = ()
) -> list[Match]:
    """Bodies named by the grammar: a run of capitalised words holding a head word
    ("Ministry", "Agency", "Service", …) and what the name goes on with ("of A, B
    and C", "for …", "under the Government of …", "of <country>", "in <country>"
    after an embassy), or a country's adjective or possessive before it ("Russian
    Ministry of …", "Tajikistan's Agency for …"). Each is linked to its country."""
    heads, any_head = _heads()
    places_at = {m.start: m for m in country_matches}
    missions = _missions(text, places_at)
    if not any_head.search(text):
        return missions
    person_starts = {span.start for span in people if span.label == "PERSON"}
    listed_starts = {m.start for m in listed}
    runs = [(m.start(), m.end()) for m in _RUN.finditer(text)]
    not_names, last_words, _ = not_organisations()
    found = missions
    i = 0
    while i < len(runs):
        chain = [runs[i]]
        joins = []
        while i + 1 < len(runs):
            join = _JOINS.fullmatch(text, chain[-1][1], runs[i + 1][0])
            if join is None:
                break
            joins.append(join)
            chain.append(runs[i + 1])
            i += 1
        i += 1
        if any_head.search(text, chain[0][0], chain[-1][1]):  # else no body in it
            found += _bodies_in(text, chain, joins, heads, places_at, person_starts, listed_starts)
    return [
        b for b in found
        if b.surface not in not_names and _JOINED.split(b.surface)[0].split()[-1] not in last_words
    ]  # fmt: skip


def _bodies_in(text, chain, joins, heads, places_at, person_starts, listed_starts) -> list[Match]:
    """The bodies of one chain of runs joined by "of", "for", "and", commas…"""
    found = []
    k = 0
    while k < len(chain):
        body = _body_from(text, chain, joins, k, heads, places_at, person_starts, listed_starts)
        if body is None:
            k += 1
            continue
        match, k = body
        if match is not None:
            found.append(match)
    return found


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]


def _body_from(text, chain, joins, k, heads, places_at, person_starts, listed_starts=frozenset()):
    """The body whose head is in run k of the chain, and the index of the run after
    it; None if run k holds no head."""
    start, end = chain[k]
    words = _words(text, start, end)
    head_at = [j for j, (s, e) in enumerate(words) if _POSSESSIVE.sub("", text[s:e]) in heads]
    head_at = [j for j in head_at if not _inside_place(words[j][0], places_at)]
    if not head_at:
        return None
    # Where the name starts: after a possessive ("Tajikistan's") and leading words
    # that start no name; a country's adjective in front links the body to it.
    first = 0
    owner = None
    owned_by_body = False  # "Radio Liberty's Tajik Service": a body's part, not Tajikistan's
    for j in range(head_at[0]):
        s, e = words[j]
        if text[s:e].endswith(("'s", "’s")):
            first, owner = j + 1, places_at.get(s)
            owned_by_body = owner is None
    not_starts = frozenset(_grammar()["not_starts"])
    dates = frozenset(_grammar()["dates"])
    place_words = frozenset(_grammar()["place_words"])
    while first < head_at[0] and text[words[first][0] : words[first][1]] in not_starts:
        first += 1
    adjective = None
    if owner is None and not owned_by_body and first < head_at[0]:
        place = places_at.get(words[first][0])
        others = any(places_at.get(words[j][0]) for j in range(first + 1, head_at[0]))
        whole = place is not None and place.end in {e for _, e in words}
        if whole and place.end <= words[head_at[0]][0] and not others:
            adjective = place
    body_start = words[first][0]
    # "Kyrgyz-Russian Inter-Parliamentary Commission": two countries' body, of neither.
    bilateral = (
        owner is None and first < head_at[0] and _joins_countries(text, words[first], places_at)
    )
    # The run ends the name at its end, or after its last head word where a title or
    # a person's name follows it ("Security Council Secretary Ⲅⲅ Ⲇⲇ").
    last = len(words)
    after = [text[s:e] for s, e in words[head_at[-1] + 1 :]]
    person = any(s in person_starts for s, _ in words[head_at[-1] + 1 :])
    titled = not _title_words().isdisjoint(after)
    if person or titled or len(after) >= 2 and _SURNAME.search(after[-1]):
        last = head_at[-1] + 1
    body_end = words[last - 1][1]
    possessive = _POSSESSIVE.search(text, body_start, body_end)
    if possessive is not None:  # "the Russian Interior Ministry's service"
        body_end = possessive.start()
        last = -1  # the name goes on no further
    head_word = text[words[head_at[0]][0] : words[head_at[0]][1]]
    # The name goes on over the joins that follow.
    located = frozenset(_grammar()["located"])
    country = where = None
    complement = False  # "A, B and C" only after "of", "for": "Ministry of A, B and C"
    n = k
    while n + 1 < len(chain) and last == len(words):
        if body_end != chain[n][1]:
            break
        join = joins[n]
        word = join.group(1) or join.group(2) or join.group(4) or ("and" if join.group(3) else ",")
        nxt_start, nxt_end = chain[n + 1]
        place = places_at.get(nxt_start)
        nxt_words = _words(text, nxt_start, nxt_end)
        nxt_first = text[nxt_words[0][0] : nxt_words[0][1]]
        if word == "in":
            if (
                head_word in located
                and place is not None
                and country is not None
                or (head_word in located and place is not None and adjective is not None)
            ):
                where = place
                body_end = place.end
            break
        if (
            word == "for"
            and head_at[0] > first  # not "Commissioner of the Agency for …"
            and _portfolio_title().search(text, max(0, body_start - 30), body_start)
        ):
            break  # "Commissioner of the Oliy Majlis ▯for Human Rights": the title's
        if word in ("and", ",", "&") and (
            nxt_first in heads or place is not None or not complement
        ):
            break  # "the Ministry of Labor and Ministry of Health", "… and Russia"
        if nxt_first in dates or word in ("and", ",", "&") and nxt_start in listed_starts:
            break  # "… Centre on Friday", "the Ministry of Labor, and Rostrud"
        complement = complement or word in ("of", "for", "on", "under")
        if word == "," and not any(
            (j.group(2) or j.group(3)) for j in joins[n + 1 :] if j.group(1) is None
        ):
            break  # a comma only inside "A, B and C"
        if place is not None:
            rest = [w for w in nxt_words if w[0] >= place.end]
            rest_heads = [w for w in rest if text[w[0] : w[1]] in heads]
            if rest_heads:  # "of the Kazakh Parliament"
                body_end = rest_heads[-1][1]
                n += 1
                if body_end != nxt_end:
                    break
                continue
            body_end = place.end
            if (after := _PLACE_WORD.match(text, place.end)) and after.group(1) in place_words:
                body_end = after.end()  # "of Irkutsk Oblast"
                nxt_end = max(nxt_end, body_end)
            if word in ("of", "under"):
                country = place
            n += 1
            if not (n + 1 < len(chain) and body_end == nxt_end):
                break
            following = joins[n].group(1)
            if following == "in" and head_word in located:
                continue
            if following != "under":
                break
            continue
        cut = [s for s, _ in nxt_words if s in person_starts]
        if cut or len(nxt_words) >= 3 and _SURNAME.search(text, 0, nxt_end):
            # "… of the Financial Market Madina Abylkassymova": a person follows
            if len(nxt_words) >= 3 and not cut:
                body_end = nxt_words[-3][1]
                n += 1
            break
        body_end = nxt_end
        n += 1
    if country is None and adjective is None and owner is None and n == k and not bilateral:
        return None, k + 1  # a run alone: the name recogniser's to find
    possessive = _POSSESSIVE.search(text, body_start, body_end)
    if possessive is not None:  # "the Ministry of Labor and Social Development's hotline"
        body_end = possessive.start()
    surface = text[body_start:body_end]
    return _canonical(
        surface, body_start, body_end, head_word, country, adjective or owner, where
    ), n + 1


# "the Russian consulate in Turkmenistan": a country's mission, written in lower case.
_MISSION = re.compile(r" (embassy|consulate(?:[- ]general)?) in (?:the )?")


def _missions(text: str, places_at: dict[int, Match]) -> list[Match]:
    found = []
    for place in places_at.values():
        mission = _MISSION.match(text, place.end)
        where = mission and places_at.get(mission.end())
        if where is not None:
            kind = mission.group(1).replace(" ", "-").title()
            host = where.surface if where.surface in cities() else where.value.name
            name = f"{kind} of {_with_article(place.value.name)} in {_with_article(host)}"
            entity = Entity("organisations", name, make_slug(name), place.value.code)
            found.append(Match(place.start, where.end, text[place.start : where.end], entity))
    return found


def _joins_countries(text: str, word: tuple[int, int], places_at: dict[int, Match]) -> bool:
    """The word is two or more countries' names or adjectives joined by hyphens:
    "Kyrgyz-Russian", "Kazakhstan-China"."""
    position, end = word
    parts = 0
    while position < end:
        place = places_at.get(position)
        if place is None or place.end > end:
            return False
        parts += 1
        position = place.end
        if position < end:
            if text[position] not in "-–":
                return False
            position += 1
    return parts >= 2


def _inside_place(offset: int, places_at: dict[int, Match]) -> bool:
    return any(m.start <= offset < m.end for m in places_at.values())


def _canonical(surface, start, end, head, country, owner, where) -> Match:
    """The body under its canonical name, linked to its country: "of <country>" at
    the end written as the country's name ("of the Kyrgyz Republic" → "of
    Kyrgyzstan"), an adjective in front moved to the end ("Russian Ministry of
    Internal Affairs" → "Ministry of Internal Affairs of the Russian Federation"), an
    embassy's host country after "in"."""
    by_own_name = cities()  # places the name keeps as written
    name = surface
    tail = ""
    if where is not None:
        name = name[: where.start - start].rstrip()
        name = re.sub(r" in$", "", name)
        tail = f" in {where.surface if where.surface in by_own_name else _with_article(where.value.name)}"
    place = country or owner
    code = place.value.code if place is not None else ""
    if country is not None and country.surface not in by_own_name:
        name = re.sub(
            r" (?:of|under) (?:the )?(?:Republic of )?$", "", name[: country.start - start]
        )
        name = f"{_short(name)} of {_with_article(country.value.name)}"
    elif owner is not None and country is None:
        # An adjective in front ("Russian Ministry of …") is part of the mention; a
        # possessive ("Uzbekistan's Agency …") was left out of it already.
        rest = name[owner.end - start :].lstrip() if owner.start >= start else name
        if owner.surface not in by_own_name:
            name = f"{_short(rest)} of {_with_article(owner.value.name)}"
    name = " ".join((name + tail).split())
    entity = Entity("organisations", name, make_slug(name), code)
    return Match(start, end, surface, entity)


def _short(name: str) -> str:
    """ "Foreign Ministry" → "Ministry of Foreign Affairs"."""
    return _grammar()["short_forms"].get(name, name)


def join_same_bodies(orgs: list[Match]) -> list[Match]:
    """One body under one name: a body named after its country whose name without
    the country is a listed body of that country is the listed body ("State Duma of
    the Russian Federation" is the State Duma); and in one text, a body named without
    its country ("the Ministry of Internal Affairs", "the Interior Ministry", "the
    Uzbek Embassy") is the one body of the text whose name is the same with its
    country ("… of the Russian Federation") or its host ("… in Russia"), if there is
    one and only one."""
    listed = organisations()
    canonical = {}
    for match in orgs:
        entity = match.value
        base = _base(entity)
        if base is not None and (same := listed.get(base)) is not None and same.code == entity.code:
            canonical[entity] = same
    entities = {canonical.get(m.value, m.value) for m in orgs}
    by_base: dict[str, set] = {}
    for entity in entities:
        for base in _bases(entity):
            by_base.setdefault(base, set()).add(entity)
    for _ in range(2):  # "Interior Ministry" → "Ministry of Internal Affairs" → "… of Russia"
        for entity in sorted(entities):
            if listed.get(entity.name) == entity:
                continue  # a listed body is the name others join
            others = by_base.get(_short(entity.name), set()) - {entity}
            finals = {_final(canonical, o) for o in others} - {_final(canonical, entity)}
            other = next(iter(finals)) if len(finals) == 1 else None
            if other is not None and (not entity.code or entity.code == other.code):
                canonical[entity] = other
    if not canonical:
        return orgs
    return [Match(m.start, m.end, m.surface, _final(canonical, m.value)) for m in orgs]


def _final(canonical: dict, entity):
    seen = set()
    while entity in canonical and entity not in seen:
        seen.add(entity)
        entity = canonical[entity]
    return entity


def _bases(entity) -> list[str]:
    """The names of a body without its host ("Embassy of Uzbekistan" of "Embassy of
    Uzbekistan in Russia") and without its country ("Ministry of Internal Affairs" of
    "Ministry of Internal Affairs of the Russian Federation"); its own name if it
    names no country."""
    found = []
    hosted = _without_host(entity.name)
    if hosted != entity.name:
        found.append(hosted)
    if (base := _base(entity)) is not None:
        found.append(base)
    return found or [entity.name]


def _without_host(name: str) -> str:
    head = name.split(" ", 1)[0]
    return name.split(" in ", 1)[0] if head in _grammar()["located"] else name


def _base(entity) -> str | None:
    """The body's name without " of <its country>" at its end (and a mission's host
    before that), None if it names no country of its own."""
    if not entity.code:
        return None
    name, of, place = _without_host(entity.name).rpartition(" of ")
    place = place.removeprefix("the ")
    country = countries().get(place)
    if not of or country is None or country.code != entity.code:
        return None
    return name

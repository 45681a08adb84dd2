"""Countries in a text: names, demonyms and former names; capitals, cities,
currencies, central banks and the exchanges of tickers as weaker evidence; minus
the phrases and contexts where a name is something else."""

from __future__ import annotations

import functools
import re

import pycountry

from .gazetteer import ambiguity, countries, exchanges, places
from .matcher import Match, PhraseMatcher, alternation, covered_mask
from .model import Entity
from .wordlists import wordlist

# How much a capital or city ("Moscow said"), a currency ("mln stg"), a central bank
# ("the Bundesbank") or an index ("the Nikkei") counts, a mention of the name counting 1.
WEIGHTS = {"capitals": 0.5, "currencies": 0.5, "central_banks": 0.5, "markets": 0.5}
# The region's towns ("Bokhtar", "Tomsk") are found as places, so that they are no
# organisation or person and bodies named after them are their country's, but they
# count for nothing: the passing rules do not see them (find_countries) and `counted`
# leaves them out of the country's tags and mentions.
TOWNS = "towns"
# Where a company is based, "Nippon Gakki Co Ltd of Japan", "a Paris-based
# firm", is weak evidence too.
DOMICILE_WEIGHT = 0.25
# A company listed on a country's exchange, "<ICI.L>", as weak as where it is based.
TICKER_WEIGHT = DOMICILE_WEIGHT
_BASED = re.compile(r"-based\b")
# A country named only in passing (see _passing) weighs nothing: a mention, never a tag.
PASSING_WEIGHT = 0.0
# What introduces examples, and what separates the items of a list.
_EXAMPLES = re.compile(r"\b(?:such as|like|including|for example|e\.g\.,?)(?: the)? $")
# A war as the background of a story (its words: ambiguity.yml war_words): "the war in
# Ukraine", "the conflict with Iran", "conflicts occurring between Russia and Ukraine",
# "the Russia-Ukraine war" (_war_patterns).
_PAIR_BEFORE = re.compile(r"\b[A-Z][\w'’]*-$")
_LIST_SEPARATOR = re.compile(r"\s*[,;]?\s*(?:(?:and|or|as well as)\s+)?(?:the\s+)?")
# A city naming a meeting or a pact, "the Paris accord", "the London talks": where
# it happened, not what it is about.
_EVENT = re.compile(
    r" (?:[Aa]ccords?|[Aa]greements?|[Pp]act|talks|[Mm]eeting|[Ss]ummit|[Cc]onference|[Cc]lub|[Rr]ound)\b"
)
_COMPANY_OF = re.compile(
    r"(?:\b(?:Co|Corp|Corporation|Inc|Ltd|Limited|Plc|PLC|plc|SA|AG|NV|N\.V\.|BV|SpA|GmbH|Bhd|AB|A/S)\.?"
    r"|>) of $"
)
# A name or demonym qualifying a currency, "Canadian dlrs", "Danish crowns", "the
# Hong Kong dollar": the currency, weak evidence like "stg". Currencies that are
# also verbs or nouns ("Kazakhstan marks its day", "the British crown") only after
# an amount or a preposition.
_CURRENCY_WORD = re.compile(
    r" (?:dollars?|dlrs?|cents|francs?|kron[aeo]r?|kroner|punts?"
    r"|pesos?|rupees?|dinars?|riyals?|rials?|dirhams?|shekels?|shillings?|lev|zlotys?"
    r"|forints?|korunas?|bolivars?|sucres?|nairas?|currency)\b"
)
_VERB_CURRENCY = re.compile(r" (?:crowns?|pounds?|marks?)\b")
_AMOUNT_BEFORE = re.compile(
    r"(?:\d|\b(?:mln|million|billion|bln|in|of|per|the|into|for|against)) $"
)
# The currency of a eurobond, "a 75 mln Canadian dlr eurobond", "15 billion yen of
# eurobonds": by definition not its borrower's, and not where the story is (London,
# Luxembourg or Frankfurt, whatever the currency). Every mention of that currency
# ("in denominations of one mln yen") is left out; its country's name still counts.
_EUROBOND = re.compile(
    r"^(?: [\w/-]+){0,4}? euro(?:bonds?|notes?|-?commercial paper|-?CDs?|-?loans?)\b"
)
_NEXT_WORD = re.compile(r" (\w+)")
# A city named after one abroad, "Naples, Fla.", "Dublin, Calif.", "London, Ontario":
# written with its U.S. state or Canadian province, it is no city of the country.
# (Not the states that are also cities or countries: "London, New York and Tokyo".)
_FEDERATIONS = ("US", "CA")
_ALSO_CITIES = {"New York", "Washington", "Georgia", "Quebec"}
_ABBREVIATIONS = {
    "US": "Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn"
    " Miss Mo Mont Neb Nev N.H N.J N.M N.Y N.C N.D Okla Ore Pa R.I S.C S.D Tenn Tex Va"
    " Vt Wash W.Va Wis Wyo D.C",
    "CA": "Ont Que Alta B.C Man Sask N.S N.B Nfld",
}
_TICKER = re.compile(r"<[A-Z][A-Z0-9&]{0,7}\.([A-Z]{1,2})>")
_NAME_NEXT = re.compile(r"^ [A-Z][a-z]+\b")
_NAME_BEFORE = re.compile(r"\b[A-Z][a-z]+ $")
_WINDOW = 60


@functools.cache
def _rules() -> dict[str, dict]:
    compiled = {}
    for name, rule in ambiguity()["ambiguous"].items():
        compiled[name] = {
            key: re.compile(value) if isinstance(value, str) else value
            for key, value in rule.items()
        }
    return compiled


def phrases(extra: dict[str, Entity]) -> dict[str, object]:
    """Surface → (Entity, weight), or None for phrases that are not countries."""
    found: dict[str, object] = {name: None for name in ambiguity()["not_countries"]}
    found |= {name: (entity, 0.0) for name, entity in places(TOWNS).items()}
    for table, weight in WEIGHTS.items():
        found |= {name: (entity, weight) for name, entity in places(table).items()}
    found |= {name: (entity, 1.0) for name, entity in countries().items()}
    return found | {name: (entity, 1.0) for name, entity in extra.items()}


def find_countries(text: str, matcher: PhraseMatcher) -> list[Match]:
    """Country mentions; Match.value is (Entity, weight)."""
    found, currencies, issued = [], [], set()
    named_currency = 0  # the end of a currency written with its country ("Turkish lira")
    for match in matcher.find(text):
        if match.value is None or not _plausible(text, match) or match.start < named_currency:
            continue
        entity, weight = match.value
        if match.surface in places("capitals") and (
            _EVENT.match(text, match.end) or _elsewhere(text, match.end) not in (None, entity.code)
        ):
            continue
        end = _currency_end(text, match)
        if end is not None:
            weight = WEIGHTS["currencies"]
            currencies.append(match.start)
            named_currency = end
            if _EUROBOND.match(text[end : end + 60].split(".")[0]):
                issued.add(entity)
        if _is_domicile(text, match):
            weight = DOMICILE_WEIGHT
        found.append(Match(match.start, match.end, match.surface, (entity, weight)))
    found = [m for m in found if m.start not in currencies or m.value[0] not in issued]
    named = _passing(text, sorted(counted(found) + _tickers(text), key=lambda m: m.start))
    towns = [m for m in found if m.surface in places(TOWNS)]
    return sorted(named + towns, key=lambda m: m.start)


def _passing(text: str, found: list[Match]) -> list[Match]:
    """The matches, those of countries the text names only in passing weighing
    PASSING_WEIGHT: given as examples ("countries such as Japan, Canada and
    Poland") or as the background of the story ("since the war in Ukraine"), or
    known only by a city or its currency in a text that names other
    countries ("the talks in Almaty" of a story about Tajikistan and Russia)."""
    aside = _examples(text, found) | {m.start for m in found if _war_background(text, m)}
    by_country: dict[Entity, list[Match]] = {}
    for match in found:
        by_country.setdefault(match.value[0], []).append(match)
    named = {entity for entity, matches in by_country.items() if any(_by_name(m) for m in matches)}
    aside_only = {
        entity for entity, matches in by_country.items() if all(m.start in aside for m in matches)
    }
    by_place_only = {
        entity
        for entity, matches in by_country.items()
        if named and entity not in named and all(_by_place(m) for m in matches)
    }
    passing = aside_only | by_place_only
    return [
        Match(m.start, m.end, m.surface, (m.value[0], PASSING_WEIGHT))
        if m.value[0] in passing
        else m
        for m in found
    ]


@functools.cache
def _war_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """What comes before a country named as where a war is fought ("the war in ",
    "fighting between Russia and "), and what comes after it in a pair of countries
    ("-Ukraine war", " conflict" after "Russia-")."""
    war = alternation(ambiguity()["war_words"])
    before = re.compile(rf"\b(?:{war}) (?:in|on|against|with|of) (?:the )?$")
    between = re.compile(
        rf"\b(?:{war})(?: \w+)? between (?:the )?(?:[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)* and (?:the )?)?$"
    )
    pair = re.compile(rf"(-[A-Z][\w'’]*)? (?:{war})\b")
    return before, between, pair


def _war_background(text: str, match: Match) -> bool:
    """Whether the country is named as where a war is fought (_war_patterns)."""
    before, between, pair = _war_patterns()
    start = max(0, match.start - _WINDOW)
    if before.search(text, start, match.start) or between.search(text, start, match.start):
        return True
    paired = pair.match(text, match.end)
    return paired is not None and bool(
        paired.group(1) or _PAIR_BEFORE.search(text, start, match.start)
    )


def _examples(text: str, found: list[Match]) -> set[int]:
    """The starts of the countries named in lists of examples."""
    starts, run = set(), []
    for match in found:
        if run and not _LIST_SEPARATOR.fullmatch(text, run[-1].end, match.start):
            run = []
        if run or _EXAMPLES.search(text, max(0, match.start - 30), match.start):
            run.append(match)
            starts.add(match.start)
    return starts


def _by_name(match: Match) -> bool:
    return match.value[1] == 1.0


def counted(matches: list[Match]) -> list[Match]:
    """The mentions that name a country: all but the region's towns."""
    towns = places(TOWNS)
    return [m for m in matches if m.surface not in towns]


def _by_place(match: Match) -> bool:
    """A city or a currency ("Almaty", "tenge"), not the country's name."""
    return match.surface in places("capitals") or match.surface in places("currencies")


def _elsewhere(text: str, end: int) -> str | None:
    """The country of the U.S. state or Canadian province written right after a city
    ("Naples, Fla."), if any."""
    hit = _states().match(text, end)
    return None if hit is None else _states_by_name()[hit.group(1)]


@functools.cache
def _states_by_name() -> dict[str, str]:
    found = {}
    for code in _FEDERATIONS:
        for state in pycountry.subdivisions.get(country_code=code):
            if state.name not in _ALSO_CITIES and "," not in state.name:
                found[state.name] = code
        found |= {f"{short}.": code for short in _ABBREVIATIONS[code].split()}
    return found


@functools.cache
def _states() -> re.Pattern:
    names = sorted(_states_by_name(), key=len, reverse=True)
    return re.compile(r", (" + "|".join(map(re.escape, names)) + r")(?!\w)")


def _currency_end(text: str, match: Match) -> int | None:
    """Where the currency the match names ends ("yen", "Canadian dlrs", "Turkish
    lira", "300 mln Danish crowns"), or None if it names none."""
    if match.surface in places("currencies"):
        return match.end
    word = _CURRENCY_WORD.match(text, match.end)
    verb = _VERB_CURRENCY.match(text, match.end)
    if verb and _AMOUNT_BEFORE.search(text, max(0, match.start - 12), match.start):
        word = verb
    following = _NEXT_WORD.match(text, match.end)
    if word is None and following and following.group(1) in places("currencies"):
        word = following
    return word.end() if word else None


def _tickers(text: str) -> list[Match]:
    """Where the companies of the text are listed, "<ICI.L>": weak evidence."""
    found = []
    for hit in _TICKER.finditer(text):
        entity = exchanges().get(hit.group(1))
        if entity is not None:
            start, end = hit.start() + 1, hit.end() - 1
            found.append(Match(start, end, text[start:end], (entity, TICKER_WEIGHT)))
    return found


def _is_domicile(text: str, match: Match) -> bool:
    before = _COMPANY_OF.search(text, max(0, match.start - 20), match.start)
    return before is not None or _BASED.match(text, match.end) is not None


def drop_people(text: str, matches: list[Match], people: list[Match]) -> list[Match]:
    """Without names that are part of a person's name ("Michael Jordan", "Chad Smith",
    "Jerry Welsh"), nor, once a person's name holds one, the same word alone later
    ("Welsh said")."""
    rules = _rules()
    person = covered_mask(text, people)
    longer = covered_mask(text, [p for p in people if " " in text[p.start : p.end]])
    kept, surnames = [], set()
    for match in matches:
        rule = rules.get(match.surface, {})
        inside = all(person[match.start : match.end])
        in_name = all(longer[match.start : match.end])
        if rule.get("person") and (inside or _beside_name(text, match)):
            surnames.update([match.surface] if in_name else [])
            continue
        if rule.get("surname") and in_name:
            surnames.add(match.surface)
            continue
        kept.append(match)
    return [m for m in kept if m.surface not in surnames]


def _plausible(text: str, match: Match) -> bool:
    rule = _rules().get(match.surface)
    if rule is None:
        return True
    before = text[max(0, match.start - _WINDOW) : match.start]
    after = text[match.end : match.end + _WINDOW]
    unless = rule.get("unless_text")
    if unless is not None and unless.search(text):
        return True
    return not (
        ("before" in rule and rule["before"].search(before))
        or ("after" in rule and rule["after"].search(after))
        or ("text" in rule and rule["text"].search(text))
    )


def _beside_name(text: str, match: Match) -> bool:
    after = text[match.end : match.end + 30]
    before = text[max(0, match.start - 30) : match.start]
    next_name = _NAME_NEXT.match(after)
    previous = _NAME_BEFORE.search(before)
    return bool(
        (next_name and next_name.group().strip() not in _NOT_NAMES)
        or (previous and previous.group().strip() not in _NOT_NAMES)
    )


# Capitalised words that may stand next to a country without making it a name.
_NOT_NAMES = wordlist("beside_countries")

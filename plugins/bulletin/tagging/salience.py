"""How central an entity is to a text: from where it is first mentioned, how
often, and whether the lead paragraph names it. Tuned on the development
corpora only (bench/evaluate.py); THRESHOLDS split tags from passing mentions."""

from __future__ import annotations

from dataclasses import dataclass

# score = LEAD·(named in the lead) + EARLY·(1 − first position)
#         + FREQUENT·min(weight, CAP)/CAP + SHARE·(its share of the kind's mentions)
LEAD, EARLY, FREQUENT, SHARE, CAP = 0.25, 0.25, 0.3, 0.2, 3.0
THRESHOLDS = {"countries": 0.4, "organisations": 0.45, "people": 0.0}
# A text naming this many listed bodies and national institutions is about them (a
# meeting, a forum, a membership): every organisation it names is one of its tags.
MANY_INSTITUTIONS = 5
# A person the text names by one word only ("Nodiri said … Nodiri noted") is one of its
# tags when named this often; once, it is a passing mention (or a place or a title).
MANY_MENTIONS_OF_ONE_NAME = 2


@dataclass(frozen=True)
class Evidence:
    """Where an entity is mentioned in one text, and how strongly."""

    first: int  # character offset of the first mention
    weight: float  # mentions, weaker evidence counting less (countries.WEIGHTS)
    in_lead: bool
    share: float  # weight / the weight of every entity of its kind in the text


def score(evidence: Evidence, length: int) -> float:
    early = 1 - evidence.first / max(length, 1)
    frequent = min(evidence.weight, CAP) / CAP
    total = LEAD * evidence.in_lead + EARLY * early + FREQUENT * frequent
    return round(total + SHARE * evidence.share, 3)


@dataclass(frozen=True)
class Role:
    """What an organisation does in one text."""

    credit: bool = False  # a medium named as the source, not acted upon: never a tag
    acts: bool = False  # the subject of a verb somewhere: "the Ministry urged …"
    signatory: bool = False  # named only as a party to documents ("between X and Y")
    passing: bool = False  # named only in passing: organisations.in_passing


def is_salient(
    kind: str,
    salience: float,
    name: str,
    institutions: int,
    weight: float = 1.0,
    role: Role = Role(),
) -> bool:
    """A tag of the post, or (below the threshold) only a passing mention;
    `institutions` is how many listed bodies and national institutions the text
    names, `weight` its mentions (Evidence.weight); an organisation's role (see
    Role) decides too. People known only by one name ("Ashimbayev" with no full
    name) are tags only when named again; countries named only in passing (weight
    0: countries.PASSING_WEIGHT) never are."""
    if kind == "people" and " " not in name:
        return weight >= MANY_MENTIONS_OF_ONE_NAME
    if kind == "countries" and not weight:
        return False
    if kind == "organisations":
        if role.credit:
            return False
        if institutions >= MANY_INSTITUTIONS and not role.signatory or role.acts:
            return True
        if role.passing:
            return False
    return salience >= THRESHOLDS[kind]

"""How central an entity is to a text: from where it is first mentioned, how
often, and whether the lead paragraph names it. Tuned on the development
corpora only (bench/evaluate.py); THRESHOLDS split tags from passing mentions."""

from __future__ import annotations

from dataclasses import dataclass

# score = LEAD·(named in the lead) + EARLY·(1 − first position) + FREQUENT·min(n, CAP)/CAP
LEAD, EARLY, FREQUENT, CAP = 0.4, 0.3, 0.3, 3.0
THRESHOLDS = {"countries": 0.35, "organisations": 0.0, "people": 0.0}


@dataclass(frozen=True)
class Evidence:
    """Where an entity is mentioned in one text, and how strongly (weight)."""

    first: int  # character offset of the first mention
    weight: float  # mentions, a capital counting CAPITAL_WEIGHT
    in_lead: bool


def score(evidence: Evidence, length: int) -> float:
    early = 1 - evidence.first / max(length, 1)
    frequent = min(evidence.weight, CAP) / CAP
    return round(LEAD * evidence.in_lead + EARLY * early + FREQUENT * frequent, 3)


def is_salient(kind: str, salience: float, name: str) -> bool:
    """A tag of the post, or (below the threshold) only a passing mention.
    Single-word people ("Ashimbayev" with no full name) are never tags."""
    if kind == "people" and " " not in name:
        return False
    return salience >= THRESHOLDS[kind]

"""What the tagger returns: entities and the mentions that tagged them."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("countries", "organisations", "people")


@dataclass(frozen=True, order=True)
class Entity:
    """A country, organisation or person under its canonical name."""

    kind: str  # one of KINDS
    name: str
    slug: str
    code: str = ""  # ISO 3166-1 alpha-2 (countries; organisations of a country)
    # From the editorial file; not part of the entity's identity.
    description: str = field(default="", compare=False)


@dataclass(frozen=True)
class Tag:
    """An entity found in one text: its surface forms, how often it occurs and
    how central it is to the text (salience, 0–1; see salience.py)."""

    entity: Entity
    mentions: tuple[str, ...]
    count: int
    salience: float = 0.0

    def as_json(self) -> dict:
        data = {"name": self.entity.name}
        if self.entity.kind == "countries" or self.entity.code:
            data["code"] = self.entity.code
        data |= {"slug": self.entity.slug, "mentions": list(self.mentions)}
        data["count"] = self.count
        return data


@dataclass(frozen=True)
class Tags:
    """The entities of one text, by kind, most mentioned first.

    countries, organisations and people are the tags a post gets (its pages and
    feeds); mentioned holds passing mentions of any kind, shown on the post only.
    """

    countries: tuple[Tag, ...] = ()
    organisations: tuple[Tag, ...] = ()
    people: tuple[Tag, ...] = ()
    mentioned: tuple[Tag, ...] = ()

    def by_kind(self):
        return ((kind, getattr(self, kind)) for kind in KINDS)

    def as_json(self) -> dict:
        data = {kind: [tag.as_json() for tag in tags] for kind, tags in self.by_kind()}
        data["mentioned"] = [{"kind": t.entity.kind} | t.as_json() for t in self.mentioned]
        return data

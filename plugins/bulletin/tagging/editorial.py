"""The editorial file (content/entities.yml): an editor's aliases, merges,
renames, descriptions and blocks, applied on top of the tagger's own findings.

    organisations:
      Parliamentary Assembly of Turkic States:   # an entity's name as tagged
        rename: TurkPA                            # shown and slugged under this name
        aliases: [TÜRK-PA]                        # more spellings that tag it
        merge: [Assembly of Turkic Parliaments]   # other entities folded into it
        description: The parliamentary body of the Organization of Turkic States.
    block:
      organisations: [Speaker]                    # names or spellings never tagged
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..slugs import make_slug
from .model import KINDS, Entity

_FIELDS = {"rename", "aliases", "merge", "description"}


class EditorialError(ValueError):
    """The editorial file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Editorial:
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)  # kind → spelling → name
    merges: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, name) → name
    renames: dict[tuple[str, str], str] = field(default_factory=dict)
    descriptions: dict[tuple[str, str], str] = field(default_factory=dict)
    blocked: dict[str, frozenset[str]] = field(default_factory=dict)  # kind → names, spellings

    @classmethod
    def parse(cls, text: str, source: str = "entities.yml") -> Editorial:
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as error:
            raise EditorialError(f"{source}: not valid YAML: {error}") from None
        if not isinstance(data, dict):
            raise EditorialError(f"{source}: expected a mapping of kinds to entities")
        unknown = set(data) - {*KINDS, "block"}
        if unknown:
            raise EditorialError(f"{source}: unknown section(s) {', '.join(sorted(unknown))}")
        editorial = cls(blocked=_blocks(data.get("block") or {}, source))
        for kind in KINDS:
            for name, record in _mapping(data.get(kind), f"{source}: {kind}").items():
                editorial._add(kind, str(name), record or {}, f"{source}: {kind}: {name}")
        return editorial

    def _add(self, kind: str, name: str, record, where: str) -> None:
        if not isinstance(record, dict) or not set(record) <= _FIELDS:
            raise EditorialError(f"{where}: expected keys among {', '.join(sorted(_FIELDS))}")
        for alias in _names(record.get("aliases"), where):
            self.aliases.setdefault(kind, {})[alias] = name
        for other in _names(record.get("merge"), where):
            self.merges[kind, other] = name
        if record.get("rename"):
            self.renames[kind, name] = str(record["rename"])
        if record.get("description"):
            self.descriptions[kind, name] = str(record["description"]).strip()

    def resolve(self, entity: Entity) -> Entity | None:
        """The entity as the editor wants it shown, or None if blocked."""
        name = self.merges.get((entity.kind, entity.name), entity.name)
        if name in self.blocked.get(entity.kind, ()):
            return None
        shown = self.renames.get((entity.kind, name), name)
        description = self.descriptions.get((entity.kind, name), "")
        if shown == entity.name and not description:
            return entity
        return Entity(entity.kind, shown, make_slug(shown), entity.code, description)

    def blocks(self, kind: str, spelling: str) -> bool:
        return spelling in self.blocked.get(kind, ())


def load(path: Path | None) -> tuple[Editorial, bytes]:
    """The editorial file's rules and raw content (empty if there is no file)."""
    if path is None or not path.is_file():
        return Editorial(), b""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EditorialError(f"{path}: not UTF-8 text") from None
    return Editorial.parse(text, str(path)), raw


def _blocks(data, source: str) -> dict[str, frozenset[str]]:
    blocks = _mapping(data, f"{source}: block")
    unknown = set(blocks) - set(KINDS)
    if unknown:
        raise EditorialError(f"{source}: block: unknown kind(s) {', '.join(sorted(unknown))}")
    return {
        kind: frozenset(_names(names, f"{source}: block: {kind}")) for kind, names in blocks.items()
    }


def _mapping(data, where: str) -> dict:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise EditorialError(f"{where}: expected a mapping")
    return data


def _names(data, where: str) -> list[str]:
    if data is None:
        return []
    if isinstance(data, str):
        return [data]
    if not isinstance(data, list) or not all(isinstance(n, str | int | float) for n in data):
        raise EditorialError(f"{where}: expected a list of names")
    return [str(n) for n in data]

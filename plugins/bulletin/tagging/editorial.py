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
        """The rules of the file's text; raises EditorialError naming the file, the
        line and the problem (bad YAML, an unknown section, kind or key, a repeated
        key, a value of the wrong shape)."""
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problem = getattr(error, "problem", None) or str(error)
            raise EditorialError(_where(source, mark, f"not valid YAML: {problem}")) from None
        sections = _mapping(root, source, "the file")
        unknown = [key for key in sections if key not in {*KINDS, "block"}]
        if unknown:
            raise EditorialError(
                _where(
                    source,
                    sections[unknown[0]][0],
                    f"unknown section {unknown[0]!r} (expected {', '.join(KINDS)} or block)",
                )
            )
        block = sections.get("block", (None, None))[1]
        editorial = cls(blocked=_blocks(block, source))
        for kind in KINDS:
            entities = _mapping(sections.get(kind, (None, None))[1], source, kind)
            for name, (_mark, record) in entities.items():
                editorial._add(kind, name, _record(record, source, f"{kind}: {name}"))
        return editorial

    def _add(self, kind: str, name: str, record: dict) -> None:
        for alias in record.get("aliases", ()):
            self.aliases.setdefault(kind, {})[alias] = name
        for other in record.get("merge", ()):
            self.merges[kind, other] = name
        if record.get("rename"):
            self.renames[kind, name] = record["rename"]
        if record.get("description"):
            self.descriptions[kind, name] = record["description"].strip()

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


def check_editorial_file(settings: dict) -> None:
    """Raise EditorialError if ENTITIES_FILE (under PATH) cannot be used, as the tagger
    would (it also checks that country aliases name a country)."""
    from .tagger import Tagger  # the tagger imports this module

    Tagger(Path(settings["PATH"], settings["ENTITIES_FILE"]))


def _where(source: str, mark, problem: str) -> str:
    line = f", line {mark.line + 1}" if mark is not None else ""
    return f"{source}{line}: {problem}"


def _is_null(node) -> bool:
    return node is None or (
        isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"
    )


def _mapping(node, source: str, what: str) -> dict[str, tuple]:
    """A mapping node's entries, key → (the key's mark, value node); empty for null."""
    if _is_null(node):
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise EditorialError(_where(source, node.start_mark, f"{what}: expected a mapping"))
    entries: dict[str, tuple] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or _is_null(key):
            raise EditorialError(_where(source, key.start_mark, f"{what}: expected a name"))
        if key.value in entries:
            raise EditorialError(
                _where(source, key.start_mark, f"{what}: {key.value!r} given twice")
            )
        entries[key.value] = (key.start_mark, value)
    return entries


def _record(node, source: str, what: str) -> dict:
    """An entity's fields: rename and description are text, aliases and merge names."""
    record = {}
    for key, (mark, value) in _mapping(node, source, what).items():
        if key not in _FIELDS:
            expected = ", ".join(sorted(_FIELDS))
            raise EditorialError(
                _where(source, mark, f"{what}: unknown key {key!r} (expected {expected})")
            )
        if key in ("aliases", "merge"):
            record[key] = _names(value, source, f"{what}: {key}")
        elif not _is_null(value):
            if not isinstance(value, yaml.ScalarNode):
                raise EditorialError(
                    _where(source, value.start_mark, f"{what}: {key}: expected text")
                )
            record[key] = value.value
    return record


def _blocks(node, source: str) -> dict[str, frozenset[str]]:
    blocks = _mapping(node, source, "block")
    for kind, (mark, _) in blocks.items():
        if kind not in KINDS:
            raise EditorialError(
                _where(source, mark, f"block: unknown kind {kind!r} (expected {', '.join(KINDS)})")
            )
    return {
        kind: frozenset(_names(names, source, f"block: {kind}"))
        for kind, (_, names) in blocks.items()
    }


def _names(node, source: str, what: str) -> list[str]:
    """A name or a list of names."""
    if _is_null(node):
        return []
    if isinstance(node, yaml.ScalarNode):
        return [node.value]
    if not isinstance(node, yaml.SequenceNode):
        raise EditorialError(_where(source, node.start_mark, f"{what}: expected a list of names"))
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode) or _is_null(item):
            raise EditorialError(_where(source, item.start_mark, f"{what}: expected a name"))
    return [item.value for item in node.value]

"""Build real sites with Pelican into temporary folders; tag texts."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pelican import Pelican
from pelican.settings import read_settings

from bulletin.tagging import tag_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SITEURL = "https://bulletin.test"


def build_site(tmp_path: Path, seeds: Path = FIXTURES / "seeds", **override) -> Path:
    """Build the site from `seeds` with the project's settings; return output/."""
    output = tmp_path / "output"
    settings = read_settings(
        path=str(ROOT / "pelican.conf.py"),
        override={
            "SEEDS_PATH": str(seeds),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(tmp_path / "cache"),
            "SITEURL": SITEURL,
            **override,
        },
    )
    Pelican(settings).run()
    return output


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The fixture seeds built once, with one post per page to paginate."""
    return build_site(tmp_path_factory.mktemp("site"), DEFAULT_PAGINATION=1)


@pytest.fixture
def logged(caplog):
    """The warnings and errors logged during a test."""
    caplog.set_level(logging.WARNING)
    return lambda: [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def tagged(text: str, kind: str) -> list[str]:
    """The names (or, for countries, the codes) of the text's entities of a kind,
    tags and passing mentions alike, sorted."""
    tags = tag_text(text)
    found = [t.entity for t in getattr(tags, kind) + tags.mentioned if t.entity.kind == kind]
    return sorted(e.code if kind == "countries" else e.name for e in found)

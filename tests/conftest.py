"""Build real sites with Pelican into temporary folders; tag texts."""

from __future__ import annotations

import logging
import shutil
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
            "URL_MEMORY": str(tmp_path / "urls.tsv"),
            "SITEURL": SITEURL,
            **override,
        },
    )
    Pelican(settings).run()
    return output


def good_seeds(tmp_path: Path) -> Path:
    """A copy of the fixture seeds without the one that has no date (every file a post)."""
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "seeds", seeds, ignore=shutil.ignore_patterns("no-date.txt"))
    return seeds


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by its posix path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(autouse=True, scope="session")
def repository_url_memory_untouched():
    """No test may add its posts to the repository's URL memory (give URL_MEMORY)."""
    memory = ROOT / "content" / "urls.tsv"
    before = memory.read_bytes() if memory.exists() else None
    yield
    after = memory.read_bytes() if memory.exists() else None
    assert after == before, f"a test's build wrote {memory}: give it its own URL_MEMORY"


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


# `make test-fast` runs the tests not marked `build`: no Pelican build, no browser.
# modules that run the `pelican` command, or the devserver (which builds)
RUNS_PELICAN = {"test_pelican_cli", "test_devserver"}


def pytest_configure(config):
    config.addinivalue_line("markers", "build: builds a site with Pelican (or drives a browser)")


def pytest_collection_modifyitems(items):
    """Mark `build` every test of a module that builds sites or drives the browser,
    and every test using the built `site`."""
    for item in items:
        module = item.module
        found = vars(module).values()
        builds = (
            module.__name__ in RUNS_PELICAN
            or any(value is build_site or value is Pelican for value in found)
            or any(str(getattr(v, "__module__", "")).startswith("playwright") for v in found)
            or "site" in getattr(item, "fixturenames", ())
        )
        if builds:
            item.add_marker(pytest.mark.build)

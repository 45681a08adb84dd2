"""A build with nothing changed since the last successful one builds nothing
(publish/uptodate.py): output/ stays exactly as it is, and the last build's
warnings are logged again. Any change of what the site is made from builds, and
gives the bytes of a build from scratch."""

from __future__ import annotations

import json
import logging
import operator
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pelican.log import FatalLogger

from bulletin.publish import uptodate
from bulletin.seeds import seedcache
from conftest import FIXTURES, ROOT, SITEURL, build_site, tree

UP_TO_DATE = "up to date, nothing changed since the last build"
OSCE = "2024-06-01-osce-session.txt"


class Project:
    """A site's seeds, content and theme in a temporary folder, built into site/."""

    def __init__(self, root: Path, capsys):
        self.root, self.capsys = root, capsys
        self.seeds = root / "seeds"
        shutil.copytree(FIXTURES / "seeds", self.seeds)  # no-date.txt: an error every build
        self.content = root / "content"
        shutil.copytree(ROOT / "content", self.content, ignore=shutil.ignore_patterns("urls.tsv"))
        self.theme = root / "theme"
        shutil.copytree(ROOT / "theme", self.theme)
        self.site = root / "site"
        self.output = self.site / "output"
        self.memory = self.site / "urls.tsv"
        self.scratches = 0

    def build(self, **override) -> bool:
        """Build; return whether the build found nothing changed."""
        self.capsys.readouterr()
        build_site(self.site, self.seeds, **self.settings(override))
        printed = self.capsys.readouterr().out
        return UP_TO_DATE in printed

    def settings(self, override: dict) -> dict:
        return {"PATH": str(self.content), "THEME": str(self.theme), **override}

    def build_and_compare(self, **override) -> bool:
        """Build; assert the output is a build from scratch's (with the same URL
        memory); return whether the build found nothing changed."""
        memory = self.memory.read_bytes() if self.memory.exists() else None
        fast = self.build(**override)
        self.scratches += 1
        scratch = self.root / f"scratch-{self.scratches}"
        scratch.mkdir()
        if memory is not None:
            (scratch / "urls.tsv").write_bytes(memory)
        assert tree(self.output) == tree(build_site(scratch, self.seeds, **self.settings(override)))
        return fast


def stamps(output: Path) -> dict:
    """What output/ is: the link, and each file's inode, mtime and bytes."""
    found = {"": os.readlink(output)}
    for path in output.rglob("*"):
        info = path.lstat()
        found[path.relative_to(output).as_posix()] = (info.st_ino, info.st_mtime_ns)
    return found


@pytest.fixture
def project(tmp_path, capsys):
    return Project(tmp_path, capsys)


@pytest.fixture
def settled(monkeypatch):
    """Stamps trusted at once (as they are once files are 2 s old), so that the
    check sees changes by their stamps alone, not by reading files."""
    monkeypatch.setattr(uptodate, "RACY_NS", -(10**9))


def test_nothing_changed_builds_nothing_and_repeats_the_warnings(project, caplog):
    caplog.set_level(logging.WARNING)
    assert not project.build()
    first = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert any("no-date.txt" in message for _, message in first)
    before = stamps(project.output)
    caplog.clear()

    assert project.build()
    assert stamps(project.output) == before
    again = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert again == [
        (level, f"{m} (from the last build, nothing changed since)") for level, m in first
    ]
    assert project.build()  # and again
    assert stamps(project.output) == before


def test_nothing_changed_repeats_every_error_and_the_first_warnings(project, caplog, monkeypatch):
    """Thousands of warnings would take seconds to print again: the first ones
    are repeated, the others counted; errors (rejected seeds) are all repeated."""
    caplog.set_level(logging.WARNING)
    for name in ("markup-1.txt", "markup-2.txt", "markup-3.txt"):  # a warning each
        (project.seeds / name).write_text(f" date 2024-06-12 NATO met in <b>{name}</b>.")
    assert not project.build()
    first = [(r.levelno, r.getMessage()) for r in caplog.records]
    warnings = [m for level, m in first if level == logging.WARNING]
    errors = [m for level, m in first if level == logging.ERROR]
    assert len(warnings) >= 3 and errors  # and no-date.txt
    monkeypatch.setattr(uptodate, "REPEATED_WARNINGS", 1)
    caplog.clear()

    assert project.build()
    again = [(r.levelno, r.getMessage()) for r in caplog.records]
    mark = " (from the last build, nothing changed since)"
    assert [m for level, m in again if level == logging.ERROR] == [e + mark for e in errors]
    repeated = [m for level, m in again if level == logging.WARNING]
    assert repeated[0] == warnings[0] + mark
    assert repeated[1:] == [
        f"… and {len(warnings) - 1} more warnings of the last build, not repeated: nothing"
        " changed since (`pelican -e FULL_BUILD=True` builds, showing them all)"
    ]


def edit_in_place(project):
    """Same size, mtime set back: only the ctime tells."""
    seed = project.seeds / OSCE
    info = seed.stat()
    seed.write_bytes(seed.read_bytes().replace(b"Bucharest", b"Budapest!", 1))
    os.utime(seed, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert seed.stat().st_size == info.st_size and seed.stat().st_mtime_ns == info.st_mtime_ns


def add_seed(project):
    (project.seeds / "new.txt").write_text(" date 2024-06-10 Germany and NATO agreed on a plan.")


def remove_seed(project):
    (project.seeds / OSCE).unlink()


def rename_seed(project):
    (project.seeds / OSCE).rename(project.seeds / "osce.txt")


def edit_page(project):
    page = project.content / "pages" / "about.md"
    page.write_text(page.read_text("utf-8") + "\nOne more line.\n", "utf-8")


def edit_theme(project):
    template = project.theme / "templates" / "base.html"
    template.write_text(template.read_text("utf-8") + "<!-- edited -->\n", "utf-8")


def edit_url_memory(project):
    lines = project.memory.read_text("utf-8").splitlines(keepends=True)
    dropped = next(line for line in lines if line.startswith("post\t") and OSCE in line)
    project.memory.write_text("".join(line for line in lines if line != dropped), "utf-8")


def edit_editorial_file(project):
    entities = project.content / "entities.yml"
    entities.write_text(
        entities.read_text("utf-8") + "\ncountries:\n  Kazakhstan:\n    rename: Qazaqstan\n",
        "utf-8",
    )


def records(project) -> list[Path]:
    return list((project.site / "cache" / uptodate.RECORD_DIR).glob("*.store"))


def record_file(project) -> Path:
    (found,) = records(project)
    return found


def damage_record(project):
    path = record_file(project)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x20
    path.write_bytes(bytes(data))


def remove_record(project):
    record_file(project).unlink()


def remove_output(project):
    project.output.unlink()


def replace_output(project):
    """output/ made a real folder, a copy of the site with a page missing."""
    copy = project.site / "copy"
    shutil.copytree(project.output, copy)
    next(copy.rglob("index.html")).unlink()
    project.output.unlink()
    copy.rename(project.output)


CHANGES = [
    edit_in_place,
    add_seed,
    remove_seed,
    rename_seed,
    edit_page,
    edit_theme,
    edit_url_memory,
    edit_editorial_file,
    damage_record,
    remove_record,
    remove_output,
    replace_output,
]


@pytest.mark.parametrize("change", CHANGES, ids=operator.attrgetter("__name__"))
def test_each_change_builds_the_site_as_from_scratch(project, settled, change):
    assert not project.build()
    assert project.build()
    change(project)
    assert not project.build_and_compare()
    assert project.build()  # what that build recorded


def test_a_build_takes_the_seed_stamps_the_check_took(project, settled, monkeypatch):
    """The seed cache stamps only the files it reads: the others' stamps are the
    up-to-date check's, taken just before (one stat a seed a build, not two),
    in the seeds folder and in a folder of it."""
    (project.seeds / "2024").mkdir()
    (project.seeds / OSCE).rename(project.seeds / "2024" / OSCE)
    assert not project.build()
    stamped = []
    real = seedcache._stamp
    monkeypatch.setattr(seedcache, "_stamp", lambda path: stamped.append(path) or real(path))
    seed = project.seeds / "2024" / OSCE
    seed.write_bytes(seed.read_bytes().replace(b"Bucharest", b"Budapest", 1))
    assert not project.build()
    assert stamped == [str(seed)]  # after reading it, to see it did not change meanwhile
    monkeypatch.undo()
    scratch = project.root / "scratch"
    scratch.mkdir()
    (scratch / "urls.tsv").write_bytes(project.memory.read_bytes())
    built = tree(project.output)
    assert built == tree(build_site(scratch, project.seeds, **project.settings({})))
    assert any(b"Budapest" in data for data in built.values())


def test_a_setting_given_with_e_builds(project, settled):
    assert not project.build()
    assert project.build()
    assert not project.build_and_compare(SITEURL="https://other.example.org")
    assert project.build(SITEURL="https://other.example.org")
    assert not project.build()


def test_full_build_forces_a_build(project, monkeypatch):
    assert not project.build()
    assert project.build()
    assert not project.build(FULL_BUILD=True)
    assert project.build()  # a forced build records too
    monkeypatch.setenv(uptodate.FORCE_VARIABLE, "1")
    assert not project.build()


def test_a_file_changed_within_its_timestamp_granularity_is_read(project, monkeypatch):
    """Stamps that cannot tell the edit (as on a file system with coarse
    timestamps): the files stamped right after a change are compared by content."""
    coarse = ("st_mode", "st_size")
    monkeypatch.setattr(uptodate, "STAMP_FIELDS", coarse)
    monkeypatch.setattr(uptodate, "_STAMP", operator.attrgetter(*coarse))
    assert not project.build()
    assert project.build()
    seed = project.seeds / OSCE
    seed.write_bytes(seed.read_bytes().replace(b"Bucharest", b"Budapest!", 1))
    assert not project.build_and_compare()
    assert project.build()


def test_pelican_fatal_fails_on_the_last_builds_errors(project, monkeypatch):
    """`pelican --fatal errors` with nothing changed fails as the build did."""
    assert not project.build()
    monkeypatch.setattr(FatalLogger, "fatal_lvl", logging.ERROR)  # what --fatal errors sets
    with pytest.raises(RuntimeError, match="Warning or error encountered"):
        project.build()
    assert UP_TO_DATE not in project.capsys.readouterr().out


def test_a_quiet_build_records_no_warnings_so_the_next_one_builds(project):
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.CRITICAL)  # as `pelican -q` does
    try:
        assert not project.build()
        assert project.build()  # quiet again: nothing to show
    finally:
        root.setLevel(level)
    assert not project.build()  # its warnings are to be shown: built
    assert project.build()


def test_a_failed_build_leaves_no_record(project):
    assert not project.build()
    assert records(project)
    template = project.theme / "templates" / "entities.html"
    good = template.read_bytes()
    template.write_text("{{ nothing.at.all }}")
    with pytest.raises(Exception, match="nothing"):
        project.build()
    assert not records(project)
    template.write_bytes(good)
    assert not project.build_and_compare()
    assert project.build()


# A run in a process of its own: the Bulletin modules it imported.
IMPORTED = """
import json, sys
from pelican import Pelican
from pelican.settings import read_settings
Pelican(read_settings(path=sys.argv[1], override=json.loads(sys.argv[2]))).run()
print(json.dumps(sorted(name for name in sys.modules if name.startswith("bulletin"))))
"""


def test_nothing_changed_imports_none_of_the_build(project):
    """Pelican imports the plugin on every run: one with nothing changed imports
    no more of it than the check needs (not the tagger, nor the pages and feeds
    code), a third of its time."""
    site = project.site
    override = {
        **project.settings({}),
        "SEEDS_PATH": str(project.seeds),
        "OUTPUT_PATH": str(project.output),
        "CACHE_PATH": str(site / "cache"),
        "URL_MEMORY": str(project.memory),
        "SITEURL": SITEURL,
    }

    def run() -> tuple[set[str], str]:
        command = [sys.executable, "-c", IMPORTED, str(ROOT / "pelican.conf.py")]
        done = subprocess.run(
            [*command, json.dumps(override)], capture_output=True, text=True, check=True
        )
        *printed, modules = done.stdout.splitlines()
        return set(json.loads(modules)), "\n".join(printed)

    built, printed = run()
    assert UP_TO_DATE not in printed
    assert {"bulletin.wiring", "bulletin.tagging", "bulletin.feeds", "bulletin.pages"} <= built
    imported, printed = run()
    assert UP_TO_DATE in printed
    assert not {name for name in imported if name.startswith(BUILD_ONLY)}


BUILD_ONLY = tuple(
    f"bulletin.{name}" for name in ("wiring", "tagging", "tags", "posts", "pages", "feeds", "seeds")
)

"""Never remove what a read could not see: a seeds folder that cannot be listed
stops the build; a seed that cannot be read, or changed while it was read, keeps
the post the last build published from it. Stray control bytes in a text are
removed, not taken for binary data."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from bulletin.posts.posts import UnlistableFolderError
from bulletin.seeds import seedcache, seeds
from bulletin.seeds.seeds import SeedError, parse_seed
from conftest import FIXTURES, build_site, tree

NATO = "2024-06-03-nato-ministers.txt"
NATO_POST = "2024/06/03/foreign-ministers-of-nato-met-in-brussels-on-monday/index.html"
ROOT_USER = os.geteuid() == 0


def good_seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "seeds", folder, ignore=shutil.ignore_patterns("no-date.txt"))
    return folder


class Denied:
    """Takes read permission from files and folders, and gives it back. Root
    reads anyway, so as root the error the system would give is raised where
    the build opens or lists those paths."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.modes: dict[Path, int] = {}

    def __call__(self, path: Path) -> None:
        self.modes[path] = path.stat().st_mode
        path.chmod(0)  # also a real change of the file's ctime
        if ROOT_USER:
            self._inject(path)

    def _inject(self, path: Path) -> None:
        denied = PermissionError(13, "Permission denied", str(path))
        if path.is_dir():
            scandir = os.scandir

            def listing(folder="."):
                if isinstance(folder, str | os.PathLike) and Path(folder) == path:
                    raise denied
                return scandir(folder)

            self.monkeypatch.setattr(os, "scandir", listing)
        else:

            def opening(file, *args, **kwargs):
                if isinstance(file, str | os.PathLike) and Path(file) == path:
                    raise denied
                return open(file, *args, **kwargs)

            self.monkeypatch.setattr(seeds, "open", opening, raising=False)

    def restore(self) -> None:
        for path, mode in self.modes.items():
            path.chmod(mode)
        self.modes.clear()
        self.monkeypatch.undo()


@pytest.fixture
def unreadable(monkeypatch):
    denied = Denied(monkeypatch)
    yield denied
    denied.restore()


def errors(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("where", ["seeds folder", "subfolder"])
def test_a_folder_that_cannot_be_listed_stops_the_build_and_removes_nothing(
    tmp_path, unreadable, where
):
    folder = good_seeds(tmp_path)
    (folder / "sub").mkdir()
    (folder / "sub/more.txt").write_text(" date 2024-06-11 More talks in Astana.")
    output = build_site(tmp_path, folder)
    before, live = tree(output), os.readlink(output)
    unreadable(folder if where == "seeds folder" else folder / "sub")
    with pytest.raises(UnlistableFolderError, match="cannot be listed .*nothing removed"):
        build_site(tmp_path, folder)
    assert os.readlink(output) == live and tree(output) == before


def test_an_unreadable_seed_keeps_its_post_and_is_named(tmp_path, unreadable, caplog):
    folder = good_seeds(tmp_path)
    output = build_site(tmp_path, folder)
    before = tree(output)
    unreadable(folder / NATO)
    caplog.clear()
    build_site(tmp_path, folder)
    assert errors(caplog) == [
        f"Seed {NATO} cannot be read (Permission denied): "
        "its post stays as the last build published it"
    ]
    assert tree(output) == before  # the post and every page listing it
    unreadable.restore()
    caplog.clear()
    build_site(tmp_path, folder)
    assert errors(caplog) == [] and tree(output) == before


def test_on_a_fresh_clone_an_unreadable_seed_is_rejected_and_named(tmp_path, unreadable, caplog):
    folder = good_seeds(tmp_path)
    unreadable(folder / NATO)
    output = build_site(tmp_path, folder)
    assert errors(caplog) == [f"Seed {NATO} rejected: cannot be read (Permission denied)"]
    assert not (output / NATO_POST).exists()


def test_a_seed_changed_while_read_keeps_its_post_until_it_is_read_whole(
    tmp_path, monkeypatch, caplog
):
    folder = good_seeds(tmp_path)
    output = build_site(tmp_path, folder)
    before = tree(output)
    nato = folder / NATO
    whole = nato.read_text() + "\n\nA second paragraph, still being written.\n"
    nato.write_text(whole[: len(whole) - 20])  # half written
    read = seedcache.read_seed

    def read_then_written(path):
        seed = read(path)
        if path == str(nato):
            nato.write_text(whole)  # the writer finishes just after the read
        return seed

    monkeypatch.setattr(seedcache, "read_seed", read_then_written)
    caplog.clear()
    build_site(tmp_path, folder)
    assert errors(caplog) == [
        f"Seed {NATO} changed while being read (still being written?): "
        "its post stays as the last build published it"
    ]
    assert tree(output) == before
    monkeypatch.undo()
    build_site(tmp_path, folder)
    assert "still being written.</p>" in (output / NATO_POST).read_text()


def test_a_seed_really_gone_is_unpublished(tmp_path):
    folder = good_seeds(tmp_path)
    output = build_site(tmp_path, folder)
    (folder / NATO).unlink()
    build_site(tmp_path, folder)
    assert not (output / NATO_POST).exists()


def test_stray_control_bytes_under_one_per_cent_are_removed_above_it_binary():
    text = b" date 2024-05-24 " + b"Talks in Bishkek ended well. " * 7  # 220 bytes
    seed = parse_seed(text[:100] + b"\x00" + text[100:], Path("one.txt"))
    assert seed.text == parse_seed(text, Path("clean.txt")).text
    assert seed.warnings == ("1 control or non-characters removed",)
    for stray in (b"\x00\x00\x00", b"\x00\x01\x1b"):  # 3 of 223 bytes: over 1%
        with pytest.raises(SeedError, match="binary content"):
            parse_seed(text[:100] + stray + text[100:], Path("three.txt"))

"""Seeds are read again only when their file changed."""

import os
import shutil

from bulletin.seeds import seedcache
from conftest import FIXTURES, build_site

NATO = "2024-06-03-nato-ministers.txt"
POST = "2024/06/03/foreign-ministers-of-nato-met-in-brussels-on-monday/index.html"


def seeds(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "seeds", folder)
    return folder


def reads(monkeypatch) -> list[str]:
    """The names of the files the next builds read."""
    read, original = [], seedcache.read_seed
    monkeypatch.setattr(
        seedcache, "read_seed", lambda p: read.append(os.path.basename(p)) or original(p)
    )
    return read


def test_a_rebuild_reads_only_new_and_bad_seeds(tmp_path, monkeypatch):
    folder = seeds(tmp_path)
    build_site(tmp_path, folder)
    read = reads(monkeypatch)
    build_site(tmp_path, folder, FULL_BUILD=True)  # else nothing is read at all (uptodate.py)
    assert read == ["no-date.txt"]  # rejected, so read (and named) on every build
    read.clear()
    (folder / "2024-07-01-new.txt").write_text(" date 2024-07-01 Japan voted.", "utf-8")
    build_site(tmp_path, folder)
    assert read == ["2024-07-01-new.txt", "no-date.txt"]


def test_an_edit_that_keeps_size_and_mtime_is_still_read(tmp_path):
    folder = seeds(tmp_path)
    build_site(tmp_path, folder)
    nato = folder / NATO
    info, text = nato.stat(), nato.read_text("utf-8")
    nato.write_text(text.replace("Monday", "Friday"), "utf-8")  # same length
    os.utime(nato, ns=(info.st_atime_ns, info.st_mtime_ns))
    output = build_site(tmp_path, folder)
    # Read again: the page shows the edit, at the URL the post was published at (urlmemory.py).
    assert "met in Brussels on Friday" in (output / POST).read_text()
    assert not (output / POST.replace("monday", "friday")).exists()


def test_bad_seeds_are_named_on_every_build(tmp_path, caplog):
    folder = seeds(tmp_path)
    for _ in range(2):
        caplog.clear()
        build_site(tmp_path, folder)
        assert "no-date.txt rejected" in caplog.text

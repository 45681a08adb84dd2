"""The output manifest: files whose bytes output/ already holds are not written."""

import os
import shutil

from bulletin.publish import publish
from conftest import build_site

PAGE = "about/index.html"
FULL = {"FULL_BUILD": True}  # a build with nothing changed would not start (uptodate.py)


def stamps(output):
    return {
        path.relative_to(output).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in output.rglob("*")
        if path.is_file()
    }


def test_a_rebuild_writes_nothing_output_holds_and_keeps_a_manifest(tmp_path, monkeypatch):
    output = build_site(tmp_path)
    (manifest,) = (tmp_path / "cache" / publish.MANIFEST_DIR).glob("*.store")
    before = stamps(output)
    staged = []
    write = publish._write
    monkeypatch.setattr(
        publish, "_write", lambda path, data: staged.append(path) or write(path, data)
    )
    build_site(tmp_path, **FULL)
    assert staged == []  # nothing went through staging
    assert stamps(output) == before
    assert manifest.exists()
    # nothing changed: the live release stays, the new one is dropped
    assert os.readlink(output) == ".output.releases/00000001"
    assert [p.name for p in (tmp_path / ".output.releases").iterdir()] == ["00000001"]


def test_a_file_changed_in_output_is_written_again(tmp_path):
    output = build_site(tmp_path)
    original = (output / PAGE).read_bytes()
    (output / PAGE).write_bytes(b"edited by hand")
    build_site(tmp_path, **FULL)
    assert (output / PAGE).read_bytes() == original


def test_the_manifest_vouches_only_for_the_size_and_mtime_it_recorded(tmp_path):
    """Like rsync's quick check: same size and mtime, the file is taken as published."""
    output = build_site(tmp_path)
    page = output / PAGE
    info = page.stat()
    page.write_bytes(bytes(len(page.read_bytes())))
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    build_site(tmp_path, **FULL)
    assert page.read_bytes() == bytes(info.st_size)


def test_without_a_manifest_files_are_compared_and_unchanged_ones_kept(tmp_path):
    output = build_site(tmp_path)
    before = stamps(output)
    shutil.rmtree(tmp_path / "cache" / publish.MANIFEST_DIR)
    build_site(tmp_path, **FULL)
    assert stamps(output) == before
    assert list((tmp_path / "cache" / publish.MANIFEST_DIR).glob("*.store"))


def test_a_first_build_links_output_to_its_release_folder(tmp_path):
    output = build_site(tmp_path)
    assert os.readlink(output) == ".output.releases/00000001"
    assert (output / PAGE).is_file()
    before = stamps(output)
    build_site(tmp_path, **FULL)
    assert stamps(output) == before  # the manifest vouches for every file

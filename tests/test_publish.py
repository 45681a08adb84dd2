"""The output manifest: files whose bytes output/ already holds are not written."""

import os
import shutil

from bulletin import publish
from conftest import build_site

PAGE = "about/index.html"


def stamps(output):
    return {
        path.relative_to(output).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in output.rglob("*")
        if path.is_file()
    }


def test_a_rebuild_writes_nothing_output_holds_and_keeps_a_manifest(tmp_path, monkeypatch):
    output = build_site(tmp_path)
    (manifest,) = (tmp_path / "cache" / publish.MANIFEST_DIR).glob("*.pickle")
    before = stamps(output)
    staged = []
    write = publish._write
    monkeypatch.setattr(
        publish, "_write", lambda path, data: staged.append(path) or write(path, data)
    )
    build_site(tmp_path)
    assert staged == []  # nothing went through staging
    assert stamps(output) == before
    assert manifest.exists()
    staging = tmp_path / ".output.staging"
    left = [p.relative_to(staging) for p in staging.rglob("*") if not p.is_dir()]
    assert all(p.parts[0] == "theme" for p in left)  # copies of static files Pelican made


def test_a_file_changed_in_output_is_written_again(tmp_path):
    output = build_site(tmp_path)
    original = (output / PAGE).read_bytes()
    (output / PAGE).write_bytes(b"edited by hand")
    build_site(tmp_path)
    assert (output / PAGE).read_bytes() == original


def test_the_manifest_vouches_only_for_the_size_and_mtime_it_recorded(tmp_path):
    """Like rsync's quick check: same size and mtime, the file is taken as published."""
    output = build_site(tmp_path)
    page = output / PAGE
    info = page.stat()
    page.write_bytes(bytes(len(page.read_bytes())))
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    build_site(tmp_path)
    assert page.read_bytes() == bytes(info.st_size)


def test_without_a_manifest_files_are_compared_and_unchanged_ones_kept(tmp_path):
    output = build_site(tmp_path)
    before = stamps(output)
    shutil.rmtree(tmp_path / "cache" / publish.MANIFEST_DIR)
    build_site(tmp_path)
    assert stamps(output) == before
    assert list((tmp_path / "cache" / publish.MANIFEST_DIR).glob("*.pickle"))


def test_a_first_build_moves_its_staging_folder_into_place(tmp_path):
    output = build_site(tmp_path)
    assert not (tmp_path / ".output.staging").exists()
    assert (output / PAGE).is_file()
    before = stamps(output)
    build_site(tmp_path)
    assert stamps(output) == before  # the manifest vouches for every file


def test_without_output_a_staging_folder_left_from_before_publishes_only_this_build(tmp_path):
    first = {
        name: (tmp_path / "output" / name).read_bytes() for name in stamps(build_site(tmp_path))
    }
    build_site(tmp_path)  # makes a staging folder again
    left_over = tmp_path / ".output.staging" / "left-over/index.html"
    left_over.parent.mkdir(parents=True)
    left_over.write_text("from a killed build")
    shutil.rmtree(tmp_path / "output")
    output = build_site(tmp_path)
    assert {name: (output / name).read_bytes() for name in stamps(output)} == first

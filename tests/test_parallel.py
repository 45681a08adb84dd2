"""The output phase shared between processes (parallel.py)."""

import os

import pytest

from bulletin import feeds
from bulletin.publish import parallel
from conftest import build_site

FORKED = {"OUTPUT_WORKERS": 3, "PARALLEL_MIN_ARTICLES": 0}


@pytest.fixture
def writers(tmp_path, monkeypatch):
    """The ids of the processes that wrote feeds (in whichever process)."""
    log, write = tmp_path / "writers.log", feeds._write

    def logged_write(path, data):
        with log.open("a") as file:
            file.write(f"{os.getpid()}\n")
        write(path, data)

    monkeypatch.setattr(feeds, "_write", logged_write)
    return lambda: set(log.read_text().split()) if log.exists() else set()


def tree(output):
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def test_processes_sharing_the_output_write_the_bytes_one_process_writes(tmp_path, writers):
    one = tree(build_site(tmp_path / "one", OUTPUT_WORKERS=1))
    assert writers() == {str(os.getpid())}
    shared = tree(build_site(tmp_path / "shared", **FORKED))
    assert shared == one
    assert len(writers()) == 1 + 2  # this process, then two forked ones
    assert parallel._share == (0, 1) and not parallel._children


def test_small_sites_are_written_by_one_process(tmp_path, writers):
    build_site(tmp_path, OUTPUT_WORKERS=3)
    assert writers() == {str(os.getpid())}


def test_a_failing_output_process_fails_the_build_and_leaves_output_as_it_was(
    tmp_path, monkeypatch
):
    before = tree(build_site(tmp_path, OUTPUT_WORKERS=1))
    write = feeds._write

    def fail_in_a_forked_process(path, data):
        if parallel._share[0] == 2:
            raise OSError(f"disk full writing {path}")
        write(path, data)

    monkeypatch.setattr(feeds, "_write", fail_in_a_forked_process)
    with pytest.raises(RuntimeError, match="1 of the output processes failed"):
        build_site(tmp_path, SITENAME="A new name", **FORKED)
    assert tree(tmp_path / "output") == before
    assert parallel._share == (0, 1) and not parallel._children

"""One build at a time per output, published all at once: OUTPUT_PATH is a link to
a release folder, swapped by one rename; dangerous output paths are refused."""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from bulletin.publish import publish
from bulletin.publish.lock import LockError, OutputLock
from bulletin.publish.releases import OutputPathError
from conftest import ROOT, build_site, good_seeds, tree

NEW_SEED = " date 2024-06-10 Germany and NATO agreed on a new plan.\n"
NEW = "2024/06/10/germany-and-nato-agreed-on-a-new-plan/index.html"


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def releases(tmp_path: Path) -> list[str]:
    """The release folders (not those being removed, ".gone-…")."""
    return sorted(p.name for p in (tmp_path / ".output.releases").iterdir() if p.name.isdigit())


def pelican(tmp_path: Path, seeds: Path, **extra) -> subprocess.Popen:
    """A `pelican` build in its own process, as a user starts it."""
    settings = {
        "SEEDS_PATH": str(seeds),
        "CACHE_PATH": str(tmp_path / "cache"),
        "URL_MEMORY": str(tmp_path / "urls.tsv"),
        "SITEURL": "https://bulletin.test",
        **extra,
    }
    command = [Path(sys.executable).with_name("pelican"), "-s", "pelican.conf.py"]
    command += ["-o", str(tmp_path / "output"), "-e"]
    command += [f'{key}="{value}"' for key, value in settings.items()]
    return subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def test_a_changed_build_goes_live_in_a_new_release_and_the_previous_one_stays(tmp_path):
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    first = snapshot(output)
    first_folder = (tmp_path / ".output.releases/00000001").stat().st_ino
    (seeds / "new.txt").write_text(NEW_SEED)
    build_site(tmp_path, seeds)
    assert os.readlink(output) == ".output.releases/00000002"
    # the release a reader may still be in is whole and untouched: nothing is
    # ever written into a live release, so its permissions cannot matter either
    assert snapshot(tmp_path / ".output.releases/00000001") == first
    second = snapshot(output)
    assert NEW in second
    same = [name for name in first if name in second and first[name][0] == second[name][0]]
    assert "about/index.html" in same
    assert all(second[name] == first[name] for name in same)  # linked: same inode and mtime
    (seeds / "new.txt").unlink()
    build_site(tmp_path, seeds)
    # the spare (the first release) was brought up to date and renamed
    assert releases(tmp_path) == ["00000002", "00000003"]
    assert (tmp_path / ".output.releases/00000003").stat().st_ino == first_folder
    assert snapshot(tmp_path / ".output.releases/00000002") == second
    assert tree(output) == {name: data for name, (data, _, _) in first.items()}
    left = sorted(p.name for p in (tmp_path / ".output.releases").iterdir())
    assert left == ["00000002", "00000003", "journal.store"]


def test_an_output_folder_of_an_older_build_becomes_the_previous_release(tmp_path):
    seeds = good_seeds(tmp_path)
    output = tmp_path / "output"
    output.mkdir()
    (output / "old.html").write_text("from a build before releases")
    build_site(tmp_path, seeds)
    assert output.is_symlink() and not (output / "old.html").exists()
    assert releases(tmp_path) == ["00000000", "00000001"]
    assert (tmp_path / ".output.releases/00000000/old.html").is_file()


def test_a_permission_error_halfway_leaves_the_live_site_whole(tmp_path, monkeypatch):
    """The machine's tests run as root, which no file mode stops: the error that
    a read-only or unreadable folder gives is raised by the 5th hard link."""
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    before, live = snapshot(output), os.readlink(output)
    (seeds / "new.txt").write_text(NEW_SEED)
    link, calls = os.link, []

    def failing_link(*args, **kwargs):
        calls.append(args)
        if len(calls) == 5:
            raise PermissionError(13, "Permission denied", str(args[1]))
        return link(*args, **kwargs)

    monkeypatch.setattr(os, "link", failing_link)
    with pytest.raises(PermissionError):
        build_site(tmp_path, seeds)
    assert os.readlink(output) == live and snapshot(output) == before
    assert releases(tmp_path) == ["00000001"]  # the half-made release is gone
    monkeypatch.undo()
    build_site(tmp_path, seeds)
    assert (output / NEW).is_file()


def test_the_finished_build_is_handed_over_before_it_goes_live(tmp_path):
    seeds = good_seeds(tmp_path)
    build_site(tmp_path, seeds)
    (seeds / "new.txt").write_text(NEW_SEED)
    seen = []

    def index(folder):
        seen.append((folder, os.readlink(tmp_path / "output"), tree(folder)))

    publish.before_swap.connect(index)
    try:
        output = build_site(tmp_path, seeds)
    finally:
        publish.before_swap.disconnect(index)
    ((folder, live, files),) = seen
    assert folder == tmp_path / ".output.releases/00000002"
    assert live == ".output.releases/00000001"  # not yet swapped
    assert files == tree(output)  # complete: written and linked files


@pytest.mark.parametrize("kind", ["file", "link out", "root", "home", "seeds"])
def test_dangerous_output_paths_are_refused(tmp_path, monkeypatch, kind):
    seeds = good_seeds(tmp_path)
    output = tmp_path / "output"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep")
    if kind == "file":
        output.write_text("a file, not a folder")
    elif kind == "link out":
        output.symlink_to(elsewhere)
    elif kind == "home":
        monkeypatch.setenv("HOME", str(elsewhere))
        output = elsewhere
    elif kind == "root":
        output = Path("/")
    else:
        output = seeds
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(OutputPathError, match=f"OUTPUT_PATH {output} .*refused"):
        build_site(tmp_path, seeds, OUTPUT_PATH=str(output))
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_second_build_fails_clearly_while_the_first_holds_the_lock(tmp_path):
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    before = snapshot(output)
    (seeds / "new.txt").write_text(NEW_SEED)
    held = rf"being built by pid {os.getpid()} .*nothing built"
    with OutputLock(output, 0), pytest.raises(LockError, match=held):
        build_site(tmp_path, seeds, OUTPUT_LOCK_WAIT=0.3)
    assert snapshot(output) == before


def test_a_second_build_waits_for_the_first_saying_so(tmp_path, capsys):
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    (seeds / "new.txt").write_text(NEW_SEED)
    lock = OutputLock(output, 0).__enter__()
    threading.Timer(1.0, lock.__exit__).start()
    started = time.monotonic()
    build_site(tmp_path, seeds)
    assert time.monotonic() - started >= 1.0
    assert f"Waiting for pid {os.getpid()}" in capsys.readouterr().out
    assert (output / NEW).is_file()


def test_a_lock_left_by_a_killed_build_is_cleared(tmp_path, caplog):
    seeds = good_seeds(tmp_path)
    build_site(tmp_path, seeds)
    process = pelican(tmp_path, seeds)
    lock = tmp_path / ".output.lock"
    while not lock.read_text():  # the build holds the lock
        time.sleep(0.01)
    holder = lock.read_text().strip()
    process.kill()
    process.wait()
    with open(lock, "rb") as file:  # the kernel released it with the process
        fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    (seeds / "new.txt").write_text(NEW_SEED)
    output = build_site(tmp_path, seeds, OUTPUT_LOCK_WAIT=0)
    assert f"Lock {lock} was left by build {holder}" in caplog.text
    assert (output / NEW).is_file() and lock.read_text() == ""


def test_two_builds_started_together_run_one_after_the_other(tmp_path):
    """Both wait while the test holds the lock, then race for it when it lets go."""
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    (seeds / "new.txt").write_text(NEW_SEED)
    expected = tree(build_site(tmp_path / "clean", seeds))
    shutil.rmtree(tmp_path / "clean")
    with OutputLock(output, 0):
        processes = [pelican(tmp_path, seeds) for _ in range(2)]
        printed = [[], []]
        for process, lines in zip(processes, printed, strict=True):
            while (line := process.stdout.readline()) and "Waiting for" not in line:
                lines.append(line)
            assert f"Waiting for pid {os.getpid()}" in line, "".join(lines)
    outputs = [p.communicate()[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert tree(output) == expected


def test_pelican_listen_serves_each_new_release(tmp_path):
    seeds = good_seeds(tmp_path)
    output = build_site(tmp_path, seeds)
    with socket.socket() as free:  # a port no other test (or worktree) is using
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    server = subprocess.Popen(
        [Path(sys.executable).with_name("pelican"), "--listen", "--port", str(port)]
        + ["-o", str(output), "-s", "pelican.conf.py"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def get(path):
            for _ in range(100):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}") as page:
                        return page.status
                except OSError as error:
                    last = error
                    time.sleep(0.1)
            return last

        assert get("index.html") == 200
        (seeds / "new.txt").write_text(NEW_SEED)
        build_site(tmp_path, seeds)
        assert get(NEW) == 200
    finally:
        server.terminate()
        server.wait()

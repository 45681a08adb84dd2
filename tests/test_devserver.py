"""`make devserver` (bulletin.devserver) as a real process: it serves the preview and
builds it again when a seed or the editorial file changes; a saved seed's page is
served at once (a quick page), before the full rebuild."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

WAIT = 60  # seconds a (first, cold) build may take on a loaded machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    return fetch(url)[:2]


def fetch(url: str) -> tuple[int, str, str]:
    """The status, body and X-Preview header ("" if none) of a page."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode(), response.headers["X-Preview"] or ""
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers["X-Preview"] or ""


def until(check, timeout: float = WAIT):
    """Poll check() until it returns something true; return it (fail after timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if found := check():
                return found
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(f"nothing after {timeout} s")


def preview_project(tmp_path) -> tuple[Path, Path, list[str]]:
    """The fixture seeds and the content in tmp_path, and the devserver's command
    line (on a free port) previewing them into tmp_path/preview."""
    seeds, content = tmp_path / "seeds", tmp_path / "content"
    shutil.copytree(FIXTURES / "seeds", seeds)
    shutil.copytree(ROOT / "content", content)
    settings = tmp_path / "settings.py"
    settings.write_text(
        "import runpy\n"
        f"globals().update(runpy.run_path({str(ROOT / 'pelican.conf.py')!r}))\n"
        f"PATH = {str(content)!r}\nTHEME = {str(ROOT / 'theme')!r}\n"
        f"SEEDS_PATH = {str(seeds)!r}\nURL_MEMORY = {str(tmp_path / 'urls.tsv')!r}\n"
        f"CACHE_PATH = {str(tmp_path / 'cache')!r}\n",
        "utf-8",
    )
    command = [sys.executable, "-m", "bulletin.devserver", "--port", str(free_port())]
    command += ["--settings", str(settings), "--output", str(tmp_path / "preview")]
    return seeds, content, command


@pytest.fixture
def devserver(tmp_path):
    seeds, content, command = preview_project(tmp_path)
    port = command[command.index("--port") + 1]
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(process.stdout), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}", seeds, content, process, log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_the_preview_rebuilds_on_a_seed_change_and_stops_cleanly(devserver, tmp_path):
    url, seeds, content, process, log = devserver
    status, home = until(lambda: get(url + "/"))
    assert status == 200
    # Root-relative links: the preview works on any port or host.
    assert 'href="/country/kazakhstan/"' in home and "localhost:8000" not in home
    status, missing = get(url + "/no/such/page/")
    assert status == 404 and "<h1" in missing  # the site's own 404 page

    (seeds / "new.txt").write_text(
        " date 2024-07-01 Kazakhstan and Japan signed a new trade agreement in Astana.",
        "utf-8",
    )
    post = url + "/2024/07/01/kazakhstan-and-japan-signed-a-new-trade-agreement-in-astana/"
    assert until(lambda: get(post)[0] == 200)
    (seeds / "new.txt").unlink()
    assert until(lambda: get(post)[0] == 404)

    # A broken editorial file: said, and the last good preview stays.
    (content / "entities.yml").write_text("people:\n  X:\n    colour: red\n", "utf-8")
    assert until(lambda: any("line 3: people: X: unknown key 'colour'" in line for line in log))
    assert get(url + "/")[0] == 200
    (content / "entities.yml").write_text(
        "organisations:\n  NATO:\n    rename: North Atlantic Alliance\n", "utf-8"
    )
    assert until(lambda: get(url + "/organisation/north-atlantic-alliance/")[0] == 200)

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    with pytest.raises(ProcessLookupError):  # nothing it started is left
        os.killpg(process.pid, 0)

    # Started again on the same preview: it builds a new release beside the last one
    # (preview/ is a link to it), never into it. On a port of its own: the first one's
    # may have been taken meanwhile by another process's connection.
    port = free_port()
    args = list(process.args)
    args[args.index("--port") + 1] = str(port)
    again = subprocess.Popen(args, cwd=tmp_path, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        assert until(lambda: get(url + "/organisation/north-atlantic-alliance/")[0] == 200)
        link = os.readlink(tmp_path / "preview")
        assert link.startswith(".preview.releases/")
        assert not list((tmp_path / link).parent.glob("*/*.releases"))
        assert not list((tmp_path / ".preview.releases").glob(".*.releases"))
    finally:
        again.send_signal(signal.SIGTERM)
        assert again.wait(timeout=30) == 0


def test_a_saved_seed_is_shown_by_a_quick_page_before_the_full_rebuild(devserver, tmp_path):
    url, seeds, content, process, log = devserver
    assert until(lambda: get(url + "/")[0] == 200)
    memory = (tmp_path / "urls.tsv").read_text("utf-8")
    line = next(x for x in memory.splitlines() if "\t2024-06-01-osce-session.txt\t" in x)
    edited = line.split("\t")[3]  # its URL
    preview = tmp_path / "preview"
    # Hold the preview's build lock: a full rebuild now waits, saying so, and serves
    # nothing new; only the quick pages can show the saves below.
    with open(tmp_path / ".preview.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        seed = seeds / "2024-06-01-osce-session.txt"
        seed.write_text(seed.read_text("utf-8") + "\n\nA sentence added by the editor.\n", "utf-8")
        status, page, how = until(lambda: (r := fetch(url + "/" + edited))[2] and r)
        assert (status, how) == (200, "quick") and "A sentence added by the editor." in page
        assert until(lambda: any(f"Preview: /{edited} updated in" in x for x in log))
        assert (
            "A sentence added by the editor." not in (preview / edited / "index.html").read_text()
        )

        (seeds / "new.txt").write_text(
            " date 2024-07-01 Kazakhstan and Japan signed a new trade agreement in Astana.",
            "utf-8",
        )
        new = "2024/07/01/kazakhstan-and-japan-signed-a-new-trade-agreement-in-astana/"
        status, quick, how = until(lambda: (r := fetch(url + "/" + new))[2] and r)
        assert (status, how) == (200, "quick") and "Kazakhstan and Japan signed" in quick
        assert 'href="/country/japan/"' in quick  # tagged, with the theme's links
        assert not (preview / new).exists()
        assert until(lambda: any("Waiting for" in x for x in log))  # the full rebuild
        assert sum(x.startswith("Preview rebuilt") for x in log) == 1  # the first build
        fcntl.flock(lock, fcntl.LOCK_UN)
    # The full rebuild goes live and its pages replace the quick ones, at the same URLs.
    for path, text in ((edited, "A sentence added by the editor."), (new, "signed a new trade")):
        status, page, how = until(lambda path=path: (r := fetch(url + "/" + path))[2] == "" and r)
        assert status == 200 and text in page
        assert text in (preview / path / "index.html").read_text()
        if path == new:  # made from the same seeds, the quick page was the exact page
            assert page == quick
    assert (tmp_path / "urls.tsv").read_text("utf-8").count(new) == 1

    (seeds / "new.txt").unlink()  # a removed seed: its page is gone at once
    assert until(lambda: any(f"Preview: /{new} removed in" in x for x in log))
    assert get(url + "/" + new)[0] == 404


def test_ctrl_c_during_the_first_build_stops_at_once_without_a_traceback(tmp_path):
    """Ctrl-C signals the terminal's whole process group: the devserver and the
    processes its build forked (tagging, writing pages). It stops them all,
    saying so in one line, with no traceback from any of them."""
    seeds, _, command = preview_project(tmp_path)
    for number in range(300):  # a first build of some seconds, with its tagging processes
        day = number % 28 + 1
        (seeds / f"many-{number}.txt").write_text(
            f" date 2024-05-{day:02} Kazakhstan and Uzbekistan held talks number {number}"
            " in Astana with the European Union and NATO on trade and water.",
            "utf-8",
        )
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's job is
    )
    try:
        until(lambda: (tmp_path / ".preview.releases" / "staging").exists())  # building
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in its terminal does
        out, err = process.communicate(timeout=20)  # at once: not after the build
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert "Preview on" not in out  # stopped during the first build
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "Stopped during the first build: no preview served" in err.splitlines()
    assert process.returncode == 128 + signal.SIGINT
    with pytest.raises(ProcessLookupError):  # nothing it started is left
        os.killpg(process.pid, 0)
    assert not (tmp_path / "preview").exists()

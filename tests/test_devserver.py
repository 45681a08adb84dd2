"""`make devserver` (bulletin.devserver) as a real process: it serves the preview and
builds it again when a seed or the editorial file changes."""

from __future__ import annotations

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

import pytest

from conftest import FIXTURES, ROOT

WAIT = 60  # seconds a (first, cold) build may take on a loaded machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


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


@pytest.fixture
def devserver(tmp_path):
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
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bulletin.devserver", "--port", str(port)]
        + ["--settings", str(settings), "--output", str(tmp_path / "preview")],
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


def test_the_preview_rebuilds_on_a_seed_change_and_stops_cleanly(devserver):
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

"""Benchmark: how soon `make devserver` shows a saved seed's page.

    python bench/devserver.py [--seeds 1000] [--repeat 3] [--corpora ../shared/corpora]
                              [--work DIR]

Makes N seeds (as bench/run.py does: Reuters-21578, topped up with generated ones),
starts the devserver on them (its first build tags them all: slow, and not timed),
then, REPEAT times, saves a new seed and times until its page is served (HTTP 200),
a second later (while the full rebuild for it runs) saves an edit of it and times
until the page shows the edit, then until the full rebuild's page with the edit
replaces the quick page (served without the header X-Preview: quick). Prints the
times and the load average.
With --work, the seeds, caches and preview are kept there for the next run.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import make_seeds  # noqa: E402 (bench/run.py, beside this file)

from bulletin.seeds.seeds import parse_seed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 5.0  # seconds: the target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--work", type=Path, help="keep seeds, caches and preview here")
    parser.add_argument("--first-build-timeout", type=float, default=3600)
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for a page")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="devserver-bench-"))
    seeds = work / "seeds"
    if not seeds.is_dir():
        print(f"seeds: {make_seeds(seeds, args.seeds, args.corpora)}", flush=True)
    count = sum(1 for _ in seeds.iterdir())
    settings = work / "settings.py"
    settings.write_text(
        "import runpy\n"
        f"globals().update(runpy.run_path({str(ROOT / 'pelican.conf.py')!r}))\n"
        f"PATH = {str(ROOT / 'content')!r}\nTHEME = {str(ROOT / 'theme')!r}\n"
        f"SEEDS_PATH = {str(seeds)!r}\nURL_MEMORY = {str(work / 'urls.tsv')!r}\n"
        f"CACHE_PATH = {str(work / 'cache')!r}\n",
        "utf-8",
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bulletin.devserver", "--port", str(port)]
        + ["--settings", str(settings), "--output", str(work / "preview")],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(process.stdout), daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait(lambda: any(line.startswith("Preview on") for line in log), args.first_build_timeout)
        print(f"{count} seeds; first build {time.perf_counter() - started:.1f} s", flush=True)
        added, edited, edited_full = [], [], []
        loads = [os.getloadavg()[0]]
        for run in range(args.repeat):
            name = f"zz-bench-{os.getpid()}-{run}.txt"
            text = (
                f" date 2024-07-{run + 1:02d} Kazakhstan and Japan signed trade agreement"
                f" number {os.getpid()}-{run} in Astana on Monday.\n\nOfficials met."
            )
            seed = parse_seed(text.encode(), Path(name))
            url = f"{base}/{seed.date:%Y/%m/%d}/{seed.slug}/"
            time.sleep(1)
            t0 = time.perf_counter()
            (seeds / name).write_text(text, "utf-8")
            wait(lambda url=url: status(url)[0] == 200, args.timeout)
            added.append(time.perf_counter() - t0)
            time.sleep(1)  # the edit comes while the new seed's full rebuild runs
            t0 = time.perf_counter()
            (seeds / name).write_text(text.replace("Officials met.", "Ministers met."), "utf-8")
            wait(lambda url=url: "Ministers met." in status(url)[1], args.timeout)
            edited.append(time.perf_counter() - t0)
            loads.append(os.getloadavg()[0])
            wait(
                lambda url=url: (r := status(url))[2] == "" and "Ministers met." in r[1],
                args.timeout,
            )
            edited_full.append(time.perf_counter() - t0)
            (seeds / name).unlink()
            wait(lambda url=url: status(url)[0] == 404, args.timeout)
            wait(lambda: not building(log), args.timeout)  # the removal's full rebuild
        print(f"load average (1 min) during the runs: {', '.join(f'{x:.1f}' for x in loads)}")
        for label, times in (
            ("new seed", added),
            ("edited seed", edited),
            ("edited seed, full rebuild live", edited_full),
        ):
            verdict = "within" if max(times) <= LIMIT else "OVER"
            target = f" ({verdict} {LIMIT:.0f} s)" if "full" not in label else ""
            print(
                f"{count} seeds, {label}: page served after median {statistics.median(times):.2f} s"
                f" [{min(times):.2f}–{max(times):.2f}]{target}",
                flush=True,
            )
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        said = [line.strip() for line in log if line.startswith(("Preview", "Changed"))]
        print("devserver said: " + "; ".join(said[-24:]), flush=True)
    return 0


def status(url: str) -> tuple[int, str, str]:
    """The status, body and X-Preview header of a page (0 if there was no answer)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode(), response.headers["X-Preview"] or ""
    except urllib.error.HTTPError as error:
        return error.code, "", ""
    except (urllib.error.URLError, OSError):
        return 0, "", ""


def building(log: list[str]) -> bool:
    """Whether a full rebuild started after the last change has not ended yet."""
    changes = [i for i, line in enumerate(log) if line.startswith("Changed")]
    ends = [i for i, line in enumerate(log) if line.startswith(("Preview rebuilt", "Preview not"))]
    return bool(changes) and (not ends or ends[-1] < changes[-1])


def wait(check, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"nothing after {timeout} s")
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())

"""What the all-or-nothing publish step costs on a big site (publish.py,
releases.py, sync.py).

Makes a live release of N files laid out like a site's (a post page per folder
YYYY/MM/DD/<slug>/index.html, a few hundred bytes each), then times, on the real
functions, the publish of builds that changed one file and added one: the first
has no spare release folder yet, so it makes one with a hard link for every
unchanged file (what every build cost before the two folders used in turn); the
next ones bring the spare up to date by replaying the changes of the last two
builds; then a build that changed nothing (the live release stays). "start" is
finding the spare and making the staging folder; "publish" the comparison of the
written files, the sync of the spare, the swap and the journal.

    python bench/publish_cost.py --files 30000 100000 --folder /tmp/publish-bench
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from bulletin.publish import publish, releases, sync  # noqa: E402

SETTINGS = {"OUTPUT_RETENTION": [], "DELETE_OUTPUT_DIRECTORY": True}


def page(number: int) -> str:
    day = number % 28 + 1
    return (
        f"{2000 + number // 4000}/{number // 400 % 12 + 1:02d}/{day:02d}/post-{number}/index.html"
    )


def make_site(folder: Path, files: int) -> Path:
    """A site published once: output links to a release of files pages."""
    output = folder / "output"
    staging, _ = releases.start(output)
    for number in range(files):
        path = staging / page(number)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<p>post {number}</p>" * 20)
    release = releases.next_release(output)
    staging.rename(release)
    releases.swap(output, release)
    return output


def rebuild(output: Path, changed: list[str], new: list[str]) -> dict[str, float]:
    """One build's publish: every other file kept, as the manifest vouches."""
    live = releases.current(output)
    names = sync.files(live)
    files = {name: (publish._stamp(live / name), b"") for name in names}
    ledger = publish.Ledger(None, output, publish.Manifest(files))
    timings = {}
    started = time.perf_counter()
    staging, spare = releases.start(output)
    timings["start"] = time.perf_counter() - started
    ledger.staging = staging
    for name in changed + new:
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<p>changed {time.time()}</p>")
        ledger.written[name] = b"x"
    ledger.kept = names - set(changed)
    started = time.perf_counter()
    publish.publish(staging, live, output, SETTINGS, ledger, spare)
    timings["publish"] = time.perf_counter() - started
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, nargs="+", default=[30000, 100000])
    parser.add_argument("--folder", type=Path, default=Path("/tmp/bulletin-publish-bench"))
    args = parser.parse_args()
    for files in args.files:
        folder = args.folder / str(files)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        output = make_site(folder, files)
        for label, changed, new in (
            ("one changed, one new, no spare yet", [page(0)], ["2999/01/01/new/index.html"]),
            ("one changed, one new", [page(1)], ["2999/01/02/new/index.html"]),
            ("one changed, one new (again)", [page(2)], ["2999/01/03/new/index.html"]),
            ("one changed, one new (again)", [page(3)], ["2999/01/04/new/index.html"]),
            ("nothing changed", [], []),
        ):
            timings = rebuild(output, changed, new)
            line = ", ".join(f"{k} {v:.2f} s" for k, v in timings.items())
            print(f"{files} files, {label}: {line}")
        shutil.rmtree(folder, ignore_errors=True)  # a release may be going already


if __name__ == "__main__":
    main()

"""Figures for hostile input and safe output; prints, asserts nothing.

    python bench/hostile.py huge [MB ...]       # one-line seeds of MB megabytes (1 4 7)
    python bench/hostile.py rebuild SEEDS_DIR   # build, then rebuild unchanged and after one edit

`huge`: seconds to read and tag the seed in-process, then wall time and peak memory of a
full `pelican` build of it (seeds over 8 MB, MAX_BYTES, are refused). `rebuild`: wall time of each build and its output line
(files written / unchanged / removed), which shows the cost of staging and syncing.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE = "The Senate of Kazakhstan met Turkish senators and Speaker Numan Kurtulmuş said so. "


def pelican(seeds: Path, output: Path) -> tuple[float, str]:
    """Wall seconds of a `pelican` build and its last printed line."""
    command = [
        Path(sys.executable).with_name("pelican"),
        *("-q", "-s", ROOT / "pelican.conf.py", "-o", output),
        *("-e", f"SEEDS_PATH={json.dumps(str(seeds))}"),
    ]
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, run.stdout.strip().splitlines()[-1]


def huge(sizes: list[int]) -> None:
    from bulletin.seeds.seeds import read_seed
    from bulletin.tagging import tag_text

    print("MB  read s  tag s  build s  peak MB (largest build so far)")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            seeds = Path(tmp, "seeds")
            seeds.mkdir()
            path = seeds / "huge.txt"
            path.write_bytes(b" date 2024-05-25 " + (LINE * (size * 2**20 // len(LINE))).encode())
            start = time.perf_counter()
            seed = read_seed(path)
            read = time.perf_counter() - start
            tag_text(seed.text)
            tagged = time.perf_counter() - start - read
            build, _ = pelican(seeds, Path(tmp, "output"))
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"{size:>2}  {read:6.2f}  {tagged:5.2f}  {build:7.2f}  {peak:7.0f}")


def rebuild(seeds: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        copy, output = Path(tmp, "seeds"), Path(tmp, "output")
        shutil.copytree(seeds, copy)
        for label in ("first build", "rebuild, nothing changed", "rebuild, one seed edited"):
            if label.endswith("edited"):
                first = sorted(p for p in copy.rglob("*") if p.is_file())[0]
                first.write_bytes(first.read_bytes() + b"\n\nOne more paragraph.")
            seconds, line = pelican(copy, output)
            print(f"{label}: {seconds:.2f} s; {line.replace(str(output), 'output/')}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "plugins"))
    if sys.argv[1:2] == ["huge"]:
        huge([int(mb) for mb in sys.argv[2:]] or [1, 4, 7])
    elif sys.argv[1:2] == ["rebuild"] and len(sys.argv) == 3:
        rebuild(Path(sys.argv[2]))
    else:
        sys.exit(__doc__)

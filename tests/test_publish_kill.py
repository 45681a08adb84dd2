"""kill -9 inside the publish step leaves the whole old site or the whole new one.

Each trial starts a real `pelican` build that changes the site and kills it with
SIGKILL a chosen time after its publish step starts. So that the kills can be
aimed, the build runs with each hard link of the publish step slowed by 3 ms (a
wrapper around os.link that also says when the first one starts); the step is
otherwise the real one. The delays step through the linking, the swap and the
clean-up after it. Trials alternate between two sets of seeds, so each starts
from the site the last one left.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import FIXTURES, ROOT, SITEURL, build_site

TRIALS = 20
STEP = 0.02  # seconds between the delays of successive trials
NEW_SEED = " date 2024-06-10 Germany and NATO agreed on a new plan.\n"
WRAPPER = """
import os, sys, time
link, started = os.link, []
def slow_link(*args, **kwargs):
    if not started:
        started.append(print("PUBLISHING", flush=True))
    time.sleep(0.003)
    return link(*args, **kwargs)
os.link = slow_link
from pelican import main
sys.exit(main())
"""


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_kill_9_inside_the_publish_step_leaves_old_or_new(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "seeds", seeds, ignore=shutil.ignore_patterns("no-date.txt"))
    cache = tmp_path / "cache"
    # the two sites, with the URL memory (urlmemory.py) the trials share
    build_site(tmp_path, seeds, CACHE_PATH=str(cache))
    (seeds / "new.txt").write_text(NEW_SEED)
    with_new = tree(build_site(tmp_path, seeds, CACHE_PATH=str(cache)))
    (seeds / "new.txt").unlink()
    output = build_site(tmp_path, seeds, CACHE_PATH=str(cache))
    without = tree(output)
    wrapper = tmp_path / "slow_link.py"
    wrapper.write_text(WRAPPER)
    outcomes = []
    for trial in range(TRIALS):
        old = tree(output)
        assert old in (without, with_new)
        adding = old == without
        if adding:
            (seeds / "new.txt").write_text(NEW_SEED)
        else:  # gone already if the last removal was killed before its swap
            (seeds / "new.txt").unlink(missing_ok=True)
        new = with_new if adding else without
        process = subprocess.Popen(
            [sys.executable, wrapper, "-s", "pelican.conf.py", "-o", output, "-e"]
            + [f'SEEDS_PATH="{seeds}"', f'CACHE_PATH="{cache}"', f'SITEURL="{SITEURL}"']
            + [f'URL_MEMORY="{tmp_path / "urls.tsv"}"'],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        printed = []
        while (line := process.stdout.readline()) and line != "PUBLISHING\n":
            printed.append(line)
        assert line, "".join(printed)  # the build reached its publish step
        time.sleep(trial * STEP)
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
        after = tree(output)
        assert after in (old, new), f"trial {trial}: a mix of old and new"
        outcomes.append("new" if after == new != old else "old")
    print(f"{TRIALS} kills: {outcomes.count('old')} old, {outcomes.count('new')} new")
    assert {"old", "new"} <= set(outcomes)  # the kills landed on both sides of the swap
    build_site(tmp_path, seeds, CACHE_PATH=str(cache))  # repairs, and cleans up
    assert tree(output) == (with_new if (seeds / "new.txt").exists() else without)
    assert len([p for p in (tmp_path / ".output.releases").iterdir() if p.name.isdigit()]) <= 2

"""kill -9 inside the publish step leaves the whole old site or the whole new one.

Each trial starts a real `pelican` build that changes the site and kills it with
SIGKILL a chosen time after its publish step starts. So that the kills can be
aimed, the build runs with each file operation of the publish step (hard link,
rename, unlink, folder made or removed) slowed by 3 ms, by a wrapper that also
says when the step starts; the step is otherwise the real one. The delays step
through the journal, the sync of the spare release (replaying the last build's
changes, moving the staged files in, removing the dropped ones), the swap and the
journal after it. Trials alternate between two sets of seeds, so each starts from
the site the last one left, and each build brings up the spare a killed one may
have left half-synced: the next build must repair it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

from conftest import FIXTURES, ROOT, SITEURL, build_site, tree

TRIALS = 20
NEW_SEED = " date 2024-06-10 Germany and NATO agreed on a new plan.\n"
WRAPPER = """
import os, sys, time
sys.path.insert(0, "plugins")
from bulletin.publish import publish, sync
started = []
def slowed(operation):
    def slow(*args, **kwargs):
        if started:
            time.sleep(0.003)
        return operation(*args, **kwargs)
    return slow
for name in ("link", "rename", "replace", "unlink", "mkdir", "rmdir"):
    setattr(os, name, slowed(getattr(os, name)))
step = publish.publish
def publishing(*args, **kwargs):
    started.append(print("PUBLISHING", flush=True))
    done = step(*args, **kwargs)
    print("PUBLISHED", flush=True)
    return done
publish.publish = publishing
bring = sync.bring
def syncing(*args, **kwargs):
    print("SYNCING", flush=True)
    return bring(*args, **kwargs)
sync.bring = syncing
from pelican import main
sys.exit(main())
"""


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

    def flip() -> tuple[dict, dict]:
        """Add the seed if the site has none, else remove it: the site before and after."""
        old = tree(output)
        assert old in (without, with_new)
        adding = old == without
        if adding:
            (seeds / "new.txt").write_text(NEW_SEED)
        else:  # gone already if the last removal was killed before its swap
            (seeds / "new.txt").unlink(missing_ok=True)
        return old, with_new if adding else without

    def build(kill_after: float | None) -> float | str:
        """A slowed build, killed kill_after seconds into its publish step; how
        long the step took (unkilled), or what it printed after the step began."""
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
        started = time.monotonic()
        if kill_after is None:
            while (line := process.stdout.readline()) and line != "PUBLISHED\n":
                printed.append(line)
            took = time.monotonic() - started
            assert process.wait() == 0 and line, "".join(printed)
            return took
        time.sleep(kill_after)
        os.kill(process.pid, signal.SIGKILL)
        return process.communicate()[0]

    # the delays step through the publish step as long as it takes here and now
    flip()
    step = 2 * build(None) / TRIALS
    outcomes = []
    for trial in range(TRIALS):
        old, new = flip()
        printed = build(trial * step)
        after = tree(output)
        assert after in (old, new), f"trial {trial}: a mix of old and new"
        outcomes.append("new" if after == new != old else "old")
        if "SYNCING" in printed and outcomes[-1] == "old":
            outcomes[-1] = "old, killed in the sync"
    print(f"{TRIALS} kills: {sorted(outcomes)}")
    # the kills landed inside the sync of the spare, and after the swap
    assert {"old, killed in the sync", "new"} <= set(outcomes)
    # the next builds repair the spare a kill left: each brings it up to date
    # and makes it live, the replaced release staying as it was
    for _ in range(2):
        adding = not (seeds / "new.txt").exists()
        if adding:
            (seeds / "new.txt").write_text(NEW_SEED)
        else:
            (seeds / "new.txt").unlink()
        before = tree(output)
        replaced = output.parent / os.readlink(output)
        build_site(tmp_path, seeds, CACHE_PATH=str(cache))
        assert tree(output) == (with_new if adding else without)
        assert tree(replaced) == before
    numbered = [p for p in (tmp_path / ".output.releases").iterdir() if p.name.isdigit()]
    assert len(numbered) == 2

"""The tagger's speed at two commits, measured in turns (the machine's speed drifts
between minutes and days, so only runs made side by side compare): each run a fresh
process on one core tags the first 1,000 Reuters texts one per call (`Tagger.tag`, as
`make eval`'s one-core line) or 32 a call (`--batch`, as a build), after 20 of warm-up,
and prints texts per CPU second; then the medians.

    python bench/tagger_turns.py eff5ef4 HEAD --runs 10 --corpora ../shared/corpora
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run in the commit's own plugin folder, with this checkout's virtualenv.
TIMING = """
import gzip, json, os, sys, time
os.sched_setaffinity(0, {0})
from bulletin.tagging.tagger import Tagger
corpora, batch = sys.argv[1], int(sys.argv[2])
path = os.path.join(corpora, "reuters21578-train.jsonl.gz")
texts = [json.loads(line)["body"] for line in gzip.open(path, "rt")][:1000]
tagger = Tagger()
tagger.tag_many(texts[:20])
start = time.process_time()
if batch:
    for first in range(0, len(texts), batch):
        tagger.tag_many(texts[first : first + batch])
else:
    for text in texts:
        tagger.tag(text)
print(len(texts) / (time.process_time() - start))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revisions", nargs=2, help="two commits (or HEAD)")
    parser.add_argument("--runs", type=int, default=10, help="runs of each, in turns")
    parser.add_argument("--batch", action="store_true", help="32 texts a call, as a build")
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    args = parser.parse_args()
    rates: dict[str, list[float]] = {rev: [] for rev in args.revisions}
    with tempfile.TemporaryDirectory(prefix="tagger-turns-") as scratch:
        trees = {}
        for rev in args.revisions:
            trees[rev] = Path(scratch) / rev.replace("/", "_")
            git = ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach"]
            subprocess.run([*git, str(trees[rev]), rev], check=True)
        try:
            for _ in range(args.runs):
                for rev, tree in trees.items():
                    env = os.environ | {"PYTHONPATH": str(tree / "plugins")}
                    command = [sys.executable, "-c", TIMING, str(args.corpora.resolve())]
                    command.append("32" if args.batch else "0")
                    out = subprocess.run(command, env=env, check=True, capture_output=True)
                    rates[rev].append(float(out.stdout))
        finally:
            for tree in trees.values():
                remove = ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)]
                subprocess.run(remove, check=False)
    way = "32 a call" if args.batch else "one per call"
    print(f"Texts per CPU second, {way}, one core, {args.runs} runs each in turns:")
    for rev, figures in rates.items():
        spread = ", ".join(f"{rate:.0f}" for rate in figures)
        print(f"  {rev:>12}: median {statistics.median(figures):6.1f}   ({spread})")


if __name__ == "__main__":
    main()

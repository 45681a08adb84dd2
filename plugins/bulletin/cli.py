"""`bulletin tag PATH...`: what each seed will be tagged with, as JSON Lines."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .posts.posts import scan
from .seeds.seeds import SeedError, read_seed
from .tagging import EditorialError, Tagger, load_tagger


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bulletin", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    tag = commands.add_parser("tag", help="print the tags of seed files as JSON Lines")
    tag.add_argument("paths", nargs="+", type=Path, help="seed files or folders of seeds")
    tag.add_argument(
        "--entities",
        type=Path,
        default=Path("content/entities.yml"),
        help="the editorial file (default: content/entities.yml, if it exists)",
    )
    args = parser.parse_args(argv)
    try:
        tagger = load_tagger(args.entities)
    except EditorialError as error:  # nothing is tagged without the editor's rules
        print(f"bulletin tag: {error}", file=sys.stderr)
        return 2

    failed = False
    for path, problem in _expand(args.paths):
        record = {"file": str(path), "error": problem} if problem else tag_record(path, tagger)
        failed |= "error" in record
        print(json.dumps(record, ensure_ascii=False), flush=True)
    return 1 if failed else 0


def tag_record(path: Path, tagger: Tagger) -> dict:
    """The JSON object for one seed: its metadata and tags, or its error."""
    try:
        seed = read_seed(path)
    except (SeedError, OSError) as error:
        return {"file": str(path), "error": str(error)}
    record = {
        "file": str(path),
        "date": seed.date.date().isoformat(),
        "title": seed.title,
        "slug": seed.slug,
    }
    return record | tagger.tag(seed.text).as_json()


def _expand(paths: list[Path]):
    for path in paths:
        yield from scan(path) if path.is_dir() else [(path, None)]


if __name__ == "__main__":
    sys.exit(main())

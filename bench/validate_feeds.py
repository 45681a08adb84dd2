"""Validate every feed of a built site with the W3C Feed Validation Service's code.

    python bench/validate_feeds.py OUTPUT_DIR --validator PATH [--siteurl URL] [--jobs N]

PATH is a local copy of the w3c/feedvalidator repository (its root or its src/); it
needs html5lib (`pip install -c constraints.txt -e '.[bench]'`). Each RSS, Atom and OPML
file goes through `feedvalidator.validateStream` at the service's "AA" level (errors and
warnings), with the file's public URL (SITEURL + path) as its location, so a self link
that does not match is reported; RSS and Atom must also parse with feedparser (bozo 0).
JSON Feeds are parsed and their required fields checked.
The network is switched off for the validator. Prints a summary; exits 1 on any finding
not named by --accept.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser

JSONFEED_VERSION = "https://jsonfeed.org/version/1.1"
XML_KINDS = {2: "RSS 2.0", 3: "Atom 1.0", 9: "OPML"}  # feedvalidator.logging.TYPE_*


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="the built site (Pelican's output folder)")
    parser.add_argument("--validator", type=Path, required=True, help="feedvalidator copy")
    parser.add_argument("--siteurl", default="http://localhost:8000", help="SITEURL of the build")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--accept", default="", help="comma-separated finding names to accept")
    parser.add_argument("--examples", type=int, default=3, help="examples shown per finding")
    args = parser.parse_args(argv)

    source = args.validator / "src" if (args.validator / "src").is_dir() else args.validator
    xml_files = sorted([*args.output.rglob("*.xml"), *args.output.rglob("*.opml")])
    json_files = sorted(args.output.rglob("*.json"))
    siteurl = args.siteurl.rstrip("/")
    jobs = [
        (str(path), f"{siteurl}/{path.relative_to(args.output).as_posix()}") for path in xml_files
    ]
    started = time.perf_counter()
    with ProcessPoolExecutor(args.jobs, initializer=_setup, initargs=(str(source),)) as pool:
        results = list(pool.map(_validate_xml, jobs, chunksize=16))
    for path in json_files:
        url = f"{siteurl}/{path.relative_to(args.output).as_posix()}"
        results.append((str(path), "JSON Feed 1.1", check_json_feed(path.read_bytes(), url)))
    seconds = time.perf_counter() - started
    accepted = {name for name in args.accept.split(",") if name}
    return report(results, args.output, seconds, accepted, args.examples)


def _setup(source: str) -> None:
    """In each worker: no network at all, and the validator importable."""

    def offline(*args, **kwargs):
        raise OSError("network access is disabled while validating")

    socket.socket.connect = offline
    socket.create_connection = offline
    socket.getaddrinfo = offline
    socket.gethostbyname = offline
    sys.path.insert(0, source)


def _validate_xml(job: tuple[str, str]):
    """(path, kind, [(severity, name, message)]) of one XML file."""
    import feedvalidator
    from feedvalidator import compatibility
    from feedvalidator.formatter.text_plain import Formatter
    from feedvalidator.logging import Error

    path, url = job
    try:
        with open(path, "rb") as stream:
            result = feedvalidator.validateStream(stream, base=url)
    except feedvalidator.logging.ValidationFailure as failure:
        result = {"feedType": 0, "loggedEvents": [failure.event]}
    events = compatibility.AA(result["loggedEvents"])
    messages = list(Formatter(events))
    findings = [
        ("error" if isinstance(event, Error) else "warning", type(event).__name__, message)
        for event, message in zip(events, messages, strict=True)
    ]
    kind = XML_KINDS.get(result.get("feedType"), "not a feed")
    if kind != "OPML":
        with open(path, "rb") as stream:
            parsed = feedparser.parse(stream.read())
        if parsed.bozo:
            findings.append(("error", "FeedparserBozo", str(parsed.get("bozo_exception"))))
    return path, kind, findings


def check_json_feed(data: bytes, url: str) -> list[tuple[str, str, str]]:
    """JSON Feed 1.1's required fields and formats, and feed_url equal to the location."""
    try:
        feed = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return [("error", "NotJSON", str(error))]
    problems = []

    def need(condition, name, message):
        if not condition:
            problems.append(("error", name, message))

    need(isinstance(feed, dict), "NotAnObject", "the top level is not an object")
    if problems:
        return problems
    need(feed.get("version") == JSONFEED_VERSION, "BadVersion", f"version {feed.get('version')!r}")
    need(_text(feed.get("title")), "MissingTitle", "no title")
    need(
        feed.get("feed_url") == url, "SelfDoesntMatchLocation", f"feed_url {feed.get('feed_url')!r}"
    )
    need(_absolute(feed.get("home_page_url")), "BadHomePage", "home_page_url not absolute")
    items = feed.get("items")
    need(isinstance(items, list), "MissingItems", "items is not a list")
    ids = Counter()
    for number, item in enumerate(items if isinstance(items, list) else [], 1):
        where = f"item {number}"
        need(isinstance(item, dict) and _text(item.get("id")), "MissingId", f"{where}: no id")
        if not isinstance(item, dict):
            continue
        ids[item.get("id")] += 1
        need(
            _text(item.get("content_html")) or _text(item.get("content_text")),
            "MissingContent",
            f"{where}: neither content_html nor content_text",
        )
        need(_absolute(item.get("url")), "BadItemUrl", f"{where}: url not absolute")
        need(_rfc3339(item.get("date_published")), "BadDate", f"{where}: date_published")
        tags = item.get("tags", [])
        need(isinstance(tags, list) and all(map(_text, tags)), "BadTags", f"{where}: tags")
    need(all(n == 1 for n in ids.values()), "DuplicateIds", "an id occurs twice")
    return problems


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _absolute(value) -> bool:
    return isinstance(value, str) and urlsplit(value).scheme in ("http", "https")


def _rfc3339(value) -> bool:
    try:
        return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def report(results, output: Path, seconds: float, accepted: set, examples: int) -> int:
    files, clean = Counter(), Counter()
    found = defaultdict(list)  # (severity, name) → [(path, message)]
    for path, kind, findings in results:
        files[kind] += 1
        clean[kind] += not findings
        for severity, name, message in findings:
            found[severity, name].append((Path(path).relative_to(output), message))
    total = sum(files.values())
    print(f"Validated {total} files under {output} in {seconds:.1f} s (feedvalidator, level AA)")
    for kind in sorted(files):
        print(f"  {kind:14} {files[kind]:6} files, {clean[kind]:6} without errors or warnings")
    if not found:
        print("No errors or warnings.")
        return 0
    print("Findings:")
    for (severity, name), where in sorted(found.items(), key=lambda kv: -len(kv[1])):
        mark = " (accepted)" if name in accepted else ""
        affected = len({path for path, _ in where})
        print(f"  {severity} {name}{mark}: {len(where)} in {affected} files")
        for path, message in where[:examples]:
            print(f"      {path}: {message}")
    return int(any(name not in accepted for _, name in found))


if __name__ == "__main__":
    sys.exit(main())

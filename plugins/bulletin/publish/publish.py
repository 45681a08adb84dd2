"""Safe output: every build writes its new and changed files into a staging folder
of its own, and only once it has succeeded does the new site go live, all at
once (releases.py: OUTPUT_PATH is a symbolic link swapped by one rename, between
two release folders used in turn; sync.py brings the spare one up to the new
build), under a lock that keeps other builds of the same output waiting
(lock.py). A build that fails or is killed leaves the live site as it was. Files
whose bytes did not change are hard links to the live ones (same inode and
mtime), so a deploy sees only real changes.

Pages and feeds are written with put(): a file whose bytes have the digest the
manifest of the last build gives it, and that output/ still holds as published
(same size and mtime), is not written at all, only kept. The manifest is kept
under CACHE_PATH/bulletin-output/, one store file (store.py, with its checksum)
per output folder.

A build with nothing changed since the last successful one does not start at
all (uptodate.py, asked under the lock before anything else).

Pages whose inputs did not change are not even rendered: render_once() skips a
render whose key (a digest of what the page shows, see pagekeys.py) is the one
the last build recorded for it, of the same site version, while output/ still
holds the files it wrote.

Pelican's settings: DELETE_OUTPUT_DIRECTORY decides whether files of earlier builds
that this one did not write are dropped (True) or kept (False); top-level entries
named in OUTPUT_RETENTION (".git", "CNAME") are always kept. With an OUTPUT_PATH
holding the sources, or one whose parent folder is read-only, Pelican writes straight
into output/ and nothing is removed.
"""

from __future__ import annotations

import contextlib
import filecmp
import hashlib
import os
import pickle
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from blinker import signal

from ..logs import every_time_logger, status
from ..settings import seeds_path
from ..store import Store
from . import releases, sync, uptodate
from .lock import OutputLock

logger = every_time_logger(__name__)
# Sent with the folder of a finished build just before it goes live (e.g. to
# index it). Files there may be hard links shared with the live site: replace
# them (write a new file, rename it over), never write into them.
before_swap = signal("bulletin_before_swap")
# Sent with the Pelican instance when a build starts, once the up-to-date check
# found something changed (a run with nothing changed sends nothing): the plugin
# imports and wires the build's handlers then (__init__.py). With it, as
# newest_seed_change, the newest ctime (ns) of a file of the seeds folder, and as
# seeds_listed, the stamps of its files (uptodate.Listed), as the check found them
# (None for a build without the check, or when the check could not stamp its
# inputs: the devserver's).
build_starts = signal("bulletin_build_starts")
# Sent with the Pelican instance when a build that started has ended, built or not.
build_ends = signal("bulletin_build_ends")


@dataclass
class Changes:
    """What a build changed in output/, file by file."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: int = 0  # stale, kept because DELETE_OUTPUT_DIRECTORY is False

    def line(self, output: Path) -> str:
        kept = f", {self.kept} from earlier builds kept" if self.kept else ""
        return (
            f"{output}: {self.new + self.changed} files written ({self.new} new, "
            f"{self.changed} changed), {self.unchanged} unchanged, {self.removed} removed{kept}"
        )


MANIFEST_DIR = "bulletin-output"
Stamp = tuple[int, int]  # size and mtime (ns) of a regular file
Render = tuple[bytes, tuple[str, ...]]  # a render's key, and the files it wrote


@dataclass
class Manifest:
    """What the last build published: each file's stamp and digest, and each
    render's key and files, for one version of the site."""

    files: dict[str, tuple[Stamp, bytes]] = field(default_factory=dict)
    renders: dict[str, Render] = field(default_factory=dict)
    version: bytes = b""


@dataclass
class Ledger:
    """The files of the build under way: written to staging, or kept (output/
    holds their bytes, as the manifest of the last build says)."""

    staging: Path
    output: Path
    manifest: Manifest
    written: dict[str, bytes] = field(default_factory=dict)  # file → digest
    kept: set[str] = field(default_factory=set)
    rendered: dict[str, Render] = field(default_factory=dict)
    reused: int = 0  # renders skipped
    version: bytes = b""
    collected: list[str] | None = None  # the files put by the render under way

    def put(self, name: str, data: bytes) -> None:
        if self.collected is not None:
            self.collected.append(name)
        digest = hashlib.blake2b(data, digest_size=16).digest()
        if self.manifest.files.get(name, (None, None))[1] == digest and self._published(name):
            self.kept.add(name)
            return
        _write(os.path.join(self.staging, name), data)
        self.written[name] = digest

    def _published(self, name: str) -> bool:
        """Whether output/ holds the file as the last build published it."""
        known = self.manifest.files.get(name)
        return known is not None and _stamp(os.path.join(self.output, name)) == known[0]

    def reusable(self, render: str, key: bytes) -> bool:
        """Whether the last build made the files of render with this key (for
        this site version) and output/ holds them all as published."""
        if not self.version or self.version != self.manifest.version:
            return False  # no site version known, or another one: render everything
        last = self.manifest.renders.get(render)
        return last is not None and last[0] == key and all(map(self._published, last[1]))

    def keep(self, render: str) -> None:
        """Keep the files of a reusable render of the last build."""
        last = self.manifest.renders[render]
        self.kept.update(last[1])
        self.rendered[render] = last
        self.reused += 1

    def reuse(self, render: str, key: bytes) -> bool:
        """Keep the files of a render of the last build with this key, if
        output/ holds them all as published."""
        if not self.reusable(render, key):
            return False
        self.keep(render)
        return True


_ledger: Ledger | None = None


def put(path: Path, data: bytes) -> None:
    """Write a file of the build (unless output/ already holds these bytes there)."""
    path = os.path.normpath(path)
    prefix = f"{_ledger.staging}{os.sep}" if _ledger is not None else None
    if prefix and path.startswith(prefix):
        _ledger.put(path[len(prefix) :].replace(os.sep, "/"), data)
    else:
        _write(path, data)


def set_version(version: bytes) -> None:
    """The version of the site (code, theme, settings) the renders are of: the
    renders of the last build are reused only if it had the same."""
    if _ledger is not None:
        _ledger.version = version


def render_once(render: str, key: bytes | None, make: Callable[[], object]) -> None:
    """make() the files of a render (through put), unless the last build made
    them from the same key and output/ still holds them; render names the render
    (the path of its first file), key digests everything its files show."""
    if _ledger is None or key is None:
        make()
        return
    if _ledger.reuse(render, key):
        return
    _ledger.collected = []
    try:
        make()
        _ledger.rendered[render] = (key, tuple(_ledger.collected))
    finally:
        _ledger.collected = None


def reuse_all(renders: list[tuple[str, bytes]]) -> bool:
    """Keep the files of every one of these renders of the last build (render,
    key), as render_once would, if each is reusable; else keep none of them and
    return False (the caller makes them all)."""
    if _ledger is None or not all(_ledger.reusable(render, key) for render, key in renders):
        return False
    for render, _ in renders:
        _ledger.keep(render)
    return True


def rendered() -> dict[str, Render]:
    """The renders of the build under way (each one's key and files), in every
    output process once they are done (take_over); empty when nothing is staged."""
    return _ledger.rendered if _ledger is not None else {}


def hand_over(index: int) -> None:
    """In a forked output process (parallel.py): leave its part of the ledger."""
    if _ledger is not None:
        share = _ledger.staging / f".share-{index}.pickle"
        logged = uptodate.logged_here()
        parts = (_ledger.written, _ledger.kept, _ledger.rendered, _ledger.reused, logged)
        share.write_bytes(pickle.dumps(parts))


def take_over(count: int) -> None:
    """In the first process, once the others are done: add their parts."""
    if _ledger is not None:
        for index in range(1, count):
            share = _ledger.staging / f".share-{index}.pickle"
            written, kept, rendered, reused, logged = pickle.loads(share.read_bytes())
            share.unlink()
            uptodate.add_logged(logged)
            _ledger.written |= written
            _ledger.kept |= kept
            _ledger.rendered |= rendered
            _ledger.reused += reused


_folders: set[str] = set()  # made by this build (so a file's folders are made once)


def _write(path: str, data: bytes) -> None:
    folder = os.path.dirname(path)
    if folder not in _folders:
        os.makedirs(folder, exist_ok=True)
        _folders.add(folder)
    with open(path, "wb") as file:
        file.write(data)


def _stamp(path: Path | str) -> Stamp | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns) if stat.S_ISREG(info.st_mode) else None


def stage_builds(pelican) -> None:
    """Make every run of this Pelican instance build into a release folder of its
    own, published all at once (see the module's docstring), unless nothing
    changed since the last build (uptodate.py)."""
    build = pelican.run
    pelican.delete_outputdir = False  # publish drops stale files; straight builds none

    def run() -> None:
        settings, original = pelican.settings, pelican.output_path
        _folders.clear()
        output = _absolute(settings["OUTPUT_PATH"])
        releases.check(output, settings, seeds_path(settings))
        if reason := _straight_reason(output, settings):
            logger.info("Building straight into %s, removing nothing: %s", output, reason)
            with _started(pelican, None):
                return build()
        with OutputLock(output, settings["OUTPUT_LOCK_WAIT"]):
            manifest_store = _manifest_store(settings, output)
            check = uptodate.Check(settings, output, pelican.plugins, _output_key(output))
            if check.up_to_date():
                check.report()
                return
            check.forget()
            with _started(pelican, check.inputs):
                staging, spare = releases.start(output)
                live = releases.current(output)
                global _ledger
                _ledger = Ledger(staging, output, _load(manifest_store))
                pelican.output_path = str(staging)
                try:
                    with uptodate.Logged() as logged:
                        build()
                    ledger = _ledger
                    changes, manifest = publish(staging, live, output, settings, ledger, spare)
                except BaseException as error:
                    releases.remove(staging)  # a spare half brought up is repaired next time
                    with contextlib.suppress(OSError):  # made by this build, and empty
                        releases.folder(output).rmdir()
                    stopped = isinstance(error, KeyboardInterrupt)  # Ctrl-C
                    status(f"Build {'stopped' if stopped else 'failed'}: {output} left as it was")
                    raise
                finally:
                    pelican.output_path = original
                    _ledger = None
                _save(manifest_store, manifest)
                check.record(logged.messages(), complete=uptodate.shows_warnings())
        made = len(ledger.rendered) - ledger.reused
        logger.info("Pages and feeds: %d rendered, %d unchanged", made, ledger.reused)
        status(changes.line(output))

    pelican.run = run


@contextlib.contextmanager
def _started(pelican, inputs: uptodate.Inputs | None):
    """build_starts, then build_ends however the build ends."""
    try:
        if inputs is None:
            build_starts.send(pelican, newest_seed_change=None, seeds_listed=None)
        else:
            listed, inputs.seeds_listed = inputs.seeds_listed, None  # handed over, not kept
            build_starts.send(
                pelican, newest_seed_change=inputs.newest_seed_change, seeds_listed=listed
            )
        yield
    finally:
        build_ends.send(pelican)


def _absolute(path: str) -> Path:
    """path made absolute, its folders resolved but not its last part (a link
    this module replaces)."""
    path = Path(path).expanduser().absolute()
    return Path(os.path.realpath(path.parent), path.name)


def publish(
    staging: Path,
    live: Path | None,
    output: Path,
    settings,
    ledger: Ledger,
    spare: releases.Spare | None = None,
):
    """Bring the spare release up to the build in staging (sync.py) and make it
    the live one; return the changes and the new manifest. Nothing changed: the
    live release stays, and staging is removed."""
    changes = Changes()
    staged = _files(staging)
    old, unknown = _live_files(live, ledger, settings)
    manifest = _kept(ledger)
    changes.unchanged = len(ledger.kept)
    same = []
    for name in sorted(staged):
        if name in old and _same(staging / name, live / name):
            same.append(name)
        else:
            changes.changed += name in old
            changes.new += name not in old
    changes.unchanged += len(same)
    retention = list(settings["OUTPUT_RETENTION"])
    carried, removed = [], []
    for name in sorted((old - ledger.kept).difference(staged)):
        if name.split("/", 1)[0] in retention:
            carried.append(name)
        elif not settings["DELETE_OUTPUT_DIRECTORY"]:
            changes.kept += 1
            carried.append(name)
        else:
            removed.append(name)
    changes.removed = len(removed)
    if live is not None and not (changes.new or changes.changed or changes.removed):
        releases.remove(staging)  # nothing to publish
        return changes, _manifest(manifest | _stamped(live, [*same, *carried], ledger), ledger)
    fresh = staged.difference(same)
    # where the new release differs from the live one: written, removed, and
    # files the manifest of the last build did not know (or knew but are gone)
    touched = fresh | set(removed) | unknown
    plan = sync.Plan(fresh, ledger.kept, staged.union(carried), touched, retention)
    replaced = releases.folder_id(live) if live is not None else None
    release = sync.prepare(output, staging, live, spare, plan)
    releases.remove(staging)  # what is left: files the live release holds already
    # every file of the release; those not put() (static files, carried) with no digest
    manifest |= _stamped(release, [*staged, *carried], ledger)
    before_swap.send(release)
    releases.swap(output, release)
    if replaced is not None:  # now the spare: it differs from the live one in touched only
        releases.record(output, releases.folder_id(release), replaced, touched, needed=False)
    return changes, _manifest(manifest, ledger)


def _live_files(live: Path | None, ledger: Ledger, settings):
    """The files of the live release: those the manifest lists, and those of
    the retained entries (walking a site of 100,000 pages takes seconds); all
    found by walking it when there is no manifest or stale files are kept. And
    those the manifest does not know or knows wrongly (found by a walk only)."""
    known = ledger.manifest.files.keys()
    if live is None:
        return set(), set()
    if not known or not settings["DELETE_OUTPUT_DIRECTORY"]:
        found = _files(live)
        return found, found ^ known
    retained = set()
    for entry in settings["OUTPUT_RETENTION"]:
        path = live / entry
        if path.is_dir() and not path.is_symlink():
            retained |= {f"{entry}/{name}" for name in _files(path)}
        elif path.is_symlink() or path.exists():
            retained.add(entry)
    return (known | retained if retained else known), set()


def _kept(ledger: Ledger) -> dict[str, tuple[Stamp, bytes]]:
    """The manifest's entries of the files kept (most of them, usually: a copy
    less the others is the cheaper way there)."""
    files = ledger.manifest.files
    if len(ledger.kept) * 2 < len(files):
        return {name: files[name] for name in ledger.kept}
    kept = files.copy()
    for name in files.keys() - ledger.kept:
        del kept[name]
    return kept


def _stamped(live: Path, names, ledger: Ledger) -> dict:
    return {name: (_stamp(live / name), ledger.written.get(name, b"")) for name in names}


def _manifest(files: dict[str, tuple[Stamp, bytes]], ledger: Ledger) -> Manifest:
    """The manifest of this build: its files, and the renders whose files it has."""
    renders = {
        render: made
        for render, made in ledger.rendered.items()
        if all(name in files for name in made[1])
    }
    return Manifest(files, renders, ledger.version)


def _manifest_store(settings, output: Path) -> Store:
    """The store of the manifest of output (one file per output path)."""
    return Store(Path(settings["CACHE_PATH"], MANIFEST_DIR), _output_key(output), drop_others=False)


def _output_key(output: Path) -> str:
    return hashlib.sha256(os.fsencode(output)).hexdigest()[:16]


def _load(store: Store) -> Manifest:
    """The manifest of the last build; an empty one if missing or damaged (every
    page rendered, every file compared)."""
    manifest = store.load(keep=False).get("manifest")  # saved anew: no bytes kept
    return manifest if isinstance(manifest, Manifest) else Manifest()


def _save(store: Store, manifest: Manifest) -> None:
    store.save({"manifest": manifest})


def _straight_reason(output: Path, settings) -> str | None:
    """Why this build must go straight into output/, or None."""
    parent = next(folder for folder in output.parents if folder.exists())
    if not os.access(parent, os.W_OK):
        return f"no staging folder can be made in {parent}"
    sources = [settings.get(key) for key in ("PATH", "THEME", "SEEDS_PATH", "CACHE_PATH")] + [
        *settings.get("PLUGIN_PATHS", []),
        os.getcwd(),
    ]
    for source in filter(None, sources):
        if Path(os.path.realpath(source)).is_relative_to(output):
            return f"it holds {source}, which a sync could remove"
    return None


_files = sync.files


def _same(new: Path, old: Path) -> bool:
    return old.is_file() and not old.is_symlink() and filecmp.cmp(new, old, shallow=False)

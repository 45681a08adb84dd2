"""Safe output: every build is written to a staging folder next to OUTPUT_PATH, and
only once it has succeeded are its new and changed files moved into output/ and
stale ones removed. A build that fails part-way leaves output/ as it was; files
whose bytes did not change are not touched (same inode and mtime), so a deploy
sees only real changes.

Pages and feeds are written with put(): a file whose bytes have the digest the
manifest of the last build gives it, and that output/ still holds as published
(same size and mtime), is not written at all. The manifest is kept under
CACHE_PATH/bulletin-output/, one per output folder. Staging keeps its folders
between builds (making tens of thousands of folders anew takes seconds).

Pages whose inputs did not change are not even rendered: render_once() skips a
render whose key (a digest of what the page shows, see pagekeys.py) is the one
the last build recorded for it, of the same site version, while output/ still
holds the files it wrote.

Pelican's settings: DELETE_OUTPUT_DIRECTORY decides whether files of earlier builds
that this one did not write are removed (True) or kept (False); top-level entries
named in OUTPUT_RETENTION (".git", "CNAME") are never removed. With an OUTPUT_PATH
holding the sources, or one whose parent folder is read-only, Pelican writes straight
into output/ and nothing is removed.
"""

from __future__ import annotations

import contextlib
import filecmp
import hashlib
import os
import pickle
import shutil
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .logs import every_time_logger, status

logger = every_time_logger(__name__)


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

    def reuse(self, render: str, key: bytes) -> bool:
        """Keep the files of a render of the last build with this key, if
        output/ holds them all as published."""
        last = self.manifest.renders.get(render)
        if not self.version or self.version != self.manifest.version:
            return False  # no site version known, or another one: render everything
        if last is None or last[0] != key:
            return False
        if not all(map(self._published, last[1])):
            return False
        self.kept.update(last[1])
        self.rendered[render] = last
        self.reused += 1
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


def hand_over(index: int) -> None:
    """In a forked output process (parallel.py): leave its part of the ledger."""
    if _ledger is not None:
        share = _ledger.staging / f".share-{index}.pickle"
        parts = (_ledger.written, _ledger.kept, _ledger.rendered, _ledger.reused)
        share.write_bytes(pickle.dumps(parts))


def take_over(count: int) -> None:
    """In the first process, once the others are done: add their parts."""
    if _ledger is not None:
        for index in range(1, count):
            share = _ledger.staging / f".share-{index}.pickle"
            written, kept, rendered, reused = pickle.loads(share.read_bytes())
            share.unlink()
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
    """Make every run of this Pelican instance build into a staging folder."""
    build = pelican.run
    pelican.delete_outputdir = False  # the sync removes stale files; straight builds none

    def run() -> None:
        settings, original = pelican.settings, pelican.output_path
        _folders.clear()
        output = Path(os.path.realpath(settings["OUTPUT_PATH"]))
        if reason := _straight_reason(output, settings):
            logger.info("Building straight into %s, removing nothing: %s", output, reason)
            return build()
        staging = output.with_name(f".{output.name}.staging")
        if settings.get("STATIC_CHECK_IF_MODIFIED") or settings.get("STATIC_CREATE_LINKS"):
            _empty(staging)  # static files Pelican does not copy again would look stale
        fresh = not staging.exists()
        started = _clock(staging)
        manifest_file = _manifest_file(settings, output)
        global _ledger
        _ledger = Ledger(staging, output, _load(manifest_file))
        pelican.output_path = str(staging)
        try:
            build()
        except BaseException:
            _remove(staging)  # the next build starts afresh
            status(f"Build failed: {output} left as it was")
            raise
        finally:
            pelican.output_path = original
            ledger, _ledger = _ledger, None
        changes, manifest = sync(staging, output, settings, started, ledger, fresh)
        _save(manifest_file, manifest)
        made = len(ledger.rendered) - ledger.reused
        logger.info("Pages and feeds: %d rendered, %d unchanged", made, ledger.reused)
        status(changes.line(output))

    pelican.run = run


def sync(staging: Path, output: Path, settings, started: int, ledger: Ledger, fresh: bool):
    """Move new and changed files from staging into output/ and remove stale ones
    (see the module's docstring); return the changes and the new manifest.

    Files in staging that this build did not write (ctime before ``started``)
    are left from killed builds: they are removed, never published. A first
    build (staging made by this build, no output/ or an empty one) is moved
    into place at once."""
    changes = Changes()
    staged = _written_since(staging, started)
    if fresh and _is_empty_folder(output):
        with contextlib.suppress(FileNotFoundError):
            output.rmdir()
        output.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging, output)
        changes.new = len(staged)
        files = {n: (_stamp(output / n), d) for n, d in ledger.written.items() if n in staged}
        return changes, _manifest(files, ledger)
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        output.unlink()
    output.mkdir(parents=True, exist_ok=True)
    old = _files(output)
    manifest = {name: ledger.manifest.files[name] for name in ledger.kept}
    changes.unchanged = len(ledger.kept)
    placed = set()
    for name in sorted(staged):
        target = output / name
        if name in old and _same(staging / name, target):
            changes.unchanged += 1
        else:
            changes.changed += name in old
            changes.new += name not in old
            _clear_way(output, target, placed)
            os.replace(staging / name, target)
        if name in ledger.written:
            manifest[name] = (_stamp(target), ledger.written[name])
    built = staged | ledger.kept
    retained, removed = set(settings["OUTPUT_RETENTION"]), []
    for name in sorted(old - built):
        target = output / name
        if name.split("/", 1)[0] in retained or (target.is_dir() and not target.is_symlink()):
            continue  # retained, or now a folder of this build
        if not settings["DELETE_OUTPUT_DIRECTORY"]:
            changes.kept += 1
        elif target.is_symlink() or target.exists():
            target.unlink()
            removed.append(name)
    changes.removed = len(removed)
    _prune(output, removed)
    return changes, _manifest(manifest, ledger)


def _manifest(files: dict[str, tuple[Stamp, bytes]], ledger: Ledger) -> Manifest:
    """The manifest of this build: its files, and the renders whose files it has."""
    renders = {
        render: made
        for render, made in ledger.rendered.items()
        if all(name in files for name in made[1])
    }
    return Manifest(files, renders, ledger.version)


def _manifest_file(settings, output: Path) -> Path:
    key = hashlib.sha256(os.fsencode(output)).hexdigest()[:16]
    return Path(settings["CACHE_PATH"], MANIFEST_DIR, f"{key}.pickle")


def _load(path: Path) -> Manifest:
    try:
        with path.open("rb") as file:
            manifest = pickle.load(file)
        return manifest if isinstance(manifest, Manifest) else Manifest()
    except Exception:  # missing, damaged or older: every page rendered, every file compared
        return Manifest()


def _save(path: Path, manifest: Manifest) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(pickle.dumps(manifest, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
    except OSError as error:
        logger.warning("Output manifest %s not saved: %s", path, error)


def _clock(staging: Path) -> int:
    """A time (ns) after the ctime of every file already in staging and not after
    that of any file written from now on: the file system's clock once it has
    ticked (it is coarse), read from files made and removed in staging or its
    nearest existing parent."""
    folder = next(f for f in (staging, *staging.parents) if f.is_dir())

    def now() -> int:
        with tempfile.TemporaryFile(dir=folder) as marker:
            return os.fstat(marker.fileno()).st_ctime_ns

    first = now()
    while (later := now()) == first:
        time.sleep(0.001)
    return later


def _written_since(staging: Path, started: int) -> set[str]:
    """The files under staging written since ``started``; the others are removed."""
    written = set()
    for name in _files(staging):
        path = staging / name
        if path.lstat().st_ctime_ns >= started:
            written.add(name)
        else:
            path.unlink()
    return written


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


def _files(root: Path) -> set[str]:
    """The files and symbolic links under root, as posix paths relative to it."""
    found, folders = set(), [("", os.fspath(root))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append((name + "/", entry.path))
                else:
                    found.add(name)
    return found


def _is_empty_folder(path: Path) -> bool:
    """Whether path is missing, or a real folder holding nothing."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        return False
    if not path.exists():
        return True
    with os.scandir(path) as entries:
        return next(entries, None) is None


def _same(new: Path, old: Path) -> bool:
    return old.is_file() and not old.is_symlink() and filecmp.cmp(new, old, shallow=False)


def _clear_way(output: Path, target: Path, placed: set[Path]) -> None:
    """Make target's folders real folders inside output/: a stale file or a symbolic
    link in the way (which could lead out of output/) is removed, as is a stale
    folder where target goes."""
    for parent in reversed(target.relative_to(output).parents[:-1]):
        folder = output / parent
        if folder not in placed:
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                folder.unlink()
            folder.mkdir(exist_ok=True)
            placed.add(folder)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)


def _prune(output: Path, removed: list[str]) -> None:
    """Remove the folders that removing these files left empty."""
    folders = {folder for name in removed for folder in PurePosixPath(name).parents}
    for folder in sorted(folders - {PurePosixPath()}, key=lambda f: -len(f.parts)):
        with contextlib.suppress(OSError):  # not empty
            (output / folder).rmdir()


def _empty(root: Path) -> None:
    """Remove the files and symbolic links under root, keeping its folders."""
    for name in _files(root):
        (root / name).unlink()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.is_symlink() or path.exists():
        path.unlink()

"""Safe output: every build is written to a staging folder next to OUTPUT_PATH, and
only once it has succeeded are its new and changed files moved into output/ and
stale ones removed. A build that fails part-way leaves output/ as it was; files
whose bytes did not change are not touched (same inode and mtime), so a deploy
sees only real changes.

Pelican's settings: DELETE_OUTPUT_DIRECTORY decides whether files of earlier builds
that this one did not write are removed (True) or kept (False); top-level entries
named in OUTPUT_RETENTION (".git", "CNAME") are never removed. With an OUTPUT_PATH
holding the sources, or one whose parent folder is read-only, Pelican writes straight
into output/ and nothing is removed.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

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


def stage_builds(pelican) -> None:
    """Make every run of this Pelican instance build into a staging folder."""
    build = pelican.run
    pelican.delete_outputdir = False  # the sync removes stale files; straight builds none

    def run() -> None:
        settings, original = pelican.settings, pelican.output_path
        output = Path(os.path.realpath(settings["OUTPUT_PATH"]))
        if reason := _straight_reason(output, settings):
            logger.info("Building straight into %s, removing nothing: %s", output, reason)
            return build()
        staging = output.with_name(f".{output.name}.staging")
        if settings.get("STATIC_CHECK_IF_MODIFIED") or settings.get("STATIC_CREATE_LINKS"):
            _empty(staging)  # static files Pelican does not copy again would look stale
        started = _clock(staging)
        pelican.output_path = str(staging)
        try:
            build()
        except BaseException:
            _remove(staging)  # the next build starts afresh
            status(f"Build failed: {output} left as it was")
            raise
        finally:
            pelican.output_path = original
        status(sync(staging, output, settings, started).line(output))

    pelican.run = run


def sync(staging: Path, output: Path, settings, started: int) -> Changes:
    """Move new and changed files from staging into output/ and remove stale ones
    (see the module's docstring).

    Staging keeps its folders and a copy of every unchanged file: the next build
    overwrites them in place, much faster than making files anew. Files there that
    this build did not write (ctime before ``started``) are left from earlier or
    killed builds: they are removed, never published."""
    changes = Changes()
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        output.unlink()
    output.mkdir(parents=True, exist_ok=True)
    built, old = _written_since(staging, started), _files(output)
    placed = set()
    for name in sorted(built):
        target = output / name
        if name in old and _same(staging / name, target):
            changes.unchanged += 1
            continue
        if name in old:
            changes.changed += 1
        else:
            changes.new += 1
        _clear_way(output, target, placed)
        os.replace(staging / name, target)
    retained = set(settings["OUTPUT_RETENTION"])
    for name in sorted(old - built):
        target = output / name
        if name.split("/", 1)[0] in retained or (target.is_dir() and not target.is_symlink()):
            continue  # retained, or now a folder of this build
        if not settings["DELETE_OUTPUT_DIRECTORY"]:
            changes.kept += 1
        elif target.is_symlink() or target.exists():
            target.unlink()
            changes.removed += 1
    if settings["DELETE_OUTPUT_DIRECTORY"]:
        _prune(output, retained)
    return changes


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
    found = set()
    for parent, folders, files in os.walk(root):
        links = [name for name in folders if Path(parent, name).is_symlink()]
        relative = Path(parent).relative_to(root)
        found.update((relative / name).as_posix() for name in files + links)
    return found


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


def _prune(output: Path, retained: set[str]) -> None:
    """Remove folders left empty under output/, but not retained ones."""
    for parent, _, _ in os.walk(output, topdown=False):
        path = Path(parent)
        inside = path != output and path.relative_to(output).parts[0] not in retained
        if inside and not any(path.iterdir()):
            path.rmdir()


def _empty(root: Path) -> None:
    """Remove the files and symbolic links under root, keeping its folders."""
    for name in _files(root):
        (root / name).unlink()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.is_symlink() or path.exists():
        path.unlink()

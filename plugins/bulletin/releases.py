"""Release folders and the symbolic link that publishes one of them.

OUTPUT_PATH is a symbolic link to a release folder beside it::

    output -> .output.releases/00000042
    .output.releases/00000041/   the release it replaced, for readers still in it
    .output.releases/00000042/   the live site
    .output.lock                 see lock.py

A build writes into a new release folder of its own, hard-links into it the files
of the live release it did not change (same inode and mtime), then publishes it by
renaming a new link over OUTPUT_PATH: one rename(2), so a lookup through
OUTPUT_PATH sees the whole old site or the whole new one, and OUTPUT_PATH is never
missing. Release folders other than the live one and the one before it (older, or
left by a killed build) are renamed out of the way (".gone-…") and removed by a
process of their own, which the build does not wait for.

An OUTPUT_PATH that is a real folder (a site built before releases existed) is
swapped for the link atomically with renameat2(RENAME_EXCHANGE) where Linux has it,
and becomes the previous release.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .logs import every_time_logger

logger = every_time_logger(__name__)
DIGITS = 8
GONE = ".gone-"  # a release folder being removed
_REMOVE = "import shutil, sys\nfor path in sys.argv[1:]: shutil.rmtree(path, ignore_errors=True)"


class OutputPathError(ValueError):
    """An OUTPUT_PATH that a build must not replace."""


def folder(output: Path) -> Path:
    """The folder holding the release folders of output."""
    return output.with_name(f".{output.name}.releases")


def check(output: Path, settings: dict, seeds: Path) -> None:
    """Refuse an output path whose replacement would destroy something else."""
    real = Path(os.path.realpath(output))
    if output.is_symlink() and not _ours(output):
        raise OutputPathError(
            f"OUTPUT_PATH {output} is a symbolic link to {os.readlink(output)}, not a "
            f"release folder in {folder(output)}: refused (remove the link to build there)"
        )
    if output.exists() and not output.is_dir():
        raise OutputPathError(f"OUTPUT_PATH {output} is not a folder but a file: refused")
    dangerous = {Path("/"): "the root folder", Path.home().resolve(): "the home folder"}
    if real in dangerous:
        raise OutputPathError(f"OUTPUT_PATH {output} is {dangerous[real]}: refused")
    if real == seeds:
        raise OutputPathError(f"OUTPUT_PATH {output} is the seeds folder: refused")


def current(output: Path) -> Path | None:
    """The live release: the folder output links to (a release folder), output
    itself if it is a real folder, or None."""
    if output.is_symlink():
        release = output.parent / os.readlink(output)
        return release if _ours(output) and release.is_dir() else None
    return output if output.is_dir() else None


def _ours(output: Path) -> bool:
    """Whether output is a link to a release folder (existing or not)."""
    target = Path(os.readlink(output))
    return target.parent == Path(folder(output).name) and target.name.isdigit()


def start(output: Path) -> Path:
    """Remove the release folders that are neither live nor the one before it,
    and make a new, empty one for this build."""
    releases = folder(output)
    releases.mkdir(parents=True, exist_ok=True)
    live = current(output)
    numbers = sorted(int(p.name) for p in releases.iterdir() if p.name.isdigit())
    live_number = int(live.name) if live is not None and live.parent == releases else None
    previous = max((n for n in numbers if live_number and n < live_number), default=None)
    for number in numbers:
        if number not in (live_number, previous):
            logger.info("Removing release folder %s (not live)", releases / _name(number))
            discard(releases / _name(number))
    discard(*(p for p in releases.iterdir() if p.name.startswith(GONE)))  # left unfinished
    legacy = output.with_name(f".{output.name}.staging")  # of builds before releases
    if legacy.exists() or legacy.is_symlink():
        remove(legacy)
    release = releases / _name(max(numbers, default=0) + 1)
    release.mkdir()
    return release


def publish(output: Path, release: Path) -> None:
    """Make output link to release, in one rename; then remove the releases
    before the one it replaced."""
    releases = folder(output)
    swap = output.with_name(f".{output.name}.swap")
    remove(swap)
    os.symlink(Path(releases.name, release.name), swap)
    if output.is_dir() and not output.is_symlink():
        _adopt(output, swap, releases, release)
    else:
        os.replace(swap, output)
    keep = {release.name, *(p.name for p in _before(releases, release)[-1:])}
    discard(*(old for old in releases.iterdir() if old.name.isdigit() and old.name not in keep))


def _adopt(output: Path, swap: Path, releases: Path, release: Path) -> None:
    """Replace the real folder output by the link swap, keeping the folder as the
    release before this one."""
    previous = releases / _name(int(release.name) - 1)
    remove(previous)
    if _exchange(swap, output):
        os.rename(swap, previous)  # swap now names the old folder
        return
    logger.warning("%s is a folder: replaced by a link, not atomically", output)
    os.rename(output, previous)
    os.replace(swap, output)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False if the
    system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return done == 0


def _before(releases: Path, release: Path) -> list[Path]:
    return sorted(
        (p for p in releases.iterdir() if p.name.isdigit() and int(p.name) < int(release.name)),
        key=lambda p: int(p.name),
    )


def _name(number: int) -> str:
    return f"{number:0{DIGITS}d}"


def discard(*paths: Path) -> None:
    """Remove release folders in a process of their own, so that the build does
    not wait (at 100,000 files that takes seconds): each is first renamed out of
    the way, in one rename; a later build removes any that remain."""
    gone = []
    for path in paths:
        if not path.name.startswith(GONE):
            renamed = path.with_name(f"{GONE}{path.name}-{os.getpid()}")
            os.rename(path, renamed)
            path = renamed
        gone.append(os.fspath(path))
    if gone:
        subprocess.Popen(
            [sys.executable, "-c", _REMOVE, *gone],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # outlives the build; holds none of its files (lock)
        )


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.is_symlink() or path.exists():
        path.unlink()

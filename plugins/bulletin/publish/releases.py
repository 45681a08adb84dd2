"""Release folders, the journal that says how the two of them differ, and the
symbolic link that publishes one of them.

OUTPUT_PATH is a symbolic link to a release folder beside it::

    output -> .output.releases/00000042
    .output.releases/00000041/   the release it replaced (readers may still be in it)
    .output.releases/00000042/   the live site
    .output.releases/journal.store   which two folders these are, and where they may differ
    .output.releases/staging/    the build under way (pages and feeds written there)
    .output.lock                 see lock.py

There are two release folders, used in turn (double-buffered). Files whose bytes
did not change are hard links shared by both (same inode and mtime). A build
writes its new and changed files into the small, fresh staging folder; the
publish step (sync.py) then brings the spare folder, the one that is not live,
up to the new state: it replays the differences the journal records between the
spare and the live folder (the names the last build touched, hard-linking the
live file or removing it), moves the staged files in by rename and removes the
files the build dropped. Its cost follows the files changed in the last two
builds, not the size of the site. The spare folder is then renamed to the next
number and made live by renaming a new link over OUTPUT_PATH: one rename(2), so
a lookup through OUTPUT_PATH sees the whole old site or the whole new one, and
OUTPUT_PATH is never missing. The folder it replaced stays as it is until the
next build that changes something, which makes it the spare.

Nothing ever writes into a file of a release folder: files are placed by rename
or hard link and dropped by unlink, so the live folder, sharing those inodes, is
never touched.

The journal (a store file, store.py: checksummed, written whole and renamed into
place) names the two folders by device and inode (renaming keeps them) and lists
the names in which they may differ. It is written before the spare is touched,
with the names about to be touched added, so that a build killed or failed
halfway leaves a spare the next build repairs by replaying those names too. A
spare the journal does not vouch for (no journal, a damaged one, or a release of
the older layout, where every build made a release of its own) is checked file
by file against the live one, once; with no spare, one is made from staging,
with a hard link for every unchanged file. Other folders (left by killed builds,
or the older layout's) are renamed out of the way (".gone-…") and removed by a
process of their own, which the build does not wait for.

An OUTPUT_PATH that is a real folder (a site built before releases existed) is
swapped for the link atomically with renameat2(RENAME_EXCHANGE) where Linux has it,
and becomes the spare.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..logs import every_time_logger
from ..store import Store

logger = every_time_logger(__name__)
DIGITS = 8
GONE = ".gone-"  # a folder being removed
STAGING = "staging"
JOURNAL = "journal"  # journal.store (store.py)
_TEMPORARY = ".tmp-"  # a journal being written (store.py)
_REMOVE = "import shutil, sys\nfor path in sys.argv[1:]: shutil.rmtree(path, ignore_errors=True)"

FolderId = tuple[int, int]  # device and inode: a folder, whatever its name


class OutputPathError(ValueError):
    """An OUTPUT_PATH that a build must not replace."""


@dataclass
class Spare:
    """The release folder that is not live, to be brought up to the new build.
    dirty: the names in which it may differ from the live folder; None when
    unknown (every file is checked)."""

    path: Path
    dirty: set[str] | None


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


def start(output: Path) -> tuple[Path, Spare | None]:
    """Clear what killed builds left, find the spare release folder and make
    an empty staging folder for this build."""
    releases = folder(output)
    releases.mkdir(parents=True, exist_ok=True)
    live = current(output)
    leftovers = [p for p in releases.iterdir() if p.name == STAGING or p.name.startswith(GONE)]
    for temporary in releases.glob(f"{_TEMPORARY}*"):
        temporary.unlink(missing_ok=True)
    legacy = output.with_name(f".{output.name}.staging")  # of builds before releases
    if legacy.exists() or legacy.is_symlink():
        leftovers.append(legacy)
    spare = _spare(releases, live)
    for release in _numbered(releases):
        if release != live and (spare is None or release != spare.path):
            logger.info("Removing release folder %s (neither live nor spare)", release)
            leftovers.append(release)
    discard(*leftovers)
    staging = releases / STAGING
    staging.mkdir()
    return staging, spare


def _spare(releases: Path, live: Path | None) -> Spare | None:
    """The folder the journal pairs with the live one, with the names where they
    may differ; else the release before the live one, unknown; else None."""
    if live is None or live.parent != releases:
        return None
    numbered = [p for p in _numbered(releases) if p != live]
    journal = _journal(releases).load().get(JOURNAL)
    trees = list(journal.get("trees", ())) if isinstance(journal, dict) else []
    if len(trees) == 2 and folder_id(live) in trees:  # either may be live (killed after the swap)
        trees.remove(folder_id(live))
        for release in numbered:
            if folder_id(release) == trees[0]:
                dirty = journal.get("dirty")
                return Spare(release, None if dirty is None else set(dirty))
    before = [p for p in numbered if int(p.name) < int(live.name)]
    return Spare(before[-1], None) if before else None


def _numbered(releases: Path) -> list[Path]:
    return sorted((p for p in releases.iterdir() if p.name.isdigit()), key=lambda p: int(p.name))


def folder_id(path: Path) -> FolderId:
    info = os.stat(path)
    return (info.st_dev, info.st_ino)


def _journal(releases: Path) -> Store:
    return Store(releases, JOURNAL, drop_others=False)


def record(
    output: Path, live: FolderId, spare: FolderId, dirty: set[str] | None, needed: bool = True
) -> None:
    """Write the journal: the live and spare folders may differ in the names of
    dirty only (None: anywhere, to be checked file by file). Unless needed, a
    journal that cannot be written is only reported (the one before it names
    the same folders, or none: then the next build checks the spare whole)."""
    journal = {"trees": (live, spare), "dirty": None if dirty is None else sorted(dirty)}
    if not _journal(folder(output)).save({JOURNAL: journal}) and needed:
        raise OSError(f"journal of {folder(output)} not written: the spare is left as it was")


def next_release(output: Path) -> Path:
    """The name of the next release folder (numbers only grow)."""
    releases = folder(output)
    return releases / _name(max((int(p.name) for p in _numbered(releases)), default=0) + 1)


def swap(output: Path, release: Path) -> None:
    """Make output link to release, in one rename."""
    releases = folder(output)
    swap = output.with_name(f".{output.name}.swap")
    remove(swap)
    os.symlink(Path(releases.name, release.name), swap)
    if output.is_dir() and not output.is_symlink():
        _adopt(output, swap, releases, release)
    else:
        os.replace(swap, output)


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


def _name(number: int) -> str:
    return f"{number:0{DIGITS}d}"


def discard(*paths: Path) -> None:
    """Remove folders in a process of their own, so that the build does not wait
    (at 100,000 files that takes seconds): each is first renamed out of the
    way, in one rename; a later build removes any that remain."""
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

"""Bring a release folder to the state of a new build, touching only the files
that differ (releases.py describes the folders and the journal).

The new state is a set of file names: the staged ones (written by this build,
moved in by rename) and the others, hard links to the live release's files.
Nothing here opens a file of a release folder for writing: files are placed by
rename or hard link, dropped by unlink, and a folder on the way that is not a
real folder (a symbolic link, a file) is replaced, never followed.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from . import releases


@dataclass
class Plan:
    """What the new release holds, and how it differs from the live one."""

    fresh: set[str]  # written by this build: moved in from staging
    kept: set[str]  # files of the new release the live one holds (most of them)
    others: set[str]  # its other files: staged, or carried over from the live release
    touched: set[str]  # where it differs from the live release (new, changed, removed)
    retention: list[str]  # top-level entries always carried over from the live release

    def wants(self, name: str) -> bool:
        """Whether the new release has a file of that name."""
        return name in self.others or name in self.kept

    def every(self) -> set[str]:
        return self.kept | self.others


def prepare(output: Path, staging: Path, live: Path | None, spare, plan: Plan) -> Path:
    """The release folder of the new build, complete and named, not yet live."""
    release = releases.next_release(output)
    if live is None:  # the first build: staging holds everything
        os.rename(staging, release)
        return release
    if spare is None:  # no spare: a new folder, a hard link for every unchanged file
        os.rename(staging, release)
        try:
            bring(release, live, None, plan.every() - plan.fresh, plan)
        except BaseException:
            releases.discard(release)
            raise
        return release
    names = _names(spare, live, plan)
    # before the spare is touched: a build stopped halfway leaves it to be repaired
    dirty = None if spare.dirty is None else names
    releases.record(output, releases.folder_id(live), releases.folder_id(spare.path), dirty)
    bring(spare.path, live, staging, names, plan)
    os.rename(spare.path, release)
    return release


def _names(spare, live: Path, plan: Plan) -> set[str]:
    """The names to bring into line in the spare folder: where it may differ from
    the live one, where the new build differs from the live one, the retained
    entries, and top-level entries no build made (put there by hand). All of
    them when the spare is unknown."""
    if spare.dirty is None:
        return files(spare.path) | plan.every()
    names = spare.dirty | plan.touched
    for entry in plan.retention:
        names |= _entry(spare.path, entry) | _entry(live, entry)
    live_tops = set(os.listdir(live))
    fresh_tops = {name.partition("/")[0] for name in plan.fresh}
    with os.scandir(spare.path) as entries:
        for entry in entries:
            if entry.name in plan.retention:
                continue
            if not entry.is_dir(follow_symlinks=False):
                names.add(entry.name)
            elif entry.name not in live_tops and entry.name not in fresh_tops:
                names |= {f"{entry.name}/{name}" for name in files(Path(entry.path))}
    return names


def _entry(root: Path, entry: str) -> set[str]:
    """The files of a top-level entry of root (itself if it is not a folder)."""
    path = root / entry
    if path.is_dir() and not path.is_symlink():
        return {f"{entry}/{name}" for name in files(path)}
    return {entry} if path.is_symlink() or path.exists() else set()


def bring(tree: Path, live: Path, staging: Path | None, names, plan: Plan) -> None:
    """Make each of names in tree what the new build has: the staged file, the
    live one, or nothing; folders left empty are removed."""
    folders = _Folders(os.fspath(tree))
    root, source = os.fspath(tree), os.fspath(live)
    gone = sorted(name for name in names if not plan.wants(name))
    for name in gone:
        if folders.hold(_parent(name)):
            _clear(f"{root}/{name}")
    for name in gone:
        folder = _parent(name)
        while folder and folders.prune(folder):
            folder = _parent(folder)
    for name in sorted(names):
        if not plan.wants(name):
            continue
        target = f"{root}/{name}"
        folders.make(_parent(name))
        if name in plan.fresh and staging is not None:
            _move(f"{staging}/{name}", target)
        elif name not in plan.fresh:
            _link(f"{source}/{name}", target)


def _move(source: str, target: str) -> None:
    try:
        os.replace(source, target)
    except IsADirectoryError:
        _clear(target)
        os.replace(source, target)


def _link(source: str, target: str) -> None:
    """Hard-link source at target, unless target is that file already."""
    try:
        os.link(source, target, follow_symlinks=False)
        return
    except FileExistsError:
        pass
    there, here = os.lstat(source), os.lstat(target)
    if (there.st_dev, there.st_ino) == (here.st_dev, here.st_ino):
        return
    _clear(target)
    os.link(source, target, follow_symlinks=False)


def _clear(path: str) -> None:
    """Remove a file, link or folder, if there is one."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        shutil.rmtree(path)


def _parent(name: str) -> str:
    return name.rpartition("/")[0]


class _Folders:
    """The folders of a release tree known to be real folders (no symbolic link
    on the way): each checked once per build."""

    def __init__(self, root: str):
        self.root = root
        self.real = {""}

    def hold(self, folder: str) -> bool:
        """Whether folder is a real folder of the tree, all the way down."""
        if folder in self.real:
            return True
        if not self.hold(_parent(folder)):
            return False
        try:
            info = os.lstat(f"{self.root}/{folder}")
        except FileNotFoundError:
            return False
        if stat.S_ISDIR(info.st_mode):
            self.real.add(folder)
            return True
        return False

    def make(self, folder: str) -> None:
        """Make folder a real folder of the tree, replacing what is in the way."""
        if folder in self.real:
            return
        self.make(_parent(folder))
        path = f"{self.root}/{folder}"
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            info = None
        if info is not None and not stat.S_ISDIR(info.st_mode):
            os.unlink(path)  # a file or a symbolic link in the way: never followed
            info = None
        if info is None:
            os.mkdir(path)
        self.real.add(folder)

    def prune(self, folder: str) -> bool:
        """Remove folder if it is empty; whether it was."""
        try:
            os.rmdir(f"{self.root}/{folder}")
        except OSError:
            return False
        self.real.discard(folder)
        return True


def files(root: Path) -> set[str]:
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

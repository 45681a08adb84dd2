"""Whether output/ is up to date: a build with nothing changed since the last
successful one builds nothing and leaves output/ exactly as it is.

Before building, publish.py asks check() for the state of everything the output
is made from, and compares it with the one the last successful build recorded:

- every file of the seeds folder (hidden ones aside, as seeds.py skips them), of
  the content folder (PATH), of the theme, of the template overrides and of each
  loaded plugin, and the editorial file wherever it is: by path, type, size, mtime,
  ctime and inode (a seed edited in place keeping its size, even with its mtime
  set back, has a new ctime; so has one whose permissions changed);
- the settings the build sees (after the plugin's defaults), as plain data:
  functions and classes by module and name, with the stamp of their module's file;
  FULL_BUILD aside;
- the Python version and executable, the names of the installed distributions
  (they carry the versions of Pelican, Jinja2, feedgen, the tagger's model …),
  the locale and time zone variables and the current folder;
- the URL memory file, which a build may rewrite, as the build left it;
- the live release: the link output/ is, and the folder it points to (its inode,
  mtime and ctime; a top-level entry added or removed by hand changes them).

The build depends on no clock: the same inputs give the same bytes.

Racy timestamps (git's word): a file changed again within the file system's
timestamp granularity may keep its stamp. So a file whose mtime or ctime is less
than RACY_NS before the moment it was stamped also has its content's digest (a
folder: its names) recorded, and the next check compares that too; a check that
finds the files settled records them without it.

The record is a store file (store.py) per output path, as the output manifest:
CACHE_PATH/bulletin-uptodate/<output key>.store. A build that builds
removes it first and writes it once it has published, so a failed or killed
build leaves none; a damaged or missing record means a full build. It also holds
the warnings and errors the build logged: a build that finds nothing changed logs
them again, saying they are the last build's, so bad seeds are named every time
(and `pelican --fatal` fails on them as the build did).

Not seen: a file of output/ edited or removed by hand inside a folder (walking
the site would cost seconds); the next build that builds puts it back.
FULL_BUILD = True (`pelican -e FULL_BUILD=True`, or BULLETIN_FULL_BUILD=1 in the
environment) builds in any case; the devserver always builds (quick pages need
its build's memory).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import enum
import functools
import gc
import hashlib
import logging
import operator
import os
import pickle
import re
import stat
import sys
import time
import types
from array import array
from pathlib import Path, PurePath

from ..logs import every_time_logger, status
from ..settings import memory_path, seeds_path
from ..store import Store
from . import releases

logger = every_time_logger(__name__)
RACY_NS = 2_000_000_000  # over the coarsest timestamps (FAT's 2 s)
RECORD_DIR = "bulletin-uptodate"  # under CACHE_PATH: one record per output path
RECORD = "record"
UNCOMPARED = {"FULL_BUILD"}  # settings that do not change the output
ENVIRONMENT = re.compile(r"LANG|LANGUAGE|TZ|LC_\w+")  # variables the output may depend on
FORCE_VARIABLE = "BULLETIN_FULL_BUILD"
# Warnings of the last build a run with nothing changed logs again, at most (its
# errors, all): a site's thousands would take seconds to print (a terminal's log
# handler takes about a millisecond a line).
REPEATED_WARNINGS = 20  # as the summary line names 20 rejected seeds at most

Stamp = tuple[int, int, int, int, int]  # mode, size, mtime, ctime, inode
STAMP_FIELDS = ("st_mode", "st_size", "st_mtime_ns", "st_ctime_ns", "st_ino")
# What a listing's columns hold whatever the stamp is made of: the modes, the times
# (racy stamps, the newest change) and what Listed hands the seed cache.
COLUMN_FIELDS = ("st_mode", "st_size", "st_mtime_ns", "st_ctime_ns", "st_ino")
FOLDER_FIELDS = {"st_mode", "st_ino"}  # a folder's stamp: not its size and times
_STAMP = operator.attrgetter(*STAMP_FIELDS)
_FS_ENCODING, _FS_ERRORS = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()


class Unknown(Exception):
    """Something the check cannot compare: the build builds."""


@dataclasses.dataclass
class Record:
    """What the last successful build was made from, and what it logged."""

    inputs: bytes  # digest of every input's stamp and of the settings
    racy: dict[str, bytes]  # input paths stamped too soon after a change: content digests
    memory: tuple  # the URL memory file as the build left it: (path, stamp, digest or None)
    release: tuple  # the live release: link target, folder stamp, its names' digest or
    # None, the names beside it
    logged: list[tuple[int, str]]  # warnings and errors: (level, message)
    complete: bool  # logged holds every warning (the build was not run with -q)


@dataclasses.dataclass
class Inputs:
    """The state of the build's inputs, found before it starts."""

    digest: bytes
    racy: dict[str, bytes]
    memory: Path
    memory_stamp: Stamp | None
    newest_seed_change: int = 0  # the newest ctime (ns) of a file of the seeds folder
    seeds_listed: Listed | None = None  # the seeds folder's files and their stamps


@dataclasses.dataclass
class Listed:
    """A tree as the check listed it: each folder's path (as os.path.join makes it
    from the tree's root), its names, and the columns of their stamps."""

    folders: list[tuple[str, list[str], dict[str, array]]] = dataclasses.field(default_factory=list)

    def stamps(self) -> dict[str, tuple[int, int, int, int]]:
        """Each regular file's size, mtime, ctime and inode (seedcache's stamp), by
        its path as os.scandir lists the tree (posts.scan); not symbolic links."""
        found = {}
        for path, names, columns in self.folders:
            prefix = os.path.join(path, "")
            rows = zip(
                names,
                map(stat.S_ISREG, columns["st_mode"]),
                columns["st_size"],
                columns["st_mtime_ns"],
                columns["st_ctime_ns"],
                columns["st_ino"],
                strict=True,
            )
            found.update(
                (prefix + name, (size, mtime, ctime, inode))
                for name, regular, size, mtime, ctime, inode in rows
                if regular
            )
        return found


def forced(settings: dict) -> bool:
    return bool(settings.get("FULL_BUILD")) or os.environ.get(FORCE_VARIABLE, "") not in ("", "0")


class Check:
    """The up-to-date check of one build of output (see the module's docstring)."""

    def __init__(self, settings: dict, output: Path, plugins, key: str):
        """key: the output's (publish.py), naming its record."""
        self.settings = settings
        self.output = output
        self.plugins = plugins
        self.store = Store(Path(settings["CACHE_PATH"], RECORD_DIR), key, drop_others=False)
        self.started = time.perf_counter()
        self.inputs: Inputs | None = None
        self.last: Record | None = None  # the last build's record, when nothing changed

    def up_to_date(self) -> bool:
        """Whether nothing changed since the last successful build. Finds the
        inputs' state (kept for record()) either way."""
        try:
            self.inputs = _inputs(self.settings, self.plugins)
        except Unknown as reason:  # the devserver's settings, forced anyway: not worth a line
            level = logging.DEBUG if forced(self.settings) else logging.INFO
            logger.log(level, "Up-to-date check off: %s", reason)
            return False
        if forced(self.settings):
            return False
        record = self.store.load().get(RECORD)
        if reason := self._changed(record):
            logger.debug("Building: %s", reason)
            return False
        if record.racy or record.memory[2] is not None or record.release[2] is not None:
            self._settle(record)
        self.last = record
        return True

    def _changed(self, record) -> str | None:
        """What changed since the record was made; None if nothing did."""
        if not isinstance(record, Record):
            return "no record of the last build"
        if record.inputs != self.inputs.digest:
            return "seeds, content, theme, settings or code changed"
        if not record.complete and shows_warnings():
            return "the last build ran with -q: its warnings are to be shown"
        if not all(_content(path) == digest for path, digest in record.racy.items()):
            return "a file changed within its timestamps' granularity"
        path, stamp, digest = record.memory
        if path != str(self.inputs.memory) or stamp != self.inputs.memory_stamp:
            return "the URL memory changed"
        if digest is not None and _content(path) != digest:
            return "the URL memory changed within its timestamps' granularity"
        if record.release != _release(self.output, with_names=record.release[2] is not None):
            return f"{self.output} is not the release the last build left"
        return None

    def report(self) -> None:
        """When nothing changed: the last build's errors again, and its first
        REPEATED_WARNINGS warnings (a line says how many more), then what happened."""
        warnings = 0
        for level, message in self.last.logged:
            warnings += level < logging.ERROR
            if level >= logging.ERROR or warnings <= REPEATED_WARNINGS:
                logger.log(level, "%s (from the last build, nothing changed since)", message)
        if (more := warnings - REPEATED_WARNINGS) > 0:
            logger.warning(
                "… and %d more warnings of the last build, not repeated: nothing changed"
                " since (`pelican -e FULL_BUILD=True` builds, showing them all)",
                more,
            )
        seconds = time.perf_counter() - self.started
        status(f"{self.output}: up to date, nothing changed since the last build ({seconds:.1f} s)")

    def _settle(self, record: Record) -> None:
        """Record the state again once timestamps are no longer racy (then the next
        check reads no file)."""
        now = time.time_ns()
        racy = {p: d for p, d in record.racy.items() if _racy_path(p, now)}
        path, stamp, digest = record.memory
        memory = (path, stamp, digest if _racy_path(path, now) else None)
        release = _release(self.output, with_names=None, now=now)
        if (racy, memory, release) != (record.racy, record.memory, record.release):
            self.store.save(
                {RECORD: dataclasses.replace(record, racy=racy, memory=memory, release=release)}
            )

    def forget(self) -> None:
        """Before a build: no record until it has published."""
        self.store.path.unlink(missing_ok=True)

    def record(self, logged: list[tuple[int, str]], complete: bool) -> None:
        """After a successful build: what it was made from (the URL memory and the
        live release as they are now), and what it logged (complete: all its
        warnings, none dropped by the log level)."""
        if self.inputs is None:
            return
        memory = self.inputs.memory
        stamp = written_memory(memory, self.inputs.memory_stamp)
        if stamp is False:
            logger.info("URL memory %s changed during the build: the next build builds", memory)
            return
        now = time.time_ns()
        digest = _content(memory) if _racy_path(memory, now) else None
        release = _release(self.output, with_names=None, now=now)
        record = Record(
            self.inputs.digest,
            self.inputs.racy,
            (str(memory), stamp, digest),
            release,
            logged,
            complete,
        )
        self.store.save({RECORD: record})


def _release(output: Path, with_names: bool | None, now: int | None = None) -> tuple:
    """The live release: the link's target, the folder's stamp and, if asked (or,
    with None, if the folder's stamp is racy), a digest of its names; and the
    names in the folder of releases (a killed build leaves its staging folder),
    but the hidden ones (being removed by a process of their own, or written)."""
    try:
        target = os.readlink(output)
        info = os.stat(output)
        kept = sorted(n for n in os.listdir(releases.folder(output)) if not n.startswith("."))
    except OSError:
        return (None, None, None, None)
    if with_names is None:
        with_names = _racy(info, now if now is not None else time.time_ns())
    names = _digest(sorted(os.listdir(output))) if with_names else None
    return (target, (info.st_dev, *_STAMP(info)), names, kept)


# The URL memory file is rewritten by the build (posts/urlmemory.py, on Pelican's
# finalized signal): its stamp just before and just after that handler tell the
# build's own write from anyone else's.
_memory_stamps: dict[str, list] = {}


def memory_before_saved(pelican) -> None:
    """On finalized, before urlmemory.save_memory."""
    path = memory_path(pelican.settings)
    _memory_stamps[str(path)] = [_stamp(path), None]


def memory_after_saved(pelican) -> None:
    """On finalized, after urlmemory.save_memory."""
    path = memory_path(pelican.settings)
    if str(path) in _memory_stamps:
        _memory_stamps[str(path)][1] = _stamp(path)


def written_memory(path: Path, before_build: Stamp | None):
    """The stamp of the URL memory as the build left it; False if someone else
    changed it while the build ran."""
    before_save, after_save = _memory_stamps.pop(str(path), (before_build, before_build))
    if before_save != before_build:
        return False  # changed during the build, before the build wrote it
    if after_save != _stamp(path):
        return False  # changed after the build wrote it (or left it)
    return after_save


def _inputs(settings: dict, plugins) -> Inputs:
    """Find the state of the build's inputs (see the module's docstring)."""
    modules: set[str] = set()
    values = _plain({k: v for k, v in settings.items() if k not in UNCOMPARED}, modules)
    scan = _Scan()
    memory = memory_path(settings)
    editorial = Path(settings["PATH"], settings["ENTITIES_FILE"])
    skip = {str(memory)}
    seeds_listed = Listed()
    with _no_collection():  # 100,000 stamps are many objects, but no cycles
        newest_seed_change = scan.tree(
            seeds_path(settings), hidden=False, skip=skip, listed=seeds_listed
        )
        for folder in (
            settings["PATH"],
            settings["THEME"],
            *settings.get("THEME_TEMPLATES_OVERRIDES", ()),
        ):
            scan.tree(Path(os.path.realpath(folder)), skip=skip)
    for plugin in plugins:
        for folder in getattr(plugin, "__path__", ()):
            scan.tree(Path(folder), skip_folder="__pycache__")
        if not hasattr(plugin, "__path__") and getattr(plugin, "__file__", None):
            scan.file(Path(plugin.__file__))
    scan.file(editorial.absolute())
    for name in sorted(modules):
        module_file = getattr(sys.modules.get(name), "__file__", None)
        if module_file:
            scan.file(Path(module_file))
    environment = sorted((k, v) for k, v in os.environ.items() if ENVIRONMENT.fullmatch(k))
    scan.value(values, environment, os.getcwd(), sys.version, sys.executable, _distributions())
    return Inputs(
        scan.digest(), scan.racy, memory, _stamp(memory), newest_seed_change, seeds_listed
    )


@contextlib.contextmanager
def _no_collection():
    """The cyclic garbage collector off: its passes over the objects of Pelican
    and the plugin, while a big folder is stamped, find nothing to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Scan:
    """Stamps of files and trees, digested as they come; the racy ones' content
    digests."""

    def __init__(self):
        self.started = time.time_ns()
        self.hash = hashlib.blake2b(digest_size=16)
        self.racy: dict[str, bytes] = {}

    def _add(self, data: bytes) -> None:
        self.hash.update(len(data).to_bytes(8, "little"))
        self.hash.update(data)

    def value(self, *values) -> None:
        self._add(pickle.dumps(values, protocol=5))

    def file(self, path: Path) -> None:
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            self.value(str(path), None)
            return
        except OSError as error:
            raise Unknown(f"{path}: {error.strerror or error}") from None
        self.value(str(path), _STAMP(info))
        if _racy(info, self.started):
            self.racy[str(path)] = _content(path)

    def tree(
        self,
        root: Path,
        hidden: bool = True,
        skip=(),
        skip_folder: str = "",
        listed: Listed | None = None,
    ) -> int:
        """Every entry under root (hidden ones too, if hidden), by its path under
        root; folders by mode and inode only (a folder's times change as files
        are written in it: the URL memory's). A folder's entries are stamped in
        bulk, in the order the folder lists them (the same while it does not
        change; another order only means a build), each field of their stamps
        as one array: a seeds folder may hold 100,000 files. Returns the newest
        ctime (ns) of the entries but folders (0 if none). listed, if given, gets
        each folder's names and stamps."""
        try:
            info = os.stat(root)
        except OSError:
            info = None
        if info is None or not stat.S_ISDIR(info.st_mode):
            self.value(str(root), "not a folder")
            return 0
        self.value(str(root), info.st_mode, info.st_ino)
        limit = self.started - RACY_NS
        newest = 0
        folders = [""]
        while folders:
            folder = folders.pop()
            path = os.path.join(root, folder)
            excluded = {os.path.basename(s) for s in skip if os.path.dirname(s) == path}
            names, infos = _listing(path, hidden, excluded | {skip_folder})
            columns = _columns(infos)
            if listed is not None:
                listed.folders.append((path, names, columns))
            modes = columns["st_mode"]
            regular = list(map(stat.S_ISREG, modes))
            if not all(regular):
                for index in [i for i, plain in enumerate(regular) if not plain]:
                    name, mode = names[index], modes[index]
                    if stat.S_ISDIR(mode):
                        folders.append(os.path.join(folder, name))
                        for field in columns.keys() - FOLDER_FIELDS:  # (made unreadable:
                            columns[field][index] = 0  # its mode tells)
                    elif stat.S_ISLNK(mode):  # what it points to, too
                        self.file(Path(os.path.realpath(os.path.join(path, name))))
            times = (columns["st_mtime_ns"], columns["st_ctime_ns"])
            if infos:  # a folder's times are 0 from here on
                newest = max(newest, max(columns["st_ctime_ns"]))
            if infos and max(map(max, times)) >= limit:
                for name, info, plain in zip(names, infos, regular, strict=True):
                    if plain and _racy(info, self.started):
                        self.racy[os.path.join(path, name)] = _content(os.path.join(path, name))
            self.value(folder, len(names))
            self._add("\0".join(names).encode(_FS_ENCODING, _FS_ERRORS))
            for field in STAMP_FIELDS:
                self._add(columns[field].tobytes())
        return newest

    def digest(self) -> bytes:
        return self.hash.digest()


def _columns(infos: list) -> dict[str, array]:
    """Fields of stat results, each as an array (the stamp's and COLUMN_FIELDS)."""
    return {
        field: array("Q" if field == "st_ino" else "q", map(operator.attrgetter(field), infos))
        for field in {*STAMP_FIELDS, *COLUMN_FIELDS}
    }


def _listing(folder: str, hidden: bool, excluded: set[str]) -> tuple[list[str], list]:
    """The names in a folder (in the order it lists them) but the excluded (and
    hidden) ones, and their lstat; a file gone meanwhile is left out. A missing
    folder is empty; one that cannot be listed is Unknown."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return [], []
    except OSError as error:
        raise Unknown(f"{folder}: {error.strerror or error}") from None
    try:
        names = os.listdir(fd)
        if not hidden or not excluded.isdisjoint(names):
            names = [n for n in names if n not in excluded and (hidden or n[:1] != ".")]
        try:  # one call per file: 100,000 of them take about 0.3 s
            return names, [os.stat(n, dir_fd=fd, follow_symlinks=False) for n in names]
        except FileNotFoundError:
            found = [(n, info) for n in names if (info := _lstat(n, fd)) is not None]
            return [n for n, _ in found], [info for _, info in found]
    except OSError as error:
        raise Unknown(f"{folder}: {error.strerror or error}") from None
    finally:
        os.close(fd)


def _lstat(name: str, fd: int) -> os.stat_result | None:
    try:
        return os.stat(name, dir_fd=fd, follow_symlinks=False)
    except FileNotFoundError:
        return None


def _racy(info: os.stat_result, now: int) -> bool:
    return max(info.st_mtime_ns, info.st_ctime_ns) >= now - RACY_NS


def _racy_path(path, now: int) -> bool:
    try:
        return _racy(os.lstat(path), now)
    except OSError:
        return False


def _stamp(path) -> Stamp | None:
    try:
        return _STAMP(os.lstat(path))
    except OSError:
        return None


def _content(path) -> bytes | None:
    """A digest of a file's bytes (a folder's names); None if it cannot be read."""
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            return _digest(sorted(os.listdir(path)))
        with open(path, "rb") as file:
            return hashlib.file_digest(
                file, functools.partial(hashlib.blake2b, digest_size=16)
            ).digest()
    except OSError:
        return None


def _digest(value) -> bytes:
    return hashlib.blake2b(pickle.dumps(value, protocol=5), digest_size=16).digest()


def _distributions() -> list:
    """The entries of every site-packages folder: each distribution's metadata
    folder carries its version."""
    found = []
    for folder in sys.path:
        if os.path.basename(folder) in ("site-packages", "dist-packages") and os.path.isdir(folder):
            found.append((folder, sorted(os.listdir(folder))))
    return found


def _plain(value, modules: set[str]):
    """Settings as plain data, the same from one process to the next: functions,
    classes and modules by name (their modules' names are added to modules). A
    value of another kind cannot be compared: Unknown."""
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return value
    if isinstance(value, dict):
        items = [(_plain(k, modules), _plain(v, modules)) for k, v in value.items()]
        return ("dict", sorted(items, key=repr))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_plain(v, modules) for v in value])
    if isinstance(value, (set, frozenset)):
        return ("set", sorted((_plain(v, modules) for v in value), key=repr))
    if isinstance(value, PurePath):
        return ("path", str(value))
    if isinstance(value, re.Pattern):
        return ("re", value.pattern, value.flags)
    if isinstance(value, enum.Enum):
        return ("enum", _plain(type(value), modules), value.name)
    if isinstance(value, functools.partial):
        return ("partial", *(_plain(v, modules) for v in (value.func, value.args, value.keywords)))
    if isinstance(value, types.ModuleType):
        modules.add(value.__name__)
        return ("module", value.__name__)
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)):
        module = getattr(value, "__module__", None) or ""
        modules.add(module)
        return ("code", module, value.__qualname__)
    if isinstance(value, types.MethodType):
        return ("method", _plain(value.__self__, modules), value.__name__)
    if dataclasses.is_dataclass(value):
        fields = [
            (f.name, _plain(getattr(value, f.name), modules)) for f in dataclasses.fields(value)
        ]
        return ("dataclass", _plain(type(value), modules), fields)
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta, datetime.tzinfo)):
        text = repr(value)
        if " at 0x" not in text:
            return ("time", text)
    raise Unknown(f"a setting holds a {type(value).__qualname__}, which it cannot compare")


class Logged(logging.Handler):
    """The warnings and errors logged while it is installed (on the root logger),
    by this process and by the forked output processes (parallel.py, through
    publish.hand_over and take_over)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[tuple[int, str, int]] = []  # level, message, process

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be formatted: its template
            message = str(record.msg)
        self.records.append((record.levelno, message, record.process))
        last = logging.lastResort  # what prints the record if this handler is the only one
        if last is not None and record.levelno >= last.level and not self._others(record):
            last.handle(record)

    def _others(self, record: logging.LogRecord) -> bool:
        """Whether another handler gets the record (else Python's last resort,
        printing to stderr, would have: `pelican --log-handler plain` adds none)."""
        logger = logging.getLogger(record.name)
        while logger is not None:
            if any(handler is not self for handler in logger.handlers):
                return True
            logger = logger.parent if logger.propagate else None
        return False

    def __enter__(self) -> Logged:
        global _logging
        logging.getLogger().addHandler(self)
        _logging = self
        return self

    def __exit__(self, *_) -> None:
        global _logging
        logging.getLogger().removeHandler(self)
        _logging = None

    def messages(self) -> list[tuple[int, str]]:
        return [(level, message) for level, message, _ in self.records]


_logging: Logged | None = None  # of the build under way


def logged_here() -> list:
    """In a forked output process: what it logged itself (not what it inherited)."""
    return [r for r in _logging.records if r[2] == os.getpid()] if _logging else []


def add_logged(records: list) -> None:
    """In the first process: what an output process logged."""
    if _logging is not None:
        _logging.records += records


def shows_warnings() -> bool:
    """Whether warnings are logged at all (not with `pelican -q`)."""
    return logging.getLogger().isEnabledFor(logging.WARNING)

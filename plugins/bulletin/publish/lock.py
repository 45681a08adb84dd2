"""One build at a time per output: an exclusive lock on a file beside it.

The lock is flock(2) on ``.<output>.lock`` next to the output path. The kernel
releases it when the build's process ends, however it ends (kill -9 too), so a
lock can never outlive its build. The file also holds the pid of the build that
took the lock, and is emptied when the lock is released: a build that finds a pid
there took the lock from a build that died holding it, and says so.

A second build of the same output waits for the first, saying so, for up to
OUTPUT_LOCK_WAIT seconds, then fails naming the build that holds the lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from ..logs import every_time_logger, status

logger = every_time_logger(__name__)
POLL = 0.1  # seconds between tries while another build holds the lock


class LockError(RuntimeError):
    """Another build holds the output's lock."""


class OutputLock:
    """The lock of one output path, held inside a ``with`` block."""

    def __init__(self, output: Path, wait: float):
        self.path = output.with_name(f".{output.name}.lock")
        self.output = output
        self.wait = wait
        self.fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            self._take(fd)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        if holder := _read(fd):
            logger.warning(
                "Lock %s was left by build %s, which ended without releasing it (killed?): cleared",
                self.path,
                holder,
            )
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {os.uname().nodename}\n".encode(), 0)
        return self

    def __exit__(self, *_) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)  # released cleanly: nothing for the next build to report
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def _take(self, fd: int) -> None:
        deadline = time.monotonic() + self.wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                holder = _read(fd) or "another build"
                if time.monotonic() >= deadline:
                    raise LockError(
                        f"{self.output} is being built by {holder} (lock {self.path}); "
                        f"waited {self.wait:g} s (OUTPUT_LOCK_WAIT): nothing built"
                    ) from None
                if not told:
                    status(f"Waiting for {holder} to finish building {self.output}")
                    told = True
                time.sleep(POLL)


def _read(fd: int) -> str:
    return os.pread(fd, 200, 0).decode(errors="replace").strip()

"""One writer at a time: a lock file held with ``flock``, and the errors of writing an index."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from pathlib import Path

from newsindex.errors import IndexLockedError, IndexWriteError

__all__ = ["WriteLock", "locked_error", "write_error"]


def locked_error(path: Path) -> IndexLockedError:
    """The error for an index another process is writing."""
    return IndexLockedError(
        str(path),
        f"the index at {path} is being written by another process",
        remedy="wait",
    )


def write_error(path: Path, exc: OSError) -> IndexWriteError:
    """The error for a failed write to the index at ``path``, with the likely cause."""
    if exc.errno == errno.ENOSPC:
        reason = "the disk is full"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "permission denied (is the directory read-only?)"
    else:
        reason = exc.strerror or str(exc)
    return IndexWriteError(str(path), f"cannot write the index at {path}: {reason}")


class WriteLock:
    """An exclusive ``flock`` on ``lock_file``, released when the process dies."""

    def __init__(self, index: Path, lock_file: Path) -> None:
        self.index = index
        self.lock_file = lock_file
        self._fd: int | None = None

    def acquire(self, wait: float = 0.0) -> None:
        """Take the lock, waiting up to ``wait`` seconds; raise :class:`IndexLockedError`."""
        try:
            fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise write_error(self.index, exc) from exc
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._fd = fd
                return
            except OSError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise locked_error(self.index) from None
                time.sleep(0.05)

    def release(self) -> None:
        """Release the lock (the file stays)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def held_elsewhere(self) -> bool:
        """True while another open file holds the lock."""
        if not self.lock_file.exists():
            return False
        fd = os.open(self.lock_file, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        finally:
            os.close(fd)
